/**
 * Resolves `done` when `promise` settles, `timeout` after `ms` (a plain sleep when `promise` is
 * null), `aborted` when `signal` aborts; leaves no timer or listener behind.
 */
export function raceWait(promise: Promise<unknown> | null, ms: number, signal: AbortSignal): Promise<"done" | "timeout" | "aborted"> {
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve) => {
    const finish = (result: "done" | "timeout" | "aborted"): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(result);
    };
    const onAbort = (): void => finish("aborted");
    const timer = setTimeout(() => finish("timeout"), Math.max(0, ms));
    signal.addEventListener("abort", onAbort, { once: true });
    promise?.then(() => finish("done"), () => finish("done"));
  });
}
