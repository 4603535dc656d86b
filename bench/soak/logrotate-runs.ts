import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "../../src/process/run-command.js";
import { LOGROTATE } from "../../src/testing/logrotate.js";

const LOGROTATE_TIMEOUT_MS = 10_000;

/** What the soak's logrotate runs did. */
export interface LogrotateTally {
  /** Runs that exited 0: each rotated every file of its config (`-f`). */
  ok: number;
  failed: number;
  /** Wall times (ms) at which the successful runs began: the logs were rotated within a few ms of each. */
  times: number[];
  /** The first failure's output, for the report. */
  firstError: string | null;
}

/** Debian's logrotate on the soak's logs: one config, one state file in the soak's directory. */
export interface LogrotateRunner {
  /** Rotates every log once (`logrotate -f`); never throws, the outcome is tallied. */
  rotate(signal: AbortSignal): Promise<void>;
  tally(): LogrotateTally;
}

/** `logs` maps each log file to its mode: `create` (rename, new empty file) or `copytruncate`. */
export function createLogrotateRunner(dir: string, logs: ReadonlyArray<{ path: string; mode: "create" | "copytruncate" }>): LogrotateRunner {
  const program = LOGROTATE;
  if (program === undefined) throw new Error("Cannot run the soak as logrotate is not installed: install the Debian package `logrotate`");
  const config = join(dir, "logrotate.conf");
  const state = join(dir, "logrotate.state");
  writeFileSync(config, logs.map(({ path, mode }) => `${path} {\n  ${mode}\n  rotate 3\n  missingok\n}\n`).join(""), { mode: 0o644 });
  const tally: LogrotateTally = { ok: 0, failed: 0, times: [], firstError: null };
  return {
    async rotate(signal) {
      const began = Date.now();
      const result = await runCommand([program, "-f", "-s", state, config], { timeoutMs: LOGROTATE_TIMEOUT_MS, signal });
      if (result.aborted) return;
      if (result.exitCode === 0) {
        tally.ok += 1;
        tally.times.push(began);
      } else {
        tally.failed += 1;
        tally.firstError ??= `exit ${result.exitCode ?? result.signal}: ${(result.stderr || result.stdout).trim().slice(0, 300)}`;
      }
    },
    tally: () => ({ ...tally, times: [...tally.times] }),
  };
}
