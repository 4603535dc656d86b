import { monotonicMs } from "../process/monotonic.js";
import { formatDuration } from "../core/duration.js";
import type { Outcome } from "../core/outcome.js";
import type { ProcessListingRunner, RunnerStatus, ServiceProcesses, SupervisingRunner } from "../core/runner.js";
import { runProcesses } from "./process/run-processes.js";
import { killOnExit } from "./process/exit-guard.js";
import { exitRecord } from "./process/exit-record.js";
import { causeOf, describeExit, describeLeft, describeSpawnError, plural } from "./process/messages.js";
import { createOutputLog } from "./process/output-log.js";
import { groupMembers, isTreeGone, signalGroup } from "./process/process-group.js";
import { resolveUser } from "./process/resolve-user.js";
import { owner, runEnvironment } from "./process/run-identity.js";
import { isDirectory, spawnRun, type Run } from "./process/spawn-run.js";
import { describeUnstoppable, stopSurvivors, type SurvivorReport } from "./process/survivors.js";
import { randomToken } from "../process/random-token.js";
import { readBootId, type ProcStat } from "../process/proc-stat.js";
import type { RunJournal, SupervisedRun } from "../core/run-journal.js";
import type { ExitListener, ProcessExit, ProcessRunnerOptions } from "./process/types.js";
import { waitForGroupEnd, type GroupWait } from "./process/wait-group.js";
import { raceWait } from "../process/race-wait.js";
import { serviceCgroup } from "../process/delegated-cgroup.js";
import { removeCgroup } from "../process/cgroup.js";

export type { ExitListener, ProcessExit, ProcessRunnerOptions } from "./process/types.js";
export type { OutputTarget } from "./process/output-log.js";

/** How long start() watches a fresh process for an immediate exit (a missing script, a bad flag). */
export const DEFAULT_SETTLE_MS = 100;
/** How often a stop or kill looks whether the rest of the group is gone once the leader exited. */
export const DEFAULT_POLL_INTERVAL_MS = 50;
/** How long a start waits for a survivor of a previous Lifeguard to end, after SIGTERM and after SIGKILL, unless told. */
export const DEFAULT_SURVIVOR_STOP_MS = 5_000;

interface Current {
  run: Run;
  /** A stop, kill or shutdown signalled this run. */
  requested: boolean;
  /** `requested` when the leader exited: a later kill of leftovers does not make a crash look requested. */
  requestedAtExit: boolean | null;
  releaseGuard: () => void;
  /**
   * No process of the run is left (and its journal record was deleted): for good, as nothing can
   * join a run none of whose processes lives. Once known, no stop, kill, start or status looks again.
   */
  over: boolean;
}

/**
 * Supervisor mode's runner: Lifeguard spawns the command and owns it. The command leads its own
 * process group, and every process it starts carries the run's token: stop is SIGTERM to every
 * process of the run, kill is SIGKILL to them, including helpers that left the group with
 * setsid() and members left after the leader exited (found in /proc by group, token and
 * ancestry, verified by start time, never by name; see process-group.ts). A crash is seen at once
 * from Node's exit event: see `onExit`.
 *
 * The daemon calls `shutdown()` when Lifeguard receives SIGTERM or SIGINT. A plain exit of Lifeguard
 * (process.exit, an uncaught error) SIGKILLs the run synchronously. Nothing can act when Lifeguard
 * itself is SIGKILLed: the run survives it. So each run is recorded in the journal (the store)
 * before its spawn, and every start first stops what earlier runs left (`stopSurvivors`): a
 * Lifeguard started again never runs a second copy beside the first.
 */
export class ProcessRunner implements SupervisingRunner, ProcessListingRunner {
  readonly target: string;
  readonly #options: ProcessRunnerOptions;
  readonly #listeners = new Set<ExitListener>();
  #current: Current | null = null;
  #closed = false;

  constructor(options: ProcessRunnerOptions) {
    if (options.command.length === 0) throw new TypeError(`The command of "${options.name}" is empty`);
    this.target = options.name;
    this.#options = options;
  }

  /** Calls `listener` once per run when its first process exits, requested or not. Returns the unsubscribe. */
  onExit(listener: ExitListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** The running leader's pid, or null. */
  get pid(): number | null {
    const current = this.#current;
    return current !== null && current.run.exit === null ? current.run.pid : null;
  }

  async status(_signal: AbortSignal): Promise<RunnerStatus> {
    const started = monotonicMs();
    const current = this.#current;
    const result = (ok: boolean, state: string, details: string, evidence: Record<string, unknown> = {}): RunnerStatus =>
      ({ ok, state, summary: `"${this.target}" is "${state}" (${details})`, evidence: { name: this.target, ...evidence }, durationMs: monotonicMs() - started, timedOut: false });
    if (current === null) return result(false, "inactive", "not started yet");
    const { run } = current;
    const evidence = { pid: run.pid, startedAt: run.startedAt, lastOutputAt: run.output.lastOutputAt(), outputFile: this.#options.output?.file ?? null };
    if (run.exit === null) {
      const uptimeMs = monotonicMs() - run.startedMono;
      return result(true, "active", `PID ${run.pid}, up ${formatDuration(uptimeMs)}`, { ...evidence, uptimeMs });
    }
    const left = this.#left(current);
    const exit = this.#describe(current);
    const details = `${describeExit(exit)} after ${formatDuration(exit.uptimeMs)}${left.length === 0 ? "" : `; ${describeLeft(left)}`}`;
    return { ...result(false, exit.state, details, { ...evidence, code: exit.code, signal: exit.signal, uptimeMs: exit.uptimeMs, leftPids: left.map((member) => member.pid) }), ...causeOf(exit.oomKill ?? exit.lastOutput) };
  }

  /** The processes of the current run, read again at each call (process/run-processes.ts). */
  processes = async (_signal: AbortSignal): Promise<ServiceProcesses> => runProcesses(this.#current?.run ?? null, this.#current?.over === true);

  async stop(timeoutMs: number, signal: AbortSignal): Promise<Outcome> {
    const started = monotonicMs();
    const current = this.#current;
    if (current === null || this.#isOver(current)) return this.#outcome(started, true, `"${this.target}" was not running`);
    current.requested = true;
    const signalled = signalGroup(current.run.group, "SIGTERM", current.run.exit === null, current.run.seen);
    // As systemd does: a stopped (SIGSTOP) process can act on SIGTERM only once continued.
    signalGroup(current.run.group, "SIGCONT", current.run.exit === null, current.run.seen);
    const wait = await this.#waitForEnd(current, started + timeoutMs, signal, null);
    const evidence = { pid: current.run.pid, signal: "SIGTERM", signalled, left: wait.left.map((member) => member.pid) };
    if (wait.ended) return this.#outcome(started, true, `Stopped "${this.target}" in ${formatDuration(monotonicMs() - started)}`, evidence);
    if (wait.aborted) return this.#outcome(started, false, `Cannot stop "${this.target}" as the stop was cancelled`, evidence);
    return { ...this.#outcome(started, false, `"${this.target}" did not stop within ${formatDuration(timeoutMs)}: ${describeLeft(wait.left)}`, evidence), timedOut: true };
  }

  async kill(waitMs: number, signal: AbortSignal): Promise<Outcome> {
    const started = monotonicMs();
    const current = this.#current;
    if (current === null) return this.#outcome(started, true, `"${this.target}" had no process left to kill: it was not started`);
    current.requested = true;
    if (current.over) return this.#outcome(started, true, `"${this.target}" had no process left to kill`, { pid: current.run.pid });
    // Every process of the run we started, and nothing else: never a pattern (DESIGN.md).
    const signalled = signalGroup(current.run.group, "SIGKILL", current.run.exit === null, current.run.seen);
    if (signalled.length === 0 && this.#isOver(current)) return this.#outcome(started, true, `"${this.target}" had no process left to kill`, { pid: current.run.pid });
    const wait = await this.#waitForEnd(current, started + waitMs, signal, "SIGKILL");
    const evidence = { pid: current.run.pid, signal: "SIGKILL", signalled, left: wait.left.map((member) => member.pid) };
    if (wait.ended) return this.#outcome(started, true, `Killed "${this.target}" (SIGKILL to ${plural(signalled.length, "process", "processes")} of its run)`, evidence);
    if (wait.aborted) return this.#outcome(started, false, `Cannot confirm that "${this.target}" was killed as the wait was cancelled`, evidence);
    return { ...this.#outcome(started, false, `"${this.target}" did not stop within ${formatDuration(waitMs)} of SIGKILL: ${describeLeft(wait.left)}`, evidence), timedOut: true };
  }

  async start(timeoutMs: number, signal: AbortSignal): Promise<Outcome> {
    const started = monotonicMs();
    const { command, cwd, user } = this.#options;
    const evidence: Record<string, unknown> = { command: [...command], cwd: cwd ?? null, user: user ?? null };
    const cannot = (reason: string, why?: string): Outcome => ({ ...this.#outcome(started, false, `Cannot start "${this.target}" as ${reason}`, evidence), ...causeOf(why) });
    if (this.#closed) return cannot("Lifeguard is shutting down");
    const previous = this.#current;
    if (previous !== null && previous.run.exit === null) return this.#outcome(started, true, `"${this.target}" is already running (PID ${previous.run.pid})`, { ...evidence, pid: previous.run.pid });
    // A leftover of the previous run (a helper that outlived the leader) would run twice.
    const left = previous === null ? [] : this.#left(previous);
    if (left.length > 0) return cannot(`its previous run left ${plural(left.length, "process", "processes")} running (PIDs ${left.map((member) => member.pid).join(", ")})`, "stop or kill it first");
    // What a Lifeguard killed before us left running: never a second copy beside it.
    const survivors = await this.#stopSurvivors(signal);
    if (survivors.owned !== null) return cannot(`another Lifeguard (PID ${survivors.owned.ownerPid}) supervises it (PID ${survivors.owned.pid ?? "not yet known"})`, "run one Lifeguard per configuration and state directory");
    if (survivors.left.length > 0) return { ...cannot(describeUnstoppable(survivors, this.#survivorStop().killWaitMs)), evidence: { ...evidence, survivors: survivors.left.map((member) => member.pid) } };
    if (survivors.summary !== null) evidence.replaced = survivors.found.flatMap((entry) => entry.members.map((member) => member.pid));
    const replaced = survivors.summary === null ? "" : ` after stopping ${survivors.summary}`;

    const account = user === undefined ? null : resolveUser(user);
    if (account !== null && "problem" in account) return cannot(account.problem);
    const output = createOutputLog(this.#options.output, (error) => this.#options.onOutputError?.(error));
    // Recorded before the spawn: a Lifeguard killed right after it still leaves the token to find the run by.
    const record: SupervisedRun = { service: this.target, token: randomToken(), bootId: readBootId(), pid: null, startTime: null, startedAt: Date.now(), ...owner() };
    this.#journal((journal) => journal.recordRun(record));
    const cgroup = serviceCgroup(this.target);
    const spawned = await spawnRun({ command, cwd, env: runEnvironment(this.#options, account), token: record.token, claimsAdopted: this.#options.claimsAdopted === true, cgroup, account, output });
    if ("error" in spawned) {
      this.#journal((journal) => journal.forgetRun(record.token));
      const context = { program: command[0] as string, cwd, cwdExists: cwd === undefined || isDirectory(cwd), user };
      return cannot(describeSpawnError(spawned.error, context), spawned.error.message);
    }
    const current = this.#track(spawned.run);
    this.#journal((journal) => journal.recordRun({ ...record, pid: spawned.run.pid, startTime: spawned.run.group.leaderStartTime, startedAt: spawned.run.startedAt }));
    evidence.pid = spawned.run.pid;
    const settle = Math.min(this.#options.settleMs ?? DEFAULT_SETTLE_MS, Math.max(0, started + timeoutMs - monotonicMs()));
    const watched = await raceWait(spawned.run.exited, settle, signal);
    if (watched === "aborted") return this.#outcome(started, false, `Cannot confirm that "${this.target}" started as the start was cancelled`, evidence);
    if (watched === "done") {
      await spawned.run.drained;
      const exit = this.#describe(current);
      return { ...this.#outcome(started, false, `"${this.target}" ${describeExit(exit)} right after its start${replaced}`, { ...evidence, code: exit.code, signal: exit.signal }), ...causeOf(exit.oomKill ?? exit.lastOutput) };
    }
    return this.#outcome(started, true, `Started "${this.target}" (PID ${spawned.run.pid})${replaced}`, evidence);
  }

  /**
   * Stops the service for good when Lifeguard stops: SIGTERM to the group, SIGKILL after
   * `stopTimeoutMs`, then waits up to `killWaitMs`. Later starts are refused. Idempotent.
   */
  async shutdown(options: { stopTimeoutMs: number; killWaitMs: number }, signal: AbortSignal = new AbortController().signal): Promise<Outcome> {
    const started = monotonicMs();
    this.#closed = true;
    try {
      const stop = await this.stop(options.stopTimeoutMs, signal);
      if (stop.ok || !stop.timedOut) return stop;
      const kill = await this.kill(options.killWaitMs, signal);
      const summary = kill.ok ? `"${this.target}" did not stop within ${formatDuration(options.stopTimeoutMs)} of SIGTERM and was killed (SIGKILL to every process of its run)` : kill.summary;
      return { ...kill, summary, durationMs: monotonicMs() - started, evidence: { stop: stop.evidence, kill: kill.evidence } };
    } finally {
      // Whatever could not be killed must not hold Lifeguard's exit by its pipes.
      this.#current?.run.detach();
      const cgroup = this.#current?.run.group.cgroup;
      if (cgroup != null) removeCgroup(cgroup); // stays while a process that could not be killed is in it
    }
  }

  #track(run: Run): Current {
    const current: Current = { run, requested: false, requestedAtExit: null, over: false, releaseGuard: killOnExit(() => void signalGroup(run.group, "SIGKILL", run.exit === null, run.seen)) };
    this.#current = current;
    void run.exited.then(() => {
      current.requestedAtExit = current.requested;
      // Known now, while nothing waits on it: the restart that follows need not look again.
      this.#left(current);
      return run.drained;
    }).then(() => this.#notify(this.#describe(current)));
    return current;
  }

  #notify(exit: ProcessExit): void {
    for (const listener of this.#listeners) {
      try {
        listener(exit);
      } catch (error) {
        // A failing listener must not keep the others from hearing of the exit; it still surfaces.
        process.nextTick(() => { throw error; });
      }
    }
  }

  #describe(current: Current): ProcessExit {
    return exitRecord(current.run, current.requestedAtExit ?? current.requested);
  }

  /** The leader exited and no process of its group is left. */
  #isOver(current: Current): boolean {
    return current.run.exit !== null && this.#left(current).length === 0;
  }

  /**
   * The processes of the run still alive. Once the leader exited: none when it is over, proved
   * from its group, cgroup and the orphans Lifeguard adopted (isTreeGone) before the whole process
   * table is read, and then it is over for good.
   */
  #left(current: Current): ProcStat[] {
    const { run } = current;
    if (current.over) return [];
    const left = run.exit !== null && isTreeGone(run.group, run.seen) ? [] : groupMembers(run.group, run.seen);
    if (run.exit !== null && left.length === 0) this.#ended(current);
    return left;
  }

  /** No process of the run is left: nothing to kill when Lifeguard exits, nothing for a later Lifeguard to find. */
  #ended(current: Current): void {
    current.releaseGuard();
    if (current.over) return;
    current.over = true;
    this.#journal((journal) => journal.forgetRun(current.run.group.token as string));
  }

  /** Stops what earlier runs left (a Lifeguard killed before us); their records go once they are over. */
  async #stopSurvivors(signal: AbortSignal): Promise<SurvivorReport> {
    const runs = this.#journal((journal) => journal.runsOf(this.target)) ?? [];
    const own = new Set([this.#current?.run.group.token]);
    const earlier = runs.filter((run) => !own.has(run.token));
    const report = await stopSurvivors(earlier, { ...this.#survivorStop(), bootId: readBootId(), cgroup: serviceCgroup(this.target), pollMs: this.#options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, signal, now: Date.now });
    for (const run of report.over) this.#journal((journal) => journal.forgetRun(run.token));
    return report;
  }

  #survivorStop = (): { stopTimeoutMs: number; killWaitMs: number } => this.#options.survivorStop ?? { stopTimeoutMs: DEFAULT_SURVIVOR_STOP_MS, killWaitMs: DEFAULT_SURVIVOR_STOP_MS };

  /** Runs `use` on the journal; a store that cannot be written or read is told, never fatal. */
  #journal<T>(use: (journal: RunJournal) => T): T | undefined {
    const journal = this.#options.journal;
    if (journal === undefined) return undefined;
    try {
      return use(journal);
    } catch (error) {
      this.#options.onJournalError?.(error);
      return undefined;
    }
  }

  #waitForEnd(current: Current, deadline: number, signal: AbortSignal, resend: NodeJS.Signals | null): Promise<GroupWait> {
    return waitForGroupEnd(current.run, { deadline, signal, resend, pollMs: this.#options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS }).then((wait) => {
      if (wait.ended) this.#ended(current);
      return wait;
    });
  }

  #outcome(started: number, ok: boolean, summary: string, evidence: Record<string, unknown> = {}): Outcome {
    return { ok, summary, evidence: { name: this.target, ...evidence }, durationMs: monotonicMs() - started, timedOut: false };
  }
}
