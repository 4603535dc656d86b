import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { heartbeatBotArgv, type BotPids } from "../../src/testing/bots.js";
import { readProcStat } from "../../src/process/proc-stat.js";
import { BIN, REPO } from "./lab.js";

/** A `lifeguard run` started by a test, with the files it works in. */
export interface DaemonUnderTest {
  dir: string;
  pid: number;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** The watchdog log so far. */
  log(): string;
  /** How often `pattern` occurs in the watchdog log. */
  count(pattern: RegExp): number;
  /** Writes the config file again (then SIGHUP reloads it). */
  writeConfig(config: Record<string, unknown>): void;
}

/** Where a test's daemon keeps its things: a temp dir, the store, the watchdog log and the config. */
export interface DaemonFiles {
  dir: string;
  state: string;
  watchdogLog: string;
}

type TestContext = { after(fn: () => void | Promise<void>): void };

/** A temp dir for a daemon under test; `startDaemon` removes it after the test. */
export function daemonFiles(prefix: string): DaemonFiles {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, state: join(dir, "state"), watchdogLog: join(dir, "watchdog.log") };
}

/** A config in the daemon's files (store, watchdog log, HTTP on a free loopback port) with `rest` on top. */
export function daemonConfig(files: DaemonFiles, rest: Record<string, unknown>): Record<string, unknown> {
  return { state: files.state, log: { file: files.watchdogLog }, http: { listen: "127.0.0.1:0" }, ...rest };
}

/** A log bot's log and pid file in the daemon's dir, and its tracker for cleanup. */
export function botFiles(files: DaemonFiles): { log: string; pidFile: string; bot: BotTracker } {
  const pidFile = join(files.dir, "bot.pid");
  return { log: join(files.dir, "bot.log"), pidFile, bot: trackBot(pidFile) };
}

/**
 * A service whose heartbeat bot pings every 250 ms and is restarted at once (threshold 1, no
 * grace, no backoff) when 2 s pass without a ping; its 30s interval shows that a restart came
 * from the heartbeat's due time, not a timer.
 */
export function pingingBotService(pidFile: string, output: string): Record<string, unknown> {
  return {
    command: heartbeatBotArgv({ everyMs: 250, pidFile }),
    output: { file: output },
    interval: "30s",
    checks: [{ heartbeat: { "max-age": "2s" } }],
    "failure-threshold": 1,
    "startup-grace": "0s",
    restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "5s", limit: { max: 10, per: "1h" }, backoff: { initial: "0s", max: "0s" } },
  };
}

/**
 * A supervised command that writes its pid as the log bot does (so `botFiles`' tracker finds it)
 * and sleeps; with `failOnceMarker`, its first run exits 1 after a second: one incident, one
 * restart, one recovery. `$$$$` because the config turns `$$` into `$`: the shell sees `$$`.
 */
export function sleeperCommand(pidFile: string, failOnceMarker?: string): string[] {
  const failOnce = failOnceMarker === undefined ? "" : `if [ ! -e ${failOnceMarker} ]; then touch ${failOnceMarker}; sleep 1; exit 1; fi; `;
  return ["/bin/sh", "-c", `${failOnce}printf '{"pid": %s, "child": null}' $$$$ > ${pidFile}; exec /bin/sleep 100000`];
}

/**
 * Starts `lifeguard run -c <dir>/lifeguard.yaml` in its own process group. After the test,
 * whatever happened, in this order: a daemon still running is killed with its group (so it
 * starts no bot), then every bot process seen that still runs, then the directory goes.
 */
export function startDaemon(t: TestContext, files: DaemonFiles, config: Record<string, unknown>, bots: readonly BotTracker[] = [], env: NodeJS.ProcessEnv = process.env): DaemonUnderTest {
  const configFile = join(files.dir, "lifeguard.yaml");
  const writeConfig = (next: Record<string, unknown>): void => writeFileSync(configFile, stringify(next));
  writeConfig(config);
  const child = spawn(process.execPath, [BIN, "run", "-c", configFile], { cwd: REPO, detached: true, stdio: "ignore", env });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), "SIGKILL");
    for (const bot of bots) bot.killSurvivors();
    rmSync(files.dir, { recursive: true, force: true });
  });
  const log = (): string => (existsSync(files.watchdogLog) ? readFileSync(files.watchdogLog, "utf8") : "");
  return {
    dir: files.dir, pid: child.pid as number, exited, log, writeConfig,
    count: (pattern) => log().match(new RegExp(pattern.source, "g"))?.length ?? 0,
  };
}

/** The daemon's HTTP base URL, from its "status at" line; undefined before it is logged. */
export function statusUrl(log: string): string | undefined {
  return /status at (http:\/\/127\.0\.0\.1:\d+)\/api\/status/.exec(log)?.[1];
}

export type BotTracker = ReturnType<typeof trackBot>;

/**
 * Follows the processes a bot's pid file names (the bot and its child), remembering each by pid
 * and start time, so that cleanup kills only those, by pid, never by name.
 */
export function trackBot(pidFile: string) {
  const seen = new Map<number, number>();
  const alive = (pid: number, startTime: number): boolean => {
    const stat = readProcStat(pid);
    return stat !== null && stat.startTime === startTime && stat.state !== "Z";
  };
  const read = (): BotPids | null => {
    if (!existsSync(pidFile)) return null;
    try {
      return JSON.parse(readFileSync(pidFile, "utf8")) as BotPids;
    } catch {
      return null; // Read while the bot was writing it: not there yet.
    }
  };
  const remember = (pid: number | null): number | null => {
    const stat = pid === null ? null : readProcStat(pid);
    if (pid === null || stat === null || stat.state === "Z") return null;
    seen.set(pid, stat.startTime);
    return pid;
  };
  return {
    seen,
    /** The running bot's pid (and its child's, remembered too), or null when none runs. */
    current(): number | null {
      const pids = read();
      if (pids === null) return null;
      remember(pids.child);
      return remember(pids.pid);
    },
    /** Every process seen that still runs: empty once nothing outlived the daemon. */
    survivors(): Array<[number, number]> {
      return [...seen].filter(([pid, startTime]) => alive(pid, startTime));
    },
    /** Kills what still runs of every process seen, the one the pid file names now included. */
    killSurvivors(): void {
      this.current();
      for (const [pid] of this.survivors()) process.kill(pid, "SIGKILL");
    },
  };
}
