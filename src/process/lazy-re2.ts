import { createRequire } from "node:module";
import type * as Re2 from "re2js";

// re2js resolves from this file's place: the bundle in dist/ (CommonJS: `__filename`), or the
// sources and the library (ESM: import.meta.url). Required at run time, it is in no bundle.
const requireHere = createRequire(typeof __filename === "string" ? __filename : import.meta.url);
let loaded: typeof Re2 | undefined;

/**
 * re2js, the linear-time engine of log patterns, loaded at its first use: about 300 KiB of code
 * and Unicode tables (some 1 to 3 MiB resident) that a daemon, a `check` or a `validate` whose
 * config has no pattern never loads.
 */
export function lazyRe2(): typeof Re2 {
  loaded ??= requireHere("re2js") as typeof Re2;
  return loaded;
}
