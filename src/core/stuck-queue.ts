/** One look at a connection's two queues (`/proc/net/tcp`), at a monotonic time. */
export interface QueueSample {
  at: number;
  txQueue: number;
  rxQueue: number;
  /** The kernel is probing a shut window or retransmitting (timer 4, or retransmissions above 0): the peer takes nothing. */
  peerTakesNothing: boolean;
}

/** A queue that did not move for the whole window: its side, since when it was seen so, and its bytes now. */
export interface StuckQueue {
  queue: "send" | "receive";
  /** The first sample of the run: the queue has been stuck at least since then. */
  since: number;
  bytes: number;
}

/**
 * Whether one of a connection's queues is stuck over the last `forMs` before `now`. Sampled once
 * a round, a busy connection's queue may look full at every look while it moves between them, so
 * each side needs more than a full queue:
 * - send: non-empty at every look, never shrinking, and at the last look the kernel probes the
 *   peer's shut window or retransmits (the peer reads or acknowledges nothing);
 * - receive: larger at every look than at the one before (data keeps arriving and the service
 *   reads none of it). A reader that polls keeps a full queue at most looks while it reads; one
 *   stuck behind a receive buffer already full looks the same, and is left to other checks
 *   (`cpu`, `log-activity`): the kernel's tables do not tell them apart.
 * Needs samples reaching back `forMs`: a younger history is not judged (null).
 */
export function stuckQueue(samples: readonly QueueSample[], now: number, forMs: number): StuckQueue | null {
  const start = samples.findLastIndex((sample) => sample.at <= now - forMs);
  if (start === -1) return null;
  const window = samples.slice(start).filter((sample) => sample.at <= now);
  const first = window[0] as QueueSample;
  const last = window.at(-1) as QueueSample;
  const held = (bytes: number[]): boolean => bytes.every((value, i) => value > 0 && (i === 0 || value >= (bytes[i - 1] as number)));
  if (held(window.map((sample) => sample.txQueue)) && last.peerTakesNothing) return { queue: "send", since: first.at, bytes: last.txQueue };
  const growing = window.every((sample, i) => i === 0 || sample.rxQueue > (window[i - 1] as QueueSample).rxQueue);
  if (growing && first.rxQueue > 0) return { queue: "receive", since: first.at, bytes: last.rxQueue };
  return null;
}
