import { z } from "zod";
import { defineCheckKind } from "./check-kind.js";
import { duration, size } from "./fields.js";

/** `memory`: the service's memory against `max`, and its leak trend against its limit. */
export const memoryCheck = defineCheckKind({
  kind: "memory",
  description:
    "The memory of the service's processes (every process of the unit's cgroup, or of the supervised run). Fails above `max`; with `restart-before-oom`, also when the memory rises steadily (a leak: every trough of the window above the one before, so a garbage collector's sawtooth or a one-off step does not count) and, at that slope, would reach `max` or the service's own limit sooner than the given time: a unit's `MemoryMax=`/`MemoryHigh=` as systemd holds them, a supervised service's cgroup's memory.max/memory.high where systemd delegated one to Lifeguard. The trend needs the samples `lifeguard run` keeps from round to round (`lifeguard check` judges `max` only). With neither `max` nor `restart-before-oom` it only measures (evidence and `/metrics`).",
  defaultTimeout: "5s",
  shape: {
    max: size({ min: 1 }).optional().describe("Fail when the measured memory is above this, e.g. `500MiB`."),
    measure: z.enum(["rss", "pss"]).default("rss").describe("`rss`: resident memory (VmRSS); `pss`: proportional set size from /proc/PID/smaps_rollup, which shares pages between the processes that map them (costlier to read)."),
    of: z.enum(["service", "main"]).default("service").describe("`service`: summed over all the service's processes; `main`: the main process only."),
    "restart-before-oom": duration({ min: 1 }).optional().describe("Fail when the leak trend reaches the limit within this, e.g. `10m`: Lifeguard restarts at a moment of its choosing, not the kernel's OOM killer mid-work."),
    window: duration({ min: 1000 }).prefault("10m").describe("How far back the samples of the trend reach; it should span several garbage collections."),
    warmup: duration().prefault("2m").describe("Samples taken this soon after the main process started are left out of the trend (a service filling its caches is not leaking)."),
  },
  normalise: (options) => ({
    /** Fail above this many bytes; null: no maximum. */
    maxBytes: options.max ?? null,
    measure: options.measure,
    of: options.of,
    /** Fail when the trend reaches the limit within this many ms; null: no trend. */
    restartBeforeOomMs: options["restart-before-oom"] ?? null,
    windowMs: options.window,
    warmupMs: options.warmup,
  }),
});
