import type { Database, Statement } from "better-sqlite3";

const cache = new WeakMap<Database, Map<string, Statement>>();

/**
 * The prepared statement of `sql` on `db`, prepared once: what runs every round (a service's
 * state read, its `checked_at` refresh) would otherwise compile its SQL each time, which was the
 * largest part of an idle round's CPU (a V8 profile of the daemon, issue 14).
 */
export function prepared(db: Database, sql: string): Statement {
  let statements = cache.get(db);
  if (statements === undefined) cache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (statement === undefined) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
