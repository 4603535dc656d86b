import type { RunningCheckConfig } from "../config/types.js";
import { isSupervising, reportsChanges, type RunnerStatus } from "../core/runner.js";
import type { Finding, Probe, ProbeFactory } from "./probe.js";

/** Runner states in which the service is up (systemd's ActiveState; `reloading` is still serving). */
const ACTIVE_STATES = new Set(["active", "reloading"]);
/** The state a runner reports when it could not ask (RunnerStatus). */
const UNKNOWN_STATE = "unknown";
/** States in which the service is certainly not running: a crash, not a flaky probe. */
const DEAD_STATES = new Set(["inactive", "failed"]);

/**
 * `running`: the service is active as its runner sees it. The runner bounds its own call
 * (systemctl with a timeout) and gets the check's signal; a runner that could not be asked
 * gives a failed finding with the runner's reason as cause. A process Lifeguard supervises is
 * followed by its exit, which the runner hears at once: until then an active finding holds; so
 * does a systemd unit's while systemd reports no change of it over the bus.
 */
export const createRunningProbe: ProbeFactory<RunningCheckConfig> = (_config, deps) => {
  const { runner } = deps;
  let exited = true;
  /** The runner's count of changes heard when the last look began (systemd over the bus). */
  let changesAtLook: number | null = null;
  const probe: Probe = async (signal) => {
    exited = false;
    if (reportsChanges(runner)) changesAtLook = runner.changesHeard();
    return describeStatus(deps.serviceName, runner.target, await runner.status(signal));
  };
  if (reportsChanges(runner)) {
    // A unit followed over the bus: its finding holds while systemd reports no change. The daemon's
    // wake-on-change already runs a round at once on a change, so there is nothing to call here.
    probe.follow = () => ({
      unchanged: () => changesAtLook !== null && runner.changesHeard() === changesAtLook,
      stop: () => undefined,
    });
    return probe;
  }
  if (!isSupervising(runner)) return probe;
  probe.follow = (onChange) => {
    exited = true;
    const stop = runner.onExit((exit) => {
      exited = true;
      // An exit Lifeguard asked for is its own restart's, whose round is under way.
      if (!exit.requested) onChange();
    });
    return { unchanged: () => !exited, stop };
  };
  return probe;
};

function describeStatus(service: string, target: string, status: RunnerStatus): Finding {
  const evidence = { ...status.evidence, target, state: status.state };
  const timedOut = status.timedOut;
  if (status.state === UNKNOWN_STATE) {
    // Not knowing is not the same as "not active": say why systemd could not be asked.
    return { ok: false, summary: status.summary, evidence, timedOut, cause: joinCause(status) };
  }
  if (!ACTIVE_STATES.has(status.state)) {
    const conclusive = DEAD_STATES.has(status.state);
    return { ok: false, summary: `Service "${service}" is not active: "${status.state}"`, evidence, timedOut, conclusive, ...(status.cause === undefined ? {} : { cause: status.cause }) };
  }
  if (!status.ok) {
    return { ok: false, summary: `Service "${service}" is "${status.state}" but unhealthy: ${status.summary}`, evidence, timedOut, cause: joinCause(status) };
  }
  return { ok: true, summary: `Service "${service}" is active`, evidence, timedOut: false };
}

/** The runner's own summary, with its cause (an errno, a stderr line) when it gave one. */
function joinCause(status: RunnerStatus): string {
  return status.cause === undefined ? status.summary : `${status.summary}: ${status.cause}`;
}
