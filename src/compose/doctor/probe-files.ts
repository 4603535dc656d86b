import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Attempt, LifeguardUser } from "../../core/doctor/judge-access.js";
import { cannotActAs, testAsUser } from "../../process/doctor/run-as-user.js";

/** Tries to read `path` as `user` (really, in a child process with the user's ids), and on refusal finds the step that refuses. */
export async function tryRead(user: LifeguardUser, path: string): Promise<Attempt> {
  const untried = cannotActAs(user);
  if (untried !== null) return { kind: "untried", reason: untried };
  const readable = await testAsUser(user, ["-r", path]);
  if (readable === true) return { kind: "allowed" };
  if (readable !== false) return { kind: "untried", reason: readable.cause ?? readable.summary };
  if (!existsSync(path)) return { kind: "missing" };
  return { kind: "denied", blocked: (await findClosedDirectory(user, path)) ?? { path, need: "r" } };
}

/**
 * Tries to write in the directory `dir` (and its store file, when there is one) as `user`; for a
 * missing directory, whether the user may create it in its nearest existing parent.
 */
export async function tryWrite(user: LifeguardUser, dir: string, file: string): Promise<{ attempt: Attempt; exists: boolean }> {
  const exists = existsSync(dir);
  const untried = cannotActAs(user);
  if (untried !== null) return { attempt: { kind: "untried", reason: untried }, exists };
  let target = resolve(dir);
  while (!existsSync(target) && dirname(target) !== target) target = dirname(target);
  const args = ["-w", target, "-a", "-x", target, ...(exists && existsSync(join(dir, file)) ? ["-a", "-w", join(dir, file)] : [])];
  const writable = await testAsUser(user, args);
  if (writable === true) return { attempt: { kind: "allowed" }, exists };
  if (writable !== false) return { attempt: { kind: "untried", reason: writable.cause ?? writable.summary }, exists };
  return { attempt: { kind: "denied", blocked: (await findClosedDirectory(user, join(target, "x"))) ?? { path: target, need: "w" } }, exists };
}

/** The first directory on the way to `path`, from `/` down, that `user` may not enter; null when it may enter them all. */
async function findClosedDirectory(user: LifeguardUser, path: string): Promise<{ path: string; need: "x" } | null> {
  const directories: string[] = [];
  for (let directory = dirname(resolve(path)); ; directory = dirname(directory)) {
    directories.unshift(directory);
    if (dirname(directory) === directory) break;
  }
  for (const directory of directories) if ((await testAsUser(user, ["-x", directory])) === false) return { path: directory, need: "x" };
  return null;
}
