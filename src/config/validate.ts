import type { ConfigIssue } from "../core/errors.js";
import { isSecret } from "./fields.js";
import { formatPath, type FieldPath } from "./format-path.js";
import { interpolateDocument } from "./interpolate-document.js";
import type { Env, ReadSecretFile } from "./interpolate.js";
import { locateProblem } from "./locate.js";
import { describeIssue } from "./messages.js";
import { normalise, type ConfigOrigin } from "./normalise.js";
import { isEmptyDocument, parseSource, type SourceDocument } from "./parse-source.js";
import type { Problem } from "./problem.js";
import { readCheckFiles } from "./read-check-files.js";
import { checkRules } from "./rules.js";
import { checkRunnerKeys } from "./runner-kinds.js";
import { schemaAt } from "./schema-at.js";
import { configSchema, type ParsedConfig } from "./schema.js";
import type { LifeguardConfig } from "./types.js";
import { toProblems } from "./zod-issues.js";

/** Where the text came from and what it may read: file name for messages, base of relative paths, environment. */
export interface ValidateOptions extends ConfigOrigin {
  env: Env;
  /** Reads `${file:PATH}` references, PATH resolved against `baseDir`; without it they are refused. */
  readFile?: ReadSecretFile;
}

/** A valid, normalised config, or every issue found. */
export type ValidationResult = { ok: true; config: LifeguardConfig } | { ok: false; issues: ConfigIssue[] };

/**
 * Validates config text: YAML syntax, interpolation, the schema, then cross-field rules, and
 * normalises it. Pure: no file system, no `process.env` (the files it names are read through
 * `readFile`). Reports every issue found, in file order.
 */
export function validateConfig(text: string, options: ValidateOptions): ValidationResult {
  const { source, problems: syntax } = parseSource(text);
  if (source.document.errors.length > 0) return failure(syntax, source, options.source);
  if (isEmptyDocument(source.document)) {
    return { ok: false, issues: [{ file: options.source, line: null, column: null, path: "", message: 'the file is empty; expected a map with at least "services"' }] };
  }
  const interpolation = interpolateDocument(source.document, options.env, {
    isSecret: (path) => isSecret(schemaAt(configSchema, path)),
    ...(options.readFile === undefined ? {} : { readFile: options.readFile }),
  });
  const problems = [...syntax, ...interpolation];
  let data: unknown;
  try {
    data = source.document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return failure([...problems, { path: [], message: `invalid YAML: ${describeToJsError(error)}` }], source, options.source);
  }
  const checked = checkDocument(data, options, interpolation);
  const files = checked.parsed === null ? null : readCheckFiles(checked.parsed, options);
  const all = [...problems, ...checked.problems, ...(files?.problems ?? [])];
  if (all.length > 0 || checked.parsed === null || files === null) return failure(all, source, options.source);
  return { ok: true, config: normalise(checked.parsed, options, files.texts) };
}

/**
 * Validates a config document already in memory: the kebab-case object a YAML file holds, as
 * quick mode builds it from its flags. Runner keys, the schema and the cross-field rules are
 * the file's; no `${...}` is interpolated (its strings are taken as written) and issues carry
 * no line. Pure.
 */
export function validateDocument(data: unknown, origin: ConfigOrigin): ValidationResult {
  const checked = checkDocument(data, origin, []);
  const files = checked.parsed === null ? null : readCheckFiles(checked.parsed, origin);
  const problems = [...checked.problems, ...(files?.problems ?? [])];
  if (problems.length > 0 || checked.parsed === null || files === null) {
    return { ok: false, issues: problems.map((problem) => ({ file: origin.source, line: null, column: null, path: formatPath(problem.path), message: problem.message })) };
  }
  return { ok: true, config: normalise(checked.parsed, origin, files.texts) };
}

/**
 * The steps after the text: one runner kind per service, the schema, then the cross-field
 * rules. `failed` are problems already reported (interpolation), whose values are not
 * reported again as wrong.
 */
function checkDocument(data: unknown, origin: ConfigOrigin, failed: readonly Problem[]): { problems: Problem[]; parsed: ParsedConfig | null } {
  // Counted before the schema, which would spend seconds and hundreds of MiB on a generated monster.
  const count = serviceCount(data);
  if (count > MAX_SERVICES) return { problems: [{ path: ["services"], message: `expected at most ${MAX_SERVICES} services, got ${count} (one Lifeguard watches the services of one host)` }], parsed: null };
  const runnerKeys = checkRunnerKeys(data);
  const parsed = configSchema.safeParse(data, { error: describeIssue, reportInput: true });
  if (!parsed.success) {
    // A value whose interpolation failed is reported once, not again as a wrong value; nor is
    // anything under a key that does not belong to the service's runner kind.
    const failedPaths = new Set(failed.map((problem) => formatPath(problem.path)));
    const misplaced = runnerKeys.filter((problem) => problem.atKey === true).map((problem) => problem.path);
    const schemaProblems = toProblems(parsed.error.issues, configSchema)
      .filter((problem) => !failedPaths.has(formatPath(problem.path)) && !misplaced.some((path) => isWithin(problem.path, path)));
    return { problems: [...runnerKeys, ...schemaProblems], parsed: null };
  }
  return { problems: [...runnerKeys, ...checkRules(parsed.data, origin)], parsed: parsed.data };
}

function failure(problems: Problem[], source: SourceDocument, file: string): ValidationResult {
  const issues = problems.map((problem) => locateProblem(problem, source, file));
  return { ok: false, issues: issues.sort(byPosition) };
}

/** True when `path` is `prefix` or lies under it. */
function isWithin(path: FieldPath, prefix: FieldPath): boolean {
  return path.length >= prefix.length && prefix.every((segment, index) => path[index] === segment);
}

/** File order; issues without a position (the whole file) last. */
function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  const rank = (issue: ConfigIssue): number => (issue.line ?? 1e9) * 1e6 + (issue.column ?? 0);
  return rank(a) - rank(b);
}

/**
 * The yaml package's guard against a "billion laughs": aliases (`*name`) that repeat anchors
 * holding aliases would expand a small file into gigabytes. Its default, set here on purpose.
 */
const MAX_ALIAS_COUNT = 100;

function describeToJsError(error: unknown): string {
  const message = (error as Error).message;
  if (error instanceof ReferenceError && /excessive alias count/i.test(message)) return "its aliases (*name) expand to far more data than the file holds, as a YAML bomb does; write the values out or use fewer aliases";
  return message;
}

/** More services than any host runs: a generated or mistaken file, refused before the schema reads it. */
export const MAX_SERVICES = 1000;

function serviceCount(data: unknown): number {
  const services = typeof data === "object" && data !== null ? (data as { services?: unknown }).services : undefined;
  return typeof services === "object" && services !== null ? Object.keys(services).length : 0;
}
