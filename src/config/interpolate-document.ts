import { parse, type Document } from "yaml";
import type { FieldPath } from "./format-path.js";
import { interpolate, type Env, type ReadSecretFile } from "./interpolate.js";
import type { Problem } from "./problem.js";
import { walkYaml } from "./yaml-walk.js";

/** A secret that is one reference, `${LIFEGUARD_TOKEN}`: its messages may name the variable. */
const ONE_REFERENCE = /^\$\{(?:[A-Za-z_][A-Za-z0-9_]*|file:[^}]+)\}$/;

/**
 * Interpolates every string value of the parsed document in place. Working on parsed scalars
 * keeps line numbers right, and a value full of YAML syntax cannot change the document's shape.
 * An unquoted value that becomes a number or true/false (`lines: ${TAIL:-100}`) is read as one.
 * A secret's messages (`isSecret`) quote nothing of it, unless it is one reference.
 */
export function interpolateDocument(document: Document.Parsed, env: Env, options: { isSecret?: (path: FieldPath) => boolean; readFile?: ReadSecretFile } = {}): Problem[] {
  const problems: Problem[] = [];
  walkYaml(document.contents, [], {
    scalar(scalar, path) {
      if (typeof scalar.value !== "string") return;
      const result = interpolate(scalar.value, env, options.readFile);
      const hidden = result.errors.length > 0 && options.isSecret?.(path) === true && !ONE_REFERENCE.test(scalar.value);
      const errors = hidden ? ['expected the value as written, or a reference like ${NAME}, got a "$" that is neither (the value is not shown; write $$ for a literal "$")'] : result.errors;
      problems.push(...errors.map((message) => ({ path, message })));
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
