import { parse, type Document } from "yaml";
import { interpolate, type Env } from "./interpolate.js";
import type { Problem } from "./problem.js";
import { walkYaml } from "./yaml-walk.js";

/**
 * Interpolates every string value of the parsed document in place. Working on parsed scalars
 * keeps line numbers right, and a value full of YAML syntax cannot change the document's shape.
 * An unquoted value that becomes a number or true/false (`lines: ${TAIL:-100}`) is read as one.
 */
export function interpolateDocument(document: Document.Parsed, env: Env): Problem[] {
  const problems: Problem[] = [];
  walkYaml(document.contents, [], {
    scalar(scalar, path) {
      if (typeof scalar.value !== "string") return;
      const result = interpolate(scalar.value, env);
      problems.push(...result.errors.map((message) => ({ path, message })));
      if (!result.changed || result.errors.length > 0) return;
      scalar.value = scalar.type === "PLAIN" ? retype(result.value) : result.value;
    },
  });
  return problems;
}

/** `100` → 100 and `true` → true, as YAML would have read them; anything else stays text. */
function retype(text: string): string | number | boolean {
  try {
    const value: unknown = parse(text, { logLevel: "silent" });
    return typeof value === "number" || typeof value === "boolean" ? value : text;
  } catch {
    return text;
  }
}
