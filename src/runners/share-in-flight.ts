/**
 * Wraps `read` so that callers who ask while a read is under way share it (the checks of one
 * round ask for a service's processes at once): one read, one answer for all. The shared read's
 * signal aborts only once every caller waiting on it has aborted; a caller whose own signal
 * aborts stops waiting at once. A call after the read settled reads again.
 */
export function shareInFlight<T>(read: (signal: AbortSignal) => Promise<T>): (signal: AbortSignal) => Promise<T> {
  let current: { answer: Promise<T>; waiting: number; controller: AbortController } | null = null;
  return (signal) => {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (current === null) {
      const controller = new AbortController();
      const entry = { answer: read(controller.signal), waiting: 0, controller };
      current = entry;
      const done = (): void => {
        if (current === entry) current = null;
      };
      entry.answer.then(done, done);
    }
    const entry = current;
    entry.waiting += 1;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        entry.waiting -= 1;
        if (entry.waiting === 0) entry.controller.abort(signal.reason);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      const settle = (): void => signal.removeEventListener("abort", onAbort);
      entry.answer.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  };
}
