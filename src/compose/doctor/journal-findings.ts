import { checkedJournals } from "../../config/checked-files.js";
import type { LifeguardConfig } from "../../config/types.js";
import type { FixContext } from "../../core/doctor/fixes.js";
import type { Finding } from "../../core/doctor/finding.js";
import type { LifeguardUser } from "../../core/doctor/judge-access.js";
import { judgeJournal, type JournalAttempt, type JournalSource } from "../../core/doctor/judge-journal.js";
import { peekJournal } from "../../process/doctor/journal-as-user.js";
import { cannotActAs } from "../../process/doctor/run-as-user.js";

type Context = FixContext & { rerun: string; restartDaemon: string | null };

/** Each unit's journal a check reads (`journal:`), read as Lifeguard's user: its newest entry, beside what doctor itself sees. */
export async function journalFindings(config: LifeguardConfig, user: LifeguardUser, context: Context): Promise<Finding[]> {
  const sources = config.services.flatMap((service) => [...new Set(checkedJournals(service))].map((unit): JournalSource => ({ service: service.name, unit })));
  return Promise.all(sources.map(async (source) => judgeJournal(source, user, await tryJournal(user, source.unit), context)));
}

async function tryJournal(user: LifeguardUser, unit: string): Promise<JournalAttempt> {
  const untried = cannotActAs(user);
  if (untried !== null) return { kind: "untried", reason: untried };
  const [asUser, asAdmin] = await Promise.all([peekJournal(unit, user), peekJournal(unit, null)]);
  if (asUser === null) return { kind: "untried", reason: `cannot act as user ${user.name}` };
  if (!asUser.ok) return { kind: "failed", said: asUser.said };
  return { kind: "read", entries: asUser.entries, hidden: asUser.hidden, seenByAdmin: asAdmin?.ok === true ? asAdmin.entries : null };
}
