import Database from "better-sqlite3";
import type { TestAlertResult } from "../core/doctor/judge-alerts.js";
import { openDatabase } from "./open-database.js";
import { readTableRows } from "./read-only.js";

const BUSY_TIMEOUT_MS = 5000;

/**
 * Keeps each channel's `lifeguard test-alert` result in the store of `dir` (creating it when
 * missing), replacing that channel's previous one: what `lifeguard doctor` reports.
 */
export function recordTestAlerts(dir: string, results: readonly TestAlertResult[]): void {
  const { db } = openDatabase(dir, BUSY_TIMEOUT_MS);
  try {
    const upsert = db.prepare("INSERT INTO test_alerts (channel, at, ok, summary) VALUES (?, ?, ?, ?) " +
      "ON CONFLICT (channel) DO UPDATE SET at = excluded.at, ok = excluded.ok, summary = excluded.summary");
    db.transaction(() => {
      for (const result of results) upsert.run(result.channel, Math.trunc(result.at), result.ok ? 1 : 0, result.summary);
    }).immediate();
  } finally {
    db.close();
  }
}

/**
 * The last test-alert result of every channel that has one, read without writing (no store is
 * made, none migrated: a file older than the table has none); the reason when it cannot be read.
 */
export function readTestAlerts(dir: string): Map<string, TestAlertResult> | { error: string } {
  const rows = readTableRows<{ channel: string; at: number; ok: number; summary: string }>(dir, "test_alerts");
  if ("error" in rows) return rows;
  return new Map(rows.map((row) => [row.channel, { channel: row.channel, at: row.at, ok: row.ok === 1, summary: row.summary }]));
}

/** Whether better-sqlite3's native binding loads: null when it does, else why not. */
export function sqliteProblem(): string | null {
  try {
    new Database(":memory:").close();
    return null;
  } catch (error) {
    return (error as Error).message.split("\n")[0] ?? "it cannot be loaded";
  }
}
