import { spawn } from "node:child_process";

/** A running decoy: `stop()` SIGKILLs its whole process group (by PID) and waits for it. */
export interface SpawnedDecoy {
  stop(): Promise<void>;
}

/**
 * Starts `argv` in a process group of its own, outside every runner, with the log bot's pid
 * file in `LOG_BOT_PID_FILE`: the process a pattern kill (`pkill -f "python.*main.py"`) would
 * also hit. A prefix such as nsenter shares the group, so one kill ends both.
 */
export function spawnDecoy(argv: string[], pidFile: string): SpawnedDecoy {
  const [program, ...args] = argv;
  const child = spawn(program as string, args, { detached: true, stdio: "ignore", env: { ...process.env, LOG_BOT_PID_FILE: pidFile } });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    stop: async () => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid, "SIGKILL");
      await exited;
    },
  };
}
