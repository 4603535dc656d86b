import { createHash } from "node:crypto";
import { chmodSync, chownSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Account } from "../process/doctor/run-as-user.js";
import { runCommand, type CommandResult } from "../process/run-command.js";

/** Each command `install` runs is bounded; `systemctl enable --now` of a slow unit gets longer. */
export const COMMAND_TIMEOUT_MS = 30_000;
export const START_TIMEOUT_MS = 120_000;

/** Runs `argv` (never through a shell); throws an Error with its output when it fails. */
export async function mustRun(argv: readonly string[], timeoutMs = COMMAND_TIMEOUT_MS): Promise<CommandResult> {
  const result = await runCommand(argv, { timeoutMs });
  if (!result.ok) throw commandFailed(argv, result);
  return result;
}

/** The Error `mustRun` throws: the command and the last lines it said. */
export function commandFailed(argv: readonly string[], result: CommandResult): Error {
  return new Error(`${argv.join(" ")} failed: ${(result.stderr.trim() || result.stdout.trim() || result.summary).split("\n").slice(-3).join(" ")}`);
}

/** `userdel` refuses (exit 8) while a process of the user runs: a `lifeguard check` cron started ends within this. */
const USER_BUSY_WAIT_MS = 60_000;
const USERDEL_BUSY = 8;

/** `userdel NAME`, once the user's last processes (a check run started before its timer or cron line went) have ended. */
export async function removeUser(name: string): Promise<void> {
  const argv = ["userdel", name];
  const deadline = Date.now() + USER_BUSY_WAIT_MS;
  for (;;) {
    const result = await runCommand(argv, { timeoutMs: COMMAND_TIMEOUT_MS });
    if (result.ok) return;
    if (result.exitCode !== USERDEL_BUSY || Date.now() >= deadline) throw commandFailed(argv, result);
    await sleep(500);
  }
}

/** The account `name`, or null when there is none. */
export async function findAccount(name: string): Promise<Account | null> {
  const result = await runCommand(["getent", "passwd", name], { timeoutMs: COMMAND_TIMEOUT_MS });
  if (result.exitCode === 2) return null;
  if (!result.ok) throw new Error(`getent passwd ${name} failed: ${result.stderr.trim() || result.summary}`);
  const [, , uid, gid] = result.stdout.trim().split(":");
  return { name, uid: Number(uid), gid: Number(gid) };
}

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** A file's text, or null when it does not exist. */
export function readOptional(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * Writes `content` to `path` whole or not at all (a temporary file beside it, renamed over it), with
 * `mode`, owned by root. With `validate` (argv; the temporary file's path is appended), that
 * command must accept the file first, else nothing changes and the error quotes its answer. The
 * temporary file's name starts with "." (sudo skips such a file in /etc/sudoers.d).
 */
export async function writeWhole(path: string, content: string, mode: number, validate?: readonly string[]): Promise<void> {
  const temporary = join(dirname(path), `.${process.pid}.lifeguard-install.tmp`);
  try {
    try {
      writeFileSync(temporary, content, { mode });
      chmodSync(temporary, mode);
    } catch (error) {
      throw writeError(path, error);
    }
    if (validate !== undefined) await mustAccept(validate, temporary, path);
    try {
      renameSync(temporary, path);
    } catch (error) {
      throw writeError(path, error);
    }
  } finally {
    rmSync(temporary, { force: true });
  }
}

function writeError(path: string, error: unknown): Error {
  const { code, message } = error as NodeJS.ErrnoException;
  return new Error(`cannot write ${path}: ${code === "EROFS" ? "the file system is read-only" : code === "EACCES" ? "permission denied" : message}`);
}

/** Throws unless `validate` accepts the file `file` that is to become `path`; its answer names `path`, not the temporary file. */
async function mustAccept(validate: readonly string[], file: string, path: string): Promise<void> {
  const result = await runCommand([...validate, file], { timeoutMs: COMMAND_TIMEOUT_MS });
  if (result.ok) return;
  // Its first line says what is wrong and where (visudo: `FILE:LINE:COLUMN: syntax error`).
  const answer = `${result.stderr}\n${result.stdout}`.replaceAll(file, path).split("\n").map((line) => line.trim()).find((line) => line !== "");
  throw new Error(`cannot write ${path}: \`${validate.join(" ")}\` rejects it: ${answer ?? result.summary}`);
}

/** Hands `path` to `account` (uid and gid). */
export function chownTo(path: string, account: Account | null): void {
  if (account !== null && existsSync(path)) chownSync(path, account.uid, account.gid);
}

/** `diff -u` of the file on disk and what install would write, for the user to see. */
export async function describeDiff(path: string, wanted: string, scratch: string): Promise<string> {
  const proposed = join(scratch, `proposed-${sha256(path).slice(0, 12)}`);
  writeFileSync(proposed, wanted);
  const result = await runCommand(["diff", "-u", "--label", `${path} (on disk)`, "--label", `${path} (install)`, path, proposed], { timeoutMs: COMMAND_TIMEOUT_MS });
  rmSync(proposed, { force: true });
  return result.stdout;
}
