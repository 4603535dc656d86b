/** Exit codes of the CLI (DESIGN.md): the only place they are defined. */
export const EXIT = {
  healthy: 0,
  restarted: 1,
  /** Any other command that could not do what it was asked (`logs`: nothing to show), as tail and journalctl exit; `check`'s 1 is `restarted`. */
  failed: 1,
  unhealthy: 2,
  usage: 64,
  software: 70,
  /** A file that cannot or must not be written (`init` over an existing configuration): sysexits' EX_CANTCREAT. */
  cantCreate: 73,
  config: 78,
} as const;

/**
 * The small error family. Each error knows its exit code and a hint for the user;
 * only the CLI entry prints them and exits.
 */
export class LifeguardError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? EXIT.software;
    this.hint = options.hint;
  }
}

/** One problem in a configuration file, located as precisely as the source allows. */
export interface ConfigIssue {
  file: string;
  line: number | null;
  column: number | null;
  /** Dotted path to the field, e.g. `services.trader.checks[1].max-age`; empty for the whole file. */
  path: string;
  message: string;
}

/** Formats an issue as `file:line:col: path: message`. */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = [issue.file, issue.line, issue.column].filter((part) => part !== null).join(":");
  return issue.path === "" ? `${where}: ${issue.message}` : `${where}: ${issue.path}: ${issue.message}`;
}

/** An invalid or unreadable configuration (exit 78), carrying every issue found. */
export class ConfigError extends LifeguardError {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], hint?: string) {
    const lines = issues.map(formatConfigIssue);
    const head = issues.length === 1 ? "Invalid configuration" : `Invalid configuration (${issues.length} problems)`;
    super(`${head}:\n  ${lines.join("\n  ")}`, { exitCode: EXIT.config, hint: hint ?? "Run `lifeguard validate` after editing; `lifeguard schema` prints the JSON Schema." });
    this.issues = issues;
  }
}

/** A command line that cannot be understood (exit 64). */
export class UsageError extends LifeguardError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: EXIT.usage, ...(hint === undefined ? {} : { hint }) });
  }
}
