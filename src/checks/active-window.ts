import type { Check } from "../core/check.js";
import type { Clock } from "../core/clock.js";
import type { Observation } from "../core/outcome.js";
import { judgingAt, quietAt, type Judging } from "../core/schedule/schedule-now.js";
import type { ScheduleWindow } from "../core/schedule/window.js";

/** The windows a check is judged in: its own `active:` and its service's, both at once; and its own `quiet:`. */
export interface ActiveWindows {
  service: readonly ScheduleWindow[];
  check: readonly ScheduleWindow[];
  quiet?: readonly ScheduleWindow[];
  /** The service's startup grace, which also follows each opening. */
  graceMs: number;
}

/**
 * The check, judged only inside its windows: outside them (or in the grace of their opening)
 * it does not run, and its observation says until when, counting neither way. Every caller
 * (a round, a crash's answer, a restart's verification) sees the same. A failure inside the
 * check's own quiet window carries it (`Observation.quiet`), so the policy holds the restart back.
 * A check without windows is returned as it is.
 */
export function withActiveWindows(check: Check, windows: ActiveWindows, clock: Clock): Check {
  const quiet = windows.quiet ?? [];
  if (windows.service.length === 0 && windows.check.length === 0 && quiet.length === 0) return check;
  const judgingNow = (): Judging => {
    const now = clock.now();
    const service = judgingAt(windows.service, now, windows.graceMs);
    return service.judged ? judgingAt(windows.check, now, windows.graceMs) : service;
  };
  return {
    ...check,
    run: (signal: AbortSignal): Promise<Observation> => {
      const judging = judgingNow();
      return judging.judged ? check.run(signal).then((observation) => withQuiet(observation, quiet)) : Promise.resolve(unjudged(check, judging.why, clock.now()));
    },
    // Not judged: due when its window opens (or its grace ends), so the daemon looks then.
    dueAt: () => {
      const judging = judgingNow();
      return judging.judged ? check.dueAt() : judging.until;
    },
    ...(check.holdsFor === undefined ? {} : {
      holdsFor: () => {
        const judging = judgingNow();
        if (judging.judged) return check.holdsFor?.() ?? 0;
        return judging.until === null ? Number.POSITIVE_INFINITY : Math.max(0, judging.until - clock.now());
      },
    }),
  };
}

/** A failure inside the check's quiet window says so: the policy holds its restart back. */
function withQuiet(observation: Observation, quiet: readonly ScheduleWindow[]): Observation {
  if (observation.ok || quiet.length === 0) return observation;
  const now = quietAt(quiet, observation.at);
  return now === null ? observation : { ...observation, quiet: { until: now.until, why: `check "${observation.check}": ${now.why}` } };
}

function unjudged(check: Check, why: string, at: number): Observation {
  return { check: check.id, at, ok: true, unjudged: true, alertOnly: check.alertOnly, summary: `Not judged: ${why}`, evidence: {}, durationMs: 0, timedOut: false };
}
