import { quote } from "./messages.js";

/** The environment variables interpolation reads; passed in, so validation stays pure. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the file of a `${file:PATH}` reference (a secret kept in a file, e.g. systemd's
 * credentials): its text, or an Error whose message says why not (`it does not exist`).
 * Passed in, so validation stays pure; PATH is relative to the config file's directory.
 */
export type ReadSecretFile = (path: string) => string | Error;

/** The result of interpolating one string: its new value, and a message per reference that failed. */
export interface Interpolation {
  value: string;
  /** True when anything was substituted (`${...}` or `$$`). */
  changed: boolean;
  errors: string[];
}

const REFERENCE = /\$\$|\$\{([^}]*)(\}?)/g;
const NAME_AND_DEFAULT = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;
const FILE_REFERENCE = /^file:(.+)$/s;

/**
 * Replaces `${VAR}` and `${VAR:-default}` (the default is used when VAR is unset or empty),
 * and `${file:PATH}` with the file's text (one trailing line break dropped) when `readFile` is
 * given; `$$` is a literal `$`. Any other `$` is left as it is, so `Update$` stays a valid regex.
 */
export function interpolate(text: string, env: Env, readFile?: ReadSecretFile): Interpolation {
  const errors: string[] = [];
  let changed = false;
  const value = text.replace(REFERENCE, (whole: string, inner: string | undefined, close: string | undefined) => {
    changed = true;
    if (whole === "$$") return "$";
    const file = close === "}" ? FILE_REFERENCE.exec(inner ?? "")?.[1] : undefined;
    if (file !== undefined) return readReference(file, readFile, errors) ?? whole;
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

/** The text of `${file:PATH}`, or undefined with an error pushed. */
function readReference(path: string, readFile: ReadSecretFile | undefined, errors: string[]): string | undefined {
  if (readFile === undefined) {
    errors.push(`expected \${NAME} here, got a file reference ${quote(`\${file:${path}}`)} (files are read only from a configuration file)`);
    return undefined;
  }
  const text = readFile(path);
  if (text instanceof Error) {
    errors.push(`cannot read the file ${quote(path)} of \${file:...} as ${text.message}`);
    return undefined;
  }
  return text.replace(/\r?\n$/, "");
}
