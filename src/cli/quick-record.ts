import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { QuickFlags } from "../config/quick-config.js";
import { isProcessAlive, readBootId } from "../process/proc-stat.js";
import { fsReason } from "./fs-reason.js";

/** The file in a quick-mode Lifeguard's directory that says how it was started. */
export const RECORD_FILE = "quick.json";
const RECORD_VERSION = 1;
/** A record is a few hundred bytes; anything much larger is not one. */
const MAX_RECORD_BYTES = 1024 * 1024;

/** The variables a quick-mode config is built from besides the flags: those the state root's default reads. */
export const RECORDED_VARIABLES = ["LIFEGUARD_STATE", "XDG_STATE_HOME", "HOME"] as const;

/**
 * How a quick-mode Lifeguard was started: what `status`, `history` and `reset` need to build the
 * same configuration without its flags (config/quick-config.ts, with the same defaults and
 * checks), and who runs it. Never the token: only whether one was set.
 */
export interface QuickRecord {
  version: typeof RECORD_VERSION;
  /** The command after `--`, as given. */
  command: string[];
  /** The flags as given, unparsed. */
  flags: QuickFlags;
  /** Where relative flags (`--state`, `--output`) started from. */
  cwd: string;
  /** The variables of RECORDED_VARIABLES that were set. */
  env: Partial<Record<(typeof RECORDED_VARIABLES)[number], string>>;
  isRoot: boolean;
  /** `$LIFEGUARD_TOKEN` was set; its value is never written anywhere. */
  token: boolean;
  /** The Lifeguard that runs it, by PID, start time and boot (a PID is reused, a start time too after a reboot). */
  pid: number;
  pidStartTime: number | null;
  bootId: string | null;
  /** Wall time of its start. */
  startedAt: number;
}

/** The record's path in a quick-mode Lifeguard's directory. */
export const recordPath = (dir: string): string => join(dir, RECORD_FILE);

/**
 * Writes the record atomically (a temporary file renamed over the old one), so a reader never
 * sees half of one, creating the directory (0750) when it is the first start.
 */
export function writeQuickRecord(dir: string, record: Omit<QuickRecord, "version">): void {
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const path = recordPath(dir);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify({ version: RECORD_VERSION, ...record }, null, 2)}\n`, { mode: 0o640 });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The record in `dir`, or why there is none that can be used: `does not exist`, `cannot be read: ...`, `is not a record: ...`. */
export function readQuickRecord(dir: string): { record: QuickRecord } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(recordPath(dir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { problem: "does not exist" };
    return { problem: `cannot be read: ${fsReason(error)}` };
  }
  if (text.length > MAX_RECORD_BYTES) return { problem: `is not a record: it holds ${text.length} bytes` };
  try {
    return { record: parseRecord(JSON.parse(text) as unknown) };
  } catch (error) {
    return { problem: `is not a record: ${(error as Error).message}` };
  }
}

/** Whether the Lifeguard the record names still runs (this very process too). */
export function isRecordRunning(record: QuickRecord): boolean {
  const bootId = readBootId();
  if (record.bootId !== null && bootId !== null && record.bootId !== bootId) return false;
  return isProcessAlive(record.pid, record.pidStartTime);
}

/** Checks each field's type: a record is written by Lifeguard, but a disk or a hand may have changed it. */
function parseRecord(data: unknown): QuickRecord {
  if (!isObject(data)) throw new Error("expected a JSON object");
  if (data.version !== RECORD_VERSION) throw new Error(`expected version ${RECORD_VERSION}, got ${JSON.stringify(data.version)}`);
  const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");
  // flags and env: maps of strings (a flag's value is a string as commander hands it over).
  const stringMap = (value: unknown): value is Record<string, string> => isObject(value) && Object.values(value).every((item) => typeof item === "string");
  const expect = (field: string, ok: boolean, what: string): void => {
    if (!ok) throw new Error(`expected "${field}" to be ${what}`);
  };
  expect("command", strings(data.command) && data.command.length > 0, "a list of strings");
  expect("flags", stringMap(data.flags), "a map of strings");
  expect("cwd", typeof data.cwd === "string", "a string");
  expect("env", stringMap(data.env), "a map of strings");
  expect("isRoot", typeof data.isRoot === "boolean", "true or false");
  expect("token", typeof data.token === "boolean", "true or false");
  expect("pid", Number.isInteger(data.pid), "a whole number");
  expect("pidStartTime", data.pidStartTime === null || Number.isInteger(data.pidStartTime), "a whole number or null");
  expect("bootId", data.bootId === null || typeof data.bootId === "string", "a string or null");
  expect("startedAt", typeof data.startedAt === "number", "a number");
  return data as unknown as QuickRecord;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
