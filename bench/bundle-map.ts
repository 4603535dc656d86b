import { readFileSync } from "node:fs";

/** Where the code of the esbuild bundle came from, read from the `// node_modules/pkg/...` and `// src/...` comments esbuild writes before each module (the bundle is not minified). */
export interface BundleMap {
  /** The package (`zod`) or source folder (`lifeguard src/config`) of a 1-based line. */
  placeAt(line: number): string;
  /** Bytes of the bundle per place, largest first. */
  bytes: Array<{ where: string; bytes: number }>;
}

const RUNTIME = "bundle: esbuild runtime";

export function readBundleMap(bundlePath: string): BundleMap {
  const starts: Array<{ line: number; where: string }> = [];
  const bytes = new Map<string, number>();
  let where = RUNTIME;
  readFileSync(bundlePath, "utf8").split("\n").forEach((text, index) => {
    const path = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(text)?.[1];
    if (path !== undefined) {
      where = path.startsWith("node_modules/") ? packageOf(path.slice("node_modules/".length)) : `lifeguard ${path.split("/").slice(0, 2).join("/")}`;
      starts.push({ line: index + 1, where });
    }
    bytes.set(where, (bytes.get(where) ?? 0) + Buffer.byteLength(text) + 1);
  });
  return {
    placeAt(line) {
      let found = RUNTIME;
      for (const start of starts) {
        if (start.line > line) break;
        found = start.where;
      }
      return found;
    },
    bytes: [...bytes].map(([place, size]) => ({ where: place, bytes: size })).sort((a, b) => b.bytes - a.bytes),
  };
}

/** `zod` for `zod/v4/core/x.js`, `@scope/pkg` for scoped packages. */
export function packageOf(path: string): string {
  const parts = path.split("/");
  return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
}
