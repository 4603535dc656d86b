/**
 * How a line too long to keep is shown, by the tail reader (src/checks/line-window.ts) and the
 * file follower (line-assembler.ts) alike: its first bytes, then `… [N bytes cut]`.
 */
export function decodeCutLine(kept: Buffer, keptBytes: number, totalBytes: number): string {
  const end = findCharacterEnd(kept, keptBytes);
  return `${kept.toString("utf8", 0, end)}… [${totalBytes - end} bytes cut]`;
}

/** Moves `end` back before a UTF-8 sequence the cut left incomplete, so the cut adds no U+FFFD. */
function findCharacterEnd(buffer: Buffer, end: number): number {
  for (let index = end - 1; index >= Math.max(0, end - 4); index -= 1) {
    const byte = buffer[index] as number;
    if ((byte & 0xc0) !== 0x80) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return index + needed > end ? index : end;
    }
  }
  return end;
}
