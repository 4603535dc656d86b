/** The listeners of each signal heard through `onAbort`, behind its one real listener. */
const fanouts = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `listener` once when `signal` aborts; returns its removal. However many listen at once
 * (the daemon's signal, under every check of every service's round), the signal holds one
 * listener: Node warns of a leak past ten, and adding and removing one per check run cost more.
 * A signal already aborted calls nothing: the caller looks at `signal.aborted` first.
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  if (signal.aborted) return () => undefined;
  let listeners = fanouts.get(signal);
  if (listeners === undefined) {
    const heard = new Set<() => void>();
    listeners = heard;
    fanouts.set(signal, heard);
    signal.addEventListener("abort", () => {
      fanouts.delete(signal);
      // As EventTarget does: one removed by an earlier listener meanwhile is not called.
      for (const each of [...heard]) if (heard.has(each)) each();
    }, { once: true });
  }
  const set = listeners;
  set.add(listener);
  return () => void set.delete(listener);
}
