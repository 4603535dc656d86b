import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { chmodSync, chownSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StoreError } from "./errors.js";
import { MIGRATIONS, SCHEMA_VERSION, migrate, readSchemaVersion } from "./migrations.js";
import { DB_FILE_NAME } from "./open-database.js";
import { openStore } from "./store.js";
import { RETENTION, makeTempDir, openTestStore, spawnFixture } from "./fixtures/helpers.js";

function rawOpen(t: { after(fn: () => void): void }, file: string): Database.Database {
  const db = new Database(file);
  t.after(() => db.close());
  return db;
}

function openError(dir: string): StoreError {
  try {
    openStore(dir, { retention: RETENTION }).close();
  } catch (error) {
    assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
    return error;
  }
  assert.fail("openStore did not throw");
}

test("openStore creates the directory and a WAL database at the newest schema", (t) => {
  const dir = join(makeTempDir(t), "state", "nested");
  const store = openTestStore(t, dir);
  assert.equal(store.file, join(dir, DB_FILE_NAME));
  assert.equal(statSync(dir).mode & 0o777, 0o750);
  const db = rawOpen(t, store.file);
  assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
  assert.equal(db.pragma("auto_vacuum", { simple: true }), 2, "incremental auto-vacuum");
  assert.equal(readSchemaVersion(db), SCHEMA_VERSION);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  assert.deepEqual(tables, ["alerts", "channels", "check_memory", "deliveries", "events", "heartbeats", "installed", "locks", "meta", "requests", "restarts", "service_state", "supervised_runs", "test_alerts", "update_offsets", "watchers"]);
});

test("openStore opens an existing store again without migrating it twice", (t) => {
  const dir = makeTempDir(t);
  openStore(dir, { retention: RETENTION }).close();
  const store = openTestStore(t, dir);
  assert.deepEqual(store.checkIntegrity(), []);
});

test("migration versions count up from 1 without gaps", () => {
  assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, index) => index + 1));
});

test("migrate applies only the missing migrations and rolls back a failing one whole", (t) => {
  const dir = makeTempDir(t);
  const file = openTestStore(t, dir).file;
  const db = rawOpen(t, file);
  const next = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, sql: "CREATE TABLE extra (a INTEGER);" }];
  migrate(db, file, next);
  assert.equal(readSchemaVersion(db), SCHEMA_VERSION + 1);
  const broken = [...next, { version: SCHEMA_VERSION + 2, sql: "CREATE TABLE half (a INTEGER); SELECT * FROM nowhere;" }];
  assert.throws(() => migrate(db, file, broken), /no such table: nowhere/);
  assert.equal(readSchemaVersion(db), SCHEMA_VERSION + 1);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get(), 0);
});

test("openStore refuses a store written by a newer Lifeguard", (t) => {
  const dir = makeTempDir(t);
  const file = join(dir, DB_FILE_NAME);
  openStore(dir, { retention: RETENTION }).close();
  const db = new Database(file);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  const error = openError(dir);
  assert.equal(error.code, "newer-schema");
  assert.equal(
    error.message,
    `Cannot open the store "${file}" as it was written by a newer Lifeguard: schema version ${SCHEMA_VERSION + 1}, this Lifeguard knows up to ${SCHEMA_VERSION}`,
  );
  assert.match(error.hint ?? "", /Upgrade Lifeguard/);
});

test("openStore says a file that is not a database is corrupt", (t) => {
  const dir = makeTempDir(t);
  const file = join(dir, DB_FILE_NAME);
  writeFileSync(file, "this is a log file, not a database\n".repeat(200));
  const error = openError(dir);
  assert.equal(error.code, "corrupt");
  assert.equal(error.message, `Cannot open the store "${file}" as the file is not a database (SQLITE_NOTADB)`);
});

test("openStore says a state directory that cannot be created is unwritable", (t) => {
  const dir = makeTempDir(t);
  writeFileSync(join(dir, "file"), "");
  const error = openError(join(dir, "file", "state"));
  assert.equal(error.code, "unwritable");
  assert.equal(error.message, `Cannot create the state directory "${join(dir, "file", "state")}": ENOTDIR (not a directory)`);
  assert.equal(error.exitCode, 70);
});

const NOBODY = { uid: 65534, gid: 65534 };
const asRoot = { skip: process.getuid?.() === 0 ? false : "needs root to run a fixture as another user" };

test("openStore says a directory or file the user cannot write is unwritable", asRoot, async (t) => {
  const dir = makeTempDir(t);
  chmodSync(dir, 0o755);
  const readOnly = spawnFixture(t, "open-store.ts", [join(dir, "state")], NOBODY);
  assert.deepEqual(JSON.parse(await readOnly.waitForLine("{")), {
    code: "unwritable",
    message: `Cannot create the state directory "${join(dir, "state")}": EACCES (permission denied)`,
  });
  const shared = join(dir, "shared");
  openStore(shared, { retention: RETENTION }).close();
  chownSync(shared, NOBODY.uid, NOBODY.gid);
  const file = join(shared, DB_FILE_NAME);
  const rootsFile = spawnFixture(t, "open-store.ts", [shared], NOBODY);
  assert.deepEqual(JSON.parse(await rootsFile.waitForLine("{")), {
    code: "unwritable",
    message: `Cannot open the store "${file}" as "${file}" is not writable: EACCES (permission denied)`,
  });
});
