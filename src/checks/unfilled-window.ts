import type { LogActivityCheckConfig } from "../config/types.js";
import type { Finding } from "./probe.js";
import type { LogWindow } from "./read-log-window.js";

/**
 * A window that starts at a rotation it cannot read past (the rotated file is compressed) and
 * holds fewer than `lines` lines is not yet judged for lack of matches: the lines before the
 * rotation are unknown, not missing. It passes with a summary saying so, until the new file
 * holds `lines` lines: a bot that writes only other lines is caught then, as it would be by a
 * log never rotated. Undefined when the window is judged as usual.
 */
export function describeUnfilledWindow(config: LogActivityCheckConfig, window: LogWindow, matches: number): Omit<Finding, "evidence"> | undefined {
  const rotated = window.rotated;
  if (rotated === undefined || !("unread" in rotated) || window.lines.length >= config.lines) return undefined;
  return {
    ok: true,
    summary: `Too few lines since the log was rotated to judge activity: ${window.lines.length} of ${config.lines}, ${matches} matching ${config.match} (the rotated file "${rotated.path}" is ${rotated.unread})`,
  };
}
