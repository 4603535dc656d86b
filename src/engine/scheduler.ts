import { formatDuration } from "../core/duration.js";
import { nextPolicyDeadline } from "../core/policy-deadline.js";
import { checkService, type EngineDeps, type ServiceParts, type ServiceReport } from "./check-service.js";
import { lockWaitMs } from "./lock-wait.js";

/** How far past its due time a service's loop may be before the scheduler counts as stuck. */
const STUCK_SLACK_MS = 5_000;

/** One service's loop as the daemon sees it. */
export interface ServiceLoop {
  readonly service: string;
  /** Monotonic time the loop last started or finished a round. */
  lastProgressAt: number;
  rounds: number;
  lastReport: ServiceReport | null;
  /** Runs the next round now instead of at the end of the interval (a crash, a ping). */
  wake(): void;
  /**
   * Takes the report of a round run outside the loop (a crash's answer) as its latest, as a round
   * of its own: the next round is due from it (an interval later, or the end of the startup grace
   * it began), not at once.
   */
  record(report: ServiceReport): void;
}

export interface Scheduler {
  readonly loops: ServiceLoop[];
  /** Resolves when every loop has ended (after `stop()` or the signal's abort). */
  readonly done: Promise<void>;
  /** Ends each loop after its current round: a reload never cuts a restart short. */
  stop(): void;
  /**
   * Whether every loop made progress within its interval plus the longest a round may take:
   * what the systemd watchdog ping vouches for. A blocked or hung loop stops the pings.
   */
  isProgressing(): boolean;
}

export interface SchedulerDeps extends EngineDeps {
  /** Called after every round, e.g. to update systemd's STATUS= line. */
  onRound?: (report: ServiceReport) => void;
}

/**
 * Runs each service's checks every `interval` on the monotonic clock (a wall-clock step moves
 * no round), one policy decision per round, restarts as in one-shot mode. Services run side by
 * side, so one slow restart never delays another service's round.
 */
export function startScheduler(services: ServiceParts[], deps: SchedulerDeps): Scheduler {
  let stopping = false;
  const loops = services.map((parts) => createLoop(parts, deps, () => stopping));
  return {
    loops: loops.map((entry) => entry.loop),
    done: Promise.all(loops.map((entry) => entry.done)).then(() => undefined),
    stop: () => {
      stopping = true;
      loops.forEach((entry) => entry.loop.wake());
    },
    isProgressing: () => loops.every((entry) => deps.clock.monotonic() - entry.loop.lastProgressAt <= entry.budgetMs),
  };
}

function createLoop(parts: ServiceParts, deps: SchedulerDeps, isStopping: () => boolean) {
  let waker = new AbortController();
  // Why the sleep was cut short: a wake runs a round; a recorded report only moves the due time.
  let cut: "wake" | "record" | null = null;
  let roundAt = deps.clock.monotonic();
  const announced: { heldBack: string | null } = { heldBack: null };
  const loop: ServiceLoop = {
    service: parts.config.name,
    lastProgressAt: deps.clock.monotonic(),
    rounds: 0,
    lastReport: null,
    wake: () => {
      cut = "wake";
      waker.abort();
    },
    record: (report) => {
      loop.lastReport = report;
      roundAt = deps.clock.monotonic();
      cut ??= "record";
      waker.abort();
    },
  };
  const run = async (): Promise<void> => {
    while (!deps.signal.aborted && !isStopping()) {
      const started = deps.clock.monotonic();
      roundAt = started;
      loop.lastProgressAt = started;
      await runRound(parts, deps, loop, announced);
      loop.lastProgressAt = deps.clock.monotonic();
      // Woken during the round: the next round runs at once; else it waits for its due time.
      for (let again = true; again;) {
        const wait = Math.min(roundAt + parts.config.intervalMs - deps.clock.monotonic(), untilDue(parts, loop, deps.clock.now()));
        if (!waker.signal.aborted && wait > 0 && !isStopping()) await sleepQuietly(deps, wait, waker.signal);
        again = cut === "record" && !isStopping() && !deps.signal.aborted;
        cut = null;
        if (waker.signal.aborted) waker = new AbortController();
      }
    }
  };
  // Interval plus the longest a round may take (a restart under the lock), plus slack.
  const budgetMs = parts.config.intervalMs + lockWaitMs(parts.config) + STUCK_SLACK_MS;
  return { loop, done: run(), budgetMs };
}

/**
 * How long until the verdict may change by time alone: a passing check runs out (a log's mtime
 * plus max-age), or the policy's grace, backoff or rearm wait ends. The loop looks then instead
 * of at the end of its interval, so a freeze is caught as it happens.
 */
function untilDue(parts: ServiceParts, loop: ServiceLoop, now: number): number {
  const state = loop.lastReport?.state;
  const policyDue = state === undefined ? null : nextPolicyDeadline(state, now, parts.config.policy);
  const due = [...parts.checks.map((check) => check.dueAt()), policyDue].filter((at) => at !== null);
  return due.length === 0 ? Number.POSITIVE_INFINITY : Math.max(0, Math.min(...due) - now);
}

async function runRound(parts: ServiceParts, deps: SchedulerDeps, loop: ServiceLoop, announced: { heldBack: string | null }): Promise<void> {
  try {
    const report = await checkService(parts, deps, { dryRun: false, logPassing: false, steadyWithoutLock: true, announced });
    loop.rounds += 1;
    loop.lastReport = report;
    deps.onRound?.(report);
  } catch (error) {
    // The daemon never exits from inside a round: a store or check failure is logged and retried.
    if (deps.signal.aborted) return;
    deps.logger.write({
      at: deps.clock.now(), tag: "ERROR", service: parts.config.name,
      message: `Round of "${parts.config.name}" failed, next in ${formatDuration(parts.config.intervalMs)}: ${(error as Error).message}`,
    });
  }
}

/** Sleeps until woken, aborted or the time is up; never rejects. */
async function sleepQuietly(deps: SchedulerDeps, ms: number, wake: AbortSignal): Promise<void> {
  try {
    await deps.clock.sleep(ms, AbortSignal.any([deps.signal, wake]));
  } catch {
    // Woken or shutting down: the loop condition decides what next.
  }
}
