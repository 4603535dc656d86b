/** One look at a connection's two queues (`/proc/net/tcp`), at a monotonic time. */
export interface QueueSample {
  at: number;
  txQueue: number;
  rxQueue: number;
}

/** A queue that did not move for the whole window: its side, since when it was seen so, and its bytes now. */
export interface StuckQueue {
  queue: "send" | "receive";
  /** The first sample of the run: the queue has been stuck at least since then. */
  since: number;
  bytes: number;
}

/**
 * Whether one of a connection's queues is stuck over the last `forMs` before `now`: the send
 * queue non-empty and never shrinking (the peer acknowledges nothing: it stopped reading, or the
 * path is dead), or the receive queue non-empty and never shrinking (the service stopped reading
 * what arrives). A queue that shrank once in the window moved; one that was empty once drained.
 * Needs samples reaching back `forMs`: a younger history is not judged (null).
 */
export function stuckQueue(samples: readonly QueueSample[], now: number, forMs: number): StuckQueue | null {
  const from = now - forMs;
  // The samples the judgement needs: the last one at or before the window's start, and every later one.
  const start = samples.findLastIndex((sample) => sample.at <= from);
  if (start === -1) return null;
  const window = samples.slice(start).filter((sample) => sample.at <= now);
  for (const queue of ["send", "receive"] as const) {
    const bytes = window.map((sample) => (queue === "send" ? sample.txQueue : sample.rxQueue));
    const stuck = bytes.every((value, i) => value > 0 && (i === 0 || value >= (bytes[i - 1] as number)));
    if (stuck) return { queue, since: (window[0] as QueueSample).at, bytes: bytes.at(-1) as number };
  }
  return null;
}
