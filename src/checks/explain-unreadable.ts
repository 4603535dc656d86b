import type { UnreadableAction } from "../config/types.js";
import { describeReadFix } from "./describe-read-fix.js";
import type { Probe } from "./probe.js";

/**
 * Wraps the probe of a check that reads a file: a finding that could not look (the file cannot
 * be read, see log-file-error.ts) gets the command that fixes it as its hint; with
 * `on-unreadable: restart` it is an ordinary failure again, the hint kept for the alert.
 */
export function explainUnreadable(probe: Probe, action: UnreadableAction = "alert"): Probe {
  const wrapped: Probe = async (signal) => {
    const finding = await probe(signal);
    if (finding.unobservable !== true) return finding;
    const { path, code } = finding.evidence;
    const hint = typeof path === "string" ? await describeReadFix(path, typeof code === "string" ? code : undefined) : undefined;
    const { unobservable: _unobservable, ...failure } = finding;
    const explained = hint === undefined ? failure : { ...failure, hint };
    return action === "restart" ? explained : { ...explained, unobservable: true };
  };
  if (probe.markStart !== undefined) wrapped.markStart = probe.markStart;
  if (probe.follow !== undefined) wrapped.follow = probe.follow;
  if (probe.explainTimeout !== undefined) wrapped.explainTimeout = probe.explainTimeout;
  return wrapped;
}
