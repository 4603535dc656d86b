import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

/** Debian's logrotate, where installed. */
export const LOGROTATE = ["/usr/sbin/logrotate", "/sbin/logrotate", "/usr/bin/logrotate"].find((path) => existsSync(path));
/** A test's skip reason when logrotate is missing; CI installs it. */
export const LOGROTATE_SKIP = LOGROTATE === undefined ? "logrotate is not installed (Debian package `logrotate`)" : false;

/** How logrotate treats the file besides its mode; the default keeps one rotated file, uncompressed. */
export interface LogrotateOptions {
  /** Rotated files kept (`rotate N`); default 1. */
  rotate?: number;
  /** gzip the rotated files (`compress`). */
  compress?: boolean;
  /** With `compress`: leave `<file>.1` plain until the next rotation (`delaycompress`). */
  delaycompress?: boolean;
}

/** Rotates `path` once with the real logrotate, in the given mode; its config and state sit beside the file. */
export async function rotateWithLogrotate(path: string, mode: "create" | "copytruncate", options: LogrotateOptions = {}): Promise<void> {
  const dir = dirname(path);
  const config = join(dir, `${mode}.logrotate.conf`);
  const directives = [mode, `rotate ${options.rotate ?? 1}`, "missingok", ...(options.compress ? ["compress"] : []), ...(options.delaycompress ? ["delaycompress"] : [])];
  await writeFile(config, `${path} {\n${directives.map((line) => `  ${line}\n`).join("")}}\n`, { mode: 0o644 });
  await promisify(execFile)(LOGROTATE as string, ["--force", "--state", join(dir, "logrotate.state"), config], { timeout: 10_000 });
}
