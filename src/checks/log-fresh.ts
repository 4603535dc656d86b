import { stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import type { LogFreshCheckConfig } from "../config/types.js";
import { formatDuration } from "../core/duration.js";
import { createDirectoryError, describeLogFileError } from "./log-file-error.js";
import type { Finding, ProbeFactory } from "./probe.js";

/**
 * `log-fresh`: the log was last modified at most `max-age` ago, on the injected clock. Only
 * metadata is read (the seed's `stat -c %Y`). An mtime in the future (the clock was stepped
 * back) counts as age 0 and is noted in the evidence, so a clock jump never looks stale.
 */
export const createLogFreshProbe: ProbeFactory<LogFreshCheckConfig> = (config, deps) => async () => {
  let stats: Stats;
  try {
    stats = await stat(config.path);
    if (stats.isDirectory()) throw createDirectoryError(config.path);
  } catch (error) {
    return describeLogFileError(config.path, error);
  }
  return describeAge(config, stats, deps.clock.now());
};

function describeAge(config: LogFreshCheckConfig, stats: Stats, now: number): Finding {
  const rawAgeMs = now - stats.mtimeMs;
  const ageMs = Math.max(0, rawAgeMs);
  const evidence = {
    path: config.path,
    ageMs,
    mtime: new Date(stats.mtimeMs).toISOString(),
    size: stats.size,
    maxAgeMs: config.maxAgeMs,
    ...(rawAgeMs < 0 ? { futureMtimeMs: -rawAgeMs } : {}),
  };
  // Stale from the first millisecond past max-age after the last write: the daemon looks then.
  const dueAt = stats.mtimeMs + config.maxAgeMs + 1;
  if (ageMs <= config.maxAgeMs) return { ok: true, summary: `Log file is fresh (${formatDuration(ageMs)} old)`, evidence, dueAt };
  return {
    ok: false,
    summary: `Log file is stale: last written ${formatDuration(ageMs)} ago (max-age ${formatDuration(config.maxAgeMs)})`,
    evidence,
  };
}
