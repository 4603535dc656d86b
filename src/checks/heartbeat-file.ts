import { formatDuration } from "../core/duration.js";
import { readFileAge } from "./file-age.js";
import type { CheckDeps, Probe } from "./probe.js";

/**
 * The `heartbeat` check with `file`: the service touches the file to say it is alive; the
 * file's mtime is its last beat, read as `log-fresh` reads a log's (metadata only, an mtime in
 * the future counts as age 0). A missing file fails, as a missing log does: the startup grace
 * covers a service that has not touched it yet.
 */
export function createHeartbeatFileProbe(config: { file: string; maxAgeMs: number }, deps: Pick<CheckDeps, "clock">): Probe {
  return async () => {
    const read = await readFileAge(config.file, "heartbeat file", deps.clock);
    if ("finding" in read) return read.finding;
    const { age } = read;
    const evidence = { ...age.evidence, maxAgeMs: config.maxAgeMs };
    if (age.ageMs <= config.maxAgeMs) {
      return { ok: true, summary: `Heartbeat file touched ${formatDuration(age.ageMs)} ago`, evidence, dueAt: age.mtimeMs + config.maxAgeMs + 1 };
    }
    return { ok: false, summary: `Heartbeat file is stale: last touched ${formatDuration(age.ageMs)} ago (max-age ${formatDuration(config.maxAgeMs)})`, evidence };
  };
}
