import { open } from "node:fs/promises";

const NEWLINE = 0x0a;

/**
 * Whether the file's byte at `size - 1` is something other than a newline: its last line is
 * still being written, and a follower completes it. False for an empty or unreadable file.
 */
export async function endsMidLine(path: string, size: number): Promise<boolean> {
  if (size <= 0) return false;
  const handle = await open(path, "r").catch(() => null);
  if (handle === null) return false;
  try {
    const byte = Buffer.alloc(1);
    const { bytesRead } = await handle.read(byte, 0, 1, size - 1);
    return bytesRead === 1 && byte[0] !== NEWLINE;
  } finally {
    await handle.close();
  }
}
