import { posix } from "node:path";
import type { Env } from "./interpolate.js";

/** Where quick mode keeps its store when neither `--state` nor `$LIFEGUARD_STATE` says: root's. */
export const ROOT_STATE_DIR = "/var/lib/lifeguard";
/** What the directory of each quick-mode Lifeguard under the state root is called before its name. */
export const QUICK_DIR_PREFIX = "quick-";
/** A program whose name has no usable character at all gets this service name. */
const FALLBACK_NAME = "command";

/** Where a quick-mode value came from, for messages: a flag (`--state`) or a variable (`$LIFEGUARD_STATE`). */
export interface Sourced {
  value: string;
  from: string;
}

/**
 * The service name quick mode gives a command without `--name`: the program's file name, made a
 * valid service name (`/usr/bin/python3` → `python3`, `my bot` → `my-bot`).
 */
export function serviceNameOf(program: string): string {
  const name = posix.basename(program).replace(/[^A-Za-z0-9_.@-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "");
  return name === "" ? FALLBACK_NAME : name;
}

/**
 * The directory of the quick-mode Lifeguard named `name` under the state root: its store, its
 * command's output and the record of how it was started (`<root>/quick-<name>`). Two commands
 * of different names never share a store, a lock or an output file.
 */
export function quickInstanceDir(root: string, name: string): string {
  return posix.join(root, `${QUICK_DIR_PREFIX}${name}`);
}

/**
 * The state directory when `--state` is not given: `$LIFEGUARD_STATE`, else `/var/lib/lifeguard`
 * for root, else `${XDG_STATE_HOME:-$HOME/.local/state}/lifeguard` (the XDG base directory rule:
 * an empty or relative `$XDG_STATE_HOME` is ignored). Null when none applies (no `$HOME`).
 */
export function defaultStateDir(env: Env, isRoot: boolean): Sourced | null {
  if (isSet(env.LIFEGUARD_STATE)) return { value: env.LIFEGUARD_STATE, from: "$LIFEGUARD_STATE" };
  if (isRoot) return { value: ROOT_STATE_DIR, from: "--state" };
  const xdg = env.XDG_STATE_HOME;
  if (isSet(xdg) && posix.isAbsolute(xdg)) return { value: posix.join(xdg, "lifeguard"), from: "$XDG_STATE_HOME" };
  if (isSet(env.HOME)) return { value: posix.join(env.HOME, ".local", "state", "lifeguard"), from: "$HOME" };
  return null;
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}
