import { stat } from "node:fs/promises";
import type { Clock } from "../core/clock.js";
import { createDirectoryError, describeLogFileError } from "./log-file-error.js";
import type { Finding } from "./probe.js";

/** How long ago a watched file was last modified, on the injected clock. */
export interface FileAge {
  /** Never negative: an mtime in the future (the clock was stepped back) counts as age 0. */
  ageMs: number;
  mtimeMs: number;
  /** The facts behind it: path, ageMs, mtime, size, and futureMtimeMs when the mtime lies ahead. */
  evidence: Record<string, unknown>;
}

/**
 * Stats `path` (metadata only, the seed's `stat -c %Y`) and tells its age; a file that cannot be
 * stat-ed, or is a directory, gives the failed finding that says why, naming the file by `what`
 * ("log file", "heartbeat file"). Shared by `log-fresh` and the `heartbeat` file variant.
 */
export async function readFileAge(path: string, what: string, clock: Clock): Promise<{ age: FileAge } | { finding: Finding }> {
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) throw createDirectoryError(path);
    const rawAgeMs = clock.now() - stats.mtimeMs;
    const ageMs = Math.max(0, rawAgeMs);
    const evidence = { path, ageMs, mtime: new Date(stats.mtimeMs).toISOString(), size: stats.size, ...(rawAgeMs < 0 ? { futureMtimeMs: -rawAgeMs } : {}) };
    return { age: { ageMs, mtimeMs: stats.mtimeMs, evidence } };
  } catch (error) {
    return { finding: describeLogFileError(path, error, what) };
  }
}
