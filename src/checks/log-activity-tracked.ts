import type { LogActivityCheckConfig } from "../config/types.js";
import type { OnFile } from "./log-source.js";
import { formatDuration } from "../core/duration.js";
import { describeLogFileError } from "./log-file-error.js";
import { matchLines, RECENT_MATCHES_KEPT, type LinePattern } from "./match-lines.js";
import type { CheckDeps, Finding, Probe } from "./probe.js";
import { readNewLines, type NewLines } from "./read-new-lines.js";
import { countInWindow, EMPTY_SEEN_WINDOW, noteLook, parseSeenWindow, type SeenWindow } from "./seen-window.js";
import { shortenLine } from "./shorten-line.js";

/**
 * `log-activity` with `within` and no `timestamp`: the lines carry no time Lifeguard can read, so
 * each look reads only what the log gained since the last one (read-new-lines.ts) and dates it
 * when it was first seen (seen-window.ts). The daemon follows: it keeps the window in memory and
 * writes nothing; `lifeguard check` keeps it in the store between runs (`CheckDeps.memory`).
 * Both start from what the store last kept, so the first look after an upgrade or a daemon's
 * start is not a blank slate when a `check` ran before.
 */
export function createTrackedWindowProbe(config: OnFile<LogActivityCheckConfig>, deps: CheckDeps, match: LinePattern, forbid: LinePattern | null): Probe {
  const withinMs = config.withinMs ?? 0;
  let window: SeenWindow | null = null;
  let following = false;
  const probe: Probe = async (signal) => {
    window ??= parseSeenWindow(deps.memory?.recall(deps.serviceName, config.id) ?? null) ?? EMPTY_SEEN_WINDOW;
    let read: NewLines;
    try {
      read = await readNewLines(config.path, window.mark, config.lines, signal);
    } catch (error) {
      return describeLogFileError(config.path, error);
    }
    const { matching, forbidden } = await matchLines(read.lines, match, forbid, signal);
    const now = deps.clock.now();
    const seen = noteLook(window, { now, withinMs, mtimeMs: read.mtimeMs, mark: read.mark, matching: matching.map((line) => shortenLine(line)), forbidden, recentKept: RECENT_MATCHES_KEPT });
    window = seen;
    if (!following) deps.memory?.remember(deps.serviceName, config.id, JSON.stringify(seen), now);
    return describeTracked(config, seen, read, now);
  };
  // Following only says that the window lives in this process: the finding turns by time alone, so it never holds.
  probe.follow = () => {
    following = true;
    return { unchanged: () => false, stop: () => void (following = false) };
  };
  return probe;
}

function describeTracked(config: OnFile<LogActivityCheckConfig>, window: SeenWindow, read: NewLines, now: number): Finding {
  const withinMs = config.withinMs ?? 0;
  const span = formatDuration(withinMs);
  const { count, newestAt } = countInWindow(window, now, withinMs);
  const evidence: Record<string, unknown> = {
    path: config.path,
    withinMs,
    windowStart: new Date(now - withinMs).toISOString(),
    datedBy: "first seen",
    linesRead: read.lines.length,
    matches: count,
    newestMatchAt: newestAt === null ? null : new Date(newestAt).toISOString(),
    recent: window.recent,
    ...(read.from === "new-file" ? { newFile: true } : {}),
    ...(read.readCapReached ? { readCapReached: true } : {}),
  };
  if (window.forbidden !== null) {
    return { ok: false, summary: `Forbidden pattern "${config.forbid}" found in the last ${span}: ${shortenLine(window.forbidden.line)}`, evidence: { ...evidence, forbidden: window.forbidden.line } };
  }
  const lines = count === 1 ? "line" : "lines";
  const cap = read.readCapReached ? `; more than ${config.lines} new lines since the last look, the older ones were not read` : "";
  if (count >= config.min) {
    const newest = newestAt === null ? "" : `, newest seen ${formatDuration(Math.max(0, now - newestAt))} ago`;
    return { ok: true, summary: `Process appears responsive (${count} matching ${lines} in the last ${span}${newest}${cap})`, evidence };
  }
  const min = config.min > 1 ? ` (min ${config.min})` : "";
  return { ok: false, summary: `No recent activity: ${count} ${lines} matching ${config.match} in the last ${span}${min}${cap}`, evidence };
}
