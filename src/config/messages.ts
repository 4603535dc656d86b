import type { z } from "zod";
import { suggest } from "./did-you-mean.js";

/** Message pieces in the style of STYLE.md: say what was expected, then what was got, values quoted. */

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "a map",
  record: "a map",
  map: "a map",
  array: "a list",
  null: "an empty value",
};

/** Quotes a value for a message: strings in double quotes, shortened when long. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/** Describes what the file contained: `"5 minutes"`, `30`, `true`, `a list`, `an empty value`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return String(value);
}

/** `; did you mean "max-age"?` when `word` looks like a typo of one of `candidates`, else "". */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = suggest(word, candidates);
  return match === undefined ? "" : `; did you mean ${quote(match)}?`;
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

/** The error map given to zod: one message per issue, in our style. */
export const describeIssue: z.core.$ZodErrorMap = (issue) => {
  const got = describeValue(issue.input);
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return issue.input === undefined ? `missing required key; expected ${expected}` : `expected ${expected}, got ${got}`;
    }
    case "too_small":
      if (issue.origin === "string") return `expected a non-empty string, got ${got}`;
      if (issue.origin === "array") return `expected at least ${issue.minimum} items, got ${(issue.input as unknown[]).length}`;
      return `expected ${issue.inclusive ? "at least" : "more than"} ${issue.minimum}, got ${got}`;
    case "too_big":
      return `expected ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}, got ${got}`;
    case "invalid_value": {
      const values = issue.values.map((value) => (typeof value === "string" ? quote(value) : String(value)));
      const hint = typeof issue.input === "string" ? didYouMean(issue.input, issue.values.map(String)) : "";
      return `expected ${joinOr(values)}, got ${got}${hint}`;
    }
    case "invalid_key":
      return issue.issues[0]?.message ?? `invalid key ${got}`;
    default:
      return `invalid value ${got}`;
  }
};
