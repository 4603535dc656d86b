import { monotonicMs } from "../process/monotonic.js";
import { formatDuration } from "../core/duration.js";
import type { Outcome } from "../core/outcome.js";
import type { ChangeReportingRunner, ProcessListingRunner, RunnerStatus, ServiceProcesses } from "../core/runner.js";
import { readUnitProcesses } from "./systemd-processes.js";
import { shareInFlight } from "./share-in-flight.js";
import type { SystemdRunnerConfig } from "../config/types.js";
import { runCommand } from "../process/run-command.js";
import { SUDO_PREFIX, unitCommand, type UnitVerb } from "../core/unit-commands.js";
import type { SystemdBus, UnitWatch } from "../process/systemd-bus.js";
import { unitStateFromBus } from "./bus-unit-state.js";
import { UnitFollower } from "./unit-follower.js";
import { answeredElsewhere, causeOf, failed, mainPid, reason, summaryOf, systemctlCause, timedOut, type ActResult, type ShowAnswer } from "./systemd-outcomes.js";
import { compactState, describeUnit, isDown, isMissing, isRunning, isStopped, oomCause, parseUnitState, runnerState, SHOW_PROPERTIES } from "./systemd-unit-state.js";

/** How often a stop or kill looks again whether the unit is down. */
export const DEFAULT_POLL_INTERVAL_MS = 100;
/**
 * How long a followed unit's state read over the bus answers `status` without a new read: a net for a change
 * the bus would not tell, past the daemon's full round (a minute; below it, 200 units' reads were a third of its idle CPU).
 */
export const DEFAULT_TRUST_MS = 300_000;
/** The shortest bound given to one systemctl call near the end of a step's time. */
const MIN_CALL_MS = 50;

export interface SystemdRunnerOptions {
  /** Full unit name, e.g. `gemini-trader.service`. */
  unit: string;
  /** Bound on every systemctl call that has no step timeout of its own. */
  commandTimeoutMs: number;
  /** argv prefix that runs systemctl (default `["systemctl"]`); tests put `nsenter ...` in front. */
  systemctl?: readonly string[];
  /** `privilege: sudo`: each call that changes the unit runs as `sudo -n systemctl ...` (what the sudoers drop-in allows); `show` never does. */
  sudo?: boolean;
  pollIntervalMs?: number;
  /** How long a state followed over the bus answers `status` without a new read (default 30 s). */
  trustMs?: number;
  /**
   * Reads the unit's state and (but under sudo) starts, stops and kills it over the system bus
   * while it answers, with the same polkit actions as systemctl; systemctl otherwise.
   */
  bus?: SystemdBus;
}

/** What a wait for the unit to go down saw. */
type StopWait = { stopped: boolean; last: ShowAnswer | null; states: string[]; aborted: boolean };

/**
 * Controls one systemd unit through systemctl. Every call is bounded; every step resolves to an
 * outcome and never throws for an operational failure. Kills reach only the unit's own cgroup.
 */
export class SystemdRunner implements ChangeReportingRunner, ProcessListingRunner {
  readonly target: string;
  readonly #commandTimeoutMs: number;
  readonly #systemctl: readonly string[];
  /** The argv prefix of the calls that change the unit: `sudo -n systemctl` under `privilege: sudo`. */
  readonly #control: readonly string[];
  readonly #pollMs: number;
  readonly #bus: SystemdBus | undefined;
  /** Changes the unit's calls through the bus: not under sudo, whose rule allows systemctl only. */
  readonly #actOverBus: boolean;
  /** How many of this runner's own steps (stop, kill, start) are under way. */
  #acting = 0;
  /** The unit followed over the bus: what wakes `watchChanges`' listener, and a wait for the unit to go down. */
  readonly #follower: UnitFollower;
  /** The last status read over the bus while the unit was followed, and what it knew then. */
  #known: { status: RunnerStatus; changes: number; at: number } | null = null;
  readonly #trustMs: number;

  constructor(options: SystemdRunnerOptions) {
    this.target = options.unit;
    this.#commandTimeoutMs = options.commandTimeoutMs;
    this.#systemctl = options.systemctl ?? ["systemctl"];
    this.#control = options.sudo === true ? [...SUDO_PREFIX, ...this.#systemctl] : this.#systemctl;
    this.#pollMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.#bus = options.bus;
    this.#actOverBus = options.bus !== undefined && options.sudo !== true;
    this.#trustMs = options.trustMs ?? DEFAULT_TRUST_MS;
    this.#follower = new UnitFollower(options.bus, options.unit, () => this.#acting > 0);
  }

  /**
   * The unit's state. Followed over the bus, a state read since the last change systemd reported
   * answers at no cost (a round with nothing new sends nothing), for at most `trustMs`.
   */
  async status(signal: AbortSignal): Promise<RunnerStatus> {
    const [known, follower] = [this.#known, this.#follower];
    if (known !== null && known.changes === follower.changes && follower.live && monotonicMs() - known.at < this.#trustMs) return known.status;
    const { changes, live } = follower;
    const status = await this.#readStatus(signal);
    // Kept only when no change was reported during the read, and the unit was followed all along.
    this.#known = live && follower.live && changes === follower.changes && status.evidence.via === "dbus" ? { status, changes, at: monotonicMs() } : null;
    return status;
  }

  async #readStatus(signal: AbortSignal): Promise<RunnerStatus> {
    const started = monotonicMs();
    const answer = await this.#show(this.#commandTimeoutMs, signal);
    const durationMs = monotonicMs() - started;
    if ("failure" in answer) {
      const { failure } = answer;
      return { ...failed(`Cannot ask systemd about "${this.target}" as ${reason(failure, this.#commandTimeoutMs)}`, failure, { unit: this.target }, durationMs), state: "unknown" };
    }
    const { unit, via } = answer;
    const evidence = via === "dbus" ? { ...unit, via } : { ...unit };
    return { ok: isRunning(unit), state: runnerState(unit), summary: describeUnit(this.target, unit), evidence, durationMs, timedOut: false, ...oomCause(unit) };
  }

  stop(timeoutMs: number, signal: AbortSignal): Promise<Outcome> {
    return this.#ownStep(() => this.#stop(timeoutMs, signal));
  }

  kill(waitMs: number, signal: AbortSignal): Promise<Outcome> {
    return this.#ownStep(() => this.#kill(waitMs, signal));
  }

  start(timeoutMs: number, signal: AbortSignal): Promise<Outcome> {
    return this.#ownStep(() => this.#start(timeoutMs, signal));
  }

  /**
   * Calls `listener` when systemd says the unit changed while this runner was not changing it
   * itself (a crash, an exit, someone's `systemctl stop`): the daemon then runs a round at once.
   * Null without a bus: the unit is looked at every round only (so too while the bus is away).
   */
  watchChanges(listener: () => void): UnitWatch | null {
    return this.#follower.watchChanges(listener);
  }

  changesHeard(): number | null {
    return this.#follower.live ? this.#follower.changes : null;
  }

  /** Every process of the unit's cgroup (systemd-processes.ts), read again at each call but shared by the calls made while one is under way (a round's checks). */
  processes = shareInFlight((signal: AbortSignal): Promise<ServiceProcesses | { problem: string }> => readUnitProcesses({ unit: this.target, systemctl: this.#systemctl, bus: this.#bus, timeoutMs: this.#commandTimeoutMs, signal }));

  /** A step of this runner's own: the changes systemd reports meanwhile are Lifeguard's doing, not news. */
  async #ownStep(step: () => Promise<Outcome>): Promise<Outcome> {
    // What the step does is news to the state last read, whatever the bus says of it.
    this.#known = null;
    this.#acting += 1;
    try {
      return await step();
    } finally {
      this.#acting -= 1;
    }
  }

  async #stop(timeoutMs: number, signal: AbortSignal): Promise<Outcome> {
    const started = monotonicMs();
    const deadline = started + timeoutMs;
    const beforeBound = this.#bound(deadline);
    const before = await this.#show(beforeBound, signal);
    const evidence: Record<string, unknown> = { unit: this.target, mainPidBefore: mainPid(before) };
    if ("failure" in before) return failed(`Cannot stop unit "${this.target}" as ${reason(before.failure, beforeBound)}`, before.failure, evidence, monotonicMs() - started);
    if (isMissing(before.unit)) return { ok: false, summary: `Cannot stop unit "${this.target}" as it is not loaded: not-found`, evidence, durationMs: monotonicMs() - started, timedOut: false };
    // Dead already (a crash): nothing to stop. A unit waiting for its own Restart= is stopped, so that it stays down.
    if (isDown(before.unit)) {
      Object.assign(evidence, { mainPidAfter: before.unit.mainPid, states: [compactState(before.unit)] });
      return { ok: true, summary: `${describeUnit(this.target, before.unit)}: nothing to stop`, evidence, durationMs: monotonicMs() - started, timedOut: false };
    }
    const sendBound = this.#bound(deadline);
    const sent = await this.#act("stop", sendBound, signal);
    if (!sent.ok) return failed(`Cannot stop unit "${this.target}" as ${reason(sent, sendBound)}`, sent, evidence, monotonicMs() - started);
    const wait = await this.#waitUntilStopped(deadline, signal);
    Object.assign(evidence, { mainPidAfter: mainPid(wait.last), states: wait.states });
    const durationMs = monotonicMs() - started;
    if (wait.stopped) return { ok: true, summary: `Stopped unit "${this.target}" in ${formatDuration(durationMs)}`, evidence, durationMs, timedOut: false };
    if (wait.aborted) return { ok: false, summary: `Cannot stop unit "${this.target}" as the stop was cancelled`, evidence, durationMs, timedOut: false };
    return { ok: false, summary: `Unit "${this.target}" did not stop within ${formatDuration(timeoutMs)}: ${this.#now(wait)}`, evidence, durationMs, timedOut: true, ...causeOf(wait.last) };
  }

  async #kill(waitMs: number, signal: AbortSignal): Promise<Outcome> {
    const started = monotonicMs();
    const shown = await this.#show(this.#commandTimeoutMs, signal);
    const before = mainPid(shown);
    // Every process of the unit's cgroup, and nothing else: never a pattern (DESIGN.md).
    const sent = await this.#act("kill", this.#commandTimeoutMs, signal);
    const wait = await this.#waitUntilStopped(monotonicMs() + waitMs, signal, before ?? 0);
    const how = "via" in sent ? { via: sent.via } : { killExitCode: sent.exitCode };
    const evidence = { unit: this.target, signal: "SIGKILL", ...how, mainPidBefore: before, mainPidAfter: mainPid(wait.last), states: wait.states };
    const durationMs = monotonicMs() - started;
    const outcome = (ok: boolean, summary: string, timedOut = false, cause?: string): Outcome =>
      ({ ok, summary, evidence, durationMs, timedOut, ...(cause === undefined ? {} : { cause }) });

    if (wait.stopped && sent.ok) return outcome(true, `Killed unit "${this.target}" (SIGKILL to its cgroup); it is ${this.#now(wait)}`);
    // systemctl refuses to kill a unit with no process, e.g. one already stopped and unloaded.
    if (wait.stopped) return outcome(true, `Unit "${this.target}" had no process left to kill; it is ${this.#now(wait)}`);
    // Known from the look before the kill too: on a busy machine the wait may end before it looked.
    const missing = [shown, wait.last].some((look) => look !== null && "unit" in look && isMissing(look.unit));
    if (missing) return outcome(false, `Cannot kill unit "${this.target}" as it is not loaded: not-found`, false, systemctlCause(sent));
    if (!sent.ok) return outcome(false, `Cannot kill unit "${this.target}" as ${reason(sent, this.#commandTimeoutMs)}`, timedOut(sent), systemctlCause(sent));
    if (wait.aborted) return outcome(false, `Cannot confirm that unit "${this.target}" was killed as the wait was cancelled`);
    return outcome(false, `Unit "${this.target}" did not stop within ${formatDuration(waitMs)} of SIGKILL: ${this.#now(wait)}`, true, causeOf(wait.last).cause);
  }

  async #start(timeoutMs: number, signal: AbortSignal): Promise<Outcome> {
    const started = monotonicMs();
    const deadline = started + timeoutMs;
    // Lifeguard has its own restart limit: systemd's StartLimitBurst must not refuse this start.
    const resetBound = this.#bound(deadline);
    const reset = await this.#act("reset-failed", resetBound, signal);
    const run = await this.#act("start", this.#bound(deadline, timeoutMs), signal);
    const evidence: Record<string, unknown> = { unit: this.target, resetFailed: reset.ok ? "done" : systemctlCause(reset) ?? summaryOf(reset, resetBound) };
    if (!run.ok) {
      const summary = timedOut(run) ? `Unit "${this.target}" did not finish starting within ${formatDuration(timeoutMs)}` : `Cannot start unit "${this.target}" as ${reason(run, timeoutMs)}`;
      return failed(summary, run, evidence, monotonicMs() - started);
    }
    if ("job" in run && run.job !== "done") {
      const durationMs = monotonicMs() - started;
      Object.assign(evidence, { via: run.via });
      if (run.job === null) return { ok: false, summary: `Unit "${this.target}" did not finish starting within ${formatDuration(timeoutMs)}`, evidence, durationMs, timedOut: true };
      Object.assign(evidence, { job: run.job });
      return { ok: false, summary: `Cannot start unit "${this.target}" as its start job ended "${run.job}"`, evidence, durationMs, timedOut: false, cause: `systemd's start job for "${this.target}" ended "${run.job}" (journalctl -u ${this.target} says why)` };
    }
    const after = await this.#show(this.#commandTimeoutMs, signal);
    const durationMs = monotonicMs() - started;
    if ("failure" in after) return { ok: true, summary: `Started unit "${this.target}"`, evidence, durationMs, timedOut: false };
    Object.assign(evidence, { state: compactState(after.unit), mainPidAfter: after.unit.mainPid, result: after.unit.result });
    // A Type=simple unit reports its start done at fork; one already dead did not start.
    if (isStopped(after.unit)) return { ok: false, summary: `Unit "${this.target}" is "${after.unit.activeState}" right after its start`, evidence, durationMs, timedOut: false, cause: `result "${after.unit.result}"` };
    return { ok: true, summary: `Started unit "${this.target}": ${describeUnit(this.target, after.unit).replace(`Unit "${this.target}" is `, "it is ")}`, evidence, durationMs, timedOut: false };
  }

  /**
   * Polls until the unit is down, `deadline` (a monotonicMs() time) passes, or `signal` aborts.
   * A new main PID in place of `killedPid` counts as down too: systemd's own `Restart=` already
   * replaced the killed processes, faster than a poll could see the unit dead.
   */
  async #waitUntilStopped(deadline: number, signal: AbortSignal, killedPid = 0): Promise<StopWait> {
    const wait: StopWait = { stopped: false, last: null, states: [], aborted: false };
    for (;;) {
      wait.last = await this.#show(this.#bound(deadline), signal);
      if ("unit" in wait.last) {
        const { unit } = wait.last;
        const state = compactState(unit);
        if (wait.states.at(-1) !== state) wait.states.push(state);
        const replaced = killedPid > 0 && unit.mainPid > 0 && unit.mainPid !== killedPid;
        if (isStopped(unit) || replaced) return { ...wait, stopped: true };
      }
      const left = deadline - monotonicMs();
      if (left <= 0) return wait;
      if (!(await this.#follower.nextChange(Math.min(this.#pollMs, left), signal))) return { ...wait, aborted: true };
    }
  }

  /** The unit's state: through the bus while it answers, else a question anyone may ask: plain systemctl, under sudo or not. */
  async #show(timeoutMs: number, signal: AbortSignal): Promise<ShowAnswer> {
    const started = monotonicMs();
    if (this.#bus !== undefined && this.#bus.down === null) {
      const read = await this.#bus.unitState(this.target, timeoutMs, signal);
      if ("properties" in read) {
        const unit = unitStateFromBus(read.properties);
        return unit === null ? { failure: { via: "dbus", bus: { kind: "error", message: "its answer lacked the unit's state" } } } : { unit, via: "dbus" };
      }
      if (!answeredElsewhere(read.failure)) return { failure: { via: "dbus", bus: read.failure } };
      // The bus went away during this read: systemctl answers it, and every later one.
      timeoutMs = Math.max(MIN_CALL_MS, timeoutMs - (monotonicMs() - started));
    }
    const argv = [...this.#systemctl, "show", `--property=${SHOW_PROPERTIES.join(",")}`, "--no-ask-password", "--", this.target];
    const result = await runCommand(argv, { timeoutMs, signal });
    const unit = result.ok ? parseUnitState(result.stdout) : null;
    return unit === null ? { failure: result } : { unit, via: "systemctl" };
  }

  /**
   * A call that changes the unit: through the bus while it answers (systemd's manager methods,
   * the same polkit actions), else exactly as `unitCommand` writes it (the words polkit and
   * sudoers allow). A bus that goes away during the call hands it to systemctl: each verb may be
   * said twice without harm.
   */
  async #act(verb: UnitVerb, timeoutMs: number, signal: AbortSignal): Promise<ActResult> {
    const started = monotonicMs();
    if (this.#actOverBus && this.#bus !== undefined && this.#bus.down === null) {
      const done = await this.#bus.act(this.target, verb, timeoutMs, signal);
      if ("job" in done) return { ok: true, via: "dbus", job: done.job };
      if (!answeredElsewhere(done.failure)) return { ok: false, via: "dbus", bus: done.failure };
      timeoutMs = Math.max(MIN_CALL_MS, timeoutMs - (monotonicMs() - started));
    }
    return runCommand([...this.#control, ...unitCommand(verb, this.target)], { timeoutMs, signal });
  }

  /** A call's bound: the command timeout (or `cap`), but never past the step's deadline. */
  #bound(deadline: number, cap = this.#commandTimeoutMs): number {
    return Math.max(MIN_CALL_MS, Math.min(cap, deadline - monotonicMs()));
  }

  #now(wait: StopWait): string {
    if (wait.last !== null && "unit" in wait.last) return `"${wait.last.unit.activeState}" ("${wait.last.unit.subState}")`;
    return wait.last === null ? "its state is unknown" : `its state is unknown (${reason(wait.last.failure, this.#commandTimeoutMs)})`;
  }
}

/** Builds the runner for a service's `systemd:` config. */
export function createSystemdRunner(config: SystemdRunnerConfig, options: { systemctl?: readonly string[]; sudo?: boolean; bus?: SystemdBus } = {}): SystemdRunner {
  return new SystemdRunner({ unit: config.unit, commandTimeoutMs: config.commandTimeoutMs, ...options });
}
