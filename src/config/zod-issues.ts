import type { z } from "zod";
import { checkKindMap } from "./check-kinds.js";
import { didYouMean, quote } from "./messages.js";
import type { Problem } from "./problem.js";
import { keysAt, schemaAt } from "./schema-at.js";

/**
 * Turns zod's issues into problems: one per unknown key, pointed at the key itself, with a
 * did-you-mean against the keys allowed at that spot; record keys are pointed at as keys too.
 */
export function toProblems(issues: readonly z.core.$ZodIssue[], schema: z.ZodType): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...issue.path, key], atKey: true, message: unknownKeyMessage(key, schema, issue.path, issue.input) }));
    }
    return [{ path: issue.path, message: issue.message, ...(issue.code === "invalid_key" ? { atKey: true } : {}) }];
  });
}

function unknownKeyMessage(key: string, schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string {
  const allowed = keysAt(schema, path, input);
  const hint = didYouMean(key, allowed);
  const known = ` (known: ${allowed.join(", ")})`;
  if (schemaAt(schema, path) === checkKindMap) return `unknown check kind ${quote(key)}${hint}${known}`;
  return hint === "" ? `unknown key ${quote(key)}${known}` : `unknown key ${quote(key)}${hint}`;
}
