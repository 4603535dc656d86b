import type { Database } from "better-sqlite3";
import type { RoundCommit } from "../core/store.js";
import { canonicalJson } from "./json.js";
import { prepared } from "./prepared.js";
import { parseState, type ParsedState } from "./parse-state.js";
import { insertAlerts } from "./outbox.js";
import { insertEvent, insertRestart } from "./records.js";
import type { CommitResult } from "./types.js";
import { initialState, type ServiceState } from "../core/state.js";

interface StateRow {
  state: string;
  checked_at: number | null;
}

/** How `commitRound` decides what to write. */
export interface CommitSettings {
  /** Wall clock for `updated_at`. */
  now: () => number;
  /** A healthy round with nothing new refreshes `checked_at` at most this often. */
  checkedAtThrottleMs: number;
}

const NOTHING: CommitResult = { stateWritten: false, checkedAtWritten: false, events: 0, restartId: null, alerts: [] };

/** Each service's last stored text and its parse; `canonical`: the text is the parse's canonical JSON (no migration changed it). */
export type StateMemo = Map<string, { text: string; parsed: ParsedState; canonical: boolean }>;

/** The stored state of `service`, or the initial state when there is none; `problem` says why a stored one was unusable. */
export function loadState(db: Database, service: string, memo?: StateMemo): ParsedState {
  const row = readRow(db, service);
  if (row === undefined) return { state: initialState(), problem: null };
  // The daemon reads each state every round and it seldom changes: parse a text once.
  const known = memo?.get(service);
  if (known?.text === row.state) return known.parsed;
  const parsed = parseState(row.state);
  memo?.set(service, { text: row.state, parsed, canonical: parsed.problem === null && canonicalJson(parsed.state) === row.state });
  return parsed;
}

/**
 * Writes one round in one transaction: the state only when it differs from the stored one
 * (compared as canonical JSON), the events, the restart record. `checked_at` alone is
 * refreshed at most once per throttle, so a steady healthy service costs no writes: an SD card
 * wears out from writes. A round with nothing to write never takes the write lock.
 */
export function commitRound(db: Database, service: string, round: RoundCommit, settings: CommitSettings): CommitResult {
  if (round.restart !== undefined && round.restart.service !== service) {
    throw new Error(`commitRound("${service}") got a restart record of "${round.restart.service}"`);
  }
  const stateJson = canonicalJson(round.state);
  const hasRecords = round.events.length > 0 || round.restart !== undefined || (round.alerts?.length ?? 0) > 0;
  const plan = (row: StateRow | undefined): { state: boolean; checkedAt: boolean } => {
    const state = row?.state !== stateJson;
    const stale = row?.checked_at == null || Math.abs(round.checkedAt - row.checked_at) >= settings.checkedAtThrottleMs;
    return { state, checkedAt: state || hasRecords || stale };
  };
  const first = plan(readRow(db, service));
  if (!first.checkedAt) return NOTHING;
  const write = db.transaction((): CommitResult => {
    // Read again under the write lock: another process may have written since.
    const todo = plan(readRow(db, service));
    const checkedAt = Math.trunc(round.checkedAt);
    if (todo.state) {
      db.prepare(
        `INSERT INTO service_state (service, state, updated_at, checked_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (service) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, checked_at = excluded.checked_at`,
      ).run(service, stateJson, Math.trunc(settings.now()), checkedAt);
    } else if (todo.checkedAt) {
      db.prepare("UPDATE service_state SET checked_at = ? WHERE service = ?").run(checkedAt, service);
    }
    for (const event of round.events) insertEvent(db, service, event);
    const restartId = round.restart === undefined ? null : insertRestart(db, round.restart);
    const alerts = insertAlerts(db, round.alerts ?? []);
    return { stateWritten: todo.state, checkedAtWritten: todo.checkedAt, events: round.events.length, restartId, alerts };
  });
  return write.immediate();
}

/**
 * A round that changed nothing, recorded without the service's lock: `checked_at` is refreshed
 * at most once per throttle, and only where the stored state is still `state` (one conditional
 * UPDATE, so a state another process just wrote is never overwritten). `changed`: it is not.
 */
export function touchRound(
  db: Database, service: string, state: ServiceState, checkedAt: number, settings: CommitSettings, memo?: StateMemo,
): "unchanged" | "refreshed" | "changed" {
  const row = readRow(db, service);
  if (row === undefined) return "changed";
  // The state the round read (loadState's memo of this very text) needs no serialising to compare.
  const known = memo?.get(service);
  const stateJson = known !== undefined && known.canonical && known.parsed.state === state && known.text === row.state ? row.state : canonicalJson(state);
  if (row.state !== stateJson) return "changed";
  if (row.checked_at !== null && Math.abs(checkedAt - row.checked_at) < settings.checkedAtThrottleMs) return "unchanged";
  const updated = prepared(db, "UPDATE service_state SET checked_at = ? WHERE service = ? AND state = ?").run(Math.trunc(checkedAt), service, stateJson);
  return updated.changes === 1 ? "refreshed" : "changed";
}

function readRow(db: Database, service: string): StateRow | undefined {
  return prepared(db, "SELECT state, checked_at FROM service_state WHERE service = ?").get(service) as StateRow | undefined;
}
