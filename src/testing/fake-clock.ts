import type { Clock } from "../core/clock.js";

/**
 * A clock for tests: time moves only when `advance(ms)` is called, and sleepers wake in order.
 * `now()` and `monotonic()` move together unless `jumpWallClock(ms)` simulates an NTP step.
 */
export interface FakeClock extends Clock {
  advance(ms: number): Promise<void>;
  jumpWallClock(ms: number): void;
}

export function createFakeClock(startWall = Date.UTC(2024, 10, 30, 21, 0, 0)): FakeClock {
  let wall = startWall;
  let mono = 0;
  const sleepers: Array<{ until: number; wake: () => void }> = [];

  const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper = { until: mono + ms, wake: () => resolve() };
      sleepers.push(sleeper);
      signal?.addEventListener("abort", () => {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        reject(signal.reason);
      }, { once: true });
    });

  const advance = async (ms: number): Promise<void> => {
    const target = mono + ms;
    for (;;) {
      sleepers.sort((a, b) => a.until - b.until);
      const next = sleepers[0];
      if (next === undefined || next.until > target) break;
      sleepers.shift();
      wall += next.until - mono;
      mono = next.until;
      next.wake();
      // Let the woken code run before the next sleeper is due.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    wall += target - mono;
    mono = target;
  };

  const setTimer = (ms: number, onDue: () => void): (() => void) => {
    const sleeper = { until: mono + ms, wake: onDue };
    sleepers.push(sleeper);
    return () => {
      const index = sleepers.indexOf(sleeper);
      if (index >= 0) sleepers.splice(index, 1);
    };
  };

  return { now: () => wall, monotonic: () => mono, sleep, setTimer, advance, jumpWallClock: (ms) => void (wall += ms) };
}
