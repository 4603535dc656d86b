import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand, type CommandResult } from "../../src/process/run-command.js";
import { waitFor } from "../../src/testing/wait-for.js";
import { trackBot, type BotTracker } from "./daemon.js";
import { BIN } from "./lab.js";

type TestContext = { after(fn: () => void | Promise<void>): void };

const WAIT = { timeoutMs: 90_000, intervalMs: 100 };

/** A quick-mode Lifeguard started by a test: its log (stdout and stderr), and its end. */
export interface QuickDaemon {
  pid: number;
  exited: Promise<number | null>;
  log(): string;
  /** Waits for the log to match; the match, or null when it did not come in time. */
  waitForLog(pattern: RegExp): Promise<RegExpExecArray | null>;
  /** SIGTERM to Lifeguard's own PID; resolves to its exit code. */
  stop(): Promise<number | null>;
}

/**
 * A directory for quick-mode tests: `app/` to start Lifeguard in, `elsewhere/` to run advice
 * from, `bin/lifeguard` (a shim for bin/lifeguard.js, so that advice runs exactly as printed, by
 * a shell), a state root, and the bot's pid file. Every process is ended by PID after the test.
 */
export function quickLab(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-quick-lab-"));
  const app = join(dir, "app");
  const elsewhere = join(dir, "elsewhere");
  const bin = join(dir, "bin");
  for (const sub of [app, elsewhere, bin]) mkdirSync(sub);
  writeFileSync(join(bin, "lifeguard"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, "lifeguard"), 0o755);
  const pidFile = join(dir, "bot.pid");
  const bot: BotTracker = trackBot(pidFile);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` };
  for (const name of ["LIFEGUARD_TOKEN", "LIFEGUARD_STATE", "NOTIFY_SOCKET", "XDG_STATE_HOME"]) delete env[name];
  const daemons: Array<{ pid: number; running: () => boolean }> = [];
  t.after(() => {
    for (const daemon of daemons) if (daemon.running()) process.kill(-daemon.pid, "SIGKILL");
    bot.killSurvivors();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `lifeguard run ARGS` in `app/`, in its own process group. */
  const start = (args: string[]): QuickDaemon => {
    const child = spawn(process.execPath, [BIN, "run", ...args], { cwd: app, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    daemons.push({ pid: child.pid as number, running: () => child.exitCode === null && child.signalCode === null });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return {
      pid: child.pid as number,
      exited,
      log: () => output,
      waitForLog: async (pattern) => {
        let match: RegExpExecArray | null = null;
        await waitFor(() => (bot.current(), (match = pattern.exec(output)) !== null), WAIT);
        return match;
      },
      stop: async () => {
        process.kill(child.pid as number, "SIGTERM");
        return exited;
      },
    };
  };

  /** Runs a command line through a shell, as a user pastes it, from `elsewhere/` with the lab's PATH. */
  const shell = (line: string): Promise<CommandResult> => runCommand(["/bin/sh", "-c", line], { timeoutMs: 60_000, cwd: elsewhere, env });

  return { dir, app, elsewhere, root: join(dir, "state"), pidFile, bot, start, shell };
}

/** A bot that writes its pid as the log bot does, then crashes while `app/broken` exists, else says `ready` and sleeps. */
export function brittleBot(pidFile: string): string[] {
  return ["/bin/sh", "-c", `printf '{"pid": %s, "child": null}' $$ > ${pidFile}; if [ -e broken ]; then echo "Cannot connect"; exit 1; fi; echo ready; exec /bin/sleep 100000`];
}
