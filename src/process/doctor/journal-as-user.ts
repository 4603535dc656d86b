import { runCommand } from "../run-command.js";
import { asUser, PROBE_TIMEOUT_MS, type Account } from "./run-as-user.js";

/** What one look at a unit's newest journal entry gave: how many were shown (0 or 1), and whether journalctl said others' entries are hidden. */
export type JournalPeek = { ok: true; entries: number; hidden: boolean } | { ok: false; said: string };

/** journalctl's words when it hides the system's entries from a user outside `systemd-journal` and `adm`. */
const HIDDEN = /insufficient permissions|not seeing messages from other users/i;

/**
 * Reads a unit's newest journal entry (`journalctl --unit UNIT -n 1`, no `--quiet`: its hint
 * that entries are hidden is what is looked for) as `account`, or as this process when null.
 * Harmless: it changes nothing, reads one entry. Null when this process may not act as `account`.
 */
export async function peekJournal(unit: string, account: Account | null): Promise<JournalPeek | null> {
  const command = ["journalctl", "--unit", unit, "-n", "1", "-o", "json", "--no-pager", "--output-fields=MESSAGE"];
  const argv = account === null ? command : asUser(account, command);
  if (argv === null) return null;
  const result = await runCommand(argv, { timeoutMs: PROBE_TIMEOUT_MS });
  const said = result.stderr.trim();
  const hidden = HIDDEN.test(said);
  if (result.errorCode === "ENOENT") return { ok: false, said: "journalctl is not installed" };
  // journalctl exits 1 when no journal file may be opened at all: a refusal, not a failure to run.
  if (!result.ok && !hidden) return { ok: false, said: said.split("\n")[0] || result.summary };
  return { ok: true, entries: result.stdout.split("\n").filter((line) => line.trim() !== "").length, hidden };
}
