import type { Database } from "better-sqlite3";
import type { ParsedState } from "./parse-state.js";
import { parseState } from "./parse-state.js";
import { decodeRestart, type RestartRow } from "./records.js";
import type { ServiceSummary } from "./types.js";

interface ServiceRow {
  service: string;
  state: string;
  updated_at: number;
  checked_at: number | null;
}

/**
 * Every service the store knows, by name, with its state, when it was last checked, and its
 * restarts since `since` (for `lifeguard status`). `onProblem` hears of unreadable states.
 */
export function listServices(db: Database, since: number, onProblem: (service: string, parsed: ParsedState) => void): ServiceSummary[] {
  const rows = db.prepare("SELECT service, state, updated_at, checked_at FROM service_state ORDER BY service").all() as ServiceRow[];
  const count = db.prepare("SELECT count(*) FROM restarts WHERE service = ? AND started_at >= ?").pluck();
  const last = db.prepare("SELECT * FROM restarts WHERE service = ? ORDER BY started_at DESC, id DESC LIMIT 1");
  return rows.map((row) => {
    const parsed = parseState(row.state);
    if (parsed.problem !== null) onProblem(row.service, parsed);
    const lastRow = last.get(row.service) as RestartRow | undefined;
    return {
      service: row.service,
      state: parsed.state,
      updatedAt: row.updated_at,
      checkedAt: row.checked_at,
      restartsInWindow: count.get(row.service, Math.trunc(since)) as number,
      lastRestart: lastRow === undefined ? null : decodeRestart(lastRow),
    };
  });
}
