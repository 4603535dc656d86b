import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

/** Debian's logrotate, where installed. */
export const LOGROTATE = ["/usr/sbin/logrotate", "/sbin/logrotate", "/usr/bin/logrotate"].find((path) => existsSync(path));
/** A test's skip reason when logrotate is missing; CI installs it. */
export const LOGROTATE_SKIP = LOGROTATE === undefined ? "logrotate is not installed (Debian package `logrotate`)" : false;

/** Rotates `path` once with the real logrotate, in the given mode; its config and state sit beside the file. */
export async function rotateWithLogrotate(path: string, mode: "create" | "copytruncate"): Promise<void> {
  const dir = dirname(path);
  const config = join(dir, `${mode}.logrotate.conf`);
  await writeFile(config, `${path} {\n  ${mode}\n  rotate 1\n  missingok\n}\n`, { mode: 0o644 });
  await promisify(execFile)(LOGROTATE as string, ["--force", "--state", join(dir, "logrotate.state"), config], { timeout: 10_000 });
}
