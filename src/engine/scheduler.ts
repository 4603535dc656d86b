import type { Clock } from "../core/clock.js";
import { formatDuration } from "../core/duration.js";
import { nextPolicyDeadline } from "../core/policy-deadline.js";
import type { Check } from "../core/check.js";
import { checkService, type EngineDeps, type ServiceParts, type ServiceReport } from "./check-service.js";
import { lockWaitMs } from "./lock-wait.js";

/** How far past its due time a service's loop may be before the scheduler counts as stuck. */
const STUCK_SLACK_MS = 5_000;
/**
 * How often a service whose findings all hold (every check followed, nothing changed) is still
 * looked at in full, its interval if longer: the safety net under following (an inotify event
 * lost to a queue overflow, a state changed in the store by another process).
 */
export const FULL_ROUND_EVERY_MS = 60_000;
/** The longest a Node timer can wait (ms): a longer sleep is cut to it. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

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
   * Whether the loop sleeps on findings that all still hold (each check follows what it looks at,
   * and nothing changed since its last run): the last round's observations stand as of now.
   */
  holding(): boolean;
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
  // One listener wakes every loop: one each would pass the signal's 10 listeners (a warning) from 10 services on.
  const wakeAll = (): void => loops.forEach((entry) => entry.loop.wake());
  deps.signal.addEventListener("abort", wakeAll, { once: true });
  const done = Promise.all(loops.map((entry) => entry.done)).then(() => deps.signal.removeEventListener("abort", wakeAll));
  return {
    loops: loops.map((entry) => entry.loop),
    done,
    stop: () => {
      stopping = true;
      wakeAll();
    },
    isProgressing: () => loops.every((entry) => entry.isProgressing(deps.clock.monotonic())),
  };
}

function createLoop(parts: ServiceParts, deps: SchedulerDeps, isStopping: () => boolean) {
  const alarm = createAlarm(deps.clock, deps.signal);
  const announced: { heldBack: string | null } = { heldBack: null };
  // Monotonic time the loop's sleep ends; null while a round runs.
  let sleepsUntil: number | null = null;
  let held = false;
  const loop: ServiceLoop = {
    service: parts.config.name,
    lastProgressAt: deps.clock.monotonic(),
    rounds: 0,
    lastReport: null,
    wake: alarm.wake,
    holding: () => held && sleepsUntil !== null && holdsFor(parts.checks) > 0,
    record: (report) => {
      loop.lastReport = report;
      held = false;
      started = deps.clock.monotonic();
      // Asleep: the sleep ends when the next round is due from this one (during a round, its end computes it).
      if (sleepsUntil === null) return;
      const wait = untilNextRound(parts, loop, deps.clock, started, false);
      sleepsUntil = started + wait;
      alarm.shorten(wait);
    },
  };
  let started = deps.clock.monotonic();
  // A change heard ends the hold: the next round comes at the interval, as if polled. Not at once:
  // that would land between logrotate's rename of the log and its creation of the new one.
  const unhold = (): void => {
    if (sleepsUntil === null) return;
    const now = deps.clock.monotonic();
    const next = parts.config.intervalMs - ((now - started) % parts.config.intervalMs);
    if (now + next >= sleepsUntil) return;
    sleepsUntil = now + next;
    alarm.shorten(next);
  };
  const unfollow = followChecks(parts, deps, unhold);
  const run = async (): Promise<void> => {
    try {
      while (!deps.signal.aborted && !isStopping()) {
        started = deps.clock.monotonic();
        loop.lastProgressAt = started;
        sleepsUntil = null;
        // A wake heard before this round is answered by it.
        alarm.reset();
        const ran = await runRound(parts, deps, loop, announced);
        loop.lastProgressAt = deps.clock.monotonic();
        held = ran && isSteady(loop.lastReport) && holdsFor(parts.checks) > 0;
        const wait = untilNextRound(parts, loop, deps.clock, started, held);
        sleepsUntil = loop.lastProgressAt + wait;
        if (wait > 0 && !isStopping()) await alarm.sleep(wait);
      }
    } finally {
      unfollow();
      alarm.close();
    }
  };
  // Interval plus the longest a round may take (a restart under the lock), plus slack.
  const budgetMs = parts.config.intervalMs + lockWaitMs(parts.config) + STUCK_SLACK_MS;
  // Asleep: alive while its sleep is not overdue; in a round: while the round is within its budget.
  const isProgressing = (now: number): boolean => (sleepsUntil !== null ? now <= sleepsUntil + STUCK_SLACK_MS : now - loop.lastProgressAt <= budgetMs);
  return { loop, done: run(), isProgressing };
}

/** Starts following each check that can (the daemon's loop); a notice is logged once per check. Returns how to stop. */
function followChecks(parts: ServiceParts, deps: SchedulerDeps, onChange: () => void): () => void {
  const stops = parts.checks.map((check) => check.follow?.(onChange, (message) => {
    deps.logger.write({ at: deps.clock.now(), tag: "INFO", service: parts.config.name, message: `Check "${check.id}" of "${parts.config.name}": ${message}` });
  }));
  return () => stops.forEach((stop) => stop?.());
}

/** For how long every check's finding holds without a run (0: some check must run). */
function holdsFor(checks: readonly Check[]): number {
  let least = checks.length === 0 ? 0 : Number.POSITIVE_INFINITY;
  for (const check of checks) least = Math.min(least, check.holdsFor?.() ?? 0);
  return least;
}

/** A round that found the service healthy and changed nothing: another with the same findings would not either. */
function isSteady(report: ServiceReport | null): boolean {
  return report !== null && report.verdict.status === "healthy" && report.actions.length === 0 && report.restart === null;
}

/**
 * Milliseconds until the next round: at the end of the interval, or earlier when the verdict may
 * change by time alone (untilDue). A round with nothing to judge is not run at all: while every
 * finding holds (`held`), the loop sleeps until one runs out (a log's deadline), the policy has
 * something due, or the full round of FULL_ROUND_EVERY_MS; a change heard brings it back to the interval.
 */
function untilNextRound(parts: ServiceParts, loop: ServiceLoop, clock: Clock, started: number, held: boolean): number {
  const sinceStart = clock.monotonic() - started;
  const due = untilDue(parts, loop, clock.now());
  const wait = held
    ? Math.min(holdsFor(parts.checks), Math.max(parts.config.intervalMs, FULL_ROUND_EVERY_MS) - sinceStart, due)
    : Math.min(parts.config.intervalMs - sinceStart, due);
  return Math.max(0, Math.min(wait, LONGEST_TIMER_MS));
}

/**
 * How long until the verdict may change by time alone: a passing check runs out (a log's mtime
 * plus max-age), or the policy's grace, backoff or rearm wait ends. The loop looks then instead
 * of at the end of its interval, so a freeze is caught as it happens.
 */
function untilDue(parts: ServiceParts, loop: ServiceLoop, now: number): number {
  const state = loop.lastReport?.state;
  let due = (state === undefined ? null : nextPolicyDeadline(state, now, parts.config.policy)) ?? Number.POSITIVE_INFINITY;
  for (const check of parts.checks) due = Math.min(due, check.dueAt() ?? Number.POSITIVE_INFINITY);
  return Math.max(0, due - now);
}

/** Runs one round; false when it failed (logged): the next one then comes at the interval, held or not. */
async function runRound(parts: ServiceParts, deps: SchedulerDeps, loop: ServiceLoop, announced: { heldBack: string | null }): Promise<boolean> {
  try {
    const report = await checkService(parts, deps, { dryRun: false, logPassing: false, steadyWithoutLock: true, announced });
    loop.rounds += 1;
    loop.lastReport = report;
    deps.onRound?.(report);
    return true;
  } catch (error) {
    // The daemon never exits from inside a round: a store or check failure is logged and retried.
    if (deps.signal.aborted) return false;
    deps.logger.write({
      at: deps.clock.now(), tag: "ERROR", service: parts.config.name,
      message: `Round of "${parts.config.name}" failed, next in ${formatDuration(parts.config.intervalMs)}: ${(error as Error).message}`,
    });
    return false;
  }
}

/**
 * One loop's sleep, reused by every sleep: at most one timer and one waiting round at a time, no
 * AbortController or AbortSignal.any per sleep. `wake()` (a crash, a ping, the daemon's abort)
 * ends the sleep, or the next one at once when it comes during a round. The daemon's abort wakes
 * it through startScheduler's one listener; a sleep begun after the abort does not wait.
 */
function createAlarm(clock: Clock, signal: AbortSignal) {
  let ring: (() => void) | null = null;
  let cancel: (() => void) | null = null;
  let rang = false;
  const wake = (): void => {
    rang = true;
    cancel?.();
    cancel = null;
    const resolve = ring;
    ring = null;
    resolve?.();
  };
  return {
    wake,
    reset: (): void => void (rang = false),
    /** Ends the sleep under way `ms` from now instead. */
    shorten: (ms: number): void => {
      if (ring === null) return;
      cancel?.();
      cancel = clock.setTimer(ms, wake);
    },
    sleep: (ms: number): Promise<void> => (rang || signal.aborted ? Promise.resolve() : new Promise<void>((resolve) => {
      ring = resolve;
      cancel = clock.setTimer(ms, wake);
    })),
    close: (): void => {
      wake();
    },
  };
}
