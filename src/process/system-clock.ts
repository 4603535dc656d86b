import { setTimeout as delay } from "node:timers/promises";
import type { Clock } from "../core/clock.js";
import { monotonicMs } from "./monotonic.js";

/**
 * The real clock. `monotonic()` is CLOCK_MONOTONIC in ms: it never jumps when NTP sets the
 * wall clock (a Pi without RTC at boot), and is comparable between processes of one boot.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => Math.trunc(monotonicMs()),
  sleep: (ms, signal) => delay(ms, undefined, signal === undefined ? undefined : { signal }),
  setTimer: (ms, onDue) => {
    const timer = setTimeout(onDue, ms);
    return () => clearTimeout(timer);
  },
};
