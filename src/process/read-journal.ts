import { readFileSync } from "node:fs";
import { runCommand, type CommandResult } from "./run-command.js";

/** One journal entry of a unit, as `journalctl -o json` gives it. */
export interface JournalEntry {
  /** Where the entry is: the next read starts after it (`--after-cursor`). */
  cursor: string;
  message: string;
  /** Wall time (ms) journald received it. */
  realtimeMs: number;
  /** CLOCK_MONOTONIC (ms) of the boot `bootId` when journald received it. */
  monotonicMs: number;
  bootId: string;
}

/** What to read: the last `count` entries, or at most `count` entries after `afterCursor`, the oldest first. */
export interface JournalQuery {
  unit: string;
  count: number;
  afterCursor?: string | null;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Entries, oldest first; or why journalctl gave none. */
export type JournalRead = { ok: true; entries: JournalEntry[] } | { ok: false; problem: string; result: CommandResult };

/** journalctl's output kept of one read; what is beyond is cut (journalctl shows a MESSAGE over 4 KiB as null). */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/**
 * Reads a unit's journal through `journalctl --unit UNIT -o json`: one bounded process (argv only,
 * `timeoutMs`, output capped), `-n count` entries at most. With `afterCursor`, the entries after
 * it, oldest first (journalctl gives the first `count` of them: a long backlog is read over several
 * looks); without, the last `count`. Never reads the whole journal.
 */
export async function readJournal(query: JournalQuery): Promise<JournalRead> {
  const argv = ["journalctl", "--unit", query.unit, "-o", "json", "--no-pager", "--quiet", "-n", String(query.count), "--output-fields=MESSAGE"];
  if (query.afterCursor !== undefined && query.afterCursor !== null) argv.push("--after-cursor", query.afterCursor);
  const result = await runCommand(argv, {
    timeoutMs: query.timeoutMs,
    ...(query.signal === undefined ? {} : { signal: query.signal }),
    maxOutputBytes: MAX_OUTPUT_BYTES,
  });
  if (!result.ok) return { ok: false, problem: result.errorCode === "ENOENT" ? "journalctl is not installed" : describeFailure(result), result };
  return { ok: true, entries: result.stdout.split("\n").flatMap(parseEntry) };
}

function describeFailure(result: CommandResult): string {
  const said = result.stderr.trim().split("\n")[0] ?? "";
  const how = result.exitCode === null ? `ended by ${result.signal ?? "a timeout"}` : `exited ${result.exitCode}`;
  return said === "" ? `journalctl ${how}` : `journalctl ${how}: ${said}`;
}

function parseEntry(line: string): JournalEntry[] {
  if (line.trim() === "") return [];
  try {
    const raw = JSON.parse(line) as Record<string, unknown>;
    const cursor = raw.__CURSOR;
    if (typeof cursor !== "string") return [];
    return [{
      cursor,
      message: decodeMessage(raw.MESSAGE),
      realtimeMs: Number(raw.__REALTIME_TIMESTAMP) / 1000,
      monotonicMs: Number(raw.__MONOTONIC_TIMESTAMP) / 1000,
      bootId: typeof raw._BOOT_ID === "string" ? raw._BOOT_ID : "",
    }];
  } catch {
    return [];
  }
}

/** MESSAGE is a string, or an array of bytes when it is not valid UTF-8; null when too large to show (then ""). */
function decodeMessage(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return Buffer.from(value.filter((byte): byte is number => typeof byte === "number")).toString("utf8");
  return "";
}

/** This boot's id as the journal writes it (`_BOOT_ID`: 32 hex digits, no dashes); "" when unknown. */
export function currentBootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim().replaceAll("-", "");
  } catch {
    return "";
  }
}
