import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";

/** What to do about the file `init` is to write: write it, ask first, or refuse (exit 73). */
export type OverwriteDecision = "write" | "ask" | "refuse";

/**
 * An existing configuration is never replaced unasked: a person is asked (y/N, No by default);
 * without a terminal it is refused unless `--force` says so. Pure.
 */
export function decideOverwrite(exists: boolean, options: { interactive: boolean; force: boolean }): OverwriteDecision {
  if (!exists || options.force) return "write";
  return options.interactive ? "ask" : "refuse";
}

/** The file's mode: readable by its group (Lifeguard's admins), or by its owner only when it holds a secret as is. */
export function configMode(holdsSecret: boolean): number {
  return holdsSecret ? 0o600 : 0o640;
}

/**
 * Writes `text` to `path` atomically: a temporary file beside it, with `mode` set before a byte
 * is written (whatever the umask), flushed to disk, then renamed over `path`. A reader sees the
 * old file or the new one, never half of one. Creates the directory (mode 0750) when missing.
 */
export function writeFileAtomic(path: string, text: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
  const temporary = join(dirname(path), `.${randomBytes(6).toString("hex")}.lifeguard-init.tmp`);
  const fd = openSync(temporary, "wx", mode);
  try {
    fchmodSync(fd, mode);
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
