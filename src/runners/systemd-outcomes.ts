// What the systemd runner's calls gave, and how their outcomes say it: systemctl's result or the bus's.
import { formatDuration } from "../core/duration.js";
import type { Outcome } from "../core/outcome.js";
import type { CommandResult } from "../process/run-command.js";
import { SUDO_PREFIX } from "../core/unit-commands.js";
import type { BusFailure } from "../process/systemd-bus.js";
import type { UnitState } from "./systemd-unit-state.js";

const CAUSE_MAX_CHARS = 300;

/** A read of the unit's state through the bus that gave no state. */
export interface BusReadFailure {
  via: "dbus";
  bus: BusFailure;
}

/** Why a read of the unit's state failed: the systemctl call, or the bus read. */
export type ShowFailure = CommandResult | BusReadFailure;

/** What a call that changes the unit gave: systemctl's result, or the bus's (a start or stop job's end, null while it runs). */
export type ActResult = CommandResult | { ok: true; via: "dbus"; job: string | null } | (BusReadFailure & { ok: false });

/** What one read of the unit's state gave (`systemctl show` or the bus): the unit, or the failure. */
export type ShowAnswer = { unit: UnitState; via: "dbus" | "systemctl" } | { failure: ShowFailure };

/** Why a systemctl call or a bus read failed, as the end of a sentence: `systemctl did not answer within 10s`, `sudo -n systemctl failed with exit code 1`. */
export function reason(result: ShowFailure, timeoutMs: number): string {
  if ("via" in result) return busReason(result.bus, timeoutMs);
  const program = result.argv[0] === SUDO_PREFIX[0] ? [...SUDO_PREFIX, "systemctl"].join(" ") : "systemctl";
  if (result.timedOut) return `${program} did not answer within ${formatDuration(timeoutMs)}`;
  if (result.aborted) return "the call was cancelled";
  if (result.errorCode === "ENOENT") return `"${result.argv[0] ?? "systemctl"}" was not found`;
  if (result.errorCode !== null) return `${program} could not be run (${result.errorCode})`;
  if (result.signal !== null) return `${program} was killed by ${result.signal}`;
  if (result.exitCode === 0) return `${program} gave an answer without the unit's state`;
  return `${program} failed with exit code ${String(result.exitCode)}`;
}

export function busReason(failure: BusFailure, timeoutMs: number): string {
  if (failure.kind === "timeout") return `the system bus did not answer within ${formatDuration(timeoutMs)}`;
  if (failure.kind === "aborted") return "the call was cancelled";
  return "systemd answered its call over the system bus with an error";
}

/** systemctl's first stderr line says what went wrong; the later ones say where to look. The bus's error names itself. */
export function systemctlCause(result: ShowFailure | ActResult): string | undefined {
  if ("bus" in result) return result.bus.kind === "error" || answeredElsewhere(result.bus) ? result.bus.message.slice(0, CAUSE_MAX_CHARS) : undefined;
  if ("via" in result || result.ok) return undefined;
  const first = result.stderr.split("\n").map((line) => line.trim()).find((line) => line !== "");
  return first === undefined ? result.cause : first.slice(0, CAUSE_MAX_CHARS);
}

/** A bus call that systemctl answers instead: the bus is away, or refused this call for its limits. */
export const answeredElsewhere = (failure: BusFailure): boolean => failure.kind === "down" || failure.kind === "busy";

/** Whether a call that changes the unit ran out of time. */
export function timedOut(result: ActResult): boolean {
  if ("bus" in result) return result.bus.kind === "timeout";
  return "timedOut" in result && result.timedOut;
}

/** What a call that changes the unit gave, in a few words: systemctl's summary, or the bus's failure. */
export function summaryOf(result: ActResult, timeoutMs: number): string {
  if ("bus" in result) return busReason(result.bus, timeoutMs);
  return "summary" in result ? result.summary : "done";
}

export function failed(summary: string, result: ShowFailure, evidence: Record<string, unknown>, durationMs: number): Outcome {
  const cause = systemctlCause(result);
  const how = "via" in result ? { via: result.via } : { command: result.evidence.command };
  const timedOut = "via" in result ? result.bus.kind === "timeout" : result.timedOut;
  return { ok: false, summary, evidence: { ...evidence, ...how }, durationMs, timedOut, ...(cause === undefined ? {} : { cause }) };
}

export function causeOf(answer: ShowAnswer | null): { cause?: string } {
  const cause = answer !== null && "failure" in answer ? systemctlCause(answer.failure) : undefined;
  return cause === undefined ? {} : { cause };
}

export function mainPid(answer: ShowAnswer | null): number | null {
  return answer !== null && "unit" in answer ? answer.unit.mainPid : null;
}
