// One idle daemon as the idle and weighing benches run it: sleeping bots under `running` and
// `log-fresh`, a writer touching their logs, and, when served, a scraper of its HTTP surface.
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../src/testing/wait-for.js";
import type { Daemon, DaemonLab, Shutdown } from "./daemon-lab.js";
import type { MonitStop } from "./monit.js";
import type { Sample } from "./sampling.js";

/**
 * A sleeping bot that writes its pid first (sh execs sleep, so the pid stays): nothing to do but be
 * watched. `$$$$` because the config interpolates `$$` to `$`: the shell sees `echo $$`.
 */
export const SLEEPER = ["/bin/sh", "-c", 'echo $$$$ > "$0"; exec /bin/sleep 100000'];
/** What a served daemon is asked, in turn, each time. */
export const SCRAPED_PATHS = ["/healthz", "/api/status", "/metrics"];
/** The background writer appends a line to every watched log this often: a log that is written to, rarely. */
const WRITER_EVERY_MS = 10_000;

/** The daemon's shape: `services` sleeping bots checked every `intervalMs`; served or not. */
export interface IdleShape {
  services: number;
  intervalMs: number;
  /** Requests /healthz, /api/status and /metrics this often, from the start to the end of the window (as a status check and a Prometheus would); null: no request at all. */
  scrapeEveryMs: number | null;
}

/** A started idle daemon: `finish` stops its writer and scraper, checks it kept doing its rounds, and stops it. */
export interface IdleDaemon {
  daemon: Daemon;
  /** Each service's name, its bot's pid file and its log: what a peer (monit) watches in the same window. */
  services: Array<{ name: string; pidFile: string; log: string }>;
  finish(): Promise<IdleOutcome>;
  /** Stops the writer and the scraper only: for a bench that fails before `finish` (the lab stops the daemon). */
  quiet(): void;
}

/** What an idle daemon did besides its samples: rounds still fresh at the end, restarts, how it stopped. */
export interface IdleOutcome {
  startupMs: number;
  /** Services whose checks ran within the last interval (plus slack) when the window ended. */
  roundsFresh: number;
  restarts: number;
  shutdown: Shutdown;
}

/** The samples of one idle daemon and what it did. */
export interface IdleRun<S extends IdleShape = IdleShape> extends IdleOutcome {
  scenario: S;
  samples: Sample[];
  /** monit, sampled in the same window watching the same bots and logs, or why it was not. */
  monit?: { version: string; samples: Sample[]; stop: MonitStop } | { reason: string };
}

/** Starts `shape`'s daemon in `lab` with `launcher` (bin/lifeguard.js unless a variant is weighed). */
export async function startIdleDaemon(lab: DaemonLab, shape: IdleShape, launcher?: string): Promise<IdleDaemon> {
  const names = Array.from({ length: shape.services }, (_, i) => `svc-${String(i + 1).padStart(3, "0")}`);
  mkdirSync(join(lab.dir, "logs"));
  const logOf = (name: string): string => join(lab.dir, "logs", `${name}.log`);
  const pidOf = (name: string): string => join(lab.dir, "logs", `${name}.pid`);
  const touch = (): void => names.forEach((name) => appendFileSync(logOf(name), `${new Date().toISOString()} INFO still here\n`));
  touch();
  const services = Object.fromEntries(names.map((name) => [name, {
    command: [...SLEEPER, pidOf(name)],
    interval: `${shape.intervalMs / 1000}s`,
    checks: ["running", { "log-fresh": { path: logOf(name), "max-age": "1h" } }],
  }]));
  const writer = setInterval(touch, WRITER_EVERY_MS);
  let scraper: NodeJS.Timeout | undefined;
  let scrapeFailure: unknown;
  const quiet = (): void => {
    clearInterval(writer);
    clearInterval(scraper);
  };
  try {
    const daemon = await lab.startDaemon({ services }, launcher);
    if (shape.scrapeEveryMs !== null) {
      await scrape(daemon);
      // A failed request fails the bench, at the end of the window.
      scraper = setInterval(() => void scrape(daemon).catch((error: unknown) => void (scrapeFailure ??= error)), shape.scrapeEveryMs);
    }
    (await readPids(names.map(pidOf))).forEach(lab.remember);
    const finish = async (): Promise<IdleOutcome> => {
      quiet();
      if (scrapeFailure !== undefined) throw scrapeFailure;
      const roundsFresh = await countFreshRounds(daemon, shape.intervalMs);
      const restarts = daemon.entries().filter((entry) => entry.data.event === "restart").length;
      return { startupMs: daemon.readyAt - daemon.spawnedAt, roundsFresh, restarts, shutdown: await lab.stopDaemon() };
    };
    return { daemon, services: names.map((name) => ({ name, pidFile: pidOf(name), log: logOf(name) })), finish, quiet };
  } catch (error) {
    quiet();
    throw error;
  }
}

/** One request to each of SCRAPED_PATHS, one after the other; a failed one fails the bench. */
async function scrape(daemon: Daemon): Promise<void> {
  for (const path of SCRAPED_PATHS) {
    const response = await fetch(`${daemon.url}${path}`);
    await response.text();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  }
}

async function readPids(files: string[]): Promise<number[]> {
  const read = (file: string): number => {
    try {
      return Number(readFileSync(file, "utf8").trim());
    } catch {
      return Number.NaN;
    }
  };
  if (!(await waitFor(() => files.every((file) => read(file) > 0), { timeoutMs: 30_000 }))) throw new Error("Not every sleeping bot wrote its pid file");
  return files.map(read);
}

/** After the window: how many services' `log-fresh` checks ran within the last interval (+2 s) or still hold (their timestamp is then the scrape's), from /metrics. */
async function countFreshRounds(daemon: Daemon, intervalMs: number): Promise<number> {
  const text = await (await fetch(`${daemon.url}/metrics`)).text();
  const since = Date.now() / 1000 - intervalMs / 1000 - 2;
  const stamps = [...text.matchAll(/^lifeguard_check_timestamp_seconds\{([^}]*)\} (\S+)$/gm)].filter((m) => /check="log-fresh"/.test(m[1] ?? ""));
  return stamps.filter((m) => Number(m[2]) >= since).length;
}
