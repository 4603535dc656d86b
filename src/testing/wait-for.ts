import { setTimeout as delay } from "node:timers/promises";

/**
 * Polls `condition` every `intervalMs` until it holds or `timeoutMs` passes; resolves to whether
 * it held. For tests against real processes: wait for an outcome, never for a fixed time.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<boolean> {
  const end = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= end) return false;
    await delay(options.intervalMs ?? 25);
  }
}
