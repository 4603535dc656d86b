import type { LogFreshCheckConfig } from "../config/types.js";
import { formatDuration } from "../core/duration.js";
import { currentBootId, readJournal, type JournalEntry } from "../process/read-journal.js";
import type { OnJournal } from "./log-source.js";
import type { CheckDeps, Finding, Probe } from "./probe.js";

/**
 * `log-fresh` on a unit's journal: the age of the unit's newest entry (`journalctl -n 1`, one
 * bounded process; the journal is never read whole). Within the same boot the age is measured on
 * the monotonic clock (`__MONOTONIC_TIMESTAMP`), so a step of the wall clock never makes it look
 * stale; an entry of an earlier boot is aged by its wall time. After Lifeguard (re)starts the
 * service, an entry older than that start counts from the start, as for a file.
 */
export function createJournalFreshProbe(config: OnJournal<LogFreshCheckConfig>, deps: CheckDeps): Probe {
  let startedAt: number | null = null;
  const probe: Probe = async (signal) => {
    const read = await readJournal({ unit: config.journal, count: 1, timeoutMs: config.timeoutMs, signal });
    if (!read.ok) return { ok: false, summary: `Cannot read the journal of "${config.journal}": ${read.problem}`, evidence: { journal: config.journal }, cause: read.problem };
    const now = deps.clock.now();
    const newest = read.entries.at(-1);
    if (newest === undefined) return judge(config, { now, ageMs: null, startedAt, entry: null });
    return judge(config, { now, ageMs: ageOf(newest, now, deps.clock.monotonic()), startedAt, entry: newest });
  };
  probe.markStart = async (at) => void (startedAt = at);
  return probe;
}

/** Milliseconds since journald received `entry`: monotonic within this boot, else by wall time (never below 0). */
function ageOf(entry: JournalEntry, now: number, monotonic: number): number {
  const sameBoot = entry.bootId !== "" && entry.bootId === currentBootId();
  return Math.max(0, sameBoot ? monotonic - entry.monotonicMs : now - entry.realtimeMs);
}

interface Seen {
  now: number;
  /** null: the unit has no entry. */
  ageMs: number | null;
  startedAt: number | null;
  entry: JournalEntry | null;
}

function judge(config: OnJournal<LogFreshCheckConfig>, { now, ageMs, startedAt, entry }: Seen): Finding {
  const writtenAt = ageMs === null ? null : now - ageMs;
  const evidence: Record<string, unknown> = {
    journal: config.journal,
    ageMs,
    maxAgeMs: config.maxAgeMs,
    newestEntryAt: entry === null ? null : new Date(entry.realtimeMs).toISOString(),
    ...(entry === null ? {} : { newestEntry: entry.message.slice(0, 200) }),
  };
  // Nothing written since Lifeguard started the service: judged by the time since that start.
  if (startedAt !== null && (writtenAt === null || writtenAt < startedAt)) {
    const sinceStartMs = Math.max(0, now - startedAt);
    const ok = sinceStartMs <= config.maxAgeMs;
    const state = ok ? "has no entry yet since the start" : "is stale: no entry since the start";
    return { ok, summary: `Journal of "${config.journal}" ${state} ${formatDuration(sinceStartMs)} ago (max-age ${formatDuration(config.maxAgeMs)})`, evidence: { ...evidence, sinceStartMs }, ...(ok ? { dueAt: startedAt + config.maxAgeMs + 1 } : {}) };
  }
  if (ageMs === null || writtenAt === null) return { ok: false, summary: `Journal of "${config.journal}" has no entries`, evidence };
  if (ageMs <= config.maxAgeMs) return { ok: true, summary: `Journal of "${config.journal}" is fresh (${formatDuration(ageMs)} old)`, evidence, dueAt: writtenAt + config.maxAgeMs + 1 };
  return { ok: false, summary: `Journal of "${config.journal}" is stale: last entry ${formatDuration(ageMs)} ago (max-age ${formatDuration(config.maxAgeMs)})`, evidence };
}
