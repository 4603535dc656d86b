import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Why a test that mounts a file system cannot run here, or false when it can (root). */
export const SMALL_DISK_SKIP = process.getuid?.() === 0 ? false : "needs root to mount a 1 MiB tmpfs as the state directory";

/** Mounts a 1 MiB tmpfs on `dir`; after the test it is unmounted (lazily: a process may still hold it), whatever happened. */
export function mountSmallDisk(t: { after(fn: () => void): void }, dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m,mode=0750", "tmpfs", dir]);
  t.after(() => void spawnSync("umount", ["-l", dir]));
}

/** A fresh directory with a 1 MiB tmpfs mounted on it; unmounted and removed after the test. */
export function makeSmallDisk(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-small-disk-"));
  mountSmallDisk(t, dir);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes zeros into `file` until the file system says ENOSPC. */
export function fillUp(file: string): void {
  const dd = spawnSync("dd", ["if=/dev/zero", `of=${file}`, "bs=4k"], { encoding: "utf8" });
  assert.match(dd.stderr, /No space left on device/);
}
