import { parseDuration } from "../core/duration.js";
import { UsageError, type ConfigIssue } from "../core/errors.js";
import { formatPath, type FieldPath } from "./format-path.js";
import type { Env } from "./interpolate.js";
import { defaultStateDir, quickInstanceDir, serviceNameOf, type Sourced } from "./quick-defaults.js";
import { pathResolver } from "./resolve-path.js";
import { outputFile } from "./runner-process.js";
import type { LifeguardConfig } from "./types.js";
import { validateDocument } from "./validate.js";

import { QUICK_SOURCE } from "./quick-source.js";

export { QUICK_SOURCE };

/** Quick mode acts on the first failing round: the durations given are the tolerance already. */
const FAILURE_THRESHOLD = 1;
/** `--match` looks at this many lines of the output's tail for at least one match. */
const MATCH_LINES = 100;
const MATCH_MIN = 1;
const COMMAND_ORIGIN = 'the command after "--"';
const HINT = "Run `lifeguard run --help` for the flags of quick mode.";

/** The flags of quick mode as commander hands them over: strings, unparsed (the schema judges them). */
export interface QuickFlags {
  name?: string;
  maxAge?: string;
  match?: string;
  heartbeat?: string;
  interval?: string;
  state?: string;
  output?: string;
  outputMaxSize?: string;
  listen?: string;
  logFormat?: string;
}

/** What quick mode reads besides its flags. */
export interface QuickContext {
  /** `$LIFEGUARD_TOKEN`, `$LIFEGUARD_STATE`, `$XDG_STATE_HOME`, `$HOME`; nothing is interpolated. */
  env: Env;
  /** Relative paths (`--state`, `--output`) start here. */
  cwd: string;
  /** Root keeps its store in /var/lib/lifeguard, other users under their home. */
  isRoot: boolean;
}

/** The config document the flags make, and which flag (or variable) wrote which part of it. */
export interface QuickDocument {
  /** The kebab-case object a YAML file would hold. */
  document: Record<string, unknown>;
  /** A problem is named after the origin with the longest path that leads to it. */
  origins: Array<{ path: FieldPath; from: string }>;
  /**
   * What a command typed elsewhere needs to find this Lifeguard (PolicySettings.cliAddress):
   * `--state ROOT` unless the root is the one every command of this user finds by itself.
   */
  cliAddress: string[];
}

/**
 * `lifeguard run [flags] -- CMD ARGS...` as a configuration: the document of `buildQuickDocument`,
 * validated as a file is, so every default and rule is a file's. Throws a UsageError (exit 64)
 * naming the flag of each problem (`Cannot read --max-age: expected a duration ...`). Pure.
 */
export function quickConfig(command: readonly string[], flags: QuickFlags, context: QuickContext): LifeguardConfig {
  if (flags.heartbeat !== undefined && !isSet(context.env.LIFEGUARD_TOKEN)) {
    // Without a token Lifeguard refuses every ping: the heartbeat could only go stale.
    throw new UsageError("Cannot read --heartbeat: expected $LIFEGUARD_TOKEN to be set for the pings, got none (Lifeguard refuses pings without a token)", HINT);
  }
  const built = buildQuickDocument(command, flags, context);
  const result = validateDocument(built.document, { source: QUICK_SOURCE, baseDir: context.cwd, cliAddress: built.cliAddress });
  if (result.ok) return result.config;
  const lines = [...new Set(result.issues.map((issue) => `${originOf(issue, built.origins)}: ${issue.message}`))];
  const message = lines.length === 1 ? `Cannot read ${lines[0]}` : `Cannot read the command line (${lines.length} problems):\n  ${lines.join("\n  ")}`;
  throw new UsageError(message, HINT);
}

/**
 * The document the flags make: one `command:` service running the argv as given (never a
 * shell), its store in a directory of its own under the state root (`<root>/quick-<name>`), its
 * output captured to `--output` or `<root>/quick-<name>/<name>.out.log`, and the checks
 * `--max-age` (log-fresh), `--match` (log-activity) and `--heartbeat` ask for on it. It acts on
 * the first failing round, and a restarted command has the longest of those durations to show
 * life (its startup grace). The HTTP token comes from `$LIFEGUARD_TOKEN`, never a flag.
 */
export function buildQuickDocument(command: readonly string[], flags: QuickFlags, context: QuickContext): QuickDocument {
  const name = flags.name ?? serviceNameOf(command[0] ?? "");
  const root: Sourced | null = flags.state === undefined ? defaultStateDir(context.env, context.isRoot) : { value: flags.state, from: "--state" };
  if (root === null) throw new UsageError("Cannot choose a state directory as none of $LIFEGUARD_STATE, $XDG_STATE_HOME and $HOME is set: pass --state DIR", HINT);
  const resolvePath = pathResolver(context.cwd);
  // An empty --state stays empty, for the schema to refuse under its flag's name.
  const state = root.value === "" ? "" : quickInstanceDir(resolvePath(root.value), name);
  const output = outputFile(flags.output ?? null, { name, state, resolvePath });
  const origins: QuickDocument["origins"] = [{ path: ["state"], from: root.from }];
  const set = (target: Record<string, unknown>, path: FieldPath, value: unknown, from: string) => {
    target[String(path.at(-1))] = value;
    origins.push({ path, from });
  };

  const at = ["services", name] as const;
  const service: Record<string, unknown> = {};
  origins.push({ path: at, from: "--name" });
  set(service, [...at, "command"], [...command], COMMAND_ORIGIN);
  const outputAt = [...at, "output"] as const;
  const outputFields: Record<string, unknown> = {};
  if (flags.output !== undefined) set(outputFields, [...outputAt, "file"], flags.output, "--output");
  if (flags.outputMaxSize !== undefined) set(outputFields, [...outputAt, "max-size"], flags.outputMaxSize, "--output-max-size");
  if (Object.keys(outputFields).length > 0) service.output = outputFields;
  if (flags.interval !== undefined) set(service, [...at, "interval"], flags.interval, "--interval");
  const checks = quickChecks(flags, output);
  service.checks = checks.map((check) => check.item);
  checks.forEach((check, index) => origins.push({ path: [...at, "checks", index], from: check.from }));
  service["failure-threshold"] = FAILURE_THRESHOLD;
  const grace = longest(checks.flatMap((check) => (check.maxAge === undefined ? [] : [{ value: check.maxAge, from: check.from }])));
  if (grace !== undefined) set(service, [...at, "startup-grace"], grace.value, grace.from);

  const log: Record<string, unknown> = {};
  if (flags.logFormat !== undefined) set(log, ["log", "format"], flags.logFormat, "--log-format");
  const http: Record<string, unknown> = {};
  if (flags.listen !== undefined) set(http, ["http", "listen"], flags.listen, "--listen");
  if (isSet(context.env.LIFEGUARD_TOKEN)) set(http, ["http", "token"], context.env.LIFEGUARD_TOKEN, "$LIFEGUARD_TOKEN");
  return { document: { state, log, http, services: { [name]: service } }, origins, cliAddress: rootAddress(flags, root, resolvePath) };
}

/**
 * `--state ROOT` in advice, unless every command of this user finds the root by itself: root's
 * /var/lib/lifeguard or the one under $HOME. A root from a variable needs it: the shell where the
 * advice is run may not have that variable.
 */
function rootAddress(flags: QuickFlags, root: Sourced, resolvePath: (path: string) => string): string[] {
  const implicit = flags.state === undefined && root.from !== "$LIFEGUARD_STATE" && root.from !== "$XDG_STATE_HOME";
  return implicit ? [] : ["--state", resolvePath(root.value)];
}

interface QuickCheck {
  item: Record<string, unknown>;
  from: string;
  /** The check's own tolerance, a candidate for the startup grace. */
  maxAge?: string;
}

function quickChecks(flags: QuickFlags, output: string): QuickCheck[] {
  const checks: QuickCheck[] = [];
  if (flags.maxAge !== undefined) checks.push({ item: { "log-fresh": { path: output, "max-age": flags.maxAge } }, from: "--max-age", maxAge: flags.maxAge });
  if (flags.match !== undefined) checks.push({ item: { "log-activity": { path: output, lines: MATCH_LINES, match: flags.match, min: MATCH_MIN } }, from: "--match" });
  if (flags.heartbeat !== undefined) checks.push({ item: { heartbeat: { "max-age": flags.heartbeat } }, from: "--heartbeat", maxAge: flags.heartbeat });
  return checks;
}

/** The longest of the durations that parse; those that do not are reported by their check. */
function longest(durations: Sourced[]): Sourced | undefined {
  const parsed = durations.flatMap((duration) => {
    const ms = parseDuration(duration.value);
    return ms === undefined ? [] : [{ ...duration, ms }];
  });
  return parsed.sort((a, b) => b.ms - a.ms)[0];
}

/** The flag or variable behind an issue: the origin with the longest path leading to it. */
function originOf(issue: ConfigIssue, origins: QuickDocument["origins"]): string {
  const matches = origins
    .map((origin) => ({ ...origin, text: formatPath(origin.path) }))
    .filter(({ text }) => issue.path === text || issue.path.startsWith(`${text}.`) || issue.path.startsWith(`${text}[`));
  const best = matches.sort((a, b) => b.text.length - a.text.length)[0];
  return best?.from ?? (issue.path === "" ? "the command line" : issue.path);
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}
