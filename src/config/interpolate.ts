import { quote } from "./messages.js";

/** The environment variables interpolation reads; passed in, so validation stays pure. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The result of interpolating one string: its new value, and a message per reference that failed. */
export interface Interpolation {
  value: string;
  /** True when anything was substituted (`${...}` or `$$`). */
  changed: boolean;
  errors: string[];
}

const REFERENCE = /\$\$|\$\{([^}]*)(\}?)/g;
const NAME_AND_DEFAULT = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Replaces `${VAR}` and `${VAR:-default}` (the default is used when VAR is unset or empty);
 * `$$` is a literal `$`. Any other `$` is left as it is, so `Update$` stays a valid regex.
 */
export function interpolate(text: string, env: Env): Interpolation {
  const errors: string[] = [];
  let changed = false;
  const value = text.replace(REFERENCE, (whole: string, inner: string | undefined, close: string | undefined) => {
    changed = true;
    if (whole === "$$") return "$";
    const parts = close === "}" ? NAME_AND_DEFAULT.exec(inner ?? "") : null;
    if (parts === null) {
      errors.push(`expected \${NAME} or \${NAME:-default}, got ${quote(whole)} (write $$ for a literal "$")`);
      return whole;
    }
    const [, name = "", fallback] = parts;
    const set = env[name];
    if (fallback !== undefined) return set === undefined || set === "" ? fallback : set;
    if (set !== undefined) return set;
    errors.push(`environment variable ${quote(name)} is not set (write \${${name}:-/fallback} for a default)`);
    return whole;
  });
  return { value, changed, errors };
}
