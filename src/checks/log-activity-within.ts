import type { LogActivityCheckConfig } from "../config/types.js";
import type { OnFile } from "./log-source.js";
import { formatDuration } from "../core/duration.js";
import type { LineTimestamp } from "../process/line-timestamp.js";
import { describeLogFileError } from "./log-file-error.js";
import { filterLines, findLastLine, RECENT_MATCHES_KEPT, type LinePattern, type MatchedLines } from "./match-lines.js";
import type { Finding } from "./probe.js";
import { shortenLine } from "./shorten-line.js";
import { readTimestampedWindow, type TimestampedWindow } from "./timestamped-window.js";

/** The compiled patterns of a `log-activity` check with `within` and `timestamp`. */
export interface WindowPatterns {
  match: LinePattern;
  forbid: LinePattern | null;
  stamp: LineTimestamp;
}

/**
 * `log-activity` with `within` and `timestamp`: at least `min` lines matching `match` whose own
 * timestamps fall in the last `within` before `now`, none matching `forbid` in that window. Only
 * the lines say when they were written, so a step of Lifeguard's clock moves the window and
 * nothing else; a line timestamped after `now` (the clock was stepped back) is in the window.
 */
export async function observeTimestampedWindow(config: OnFile<LogActivityCheckConfig>, patterns: WindowPatterns, now: number, signal: AbortSignal): Promise<Finding> {
  const withinMs = config.withinMs ?? 0;
  let window: TimestampedWindow;
  try {
    window = await readTimestampedWindow(config.path, patterns.stamp, now - withinMs, config.lines, signal);
  } catch (error) {
    return describeLogFileError(config.path, error);
  }
  // A line without a timestamp (a traceback's) may be forbidden, but never counts as activity.
  const dated = window.undated === 0 ? window.lines : window.lines.filter((line) => patterns.stamp.parse(line) !== null);
  const matching = await filterLines(dated, patterns.match, { signal });
  const forbidden = patterns.forbid === null ? undefined : await findLastLine(window.lines, patterns.forbid, { signal });
  return describeWindow(config, { window, now, withinMs, newestAt: newestTime(matching, patterns.stamp) }, { matching, forbidden });
}

function newestTime(matching: readonly string[], stamp: LineTimestamp): number | null {
  const newest = matching.at(-1);
  return newest === undefined ? null : stamp.parse(newest);
}

interface Seen {
  window: TimestampedWindow;
  now: number;
  withinMs: number;
  newestAt: number | null;
}

function describeWindow(config: OnFile<LogActivityCheckConfig>, { window, now, withinMs, newestAt }: Seen, { matching, forbidden }: MatchedLines): Finding {
  const span = formatDuration(withinMs);
  const evidence: Record<string, unknown> = {
    path: config.path,
    withinMs,
    windowStart: new Date(now - withinMs).toISOString(),
    linesExamined: window.lines.length,
    matches: matching.length,
    newestMatchAt: newestAt === null ? null : new Date(newestAt).toISOString(),
    recent: matching.slice(-RECENT_MATCHES_KEPT).map((line) => shortenLine(line)),
    ...(window.undated > 0 ? { undatedLines: window.undated } : {}),
    ...(window.readCapReached ? { readCapReached: true, bytesScanned: window.read.bytesScanned } : {}),
    ...(window.read.rotated === undefined ? {} : { rotated: window.read.rotated }),
  };
  if (forbidden !== undefined) {
    const line = shortenLine(forbidden);
    return { ok: false, summary: `Forbidden pattern "${config.forbid}" found in the last ${span}: ${line}`, evidence: { ...evidence, forbidden: line } };
  }
  const lines = matching.length === 1 ? "line" : "lines";
  const cap = window.readCapReached ? `; the read stopped at ${window.lines.length} lines before the window's start` : "";
  if (matching.length >= config.min) {
    const newest = newestAt === null ? "" : `, newest ${formatDuration(Math.max(0, now - newestAt))} ago`;
    return { ok: true, summary: `Process appears responsive (${matching.length} matching ${lines} in the last ${span}${newest}${cap})`, evidence };
  }
  const min = config.min > 1 ? ` (min ${config.min})` : "";
  return { ok: false, summary: `No recent activity: ${matching.length} ${lines} matching ${config.match} in the last ${span}${min}${cap}`, evidence };
}
