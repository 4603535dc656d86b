// monit beside Lifeguard in the same window (issue 14): Debian's `monit` package, watching the
// same sleeping bots and logs as the daemon, with a control file, state and log of its own.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { runCommand } from "../src/process/run-command.js";
import { waitFor } from "../src/testing/wait-for.js";

const MONIT = "/usr/bin/monit";
/** What installs it: Debian's package (its own service, if the box has an init that starts it, is left alone). */
const INSTALL = ["apt-get", "install", "-y", "--no-install-recommends", "monit"];
const INSTALL_TIMEOUT_MS = 600_000;
/** After SIGTERM, how long monit may take to stop before it is SIGKILLed. */
const STOP_TIMEOUT_MS = 10_000;

export type MonitBinary = { ok: true; path: string; version: string } | { ok: false; reason: string };

/** monit, installed with apt-get when it is missing and the bench runs as root; else why it cannot run. */
export async function ensureMonit(): Promise<MonitBinary> {
  if (!existsSync(MONIT)) {
    if (process.getuid?.() !== 0) return { ok: false, reason: `${MONIT} is missing; install it with \`sudo ${INSTALL.join(" ")}\`` };
    const result = await runCommand(INSTALL, { timeoutMs: INSTALL_TIMEOUT_MS, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.exitCode !== 0 || !existsSync(MONIT)) return { ok: false, reason: `\`${INSTALL.join(" ")}\` failed: ${result.summary}` };
  }
  const version = await runCommand([MONIT, "-V"], { timeoutMs: 10_000 });
  return { ok: true, path: MONIT, version: /Monit version (\S+)/.exec(version.stdout)?.[1] ?? "unknown" };
}

/** What monit watches for one service: its bot's pid file and its log. */
export interface MonitTarget {
  name: string;
  pidFile: string;
  log: string;
}

/** How monit ended: SIGTERM to its pid, SIGKILL when it lingered. */
export interface MonitStop {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  forced: boolean;
  tookMs: number;
}

/** A running monit, started in the foreground (`-I`) by the bench: its pid, and how to end it by that pid. */
export interface MonitPeer {
  pid: number;
  stop(): Promise<MonitStop>;
}

/**
 * The control file for `targets`: a 1 s cycle (`set daemon 1`), per service a process check by
 * pid file and a file timestamp check as old as `maxAge` allows (`log-fresh`'s max-age), state,
 * id, pid and log files in `dir`; no `set httpd`, so monit serves nothing.
 */
export function monitControlFile(dir: string, targets: readonly MonitTarget[], maxAgeMinutes: number): string {
  const lines = [
    "set daemon 1",
    `set logfile ${join(dir, "monit.log")}`,
    `set pidfile ${join(dir, "monit.pid")}`,
    `set idfile ${join(dir, "monit.id")}`,
    `set statefile ${join(dir, "monit.state")}`,
    ...targets.flatMap((target) => [
      `check process ${target.name} with pidfile ${target.pidFile}`,
      `check file ${target.name}-log with path ${target.log}`,
      `  if timestamp > ${maxAgeMinutes} minutes then alert`,
    ]),
  ];
  return `${lines.join("\n")}\n`;
}

/** Starts `monit -c FILE -I` in `dir` for `targets`; resolves once it says it started. */
export async function startMonit(binary: string, dir: string, targets: readonly MonitTarget[], maxAgeMinutes: number): Promise<MonitPeer> {
  mkdirSync(dir, { recursive: true });
  const control = join(dir, "monitrc");
  // monit refuses a control file others can read.
  writeFileSync(control, monitControlFile(dir, targets, maxAgeMinutes), { mode: 0o600 });
  const child = spawn(binary, ["-c", control, "-I"], { cwd: dir, stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const done = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const stop: MonitPeer["stop"] = async () => {
    const started = Date.now();
    let forced = false;
    if (!done()) {
      child.kill("SIGTERM");
      const ended = await Promise.race([exited.then(() => true), delay(STOP_TIMEOUT_MS).then(() => false)]);
      if (!ended && !done()) {
        forced = true;
        child.kill("SIGKILL");
      }
    }
    await exited;
    return { exitCode: child.exitCode, signal: child.signalCode, forced, tookMs: Date.now() - started };
  };
  const log = join(dir, "monit.log");
  const started = await waitFor(() => done() || (existsSync(log) && /Monit \S+ started/.test(readFileSync(log, "utf8"))), { timeoutMs: 30_000, intervalMs: 50 });
  if (!started || done()) {
    await stop();
    throw new Error(`monit did not start (exit ${child.exitCode}): ${existsSync(log) ? readFileSync(log, "utf8").slice(-1000) : "no log"}`);
  }
  return { pid: child.pid as number, stop };
}
