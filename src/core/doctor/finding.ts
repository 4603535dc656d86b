import { EXIT } from "../errors.js";

/** How a finding of `lifeguard doctor` stands: `fail` stops Lifeguard from protecting a service, `warn` weakens it. */
export type FindingLevel = "ok" | "warn" | "fail";

/** One line of `lifeguard doctor`: what was looked at, what was found, and the command that fixes it. */
export interface Finding {
  level: FindingLevel;
  /** What was looked at: `config`, `log`, `unit`, `rights`, `state`, `watcher`, `clock`... */
  topic: string;
  /** What was found, one sentence (a config's issues may add lines). */
  message: string;
  /** The command that fixes it, to be run exactly as printed; only on `warn` and `fail`. */
  fix?: string;
}

export const ok = (topic: string, message: string): Finding => ({ level: "ok", topic, message });

export function warn(topic: string, message: string, fix?: string): Finding {
  return fix === undefined ? { level: "warn", topic, message } : { level: "warn", topic, message, fix };
}

export function fail(topic: string, message: string, fix?: string): Finding {
  return fix === undefined ? { level: "fail", topic, message } : { level: "fail", topic, message, fix };
}

/** `doctor`'s exit code: 0 when nothing stops Lifeguard from protecting a service (warnings allowed), else 1. */
export function doctorExitCode(findings: readonly Finding[]): number {
  return findings.some((finding) => finding.level === "fail") ? EXIT.failed : EXIT.healthy;
}
