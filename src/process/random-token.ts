import { closeSync, openSync, readSync } from "node:fs";

/**
 * `bytes` random bytes as hex, read from the kernel's generator: an identity no other process can
 * guess, without loading node:crypto into the daemon (see lazy-crypto.ts for what that costs).
 */
export function randomToken(bytes = 16): string {
  const buffer = Buffer.alloc(bytes);
  const fd = openSync("/dev/urandom", "r");
  try {
    for (let filled = 0; filled < bytes; ) filled += readSync(fd, buffer, filled, bytes - filled, null);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("hex");
}
