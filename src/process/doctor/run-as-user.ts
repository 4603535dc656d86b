import { runCommand, type CommandResult } from "../run-command.js";

/** An account by its numbers, as `doctor` acts in its name. */
export interface Account {
  name: string;
  uid: number;
  gid: number;
}

/** Every probe `doctor` runs is bounded: a hung file system or systemctl never hangs it. */
export const PROBE_TIMEOUT_MS = 10_000;

/**
 * The argv that runs `argv` as `account`: as it is when this process is that user; through
 * `setpriv` (the user's uid, gid and supplementary groups, no shell, no PAM session) when this
 * process is root; null when it is neither (only root may become another user).
 */
export function asUser(account: Account, argv: readonly string[]): string[] | null {
  const uid = process.getuid?.() ?? 0;
  if (uid === account.uid) return [...argv];
  if (uid !== 0) return null;
  return ["setpriv", `--reuid=${account.uid}`, `--regid=${account.gid}`, "--init-groups", "--", ...argv];
}

/** Why a probe as another user cannot run here, or null when it can. */
export function cannotActAs(account: Account): string | null {
  return asUser(account, []) === null ? `only root may act as user ${account.name}, and doctor runs as uid ${process.getuid?.() ?? "?"}` : null;
}

/** `test ARGS...` run as `account`: true when it holds, false when not; the failed run when the test itself could not run. */
export async function testAsUser(account: Account, args: readonly string[], signal?: AbortSignal): Promise<boolean | CommandResult> {
  const argv = asUser(account, ["test", ...args]);
  if (argv === null) throw new Error(`Cannot act as user ${account.name}`);
  const result = await runCommand(argv, { timeoutMs: PROBE_TIMEOUT_MS, ...(signal === undefined ? {} : { signal }) });
  if (result.exitCode === 0) return true;
  if (result.exitCode === 1 && result.stderr.trim() === "") return false;
  return result;
}
