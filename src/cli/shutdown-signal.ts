/**
 * Runs `work` with an AbortSignal that fires on SIGINT or SIGTERM, so a restart in progress is
 * cut short at a step boundary and the store stays consistent; the handlers are removed after.
 */
export async function withShutdownSignal<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => controller.abort(new Error(`Lifeguard received ${name}`));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
