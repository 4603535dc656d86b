/** The scratch memory one tail read works in: a chunk of the file, and the line being assembled. */
export interface TailScratch {
  /** At least the chunk size asked for; only that many bytes are read into it. */
  readonly chunk: Buffer;
  /** At least the line size asked for; the line window uses only that many bytes. */
  readonly line: Buffer;
}

/** The sizes a set is made at, at least: the reader's defaults, so any set fits any read at the defaults. */
export interface ScratchSizes {
  chunkBytes: number;
  lineBytes: number;
}

/** Sets kept between reads: reads rarely overlap (each takes a fraction of a millisecond). */
const KEPT_SETS = 2;

/**
 * Lends scratch sets to tail reads and takes them back, so the daemon's reads (thousands a minute
 * with many services) reuse a few buffers instead of allocating their own each time: garbage of
 * 128 KiB a read is what grew the daemon's resident memory. Reads that overlap get sets of their
 * own; at most KEPT_SETS sets of the default sizes wait in between, and a set made bigger for one
 * read is dropped after it.
 */
export function createScratchPool(defaults: ScratchSizes) {
  const idle: TailScratch[] = [];
  const fits = (set: TailScratch, chunkBytes: number, lineBytes: number): boolean => set.chunk.length >= chunkBytes && set.line.length >= lineBytes;
  return {
    borrow(chunkBytes: number, lineBytes: number): TailScratch {
      const index = idle.findIndex((set) => fits(set, chunkBytes, lineBytes));
      if (index !== -1) return idle.splice(index, 1)[0] as TailScratch;
      return { chunk: Buffer.allocUnsafe(Math.max(chunkBytes, defaults.chunkBytes)), line: Buffer.allocUnsafe(Math.max(lineBytes, defaults.lineBytes)) };
    },
    giveBack(set: TailScratch): void {
      const oversized = set.chunk.length > defaults.chunkBytes || set.line.length > defaults.lineBytes;
      if (!oversized && idle.length < KEPT_SETS) idle.push(set);
    },
  };
}
