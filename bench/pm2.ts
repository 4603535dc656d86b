// PM2 beside Lifeguard in the same window: its God daemon supervising one sleeping bot. PM2 is
// installed for the bench only, pinned, into bench/.peers/ (git-ignored), on first use.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readProcStat } from "../src/process/proc-stat.js";
import { runCommand } from "../src/process/run-command.js";
import { waitFor } from "../src/testing/wait-for.js";

/** The version issue 3's figures came from; it supports Node >= 18 (its `engines`). */
export const PM2_VERSION = "7.0.4";
const PEERS = join(import.meta.dirname, ".peers");
const INSTALL_TIMEOUT_MS = 300_000;
const PM2_COMMAND_TIMEOUT_MS = 60_000;
/** After `pm2 kill` returns, how long its daemon may take to be gone before it is SIGKILLed. */
const GONE_TIMEOUT_MS = 10_000;

export type Pm2Cli = { ok: true; cli: string } | { ok: false; reason: string };

/** The pm2 CLI's script, installed into bench/.peers/pm2-VERSION when it is not there yet. */
export async function ensurePm2(): Promise<Pm2Cli> {
  const dir = join(PEERS, `pm2-${PM2_VERSION}`);
  const cli = join(dir, "node_modules", "pm2", "bin", "pm2");
  if (existsSync(cli)) return { ok: true, cli };
  mkdirSync(PEERS, { recursive: true });
  // Installed aside and renamed when complete: an interrupted install is never taken for one.
  const scratch = mkdtempSync(join(PEERS, "installing-"));
  try {
    // --ignore-scripts: nothing runs at install time (PM2 needs no build step, and no binary is fetched).
    const argv = ["npm", "install", "--prefix", scratch, "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", `pm2@${PM2_VERSION}`];
    const result = await runCommand(argv, { timeoutMs: INSTALL_TIMEOUT_MS });
    if (result.exitCode !== 0) return { ok: false, reason: `\`${argv.slice(0, 2).join(" ")} pm2@${PM2_VERSION}\` failed: ${result.summary}${result.stderr === "" ? "" : `: ${result.stderr.trim().split("\n").at(-1)}`}` };
    renameSync(scratch, dir);
    return { ok: true, cli };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** PM2's daemon, started and supervising the bot. */
export interface Pm2Daemon {
  pid: number;
  botPid: number;
}

/** How PM2 was ended: `pm2 kill`'s exit code, and what had to be SIGKILLed by PID after it. */
export interface Pm2Stop {
  killExitCode: number | null;
  tookMs: number;
  leftovers: number[];
}

/**
 * Starts PM2's daemon, in a PM2_HOME of its own under os.tmpdir(), supervising `bot` (a program
 * and its arguments, run as is: `--interpreter none`), with `options` added to `pm2 start`. `stop`
 * works at any stage, even when `ready` failed: `pm2 kill` with that PM2_HOME, then SIGKILL by PID
 * to whatever is left, the bots `remember` was told of included.
 */
export function launchPm2(cli: string, bot: string[], options: readonly string[] = []): { ready: Promise<Pm2Daemon>; remember(pid: number): void; stop(): Promise<Pm2Stop> } {
  const home = mkdtempSync(join(tmpdir(), "lifeguard-bench-pm2-"));
  // `touch` marks a PM2_HOME as used before: no first-run banner, and no version check sent out.
  writeFileSync(join(home, "touch"), "");
  const env = { ...process.env, PM2_HOME: home, PM2_DISABLE_VERSION_CHECK: "true" };
  const pm2 = (args: string[]) => runCommand([process.execPath, cli, ...args], { env, timeoutMs: PM2_COMMAND_TIMEOUT_MS });
  const seen = new Map<number, number>();
  const remember = (pid: number | null): void => {
    const stat = pid === null ? null : readProcStat(pid);
    if (stat !== null) seen.set(stat.pid, stat.startTime);
  };
  const daemonPid = (): number | null => readPid(join(home, "pm2.pid"));
  const botPid = (): number | null => readPid(join(home, "pids", "bot-0.pid"));
  const ready = (async (): Promise<Pm2Daemon> => {
    const [program, ...args] = bot;
    const started = await pm2(["start", program as string, "--name", "bot", "--interpreter", "none", ...options, "--", ...args]);
    remember(daemonPid());
    if (started.exitCode !== 0) throw new Error(`pm2 start failed: ${started.summary}: ${started.stderr}`);
    if (!(await waitFor(() => isAlive(daemonPid(), seen) && botPid() !== null, { timeoutMs: 30_000 }))) throw new Error(`PM2's daemon or its bot did not start (PM2_HOME ${home})`);
    remember(botPid());
    const pid = daemonPid() as number;
    if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("God Daemon")) throw new Error(`pid ${pid} in ${home}/pm2.pid is not PM2's God daemon`);
    return { pid, botPid: botPid() as number };
  })();
  const stop = async (): Promise<Pm2Stop> => {
    const started = Date.now();
    [daemonPid(), botPid()].forEach(remember);
    const killed = await pm2(["kill"]);
    await waitFor(() => [...seen.keys()].every((pid) => !isAlive(pid, seen)), { timeoutMs: GONE_TIMEOUT_MS });
    const leftovers = [...seen.keys()].filter((pid) => isAlive(pid, seen));
    for (const pid of leftovers) process.kill(pid, "SIGKILL");
    rmSync(home, { recursive: true, force: true });
    return { killExitCode: killed.exitCode, tookMs: Date.now() - started, leftovers };
  };
  return { ready, remember, stop };
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The same process as first seen (pid and start time), and not a zombie. */
function isAlive(pid: number | null, seen: Map<number, number>): boolean {
  const stat = pid === null ? null : readProcStat(pid);
  return stat !== null && stat.state !== "Z" && (seen.get(stat.pid) ?? stat.startTime) === stat.startTime;
}

/** One line on how PM2 was ended, for the findings. */
export function pm2StopFinding(stop: Pm2Stop): string {
  const left = stop.leftovers.length === 0 ? "nothing left behind" : `SIGKILLed by PID what was left: ${stop.leftovers.join(", ")}`;
  return `PM2 ended with \`pm2 kill\` (exit ${stop.killExitCode ?? "none"}) in ${stop.tookMs} ms; ${left} (its daemon and bot checked by pid and start time).`;
}
