import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExecChannelConfig } from "../config/types.js";
import { PYTHON } from "./bots.js";

/** The alert program of the tests: records what it received, then behaves as told (bots/alert-program.py). */
export const ALERT_PROGRAM = fileURLToPath(new URL("./bots/alert-program.py", import.meta.url));

/**
 * What the next runs do: `accept` exits 0, `fail` exits 1 with stderr, `tempfail` exits 75,
 * `permanent` exits 65 (EX_DATAERR), `hang` ignores SIGTERM and keeps a child (see `pids()`).
 */
export type ExecBehaviour = "accept" | "fail" | "tempfail" | "permanent" | "hang";

/** One run of the program: its argv, its whole environment, and its stdin (parsed JSON, or the text). */
export interface ExecRun {
  argv: string[];
  env: Record<string, string>;
  stdin: unknown;
}

export interface ExecReceiver {
  dir: string;
  /** A channel config (name "test") that runs the program. */
  config(overrides?: Partial<ExecChannelConfig>): ExecChannelConfig;
  /** A config whose program does not exist. */
  missingConfig(overrides?: Partial<ExecChannelConfig>): ExecChannelConfig;
  /** Every run so far, oldest first (read from the records the runs wrote). */
  readonly received: ExecRun[];
  behave(behaviour: ExecBehaviour): void;
  /** The pids a `hang` run wrote once it ignored SIGTERM and started its child; null before. */
  pids(): { pid: number; child: number } | null;
  /** Removes the records (kill any hung run first: its group is the sender's to end). */
  close(): void;
}

/** A config for the `exec` channel, with the shared defaults of the tests. */
export function execConfig(command: string[], overrides: Partial<ExecChannelConfig> = {}): ExecChannelConfig {
  return { type: "exec", name: "test", command, env: {}, timeoutMs: 10_000, failover: null, failoverAfterMs: 600_000, ...overrides };
}

/** The alert program in a fresh temp dir of its records. */
export function startExecReceiver(): ExecReceiver {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-exec-"));
  const readJson = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), "utf8"));
  return {
    dir,
    config: (overrides) => execConfig([PYTHON, ALERT_PROGRAM, dir], overrides),
    missingConfig: (overrides) => execConfig([join(dir, "no-such-program"), "--urgent"], overrides),
    get received() {
      return readdirSync(dir).filter((name) => /^run-.*\.json$/.test(name)).sort().map((name) => readJson(name) as ExecRun);
    },
    behave: (behaviour) => writeFileSync(join(dir, "mode"), behaviour),
    pids: () => (readdirSync(dir).includes("pids") ? (readJson("pids") as { pid: number; child: number }) : null),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
