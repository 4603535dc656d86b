import { z } from "zod";
import { defineCheckKind } from "./check-kind.js";
import { duration, integer } from "./fields.js";

const percent = () => z.number().positive().max(100_000);

/** `cpu`: the CPU time of the service's processes, their threads and open files. */
export const cpuCheck = defineCheckKind({
  kind: "cpu",
  description:
    "The CPU the service's processes use (utime+stime of every process of the unit's cgroup, or of the supervised run; in percent of one core), their threads and their open files. `pegged` catches a busy loop; `frozen` a service that stopped working (a deadlock, a read with no timeout) while a thread of it may still log \"alive\": a heartbeat thread uses almost no CPU, so `frozen` is \"under `below` % for `for`\", not \"no CPU at all\". Use `frozen` only for a service that always works: one that idles waiting for input is frozen by this measure. CPU is judged by `lifeguard run` from the samples it keeps; `lifeguard check` judges threads and files only.",
  defaultTimeout: "5s",
  shape: {
    pegged: z
      .strictObject({ above: percent().describe("Percent of one core, e.g. `90`; above 100 for several busy threads."), for: duration({ min: 1000 }).describe("How long, e.g. `2m`.") })
      .optional()
      .describe("Fail when the service used more than `above` % of a core over the last `for`."),
    frozen: z
      .strictObject({ below: percent().default(1).describe("Percent of one core (default 1)."), for: duration({ min: 1000 }).describe("How long, e.g. `5m`.") })
      .optional()
      .describe("Fail when the service used less than `below` % of a core over the last `for`."),
    "max-threads": integer(1).optional().describe("Fail when the service's processes have more threads than this in all."),
    "max-fds": integer(1).optional().describe("Fail when the service's processes hold more open files (sockets, pipes...) than this in all."),
  },
  normalise: (options) => ({
    /** Fail above this percent of one core over `forMs`; null: never. */
    pegged: options.pegged === undefined ? null : { abovePercent: options.pegged.above, forMs: options.pegged.for },
    /** Fail below this percent of one core over `forMs`; null: never. */
    frozen: options.frozen === undefined ? null : { belowPercent: options.frozen.below, forMs: options.frozen.for },
    maxThreads: options["max-threads"] ?? null,
    maxFds: options["max-fds"] ?? null,
  }),
});
