import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { readProcStat } from "../src/process/proc-stat.js";
import type { Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, REPO } from "../test/support/lab.js";
import { readEntries, type DaemonEntry } from "./daemon-lab.js";
import { followBotLog, tickBotArgv, TRIAL_RESTART, type BotLog } from "./tick-bot.js";

const BOT_EVERY_MS = 100;
/** The freeze trials' limit: monit's 5 s, as in the supervisor-mode freeze bench. */
export const FREEZE_MAX_AGE_MS = 5000;
const DAEMON_READY_MS = 120_000;

/** One tick-bot unit in the sandbox, and who restarts it when it dies. */
export interface CrashUnit {
  /** e.g. `lifeguard-watched.service`. */
  unit: string;
  /** How the unit is restarted, for the report. */
  restartedBy: string;
  /** The bot's log, followed at 2 ms. */
  bot: BotLog;
  /** That log's path. */
  log: string;
}

/** The units of one window: the ones Lifeguard watches (`Restart=no`) and systemd's own `Restart=always` peers. */
export interface CrashUnits {
  watched: CrashUnit;
  /** Watched by Lifeguard's `log-fresh` (max-age FREEZE_MAX_AGE_MS, interval 1 s): the freeze trials' unit. */
  frozen: CrashUnit;
  peers: CrashUnit[];
  /** The Lifeguard daemon's config and JSON log (it runs as `lifeguard-daemon.service`). */
  config: string;
  daemonLog: string;
}

/** The peers: systemd's default `RestartSec=` (100 ms) and none at all. */
const PEERS = [
  { unit: "systemd-restart.service", restartedBy: "systemd `Restart=always` (default `RestartSec=100ms`)", extra: "Restart=always" },
  { unit: "systemd-restart-0.service", restartedBy: "systemd `Restart=always`, `RestartSec=0`", extra: "Restart=always\nRestartSec=0" },
];

/**
 * Writes and starts the bot units and the Lifeguard daemon (a unit too, reading systemd over the
 * sandbox's system bus). Every process is in the sandbox: its stop() ends them all.
 */
export async function startCrashUnits(sandbox: Sandbox): Promise<CrashUnits> {
  const dir = join(sandbox.workdir, "systemd-crash");
  mkdirSync(dir, { recursive: true });
  await startOrThrow(sandbox, "dbus.socket");
  const units = [
    { unit: "lifeguard-watched.service", restartedBy: "Lifeguard (`Restart=no`)", extra: "Restart=no" },
    { unit: "lifeguard-frozen.service", restartedBy: `Lifeguard (\`Restart=no\`, \`log-fresh\` max-age ${FREEZE_MAX_AGE_MS / 1000} s)`, extra: "Restart=no" },
    ...PEERS,
  ];
  const started = await Promise.all(units.map(async ({ unit, restartedBy, extra }) => {
    const log = join(dir, `${unit}.log`);
    await sandbox.writeUnit(unit, tickBotUnit(tickBotArgv(log, BOT_EVERY_MS, join(dir, `${unit}.pid`)), extra));
    return { unit, restartedBy, bot: followBotLog(log), log };
  }));
  const [watched, frozen, ...peers] = started as [CrashUnit, CrashUnit, ...CrashUnit[]];
  const daemonLog = join(dir, "lifeguard.log");
  const config = join(dir, "lifeguard.yaml");
  const services = { bot: watchedService(watched.unit), frozen: frozenService(frozen.unit, frozen.log) };
  writeFileSync(config, stringify({ state: join(dir, "state"), log: { file: daemonLog, format: "json" }, services }));
  await sandbox.writeUnit("lifeguard-daemon.service", `[Service]\nExecStart=${process.execPath} ${BIN} run -c ${config}\nWorkingDirectory=${REPO}\n`);
  await sandbox.daemonReload();
  for (const { unit, bot } of started) {
    await startOrThrow(sandbox, unit);
    await bot.waitForStart(null, 10_000);
  }
  await startOrThrow(sandbox, "lifeguard-daemon.service");
  const ready = await waitFor(() => readEntries(daemonLog).some((entry) => entry.message.startsWith("Lifeguard started")), { timeoutMs: DAEMON_READY_MS, intervalMs: 20 });
  if (!ready) throw new Error(`The Lifeguard daemon did not start within ${DAEMON_READY_MS} ms; its log: ${(existsSync(daemonLog) ? readFileSync(daemonLog, "utf8").slice(-2000) : "(none)")}`);
  const warning = readEntries(daemonLog).find((entry) => entry.tag === "WARN" && /Cannot (follow|reach systemd)/.test(entry.message));
  if (warning !== undefined) throw new Error(`The daemon does not follow the unit over the bus: ${warning.message}`);
  return { watched, frozen, peers, config, daemonLog };
}

/** The freeze trials' service: its log judged every second (and at its deadline), acted on at the first failure. */
function frozenService(unit: string, log: string): Record<string, unknown> {
  return { ...watchedService(unit), interval: "1s", "startup-grace": "1s", checks: [{ "log-fresh": { path: log, "max-age": `${FREEZE_MAX_AGE_MS / 1000}s` } }] };
}

/** The service as the trials need it: only the bus's report acts (an hour between rounds), at the first failure, at once, every time. */
function watchedService(unit: string): Record<string, unknown> {
  return { systemd: unit, interval: "1h", "failure-threshold": 1, "startup-grace": "200ms", restart: TRIAL_RESTART };
}

/** No start limit: trial after trial restarts the unit, faster than systemd's default 5 starts in 10 s allow. */
function tickBotUnit(argv: string[], extra: string): string {
  return `[Unit]\nDescription=Lifeguard bench tick bot\nStartLimitIntervalSec=0\n[Service]\nExecStart=${argv.join(" ")}\nTimeoutStopSec=5\n${extra}\n`;
}

async function startOrThrow(sandbox: Sandbox, unit: string): Promise<void> {
  const result = await sandbox.exec(["systemctl", "start", unit]);
  if (!result.ok) throw new Error(`Cannot start ${unit}: ${result.stderr.trim() || result.summary}`);
}

/** Waits until the daemon's log says a restart of `service` ended at or after `since` (wall ms); throws if it failed or none came. */
export async function waitForDaemonRestart(daemonLog: string, service: string, since: number, timeoutMs: number): Promise<DaemonEntry> {
  let ended: DaemonEntry | undefined;
  const isEnd = (entry: DaemonEntry): boolean => entry.service === service && (entry.data.event === "restarted" || entry.data.event === "restart-failed") && entry.at >= Math.floor(since);
  await waitFor(() => (ended = readEntries(daemonLog).find(isEnd)) !== undefined, { timeoutMs, intervalMs: 5 });
  if (ended === undefined) throw new Error(`No end of a restart in the daemon's log within ${timeoutMs} ms`);
  if (ended.data.event !== "restarted") throw new Error(`The restart failed: ${ended.message}`);
  return ended;
}

/**
 * The host pid of the sandbox's process `nsPid` (its `NSpid:` line names both), checked to be
 * the same process (start time) the sandbox sees. The bench signals it from the host, so the kill
 * is timed to the microsecond rather than after an `nsenter … kill` of a few ms.
 */
export function hostPidOf(sandbox: Sandbox, nsPid: number): number {
  const inside = sandbox.procStat(nsPid);
  if (inside === null || inside.state === "Z") throw new Error(`The sandbox's process ${nsPid} is not running`);
  const namespace = readlinkSync(`/proc/${sandbox.pid}/ns/pid`);
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ids = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${name}/status`, "utf8"))?.[1]?.trim().split(/\s+/).map(Number) ?? [];
      if (ids.at(-1) !== nsPid || ids.length < 2 || readlinkSync(`/proc/${name}/ns/pid`) !== namespace) continue;
      if (readProcStat(Number(name))?.startTime === inside.startTime) return Number(name);
    } catch {
      // Gone while we looked.
    }
  }
  throw new Error(`No host process for the sandbox's pid ${nsPid}`);
}
