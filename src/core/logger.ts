/** The seed's tags, one per kind of fact in the watchdog log. */
export type LogTag = "OK" | "FAIL" | "WARN" | "RESTART" | "GAVE-UP" | "INFO" | "ERROR";

/** One fact for the watchdog log; formatting and destination belong to the log adapter. */
export interface LogEntry {
  /** Wall-clock time, ms since the epoch. */
  at: number;
  tag: LogTag;
  message: string;
  service?: string;
  /** Structured details: kept in JSON lines, left out of the text format. */
  data?: Record<string, unknown>;
}

/** Where log entries go. Injected everywhere, so tests read what was logged. */
export interface Logger {
  write(entry: LogEntry): void;
}

/** A logger that keeps entries in memory, for tests and for the library's report. */
export function createMemoryLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return { entries, write: (entry) => void entries.push(entry) };
}
