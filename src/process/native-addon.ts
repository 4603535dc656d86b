import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Lifeguard's one native addon (native/sd-notify): what Node has no API for. */
export const NATIVE_ADDON = join("native", "sd-notify", "build", "Release", "sd_notify.node");
/** From src/<layer>, dist/<layer> or the CLI bundle in dist/, the checkout is at most this many levels up. */
const SEARCH_DEPTH = 4;

/** Where the built addon is, searching up from this module; null when it was not built. */
export function findAddon(start = moduleDir()): string | null {
  for (let dir = start, level = 0; level < SEARCH_DEPTH; level += 1, dir = dirname(dir)) {
    const candidate = join(dir, NATIVE_ADDON);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** The addon at `path`, or why it cannot be had (not built, or not loadable: e.g. built for another platform). */
export function loadAddon<T>(path: string | null): { addon: T } | { code: string; reason: string } {
  if (path === null) return { code: "MODULE_NOT_FOUND", reason: `the native module "${NATIVE_ADDON}" is not built (was there no compiler when Lifeguard was installed? \`lifeguard doctor\` says how to build it)` };
  try {
    return { addon: createRequire(path)(path) as T };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "ERR_DLOPEN_FAILED";
    return { code, reason: `the native module "${path}" cannot be loaded: ${(error as Error).message}` };
  }
}

/** This module's directory, whether it runs as ESM (tsx, dist/) or inside a CommonJS bundle. */
export function moduleDir(): string {
  return typeof __dirname === "string" ? __dirname : dirname(fileURLToPath(import.meta.url));
}
