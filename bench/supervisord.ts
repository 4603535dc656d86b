// supervisord beside Lifeguard in the same window: Debian's `supervisor` package, installed with
// apt-get by the bench when missing and it runs as root; else the peer is reported absent.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { readProcStat } from "../src/process/proc-stat.js";
import { runCommand } from "../src/process/run-command.js";

const SUPERVISORD = "/usr/bin/supervisord";
/** What a reader runs to have the peer; the bench runs the same, as root. */
export const SUPERVISORD_INSTALL = ["apt-get", "install", "-y", "--no-install-recommends", "supervisor"];
const INSTALL_TIMEOUT_MS = 300_000;
/** After SIGTERM, how long supervisord may take to stop its program and exit before both are SIGKILLed by PID. */
const STOP_TIMEOUT_MS = 10_000;

export type SupervisordProgram = { ok: true; program: string; version: string } | { ok: false; reason: string };

/** supervisord, installed from Debian's `supervisor` package when it is missing and the bench runs as root. */
export async function ensureSupervisord(): Promise<SupervisordProgram> {
  if (!existsSync(SUPERVISORD)) {
    const how = `\`${SUPERVISORD_INSTALL.slice(0, 2).join(" ")} supervisor\` as root`;
    if (process.getuid?.() !== 0) return { ok: false, reason: `supervisord is not installed and the bench does not run as root (install it with ${how})` };
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    // A package list that is out of date names a file the archive no longer has: read it anew once.
    let installed = await runCommand(SUPERVISORD_INSTALL, { env, timeoutMs: INSTALL_TIMEOUT_MS });
    if (installed.exitCode !== 0) {
      await runCommand(["apt-get", "update"], { env, timeoutMs: INSTALL_TIMEOUT_MS });
      installed = await runCommand(SUPERVISORD_INSTALL, { env, timeoutMs: INSTALL_TIMEOUT_MS });
    }
    if (installed.exitCode !== 0 || !existsSync(SUPERVISORD)) return { ok: false, reason: `${how} failed: ${installed.summary}: ${installed.stderr.trim().split("\n").at(-1) ?? ""}` };
  }
  const version = await runCommand([SUPERVISORD, "--version"], { timeoutMs: 30_000 });
  return { ok: true, program: SUPERVISORD, version: version.stdout.trim() || "unknown" };
}

/** How supervisord was ended: its exit, and what had to be SIGKILLed by PID after it. */
export interface SupervisordStop {
  exitCode: number | null;
  tookMs: number;
  leftovers: number[];
}

/**
 * Starts supervisord in the foreground (`-n`), with a configuration and logs of its own under
 * os.tmpdir(), running `bot` (a program and its arguments) as its one program: restarted whatever
 * its exit (`autorestart=true`), RUNNING from its spawn (`startsecs=0`: a kill soon after a start
 * is a crash to answer, not a failed start to back off from). `stop` works at any stage: SIGTERM
 * (supervisord stops its program), then SIGKILL by PID to whatever `remember` was told of.
 */
export function launchSupervisord(program: string, bot: string[]): { ready: Promise<number>; remember(pid: number): void; stop(): Promise<SupervisordStop> } {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-bench-supervisord-"));
  const config = join(dir, "supervisord.conf");
  writeFileSync(config, renderConfig(dir, bot));
  // Not detached: a Ctrl-C of the bench reaches it too, and it stops its program.
  const child: ChildProcess = spawn(program, ["-n", "-c", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const seen = new Map<number, number>();
  const remember = (pid: number): void => {
    const stat = readProcStat(pid);
    if (stat !== null) seen.set(pid, stat.startTime);
  };
  if (child.pid !== undefined) remember(child.pid);
  const ready = (async (): Promise<number> => {
    if (child.pid === undefined) throw new Error(`supervisord did not start: ${await new Promise((resolve) => child.once("error", resolve))}`);
    return child.pid;
  })();
  const stop = async (): Promise<SupervisordStop> => {
    const started = Date.now();
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await Promise.race([exited, delay(STOP_TIMEOUT_MS)]);
    const leftovers = [...seen].filter(([pid, startTime]) => isAlive(pid, startTime)).map(([pid]) => pid);
    for (const pid of leftovers) process.kill(pid, "SIGKILL");
    await exited;
    rmSync(dir, { recursive: true, force: true });
    if (child.exitCode !== 0 && stderr !== "") process.stderr.write(`supervisord said: ${stderr}\n`);
    return { exitCode: child.exitCode, tookMs: Date.now() - started, leftovers };
  };
  return { ready, remember, stop };
}

function renderConfig(dir: string, bot: string[]): string {
  return [
    "[supervisord]",
    `logfile=${join(dir, "supervisord.log")}`,
    `pidfile=${join(dir, "supervisord.pid")}`,
    `childlogdir=${dir}`,
    "",
    "[program:bot]",
    `command=${bot.map(quoteArgument).join(" ")}`,
    "autorestart=true",
    "startsecs=0",
    `stdout_logfile=${join(dir, "bot.out")}`,
    "redirect_stderr=true",
    "",
  ].join("\n");
}

/** One argument of `command=`, which supervisord splits as a POSIX shell would (shlex) after expanding `%(name)s`. */
function quoteArgument(argument: string): string {
  const escaped = argument.replaceAll("%", "%%");
  return /^[\w./=-]+$/.test(escaped) ? escaped : `'${escaped.replaceAll("'", "'\"'\"'")}'`;
}

/** The same process as remembered (pid and start time), and not a zombie. */
function isAlive(pid: number, startTime: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.state !== "Z" && stat.startTime === startTime;
}

/** One line on how supervisord was ended, for the findings. */
export function supervisordStopFinding(stop: SupervisordStop): string {
  const left = stop.leftovers.length === 0 ? "nothing left behind" : `SIGKILLed by PID what was left: ${stop.leftovers.join(", ")}`;
  return `supervisord ended on SIGTERM (exit ${stop.exitCode ?? "none"}) in ${stop.tookMs} ms; ${left} (it and each of its bots checked by pid and start time).`;
}

