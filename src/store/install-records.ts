import { openDatabase } from "./open-database.js";

const BUSY_TIMEOUT_MS = 5000;

/** One thing `lifeguard install` changed on the box. */
export interface InstallRecord {
  kind: "file" | "dir" | "user" | "acl" | "enabled" | "group";
  /** A path, a user name, a unit or a group (Lifeguard's user joined it). */
  target: string;
  /** A file's content as written (hex SHA-256); null for the other kinds. */
  sha256: string | null;
  /** An ACL's entries as given to setfacl (`u:lifeguard:r`); the user who joined a group; else empty. */
  detail: string;
  installedAt: number;
  /** The command that did it. */
  command: string;
}

/** What `install` changed, kept in the store of its `state` directory (created when missing). */
export interface InstallRecords {
  list(): InstallRecord[];
  get(kind: InstallRecord["kind"], target: string): InstallRecord | null;
  put(record: InstallRecord): void;
  remove(kind: InstallRecord["kind"], target: string): void;
  close(): void;
}

interface Row {
  kind: InstallRecord["kind"];
  target: string;
  sha256: string | null;
  detail: string;
  installed_at: number;
  command: string;
}

const toRecord = (row: Row): InstallRecord => ({ kind: row.kind, target: row.target, sha256: row.sha256, detail: row.detail, installedAt: row.installed_at, command: row.command });

export function openInstallRecords(dir: string): InstallRecords {
  const { db } = openDatabase(dir, BUSY_TIMEOUT_MS);
  const select = db.prepare("SELECT * FROM installed WHERE kind = ? AND target = ?");
  return {
    list: () => (db.prepare("SELECT * FROM installed ORDER BY installed_at, kind, target").all() as Row[]).map(toRecord),
    get: (kind, target) => {
      const row = select.get(kind, target) as Row | undefined;
      return row === undefined ? null : toRecord(row);
    },
    put: (record) => {
      db.prepare("INSERT INTO installed (kind, target, sha256, detail, installed_at, command) VALUES (?, ?, ?, ?, ?, ?) " +
        "ON CONFLICT (kind, target) DO UPDATE SET sha256 = excluded.sha256, detail = excluded.detail, installed_at = excluded.installed_at, command = excluded.command")
        .run(record.kind, record.target, record.sha256, record.detail, Math.trunc(record.installedAt), record.command);
    },
    remove: (kind, target) => void db.prepare("DELETE FROM installed WHERE kind = ? AND target = ?").run(kind, target),
    close: () => db.close(),
  };
}
