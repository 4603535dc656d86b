import type { QuickFlags } from "../config/quick-config.js";
import type { LifeguardConfig } from "../config/types.js";
import { ConfigError, EXIT, LifeguardError, UsageError, type ConfigIssue } from "../core/errors.js";

/** What `lifeguard run` asks its config process for: the file named by `-c` (or the default one), or quick mode's config. */
export type ConfigRequest = { kind: "file"; config?: string } | { kind: "quick"; command: string[]; flags: QuickFlags };

/** A LifeguardError as plain data: enough to throw the same message, hint and exit code again. */
interface ErrorData {
  message: string;
  exitCode: number;
  hint?: string;
  issues?: ConfigIssue[];
}

/** The config process's answer, one JSON document on its standard output. */
export type ConfigReply = { ok: true; config: LifeguardConfig } | { ok: false; error: ErrorData };

/** The reply for an error thrown while loading; anything but a LifeguardError is a bug, reported with its stack. */
export function replyOfError(error: unknown): ConfigReply {
  if (error instanceof ConfigError) return { ok: false, error: { message: error.message, exitCode: error.exitCode, issues: error.issues, ...hintOf(error) } };
  if (error instanceof LifeguardError) return { ok: false, error: { message: error.message, exitCode: error.exitCode, ...hintOf(error) } };
  const message = `Cannot load the configuration: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  return { ok: false, error: { message, exitCode: EXIT.software } };
}

/** The error a failed reply stands for, of the class it was thrown as (ConfigError, UsageError or LifeguardError). */
export function errorOfReply(error: ErrorData): LifeguardError {
  if (error.issues !== undefined) return new ConfigError(error.issues, error.hint);
  if (error.exitCode === EXIT.usage) return new UsageError(error.message, error.hint);
  return new LifeguardError(error.message, { exitCode: error.exitCode, ...hintOf(error) });
}

const hintOf = (error: { hint?: string | undefined }): { hint?: string } => (error.hint === undefined ? {} : { hint: error.hint });
