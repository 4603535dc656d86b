import type { ExecCheckConfig } from "../config/types.js";
import { formatDuration } from "../core/duration.js";
import { inheritedEnv } from "../process/inherited-env.js";
import { formatCommand, runCommand, type CommandResult } from "../process/run-command.js";
import type { Finding, Probe, ProbeFactory } from "./probe.js";

/** The last bytes of each output stream a failing finding keeps: where a program says what went wrong. */
const OUTPUT_KEPT_BYTES = 4 * 1024;
/** Words for the errors that stop a program from starting. */
const START_ERRORS: Readonly<Record<string, string>> = { ENOENT: "it was not found", EACCES: "it is not executable or its directory cannot be entered" };

/**
 * `exec`: runs the program (argv, never a shell) in its own process group with the environment
 * Lifeguard's children inherit, the service's `env:` and the check's `env` (which wins on a
 * clash), and passes when it exits with `exit-code`. On the
 * timeout its whole group is ended (SIGTERM, then SIGKILL): nothing it started is left behind.
 */
export const createExecProbe: ProbeFactory<ExecCheckConfig> = (config, deps) => {
  const name = formatCommand(config.command);
  const env = { ...deps.serviceEnv, ...config.env };
  let pid: number | null = null;
  const probe: Probe = async (signal) => {
    pid = null;
    const result = await runCommand(config.command, {
      timeoutMs: config.timeoutMs,
      signal,
      maxOutputBytes: OUTPUT_KEPT_BYTES,
      keepOutput: "tail",
      ...(config.cwd === null ? {} : { cwd: config.cwd }),
      env: { ...inheritedEnv(), ...env },
      onSpawn: (spawned) => void (pid = spawned),
    });
    return judge(config, name, result);
  };
  probe.explainTimeout = () => ({
    summary: `Command "${name}" did not finish within ${formatDuration(config.timeoutMs)}; it is ended with its process group`,
    evidence: { command: name, pid },
  });
  return probe;
};

function judge(config: ExecCheckConfig, name: string, result: CommandResult): Finding {
  const evidence = { command: name, exitCode: result.exitCode, expected: config.exitCode, durationMs: result.durationMs };
  if (result.errorCode !== null || (result.exitCode === null && result.signal === null && !result.timedOut)) {
    const code = result.errorCode ?? "unknown";
    const words = START_ERRORS[code] ?? result.cause ?? "it could not be started";
    const where = config.cwd !== null && code === "ENOENT" ? ` (or its working directory "${config.cwd}" does not exist)` : "";
    return { ok: false, summary: `Cannot start "${config.command[0] ?? ""}": ${words}${where} (${code})`, evidence: { ...evidence, error: code } };
  }
  if (result.timedOut) return { ok: false, summary: `Command "${name}" did not finish within ${formatDuration(config.timeoutMs)}`, evidence: { ...evidence, ...output(result) }, timedOut: true };
  if (result.exitCode === config.exitCode) return { ok: true, summary: `Command "${name}" exited with ${config.exitCode}`, evidence };
  const how = result.signal === null ? `exited with ${String(result.exitCode)} (expected ${config.exitCode})` : `was killed by ${result.signal}`;
  return { ok: false, summary: `Command "${name}" ${how}`, evidence: { ...evidence, signal: result.signal, ...output(result) }, ...(result.cause === undefined ? {} : { cause: result.cause }) };
}

/** The last 4 KiB of each stream that said anything. */
function output(result: CommandResult): Record<string, unknown> {
  return {
    ...(result.stdout === "" ? {} : { stdout: result.stdout }),
    ...(result.stderr === "" ? {} : { stderr: result.stderr }),
    ...(result.truncated ? { outputCut: true } : {}),
  };
}
