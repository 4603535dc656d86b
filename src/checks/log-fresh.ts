import type { LogFreshCheckConfig } from "../config/types.js";
import { formatDuration } from "../core/duration.js";
import { readFileAge, type FileAge } from "./file-age.js";
import type { Finding, ProbeFactory } from "./probe.js";

/**
 * `log-fresh`: the log was last modified at most `max-age` ago, on the injected clock. Only
 * metadata is read (the seed's `stat -c %Y`). An mtime in the future (the clock was stepped
 * back) counts as age 0 and is noted in the evidence, so a clock jump never looks stale.
 */
export const createLogFreshProbe: ProbeFactory<LogFreshCheckConfig> = (config, deps) => async () => {
  const read = await readFileAge(config.path, "log file", deps.clock);
  return "finding" in read ? read.finding : describeAge(config, read.age);
};

function describeAge(config: LogFreshCheckConfig, age: FileAge): Finding {
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
