import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { readProcUsage } from "../proc-usage.js";
import { withDaemonLab, type DaemonEntry, type DaemonLab, type HistoryEntry, type Shutdown } from "../daemon-lab.js";
import { countRotations } from "./count-rotations.js";
import { createLogrotateRunner, type LogrotateTally } from "./logrotate-runs.js";
import type { RssSample } from "./rss-trend.js";
import { soakServices, soakServicesConfig, type SoakService } from "./soak-services.js";

/** Lifeguard's RSS is read this often. */
export const SAMPLE_EVERY_MS = 10_000;
/** logrotate rotates the two logs it owns this often. */
export const LOGROTATE_EVERY_MS = 20_000;

/** What the bot of one service wrote, by its own account (its stats file). */
export interface BotStats {
  lines: number;
  bytes: number;
  pings_ok: number;
  pings_failed: number;
}

/** One service's figures: restarts seen two ways, and why Lifeguard thought it failing. */
export interface ServiceFigures {
  service: SoakService;
  /** Restarts in `lifeguard history --json`, with their reasons and how long after the last rotation of the service's log they began (null: none before). */
  historyRestarts: Array<{ at: number; reason: string; sinceRotationMs: number | null }>;
  /** Lines in the bot's starts file: 1 when it was never restarted. */
  starts: number;
  /** Summed over every start of the bot; null when no bot left its counts. */
  stats: BotStats | null;
  /** Failing check results the daemon logged (tag FAIL), by message with numbers blanked. */
  failures: Array<{ message: string; count: number }>;
}

export interface SoakFigures {
  durationMs: number;
  services: ServiceFigures[];
  rss: RssSample[];
  lifeguardRotations: number;
  logrotate: LogrotateTally;
  shutdown: Shutdown;
}

/**
 * Runs the soak for `durationMs` after the daemon started its services: samples Lifeguard's
 * RSS, runs logrotate, then stops the daemon (its bots write their counts on SIGTERM) and reads
 * the history, the daemon's log and the bots' files. Resolves null when `signal` aborted it;
 * either way the lab ends every process it started and removes its directory.
 */
export function runSoak(durationMs: number, signal: AbortSignal, progress: (text: string) => void): Promise<SoakFigures | null> {
  return withDaemonLab("soak", async (lab) => {
    const services = soakServices(lab.dir);
    const token = randomBytes(24).toString("hex");
    const daemon = await lab.startDaemon({ http: { listen: "127.0.0.1:0", token }, services: soakServicesConfig(services) });
    progress(`daemon ${daemon.pid} started ${services.length} services; soaking for ${Math.round(durationMs / 1000)} s`);
    const captured = services.find((service) => service.rotation === "lifeguard")?.log as string;
    const rotations = countRotations(captured);
    const logrotate = createLogrotateRunner(lab.dir, services.flatMap((s) => (s.rotation === "create" || s.rotation === "copytruncate" ? [{ path: s.log as string, mode: s.rotation }] : [])));
    const rss: RssSample[] = [];
    const started = Date.now();
    try {
      let nextSample = started;
      let nextRotation = started + LOGROTATE_EVERY_MS;
      while (!signal.aborted && Date.now() - started < durationMs) {
        if (Date.now() >= nextSample) {
          const usage = readProcUsage(daemon.pid);
          if (usage === null) throw new Error(`The daemon (pid ${daemon.pid}) exited during the soak`);
          rss.push({ atMs: Date.now() - started, rssBytes: usage.rssBytes, anonBytes: usage.rssAnonBytes });
          rememberBots(lab, services);
          progress(`${Math.round((Date.now() - started) / 1000)} s: RSS ${(usage.rssBytes / 1024 / 1024).toFixed(1)} MiB, restarts so far ${countRestarts(services)}`);
          nextSample += SAMPLE_EVERY_MS;
        }
        if (Date.now() >= nextRotation) {
          await logrotate.rotate(signal);
          nextRotation += LOGROTATE_EVERY_MS;
        }
        const wait = Math.min(nextSample, nextRotation, started + durationMs) - Date.now();
        if (wait > 0) await delay(wait, undefined, { signal }).catch(() => undefined);
      }
    } finally {
      rotations.close();
    }
    if (signal.aborted) return null;
    const elapsed = Date.now() - started;
    rememberBots(lab, services);
    const shutdown = await lab.stopDaemon();
    const history = await daemon.history();
    const entries = daemon.entries();
    const rotationTimes = (service: SoakService): number[] => (service.rotation === "lifeguard" ? rotations.times() : service.rotation === "none" ? [] : logrotate.tally().times);
    return {
      durationMs: elapsed,
      services: services.map((service) => serviceFigures(service, history, entries, rotationTimes(service))),
      rss,
      lifeguardRotations: rotations.count(),
      logrotate: logrotate.tally(),
      shutdown,
    };
  });
}

function serviceFigures(service: SoakService, history: HistoryEntry[], entries: DaemonEntry[], rotations: number[]): ServiceFigures {
  const historyRestarts = history
    .filter((entry) => entry.type === "restart" && entry.service === service.name && entry.restart !== undefined)
    .map((entry) => {
      const at = entry.restart?.startedAt ?? entry.at;
      const rotated = rotations.filter((time) => time <= at).at(-1);
      return { at, reason: entry.restart?.reason ?? "?", sinceRotationMs: rotated === undefined ? null : at - rotated };
    })
    .reverse();
  const failures = new Map<string, number>();
  for (const entry of entries) {
    if (entry.tag !== "FAIL" || entry.service !== service.name) continue;
    const message = entry.message.replace(/\d+(\.\d+)?/g, "N");
    failures.set(message, (failures.get(message) ?? 0) + 1);
  }
  return {
    service,
    historyRestarts,
    starts: readStarts(service).length,
    stats: sumStats(readStarts(service).map((pid) => `${service.stats}.${pid}`)),
    failures: [...failures].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count),
  };
}

/** The pids in a bot's starts file, one per start. */
function readStarts(service: SoakService): number[] {
  if (!existsSync(service.starts)) return [];
  return readFileSync(service.starts, "utf8").split("\n").filter((line) => line !== "").map((line) => Number(line.split(" ")[0]));
}

const countRestarts = (services: readonly SoakService[]): number => services.reduce((sum, service) => sum + Math.max(0, readStarts(service).length - 1), 0);

/** The counts of every start of a bot, added up; a start killed before it wrote any is missing. */
function sumStats(files: readonly string[]): BotStats | null {
  const found = files.filter((file) => existsSync(file)).map((file) => JSON.parse(readFileSync(file, "utf8")) as BotStats);
  if (found.length === 0) return null;
  return found.reduce((sum, stats) => ({ lines: sum.lines + stats.lines, bytes: sum.bytes + stats.bytes, pings_ok: sum.pings_ok + stats.pings_ok, pings_failed: sum.pings_failed + stats.pings_failed }));
}

/**
 * Every bot still running is ended by PID at the end should it outlive the daemon. Only a pid
 * whose command line names the bot's own starts file is remembered: a pid the kernel handed to
 * another process since is left alone.
 */
function rememberBots(lab: DaemonLab, services: readonly SoakService[]): void {
  for (const service of services) for (const pid of readStarts(service)) if (commandLineOf(pid).includes(service.starts)) lab.remember(pid);
}

function commandLineOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}
