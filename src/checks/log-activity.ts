import type { LogActivityCheckConfig } from "../config/types.js";
import { compileTimestampFormat } from "../process/line-timestamp.js";
import { describeLogFileError } from "./log-file-error.js";
import { createJournalActivityProbe } from "./journal-activity.js";
import { createTrackedWindowProbe } from "./log-activity-tracked.js";
import type { OnFile } from "./log-source.js";
import { observeTimestampedWindow } from "./log-activity-within.js";
import { compileLinePattern, matchLines, RECENT_MATCHES_KEPT } from "./match-lines.js";
import type { Finding, Probe, ProbeFactory } from "./probe.js";
import { shortenLine } from "./shorten-line.js";
import { readLogWindow, type LogWindow } from "./read-log-window.js";
import { describeUnfilledWindow } from "./unfilled-window.js";

/**
 * `log-activity`: at least `min` of the last `lines` lines match `match` (the seed's
 * `tail -n 100 | grep -c`), and none matches `forbid` (a `Traceback` means the bot is stuck
 * in an error however busy its log looks). With `within` and `timestamp`, only the lines the log
 * wrote in the last `within`, by their own timestamps, count (log-activity-within.ts); with
 * `within` alone, the lines seen in the last `within` (log-activity-tracked.ts). On a unit's
 * journal (`journal:`), its entries (journal-activity.ts).
 */
export const createLogActivityProbe: ProbeFactory<LogActivityCheckConfig> = (config, deps) => {
  const match = compileLinePattern(config.match, config.ignoreCase);
  const forbid = config.forbid === null ? null : compileLinePattern(config.forbid, config.ignoreCase);
  const stamp = config.timestamp === null ? null : compileTimestampFormat(config.timestamp);
  if (match instanceof Error) return failing(invalidPattern(config, "match", config.match, match));
  if (forbid instanceof Error) return failing(invalidPattern(config, "forbid", config.forbid ?? "", forbid));
  if (stamp instanceof Error) return failing(invalidPattern(config, "timestamp", config.timestamp ?? "", stamp));
  const { path, journal } = config;
  if (path === null) return createJournalActivityProbe({ ...config, journal: journal ?? "" }, deps, match, forbid);
  if (config.withinMs !== null && stamp === null) return createTrackedWindowProbe({ ...config, path }, deps, match, forbid);
  return async (signal) => {
    if (config.withinMs !== null && stamp !== null) return observeTimestampedWindow({ ...config, path }, { match, forbid, stamp }, deps.clock.now(), signal);
    let tail: LogWindow;
    try {
      tail = await readLogWindow(path, config.lines, { signal });
    } catch (error) {
      return describeLogFileError(path, error);
    }
    const { matching, forbidden } = await matchLines(tail.lines, match, forbid, signal);
    return describeTail({ ...config, path }, tail, matching, forbidden);
  };
};

function describeTail(config: OnFile<LogActivityCheckConfig>, tail: LogWindow, matching: string[], forbidden: string | undefined): Finding {
  const evidence: Record<string, unknown> = {
    path: config.path,
    linesExamined: tail.lines.length,
    matches: matching.length,
    recent: matching.slice(-RECENT_MATCHES_KEPT).map((line) => shortenLine(line)),
    ...(tail.scanCutShort ? { scanCutShort: true, bytesScanned: tail.bytesScanned } : {}),
    ...(tail.shrank ? { shrank: true } : {}),
    ...(tail.rotated === undefined ? {} : { rotated: tail.rotated }),
  };
  if (forbidden !== undefined) {
    const line = shortenLine(forbidden);
    return { ok: false, summary: `Forbidden pattern "${config.forbid}" found in last ${config.lines} lines: ${line}`, evidence: { ...evidence, forbidden: line } };
  }
  if (matching.length >= config.min) {
    const entries = matching.length === 1 ? "entry" : "entries";
    return { ok: true, summary: `Process appears responsive (${matching.length} recent ${entries})`, evidence };
  }
  const unfilled = describeUnfilledWindow(config, tail, matching.length);
  if (unfilled !== undefined) return { ...unfilled, evidence };
  const lines = matching.length === 1 ? "line" : "lines";
  const min = config.min > 1 ? ` (min ${config.min})` : "";
  return { ok: false, summary: `No recent activity: ${matching.length} ${lines} matching ${config.match} in last ${config.lines}${min}`, evidence };
}

/** A probe that always finds `finding`: a pattern the library was given unchecked does not compile. */
const failing = (finding: Finding): Probe => async () => finding;

function invalidPattern(config: LogActivityCheckConfig, field: string, source: string, error: Error): Finding {
  return { ok: false, summary: `Cannot run check "${config.id}" as its ${field} pattern "${source}" is invalid`, evidence: { [field]: source }, cause: error.message };
}
