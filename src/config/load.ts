import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { lifeguardCommand } from "../core/cli-command.js";
import { ConfigError, type ConfigIssue } from "../core/errors.js";
import { environmentFilesOf } from "./environment-file.js";
import type { Env } from "./interpolate.js";
import { quote } from "./messages.js";
import { OversizeFile, readFileUpTo } from "./read-bounded.js";
import type { LifeguardConfig } from "./types.js";
import { validateConfig } from "./validate.js";

/** Where Lifeguard looks for its config when no `-c/--config` is given, after `./lifeguard.yaml`. */
export const SYSTEM_CONFIG_PATH = "/etc/lifeguard/lifeguard.yaml";

const FILE_HINT = "Pass the configuration file with -c/--config FILE.";

/**
 * Reads, validates and normalises the config file. Throws a ConfigError (exit 78) naming the
 * file when it cannot be read, or carrying every issue when it is invalid.
 */
export async function loadConfig(path: string, env: Env = process.env): Promise<LifeguardConfig> {
  const text = readConfigText(path);
  const baseDir = dirname(resolve(path));
  const readFile = (file: string) => readSecretFile(resolve(baseDir, file));
  const result = validateConfig(text, { source: path, baseDir, env, readFile, cliAddress: configAddress(path) });
  if (!result.ok) throw new ConfigError(result.issues, invalidHint(result.issues, path));
  return result.config;
}

/** The message interpolate.ts gives a `${NAME}` whose variable is not set. */
const UNSET_VARIABLE = /^environment variable "([A-Za-z_][A-Za-z0-9_]*)" is not set/;

/**
 * What to do about an invalid file: validate it again after editing; where a secret's variable is
 * not set, first the environment files that every command and Lifeguard's units read it from
 * (where `lifeguard init` said to put it).
 */
function invalidHint(issues: readonly ConfigIssue[], path: string): string {
  const validate = `Run \`${lifeguardCommand(["validate", ...configAddress(path)])}\` after editing; \`lifeguard schema\` prints the JSON Schema.`;
  const unset = [...new Set(issues.flatMap((issue) => UNSET_VARIABLE.exec(issue.message)?.[1] ?? []))];
  if (unset.length === 0) return validate;
  const files = environmentFilesOf(resolve(path));
  return `Put ${unset.map((name) => `${name}=...`).join(", ")} in ${files.join(" or ")} (one NAME=value a line, mode 0600), which every lifeguard command and Lifeguard's units read, or set ${unset.length === 1 ? "it" : "them"} in the environment. ${validate}`;
}

/**
 * The config file to use: the explicit one when given, else `./lifeguard.yaml` when it exists,
 * else `/etc/lifeguard/lifeguard.yaml`. Throws a ConfigError naming both when neither exists.
 */
export function findConfigPath(explicit?: string, options: { cwd?: string; systemPath?: string } = {}): string {
  if (explicit !== undefined) return explicit;
  const local = join(options.cwd ?? process.cwd(), "lifeguard.yaml");
  const system = options.systemPath ?? SYSTEM_CONFIG_PATH;
  for (const candidate of [local, system]) if (existsSync(candidate)) return candidate;
  const message = `cannot find a configuration file: neither ${quote(local)} nor ${quote(system)} exists`;
  throw new ConfigError([{ file: local, line: null, column: null, path: "", message }], FILE_HINT);
}

/**
 * The options that make a command typed in any directory load this file: none for the system's
 * file (every command finds it), else `-c` and the absolute path (`./lifeguard.yaml` is found
 * only from its own directory).
 */
export function configAddress(path: string): string[] {
  const absolute = resolve(path);
  return absolute === SYSTEM_CONFIG_PATH ? [] : ["-c", absolute];
}

const SIZE_HINT = "A Lifeguard configuration is a few KiB: check that -c/--config names the right file.";

/** The file's text, read no further than MAX_CONFIG_BYTES: an oversized file is refused before parsing. */
function readConfigText(path: string): string {
  try {
    return readFileUpTo(path);
  } catch (error) {
    const oversize = error instanceof OversizeFile;
    const message = oversize ? `cannot load the configuration file as ${error.message}` : `cannot read the configuration file as ${reasonOf(error)}`;
    throw new ConfigError([{ file: path, line: null, column: null, path: "", message }], oversize ? SIZE_HINT : FILE_HINT);
  }
}

/** A `${file:PATH}` reference's text, or why it cannot be read. */
function readSecretFile(path: string): string | Error {
  try {
    return readFileUpTo(path);
  } catch (error) {
    return new Error(error instanceof OversizeFile ? error.message : reasonOf(error));
  }
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "it does not exist";
  if (code === "EACCES" || code === "EPERM") return "permission is denied";
  if (code === "EISDIR") return "it is a directory";
  return `reading it failed: ${(error as Error).message}`;
}
