import type { RunJournal } from "../../core/run-journal.js";
import type { OutputTarget } from "./output-log.js";

export interface ProcessRunnerOptions {
  /** The service's name, used in every summary: `Started "bot" (PID 42)`. */
  name: string;
  /** argv: the program and its arguments, run without a shell. A bare name is looked up in PATH. */
  command: readonly string[];
  cwd?: string;
  /** Variables added to the inherited environment (they win over it). */
  env?: Readonly<Record<string, string>>;
  /**
   * Variables known only once Lifeguard runs (e.g. `LIFEGUARD_PING_URL`, once its HTTP server
   * listens), asked for at each start; `env` wins over them.
   */
  startEnv?: () => Readonly<Record<string, string>>;
  /** What the service inherits (default: Lifeguard's environment); pass a filtered one to keep secrets from it. */
  baseEnv?: NodeJS.ProcessEnv;
  /** Run as this user from /etc/passwd (name or uid), with its primary group; HOME, USER, LOGNAME and SHELL follow it. */
  user?: string;
  /** Where stdout and stderr go; null: read and dropped. */
  output: OutputTarget | null;
  /** How long start() watches the fresh process for an immediate exit (default 100ms); 0: ok once spawned. */
  settleMs?: number;
  /** How often stop and kill look in /proc for group members left after the leader exited (default 50ms). */
  pollIntervalMs?: number;
  /**
   * Where each run is recorded while it may be alive (the store): a start first stops what runs a
   * Lifeguard killed before it left (found by the records, never by name). None: no records.
   */
  journal?: RunJournal;
  /** Told when the journal cannot be written or read; the service is supervised all the same. */
  onJournalError?: (error: unknown) => void;
  /** How a start stops such a survivor: SIGTERM, `stopTimeoutMs`, SIGKILL, `killWaitMs` (the service's restart settings). */
  survivorStop?: { stopTimeoutMs: number; killWaitMs: number };
  /**
   * This is the only service Lifeguard supervises: the orphans it adopts as a child subreaper can
   * only be this service's, and are stopped with it (a helper that cleared its environment and
   * lost its parent is found no other way).
   */
  claimsAdopted?: boolean;
  /** Told when the output cannot be written (once per failing streak); the service runs on. */
  onOutputError?: (error: unknown) => void;
}

/** How one run of the service ended; told to `onExit` listeners at once, from Node's exit event. */
export interface ProcessExit {
  pid: number;
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Wall-clock ms since the epoch when Lifeguard saw the exit. */
  at: number;
  /** From the spawn to the exit: what `min-uptime` is compared with. */
  uptimeMs: number;
  /** A stop, kill or shutdown of this runner asked for it: not a crash. */
  requested: boolean;
  /** `inactive` after a clean or requested end, `failed` otherwise. */
  state: "inactive" | "failed";
  /** The last line the service wrote (stdout or stderr), e.g. a Traceback's last line. */
  lastOutput?: string;
  /** Why the OOM killer is named as the cause of an unasked SIGKILL (oom-cause.ts). */
  oomKill?: string;
}

export type ExitListener = (exit: ProcessExit) => void;
