import { isAbsolute, resolve } from "node:path";

/** Resolves paths from the config file: absolute ones as written (normalised), relative ones against `baseDir`. */
export function pathResolver(baseDir: string): (path: string) => string {
  return (path) => (isAbsolute(path) ? resolve(path) : resolve(baseDir, path));
}
