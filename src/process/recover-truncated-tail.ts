import { open } from "node:fs/promises";

const CHUNK_BYTES = 64 * 1024;

/**
 * After a truncation (logrotate's `copytruncate`), what was written between the follower's last
 * read and the copy is in the copy, `<file>.1`: reads it from `position` to its end and hands the
 * bytes to `push`, so that only what the truncation itself took (written between the copy and the
 * truncation) is missed. The copy is trusted only when its bytes just before `position` are those
 * the follower read there (`fingerprint`). Resolves to the copy's path, or null when there is no
 * such copy (compressed at once, a dated name, another file, nothing read yet).
 */
export async function recoverTruncatedTail(path: string, position: number, fingerprint: Buffer, push: (bytes: Buffer) => Promise<void>): Promise<string | null> {
  if (fingerprint.length === 0) return null;
  const copyPath = `${path}.1`;
  const handle = await open(copyPath, "r").catch(() => null);
  if (handle === null) return null;
  try {
    const { size } = await handle.stat();
    if (size < position) return null;
    const before = Buffer.alloc(fingerprint.length);
    const { bytesRead } = await handle.read(before, 0, before.length, position - before.length);
    if (bytesRead !== before.length || !before.equals(fingerprint)) return null;
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let at = position; at < size; ) {
      const read = (await handle.read(chunk, 0, Math.min(CHUNK_BYTES, size - at), at)).bytesRead;
      if (read === 0) break;
      at += read;
      await push(chunk.subarray(0, read));
    }
    return copyPath;
  } finally {
    await handle.close();
  }
}
