import { formatDuration } from "../../core/duration.js";
import type { ExecChannelConfig } from "../../config/types.js";
import { inheritedEnv } from "../../process/inherited-env.js";
import { runCommand, type CommandResult } from "../../process/run-command.js";
import type { SendFinding, SenderFactory } from "../channel.js";
import { execInput, execVariables } from "./exec-input.js";

/** sysexits(3)'s EX_TEMPFAIL: the one code of its range that asks for a retry. */
const EX_TEMPFAIL = 75;

/**
 * Exit codes that mean "do not try again", as Postfix's pipe(8) reads them: sysexits(3)'s
 * 64..78 except 75 (EX_TEMPFAIL), and a shell's 126 (cannot execute) and 127 (not found).
 * Any other nonzero code is retried.
 */
export function isPermanentExit(code: number): boolean {
  return (code >= 64 && code <= 78 && code !== EX_TEMPFAIL) || code === 126 || code === 127;
}

/**
 * Runs the configured program once per delivery (a digest: once for all its alerts), never
 * through a shell, in its own process group, with the alert in `LIFEGUARD_ALERT_*` variables and
 * as JSON on stdin (exec-input.ts). It inherits Lifeguard's environment without Lifeguard's own
 * secrets, plus the config's `env`. Exit 0 is delivered; the program is killed as a group at
 * the channel's timeout or when `signal` aborts.
 */
export const createExecSender: SenderFactory<ExecChannelConfig> = (config) => async (alerts, signal) => {
  const env = { ...inheritedEnv(), ...config.env, ...execVariables(alerts) };
  const input = `${JSON.stringify(execInput(alerts))}\n`;
  const result = await runCommand(config.command, { timeoutMs: config.timeoutMs, signal, env, input });
  return findingOf(result, config.command[0] ?? "", alerts.length, config.timeoutMs);
};

/** The finding, by precedence: could not start, cancelled, timed out, killed, failed, delivered. */
function findingOf(result: CommandResult, program: string, count: number, timeoutMs: number): SendFinding {
  const name = `"${program}"`;
  const evidence = { program, exitCode: result.exitCode, signal: result.signal };
  const cause = result.cause === undefined ? {} : { cause: result.cause };
  if (result.ok) return { ok: true, summary: `Sent ${count === 1 ? "1 alert" : `${count} alerts`} through ${name}`, evidence };
  if (result.errorCode !== null) {
    const why = result.errorCode === "ENOENT" ? "it was not found" : result.errorCode === "EACCES" ? "it is not executable" : `it could not start (${result.errorCode})`;
    const permanent = result.errorCode === "ENOENT" || result.errorCode === "EACCES";
    return { ok: false, summary: `Cannot run alert program ${name} as ${why}`, evidence, ...cause, ...(permanent ? { permanent } : {}) };
  }
  if (result.aborted) return { ok: false, summary: `Stopped alert program ${name} as the attempt was cancelled`, evidence };
  if (result.timedOut) return { ok: false, summary: `Cannot send through ${name} as it did not finish within ${formatDuration(timeoutMs)} (timed out)`, evidence, ...cause };
  const exit = result.exitCode;
  const how = exit === null ? `it was killed by ${result.signal ?? "a signal"}` : `it exited with code ${exit}`;
  const stderr = result.cause === undefined ? "" : `: ${result.cause}`;
  const permanent = exit !== null && isPermanentExit(exit);
  return { ok: false, summary: `Cannot send through ${name} as ${how}${stderr}`, evidence, ...cause, ...(permanent ? { permanent } : {}) };
}
