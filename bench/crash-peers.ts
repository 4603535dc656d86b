// The restarters the crash bench runs side by side, each supervising a tick bot of its own:
// Lifeguard (started by the bench's daemon lab), PM2 and supervisord (started here when present).
import { join } from "node:path";
import type { Cleanups } from "./cleanups.js";
import { ensurePm2, launchPm2, PM2_VERSION, pm2StopFinding } from "./pm2.js";
import { ensureSupervisord, launchSupervisord, supervisordStopFinding } from "./supervisord.js";
import { followBotLog, tickBotArgv, type BotLog } from "./tick-bot.js";

/** PM2's restart limit for the trials, as Lifeguard's (TRIAL_RESTART): never reached. */
const PEER_MAX_RESTARTS = 1000;

/** One restarter of a tick bot. */
export interface CrashPeer {
  /** The row's label, e.g. `PM2 7.0.4`. */
  name: string;
  /** How it was set up, for the method. */
  setup: string;
  bot: BotLog;
  /** Remembers a bot process, so that the cleanup can end it by PID if it outlives its supervisor. */
  remember(pid: number): void;
  /** Resolves once the restarter is done with the restart that followed a kill at `killAt` (wall ms). */
  afterRestart(killAt: number): Promise<void>;
}

/** A peer that ran, or why it could not. */
export type PeerStart = { peer: CrashPeer } | { name: string; absent: string };

/** Starts PM2 and supervisord, each with a tick bot logging into `dir`; `cleanups` stops them and says how in `ended`. */
export async function startPeers(dir: string, everyMs: number, cleanups: Cleanups, ended: string[]): Promise<PeerStart[]> {
  return [await startPm2(dir, everyMs, cleanups, ended), await startSupervisord(dir, everyMs, cleanups, ended)];
}

async function startPm2(dir: string, everyMs: number, cleanups: Cleanups, ended: string[]): Promise<PeerStart> {
  const name = `PM2 ${PM2_VERSION}`;
  const cli = await ensurePm2();
  if (!cli.ok) return { name, absent: cli.reason };
  const log = join(dir, "pm2-bot.log");
  const options = ["--max-restarts", String(PEER_MAX_RESTARTS)];
  const pm2 = launchPm2(cli.cli, tickBotArgv(log, everyMs, join(dir, "pm2-bot.pid")), options);
  cleanups.defer(async () => void ended.push(pm2StopFinding(await pm2.stop())));
  await pm2.ready;
  const setup = `\`pm2 start python3 --name bot --interpreter none ${options.join(" ")} -- tick-bot.py …\` (fork mode, PM2's own defaults otherwise: no restart delay; \`--max-restarts\` as Lifeguard's limit, so that its "unstable restarts" stop never comes), in a PM2_HOME of its own`;
  return { peer: { name, setup, bot: followBotLog(log), remember: pm2.remember, afterRestart: async () => undefined } };
}

async function startSupervisord(dir: string, everyMs: number, cleanups: Cleanups, ended: string[]): Promise<PeerStart> {
  const found = await ensureSupervisord();
  if (!found.ok) return { name: "supervisord", absent: found.reason };
  const log = join(dir, "supervisord-bot.log");
  const supervisord = launchSupervisord(found.program, tickBotArgv(log, everyMs, join(dir, "supervisord-bot.pid")));
  cleanups.defer(async () => void ended.push(supervisordStopFinding(await supervisord.stop())));
  await supervisord.ready;
  const setup = "`supervisord -n -c CONF` (Debian's `supervisor` package), the bot as its one `[program:bot]` with `autorestart=true` and `startsecs=0` (RUNNING from its spawn, so a kill is a crash to restart, not a failed start to back off from), defaults otherwise";
  return { peer: { name: `supervisord ${found.version}`, setup, bot: followBotLog(log), remember: supervisord.remember, afterRestart: async () => undefined } };
}
