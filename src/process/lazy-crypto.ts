import type * as Crypto from "node:crypto";
import { createRequire } from "node:module";

/** A builtin resolves the same from any base: Node's own path serves in the sources and in the bundle alike. */
const requireBuiltin = createRequire(process.execPath);
let loaded: typeof Crypto | undefined;

/**
 * `node:crypto`, loaded at its first use. The daemon needs it only for an HTTP token or an alert
 * digest's hash; loaded at start, its code and its dozen internal modules would stay resident in
 * every daemon (about 1 MiB on a Pi, measured with `npm run bench`).
 */
export function lazyCrypto(): typeof Crypto {
  loaded ??= requireBuiltin("node:crypto") as typeof Crypto;
  return loaded;
}
