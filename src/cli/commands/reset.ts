import type { CliIo } from "../io.js";
import type { TargetOptions } from "../find-target.js";
import { runControl } from "./control.js";

/**
 * `lifeguard reset NAME`: re-arm a service that gave up; clears its restart window and backoff.
 * Through the daemon that watches it when one runs (it judges the service at once), else here.
 * A reset the disk refuses fails (exit 70) and says why: never "armed" for a moment, then lost.
 */
export function runReset(name: string, options: TargetOptions, io: CliIo): Promise<number> {
  return runControl("reset", name, options, io);
}
