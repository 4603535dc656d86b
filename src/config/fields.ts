import { z } from "zod";
import { formatDuration, formatSize, parseDuration, parseSize } from "../core/duration.js";
import { compileTimestampFormat } from "../process/line-timestamp.js";
import { describePatternProblem } from "./describe-pattern-problem.js";
import { describeValue, quote } from "./messages.js";

/** Field types shared by the schema: durations, sizes, paths and regular expressions as users write them. */

/** What `parseDuration` accepts, for editors (the JSON Schema); `parseDuration` stays the judge. */
export const DURATION_PATTERN = "^\\s*(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+\\s*$";
/** What `parseSize` accepts, for editors (the JSON Schema); `parseSize` stays the judge. */
export const SIZE_PATTERN = "^\\s*\\d+(\\.\\d+)?\\s*([bB]|[kKmMgGtT][iI]?[bB]|[kKmMgG])?\\s*$";

/** The fields made by `secret()`. */
const SECRETS = new WeakSet<z.ZodType>();

const DURATION_EXAMPLE = 'a duration like "90s", "5m" or "1h"';
const SIZE_EXAMPLE = 'a size like "512KiB", "10MiB" or "1GB"';

/** A duration such as `30s`, `5m` or `1h30m`, parsed to milliseconds; a bare number is refused with a hint. */
export function duration(options: { min?: number } = {}) {
  const bareNumber = (value: number) => `expected a duration with a unit, got the bare number ${value} (write 30s, 5m or 1h)`;
  return z
    .string({ error: (issue) => typeMessage(issue.input, DURATION_EXAMPLE, bareNumber) })
    .transform((value, context) => {
      const ms = parseDuration(value);
      if (ms === undefined) context.issues.push({ code: "custom", input: value, message: `expected ${DURATION_EXAMPLE}, got ${quote(value)}` });
      else if (options.min !== undefined && ms < options.min) context.issues.push({ code: "custom", input: value, message: `expected at least ${quote(formatDuration(options.min))}, got ${quote(value)}` });
      return ms ?? 0;
    })
    .meta({ pattern: DURATION_PATTERN });
}

/** A size such as `64MiB`, `900MiB` or `1GB`, parsed to bytes; a bare number is refused with a hint. */
export function size(options: { min?: number } = {}) {
  const bareNumber = (value: number) => `expected a size with a unit, got the bare number ${value} (write ${value}B, 10MiB or 1GB)`;
  return z
    .string({ error: (issue) => typeMessage(issue.input, SIZE_EXAMPLE, bareNumber) })
    .transform((value, context) => {
      const bytes = parseSize(value);
      if (bytes === undefined) context.issues.push({ code: "custom", input: value, message: `expected ${SIZE_EXAMPLE}, got ${quote(value)}` });
      else if (options.min !== undefined && bytes < options.min) context.issues.push({ code: "custom", input: value, message: `expected at least ${quote(formatSize(options.min))}, got ${quote(value)}` });
      return bytes ?? 0;
    })
    .meta({ pattern: SIZE_PATTERN });
}

/** A file or directory path; relative paths are resolved against the config file's directory by `normalise`. */
export function filePath() {
  return z.string().min(1);
}

/**
 * A string where YAML may read an unquoted value as a number or true/false (`[sleep, 30]`,
 * `PORT: 8080`); such a value gets a hint to quote it. With `hideValue` (values that may be
 * secrets, such as environment variables) the message does not repeat the value.
 */
export function text(options: { hideValue?: boolean } = {}) {
  return z.string({
    error: (issue) => {
      const { input } = issue;
      if (typeof input !== "number" && typeof input !== "boolean") return undefined;
      if (options.hideValue === true) return `expected a string, got ${typeof input === "number" ? "a number" : "true or false"} (write the value in quotes to keep it text)`;
      return `expected a string, got ${String(input)} (write it in quotes, "${String(input)}", to keep it text)`;
    },
  });
}

/**
 * A secret such as an access token: at least `minLength` characters, no whitespace or control
 * characters. No message ever repeats the value, not even part of it.
 */
export function secret(options: { minLength: number }) {
  const expected = `a token of at least ${options.minLength} characters`;
  const schema = z
    .string({ error: (issue) => (issue.input === undefined ? `missing required key; expected ${expected}` : `expected ${expected}, got ${describeKind(issue.input)}`) })
    .check((context) => {
      const problem = secretProblem(context.value, options.minLength);
      if (problem !== undefined) context.issues.push({ code: "custom", input: "(not shown)", message: `expected ${problem}` });
    });
  return markSecret(schema);
}

/**
 * Marks a field as a secret for `isSecret`: interpolation messages then quote nothing of it.
 * Mark the final schema: `.describe()` and `.meta()` return a copy, which is not marked.
 */
export function markSecret<T extends z.ZodType>(schema: T): T {
  SECRETS.add(schema);
  return schema;
}

/** True for a field made by `secret()`: nothing may quote its value (interpolation messages included). */
export function isSecret(schema: z.ZodType | undefined): boolean {
  return schema !== undefined && SECRETS.has(schema);
}

/** A regular expression for log lines (RE2 syntax: matched in linear time), checked by compiling it. */
export function regex() {
  return z.string().check((context) => {
    const problem = describePatternProblem(context.value);
    if (problem !== undefined) context.issues.push({ code: "custom", input: context.value, message: `expected a regular expression (RE2 syntax), got ${quote(context.value)} (${problem})` });
  });
}

/** The format of a log line's leading timestamp (process/line-timestamp.ts), checked by compiling it. */
export function timestampFormat() {
  return z.string().check((context) => {
    const compiled = compileTimestampFormat(context.value);
    if (compiled instanceof Error) context.issues.push({ code: "custom", input: context.value, message: compiled.message });
  });
}

/** An integer of at least `min` (and at most `max`). */
export function integer(min: number, max?: number) {
  const base = z.int({ error: (issue) => (issue.code === "invalid_type" ? typeMessage(issue.input, "an integer") : undefined) }).min(min);
  return max === undefined ? base : base.max(max);
}

/** The message for a value of the wrong type (or a missing one) where `expected` was wanted. */
function typeMessage(input: unknown, expected: string, bareNumber?: (value: number) => string): string {
  if (input === undefined) return `missing required key; expected ${expected}`;
  if (typeof input === "number" && bareNumber !== undefined) return bareNumber(input);
  return `expected ${expected}, got ${describeValue(input)}`;
}

/** What a value is, without the value: `a number`, `true or false`, `a list`. */
function describeKind(value: unknown): string {
  if (typeof value === "number") return "a number (write the value in quotes to keep it text)";
  if (typeof value === "boolean") return "true or false (write the value in quotes to keep it text)";
  if (typeof value === "string") return "a string";
  return describeValue(value);
}

/** What is wrong with a secret, as the rest of "expected ...", never quoting it; undefined when it is fine. */
function secretProblem(value: string, minLength: number): string | undefined {
  if (value === "") return `a token of at least ${minLength} characters, got an empty one (leave the key out for none)`;
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(value)) return "a token without spaces or control characters (it is sent in an HTTP header), got one with them (the token is not shown)";
  if (value.length < minLength) return `a token of at least ${minLength} characters, got ${value.length} (the token is not shown)`;
  return undefined;
}

/**
 * A secret that is not a token: a password, a header value. Non-empty, one line (it may be sent
 * in a header), never quoted by a message. Described here, as `.describe()` returns an unmarked copy.
 */
export function secretText(description: string) {
  const schema = z
    .string({ error: (issue) => (issue.input === undefined ? "missing required key; expected a secret string" : `expected a secret string, got ${describeKind(issue.input)}`) })
    .check((context) => {
      if (context.value === "") context.issues.push({ code: "custom", input: "(not shown)", message: "expected a secret string, got an empty one" });
      // eslint-disable-next-line no-control-regex
      else if (/[\r\n\x00]/.test(context.value)) context.issues.push({ code: "custom", input: "(not shown)", message: "expected a secret on one line, got one with a line break or NUL (the value is not shown)" });
    })
    .describe(description);
  return markSecret(schema);
}
