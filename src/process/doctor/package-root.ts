import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { moduleDir } from "../native-addon.js";

/** From src/<layer>/<folder>, dist/ or the CLI bundle, Lifeguard's package.json is at most this many levels up. */
const SEARCH_DEPTH = 5;

/** The directory Lifeguard is installed in (its package.json's), where `npm run build:native` runs; null when not found. */
export function findPackageRoot(start = moduleDir()): string | null {
  for (let dir = start, level = 0; level < SEARCH_DEPTH; level += 1, dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && isLifeguard(manifest)) return dir;
  }
  return null;
}

function isLifeguard(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "lifeguard";
  } catch {
    return false;
  }
}
