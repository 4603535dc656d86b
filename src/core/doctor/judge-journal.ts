import { adminCommand, allOf, type FixContext } from "./fixes.js";
import { fail, ok, warn, type Finding } from "./finding.js";
import type { LifeguardUser } from "./judge-access.js";

/** The group whose members read every unit's journal (Debian's `adm` does too). */
export const JOURNAL_GROUP = "systemd-journal";

/** A unit's journal read as Lifeguard's user (`lifeguard doctor`), beside what the administrator sees of it. */
export type JournalAttempt =
  | { kind: "untried"; reason: string }
  | { kind: "failed"; said: string }
  /** `entries`: shown to the user; `hidden`: journalctl said others' entries are hidden from it; `seenByAdmin`: entries doctor itself sees (null: not asked). */
  | { kind: "read"; entries: number; hidden: boolean; seenByAdmin: number | null };

/** A check's journal source: the service and the unit whose journal is its log. */
export interface JournalSource {
  service: string;
  unit: string;
}

/**
 * A unit's journal must be readable by Lifeguard's user: journald shows a user outside
 * `systemd-journal` (or `adm`) none of a system unit's entries, and `log-fresh` would then find
 * none. The fix adds the user to the group, and restarts a running daemon, which keeps the groups
 * it started with (`restartDaemon`).
 */
export function judgeJournal(source: JournalSource, user: LifeguardUser, attempt: JournalAttempt, context: FixContext & { rerun: string; restartDaemon: string | null }): Finding {
  const what = `The journal of ${source.unit} of "${source.service}"`;
  const join = adminCommand(["usermod", "-a", "-G", JOURNAL_GROUP, user.name], context);
  const fix = context.restartDaemon === null ? join : allOf(join, adminCommand(["systemctl", "try-restart", context.restartDaemon], context));
  switch (attempt.kind) {
    case "untried":
      return warn("journal", `${what} was not tried as user ${user.name}: ${attempt.reason}`, context.rerun);
    case "failed":
      return fail("journal", `${what} cannot be read by user ${user.name}: ${attempt.said}`, fix);
    case "read": {
      if (attempt.entries > 0) return ok("journal", `${what} is readable by user ${user.name}`);
      const held = attempt.seenByAdmin === null || attempt.seenByAdmin === 0 ? "" : ` (it holds entries)`;
      if (attempt.hidden || held !== "") return fail("journal", `${what} is not readable by user ${user.name}${held}: only the groups ${JOURNAL_GROUP} and adm read the journal of a system unit`, fix);
      return warn("journal", `${what} has no entries yet: log-fresh fails until ${source.unit} writes to its standard output or error`);
    }
  }
}
