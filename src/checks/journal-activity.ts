import type { LogActivityCheckConfig } from "../config/types.js";
import { formatDuration } from "../core/duration.js";
import { readJournal, type JournalEntry } from "../process/read-journal.js";
import type { OnJournal } from "./log-source.js";
import { filterLines, matchLines, RECENT_MATCHES_KEPT, type LinePattern } from "./match-lines.js";
import type { CheckDeps, Finding, Probe } from "./probe.js";
import { countInWindow, EMPTY_SEEN_WINDOW, noteEntries, parseSeenWindow, type SeenWindow } from "./seen-window.js";
import { shortenLine } from "./shorten-line.js";

/** Entries read at most by one look after the cursor: a longer backlog is read over the next looks. */
export const JOURNAL_PAGE_ENTRIES = 5000;

type JournalActivityConfig = OnJournal<LogActivityCheckConfig>;

/**
 * `log-activity` on a unit's journal. Without `within`: its last `lines` entries, as for a file's
 * last lines. With `within`: each look reads only the entries after the cursor of the last one
 * (`journalctl --after-cursor`, one bounded process), and counts those that match by their own
 * time; the daemon keeps the cursor and the window in memory, `lifeguard check` in the store
 * between runs (`CheckDeps.memory`), so no run reads the journal again from its start.
 */
export function createJournalActivityProbe(config: JournalActivityConfig, deps: CheckDeps, match: LinePattern, forbid: LinePattern | null): Probe {
  if (config.withinMs === null) return lastEntriesProbe(config, match, forbid);
  const withinMs = config.withinMs;
  let window: SeenWindow | null = null;
  let following = false;
  const keep = (seen: SeenWindow, now: number): void => {
    window = seen;
    if (!following) deps.memory?.remember(deps.serviceName, config.id, JSON.stringify(seen), now);
  };
  const forget = (): void => keep({ ...(window ?? EMPTY_SEEN_WINDOW), cursor: null }, deps.clock.now());
  const probe: Probe = async (signal) => {
    window ??= parseSeenWindow(deps.memory?.recall(deps.serviceName, config.id) ?? null) ?? EMPTY_SEEN_WINDOW;
    const page = Math.min(config.lines, JOURNAL_PAGE_ENTRIES);
    const read = await readJournal({ unit: config.journal, count: page, afterCursor: window.cursor, timeoutMs: config.timeoutMs, signal });
    if (!read.ok) {
      // A cursor journalctl refuses (a damaged store) would fail every look: the next one starts at the journal's tail.
      if (window.cursor !== null && read.result.exitCode !== null) forget();
      return unreadable(config, read.problem);
    }
    const dated = (entry: JournalEntry) => ({ at: entry.realtimeMs, line: shortenLine(entry.message) });
    const matching = (await filterEntries(read.entries, match, signal)).map(dated);
    const forbidden = forbid === null ? undefined : (await filterEntries(read.entries, forbid, signal)).map(dated).at(-1);
    const now = deps.clock.now();
    const seen = noteEntries(window, { now, withinMs, cursor: read.entries.at(-1)?.cursor ?? null, matching, forbidden, recentKept: RECENT_MATCHES_KEPT });
    keep(seen, now);
    return describeWindow(config, seen, { now, entriesRead: read.entries.length, backlog: read.entries.length >= page });
  };
  // The window lives in this process while the daemon follows; the finding turns by time alone, so it never holds.
  probe.follow = () => {
    following = true;
    return { unchanged: () => false, stop: () => void (following = false) };
  };
  return probe;
}

async function filterEntries(entries: readonly JournalEntry[], pattern: LinePattern, signal: AbortSignal): Promise<JournalEntry[]> {
  const matching = new Set(await filterLines(entries.map((entry) => entry.message), pattern, { signal }));
  return entries.filter((entry) => matching.has(entry.message));
}

function lastEntriesProbe(config: JournalActivityConfig, match: LinePattern, forbid: LinePattern | null): Probe {
  return async (signal) => {
    const read = await readJournal({ unit: config.journal, count: config.lines, timeoutMs: config.timeoutMs, signal });
    if (!read.ok) return unreadable(config, read.problem);
    const messages = read.entries.map((entry) => entry.message);
    const { matching, forbidden } = await matchLines(messages, match, forbid, signal);
    const evidence = { journal: config.journal, entriesExamined: messages.length, matches: matching.length, recent: matching.slice(-RECENT_MATCHES_KEPT).map((line) => shortenLine(line)) };
    const where = `the last ${config.lines} entries of the journal of "${config.journal}"`;
    if (forbidden !== undefined) return { ok: false, summary: `Forbidden pattern "${config.forbid}" found in ${where}: ${shortenLine(forbidden)}`, evidence: { ...evidence, forbidden: shortenLine(forbidden) } };
    const entries = matching.length === 1 ? "entry" : "entries";
    if (matching.length >= config.min) return { ok: true, summary: `Process appears responsive (${matching.length} recent ${entries})`, evidence };
    const min = config.min > 1 ? ` (min ${config.min})` : "";
    return { ok: false, summary: `No recent activity: ${matching.length} ${entries} matching ${config.match} in ${where}${min}`, evidence };
  };
}

function unreadable(config: JournalActivityConfig, problem: string): Finding {
  return { ok: false, summary: `Cannot read the journal of "${config.journal}": ${problem}`, evidence: { journal: config.journal }, cause: problem };
}

function describeWindow(config: JournalActivityConfig, window: SeenWindow, look: { now: number; entriesRead: number; backlog: boolean }): Finding {
  const withinMs = config.withinMs ?? 0;
  const span = formatDuration(withinMs);
  const { count, newestAt } = countInWindow(window, look.now, withinMs);
  const evidence: Record<string, unknown> = {
    journal: config.journal,
    withinMs,
    windowStart: new Date(look.now - withinMs).toISOString(),
    entriesRead: look.entriesRead,
    matches: count,
    newestMatchAt: newestAt === null ? null : new Date(newestAt).toISOString(),
    recent: window.recent,
    ...(look.backlog ? { readCapReached: true } : {}),
  };
  if (window.forbidden !== null) return { ok: false, summary: `Forbidden pattern "${config.forbid}" found in the last ${span} of the journal of "${config.journal}": ${window.forbidden.line}`, evidence: { ...evidence, forbidden: window.forbidden.line } };
  const entries = count === 1 ? "entry" : "entries";
  const backlog = look.backlog ? `; more entries wait to be read than one look reads (${Math.min(config.lines, JOURNAL_PAGE_ENTRIES)})` : "";
  if (count >= config.min) {
    const newest = newestAt === null ? "" : `, newest ${formatDuration(Math.max(0, look.now - newestAt))} ago`;
    return { ok: true, summary: `Process appears responsive (${count} matching ${entries} in the last ${span}${newest}${backlog})`, evidence };
  }
  const min = config.min > 1 ? ` (min ${config.min})` : "";
  return { ok: false, summary: `No recent activity: ${count} ${entries} matching ${config.match} in the last ${span} of the journal of "${config.journal}"${min}${backlog}`, evidence };
}
