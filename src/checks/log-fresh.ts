import type { LogFreshCheckConfig } from "../config/types.js";
import { formatDuration } from "../core/duration.js";
import { readFileAge, type FileAge } from "./file-age.js";
import { followLog, type LogFollow } from "./follow-log.js";
import type { OnFile } from "./log-source.js";
import { createJournalFreshProbe } from "./journal-fresh.js";
import type { CheckDeps, Finding, Probe, ProbeFactory } from "./probe.js";

/**
 * `log-fresh`: the log was last modified at most `max-age` ago, on the injected clock. Only
 * metadata is read (the seed's `stat -c %Y`). An mtime in the future (the clock was stepped
 * back) counts as age 0 and is noted in the evidence, so a clock jump never looks stale.
 * After Lifeguard (re)starts the service, its age counts from that start when the last write is
 * older: the previous run's output is not this run's silence, and a run that writes nothing is
 * stale once `max-age` has passed since its start. In the daemon it follows the log's name
 * (follow-log.ts): a fresh log's finding then holds until its deadline without a stat each round.
 * On a unit's journal (`journal:`), the age of its newest entry (journal-fresh.ts).
 */
export const createLogFreshProbe: ProbeFactory<LogFreshCheckConfig> = (config, deps) => {
  const { path, journal } = config;
  if (path === null) return createJournalFreshProbe({ ...config, journal: journal ?? "" }, deps);
  return createFileFreshProbe({ ...config, path }, deps);
};

function createFileFreshProbe(config: OnFile<LogFreshCheckConfig>, deps: CheckDeps): Probe {
  let startedAt: number | null = null;
  let following: LogFollow | null = null;
  const probe: Probe = async () => {
    following?.looking();
    const read = await readFileAge(config.path, "log file", deps.clock);
    if ("finding" in read) return read.finding;
    return startedAt !== null && startedAt > read.age.mtimeMs ? describeSinceStart(config, read.age, startedAt, deps.clock.now()) : describeAge(config, read.age);
  };
  probe.markStart = async (at) => void (startedAt = at);
  probe.follow = (onChange, notice) => {
    following = followLog(config.path, onChange, notice);
    return following;
  };
  return probe;
}

function describeAge(config: OnFile<LogFreshCheckConfig>, age: FileAge): Finding {
  const evidence = { ...age.evidence, maxAgeMs: config.maxAgeMs };
  // Stale from the first millisecond past max-age after the last write: the daemon looks then.
  const dueAt = age.mtimeMs + config.maxAgeMs + 1;
  if (age.ageMs <= config.maxAgeMs) return { ok: true, summary: `Log file is fresh (${formatDuration(age.ageMs)} old)`, evidence, dueAt };
  return {
    ok: false,
    summary: `Log file is stale: last written ${formatDuration(age.ageMs)} ago (max-age ${formatDuration(config.maxAgeMs)})`,
    evidence,
  };
}

/** Not written since the service's start: judged by the time since that start, its last write named as before it. */
function describeSinceStart(config: OnFile<LogFreshCheckConfig>, age: FileAge, startedAt: number, now: number): Finding {
  const sinceStartMs = Math.max(0, now - startedAt);
  const evidence = { ...age.evidence, maxAgeMs: config.maxAgeMs, startedAt: new Date(startedAt).toISOString(), sinceStartMs };
  const before = `last written ${formatDuration(age.ageMs)} ago, before it`;
  if (sinceStartMs <= config.maxAgeMs) {
    return { ok: true, summary: `Log file is not written yet since the start ${formatDuration(sinceStartMs)} ago (max-age ${formatDuration(config.maxAgeMs)}; ${before})`, evidence, dueAt: startedAt + config.maxAgeMs + 1 };
  }
  return {
    ok: false,
    summary: `Log file is stale: not written since the start ${formatDuration(sinceStartMs)} ago (max-age ${formatDuration(config.maxAgeMs)}; ${before})`,
    evidence,
  };
}
