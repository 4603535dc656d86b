import type { Database } from "better-sqlite3";
import type { EventKind, ServiceEvent } from "../core/policy.js";
import type { RestartRecord, RestartStepRecord } from "../core/store.js";
import { decodeJson, encodeJson } from "./json.js";

/** A row of `restarts` as SQLite returns it. */
export interface RestartRow {
  id: number;
  service: string;
  started_at: number;
  finished_at: number;
  reason: string;
  attempt: number;
  max: number;
  ok: number;
  summary: string;
  evidence: string;
  steps: string;
}

/** A row of `events` as SQLite returns it. */
export interface EventRow {
  id: number;
  service: string;
  at: number;
  kind: string;
  message: string;
  data: string;
}

/** Appends one event; its data is stored as size-bounded JSON. */
export function insertEvent(db: Database, service: string, event: ServiceEvent): void {
  db.prepare("INSERT INTO events (service, at, kind, message, data) VALUES (?, ?, ?, ?, ?)")
    .run(service, Math.trunc(event.at), event.kind, event.message, encodeJson(event.data));
}

/** Appends one restart record and returns its id. */
export function insertRestart(db: Database, record: RestartRecord): number {
  const result = db
    .prepare(
      `INSERT INTO restarts (service, started_at, finished_at, reason, attempt, max, ok, summary, evidence, steps)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      record.service, Math.trunc(record.startedAt), Math.trunc(record.finishedAt), record.reason, Math.trunc(record.attempt),
      Math.trunc(record.max), record.ok ? 1 : 0, record.summary, encodeJson(record.evidence), encodeJson(record.steps),
    );
  return Number(result.lastInsertRowid);
}

/** Turns a `restarts` row back into a record. */
export function decodeRestart(row: RestartRow): RestartRecord {
  const steps = decodeJson(row.steps);
  return {
    service: row.service, startedAt: row.started_at, finishedAt: row.finished_at, reason: row.reason,
    attempt: row.attempt, max: row.max, ok: row.ok === 1, summary: row.summary,
    evidence: decodeJson(row.evidence), steps: Array.isArray(steps) ? (steps as RestartStepRecord[]) : [],
  };
}

/** Turns an `events` row back into an event. */
export function decodeEvent(row: EventRow): ServiceEvent {
  const data = decodeJson(row.data);
  const record = data !== null && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : { value: data };
  return { kind: row.kind as EventKind, at: row.at, message: row.message, data: record };
}
