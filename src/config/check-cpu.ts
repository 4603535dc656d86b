import { z } from "zod";
import { defineCheckKind } from "./check-kind.js";
import { duration, integer } from "./fields.js";

const percent = () => z.number().positive().max(100_000);

/** `cpu`: the CPU time of the service's processes, their threads and open files, and their states. */
export const cpuCheck = defineCheckKind({
  kind: "cpu",
  description:
    "The CPU the service's processes use (utime+stime of every process of the unit's cgroup, or of the supervised run; in percent of one core), their threads and their open files. `pegged` catches a busy loop; `frozen` a service that stopped working (a deadlock, a read with no timeout) while a thread of it may still log \"alive\": a heartbeat thread uses almost no CPU, so `frozen` is \"under `below` % for `for`\", not \"no CPU at all\". Use `frozen` only for a service that always works: one that idles waiting for input is frozen by this measure. Process states: `stuck-in-d` catches a thread stuck in uninterruptible sleep (`D` in ps: NFS, a dead disk, a hung driver), `max-zombies` children the service never reaps, `growing` threads or open files that rise without bound. CPU, `stuck-in-d` and `growing` are judged by `lifeguard run` from the looks it keeps from round to round; `lifeguard check` takes one look and judges `max-threads`, `max-fds` and `max-zombies` only (a thread it sees in `D` now is in the evidence, not a failure: disk I/O passes through `D` for an instant).",
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
    "stuck-in-d": duration({ min: 1000 })
      .optional()
      .describe("Fail when one thread of the service has been in uninterruptible sleep (state `D`) for longer than this, e.g. `2m`. Sampled: a thread seen in `D` at two consecutive rounds counts as in `D` all the time between them, so it fails one round after this much time at the soonest."),
    "max-zombies": integer(0).optional().describe("Fail when more than this many zombie processes (state `Z`) belong to the service: children its processes never reaped (wait()). A zombie is counted by its parent: the kernel drops it from its cgroup's `cgroup.procs` as it exits. A child that is waited for is a zombie for a moment: for a service that forks, leave room (`1` or more)."),
    growing: z
      .strictObject({
        threads: duration({ min: 1000 }).optional().describe("The window for the count of threads, e.g. `30m`."),
        fds: duration({ min: 1000 }).optional().describe("The window for the count of open files, e.g. `30m`."),
      })
      .optional()
      .describe("Fail when the service's threads or open files rose across the whole window with no return to an earlier low: the window is cut into up to six parts, and it fails when the lowest count of each part is above the one before (a count that goes up and down with the work returns to its low; a step that then stays flat rises once). Needs at least 8 rounds in the window (an `interval` of an eighth of it at most)."),
  },
  normalise: (options) => ({
    /** Fail above this percent of one core over `forMs`; null: never. */
    pegged: options.pegged === undefined ? null : { abovePercent: options.pegged.above, forMs: options.pegged.for },
    /** Fail below this percent of one core over `forMs`; null: never. */
    frozen: options.frozen === undefined ? null : { belowPercent: options.frozen.below, forMs: options.frozen.for },
    maxThreads: options["max-threads"] ?? null,
    maxFds: options["max-fds"] ?? null,
    /** Fail when a thread has been in `D` longer than this; null: never. */
    stuckInDMs: options["stuck-in-d"] ?? null,
    /** Fail above this many zombie children; null: never. */
    maxZombies: options["max-zombies"] ?? null,
    /** Fail when the threads rose across this window; null: never. */
    threadsGrowingMs: options.growing?.threads ?? null,
    /** Fail when the open files rose across this window; null: never. */
    fdsGrowingMs: options.growing?.fds ?? null,
  }),
});
