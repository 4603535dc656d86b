import { markStart } from "../core/check.js";
import type { Logger } from "../core/logger.js";
import { markStarted } from "../core/mark-started.js";
import type { ServiceStore } from "../core/store.js";
import { isSupervising, type SupervisingRunner } from "../core/runner.js";
import { formatDuration } from "../core/duration.js";
import { controlCommand } from "../core/control.js";
import { becomeChildSubreaper, isNamespaceInit } from "../process/subreaper.js";
import { claimDelegatedCgroup } from "../process/delegated-cgroup.js";
import { stopAdopted } from "../process/stop-adopted.js";
import { plural } from "../runners/process/messages.js";
import type { ServiceParts } from "../engine/check-service.js";
import type { Outcome } from "../core/outcome.js";
import type { ServiceEvent } from "../core/policy.js";

/**
 * Supervisor mode in the daemon: starts every service whose runner owns its process (its exits are
 * answered by answer-exits.ts), and stops them all when Lifeguard stops.
 */
export async function startSupervised(services: ServiceParts[], deps: { store: ServiceStore; logger: Logger; now: () => number }): Promise<StartedServices> {
  const { logger, now, store } = deps;
  const supervised = services.filter((parts) => isSupervising(parts.runner));
  const replaced: string[] = [];
  for (const parts of supervised) {
    // Kept across a reload, still running: its process and its startup grace carry on.
    const status = await parts.runner.status(new AbortController().signal);
    if (status.state === "active") {
      logger.write({ at: now(), tag: "INFO", service: parts.config.name, message: `Kept ${status.summary} across the reload: its command and settings did not change` });
      continue;
    }
    const name = parts.config.name;
    // A human stopped it: it stays stopped across Lifeguard's restarts, until they start it.
    const control = store.loadState(name).control;
    if (control?.kind === "stopped") {
      logger.write({ at: now(), tag: "INFO", service: name, message: `Left "${name}" stopped, as ${control.by} asked ${formatDuration(Math.max(0, now() - control.since))} ago; "${controlCommand("start", name, parts.config.policy.cliAddress)}" starts it` });
      continue;
    }
    // The output the previous run left is not this run's: its checks count from this start.
    await markStart(parts.checks, now());
    const outcome = await parts.runner.start(parts.config.restart.verifyTimeoutMs, new AbortController().signal);
    // A copy a killed Lifeguard left running was stopped first: the history says so.
    const events = Array.isArray(outcome.evidence.replaced) ? [replacedEvent(outcome, now())] : [];
    if (events.length > 0) replaced.push(`"${name}"`);
    // Its startup grace runs from now: the first round must not judge a log not yet written.
    const state = store.loadState(name);
    if (outcome.ok || events.length > 0) store.commitRound(name, { state: outcome.ok ? markStarted(state, now()) : state, events, checkedAt: now() });
    logger.write({ at: now(), tag: outcome.ok ? (events.length > 0 ? "WARN" : "INFO") : "ERROR", service: name, message: outcome.summary });
  }
  return { runners: supervised.map((parts) => parts.runner as SupervisingRunner), replaced };
}

/** What `startSupervised` did. */
export interface StartedServices {
  runners: SupervisingRunner[];
  /** Services (quoted names) whose copy left running by a previous Lifeguard was stopped before their start. */
  replaced: string[];
}

function replacedEvent(outcome: Outcome, at: number): ServiceEvent {
  return { kind: "replaced", at, message: outcome.summary, data: { pids: outcome.evidence.replaced, pid: outcome.evidence.pid ?? null } };
}

/**
 * Readies Lifeguard to supervise commands, when it supervises any: it takes the cgroup systemd
 * delegated to it (`Delegate=yes`), so that each command runs in a cgroup of its own, and it
 * becomes the reaper of what its services orphan (a helper whose parent died is re-parented to
 * Lifeguard, not PID 1). Says once what it could not do: helpers are then still found by their
 * process group and their run's token.
 */
export function prepareSupervision(services: ServiceParts[], logger: Logger, now: () => number): void {
  if (!services.some((parts) => isSupervising(parts.runner))) return;
  const cgroup = claimDelegatedCgroup();
  if ("delegation" in cgroup) {
    logger.write({ at: now(), tag: "INFO", message: `Each supervised command runs in a cgroup of its own below ${cgroup.delegation.root}: whatever it starts is stopped with it` });
  } else if (process.env.INVOCATION_ID !== undefined) {
    // Under systemd the fix is one line of the unit; elsewhere (a terminal, a container) there is none to give.
    logger.write({ at: now(), tag: "INFO", message: `Supervised commands are followed by process group, run token and as orphans Lifeguard adopts, not by a cgroup of their own, as ${cgroup.reason} (Delegate=yes in Lifeguard's unit gives each command one)` });
  }
  const problem = becomeChildSubreaper();
  if (problem !== null) logger.write({ at: now(), tag: "WARN", message: describeReaperProblem(problem, isNamespaceInit()) });
}

/**
 * Why Lifeguard reaps no orphan, and what that costs. As PID 1 (a container) the kernel hands it
 * every orphan of the namespace whatever it does, and Node reaps only the children it spawned:
 * without the addon's waitpid each orphan that ends stays a zombie.
 */
function describeReaperProblem(problem: string, init: boolean): string {
  if (!init) return `Cannot make Lifeguard the reaper of its services' orphaned helpers as ${problem}; helpers that clear their environment and leave their parent may then escape a stop`;
  return `Cannot reap the orphans re-parented to Lifeguard as PID 1 as ${problem}: each one that ends stays a zombie until Lifeguard exits; build the native module (docs/containers.md) or start Lifeguard under an init that reaps (docker run --init)`;
}

/**
 * Stops every supervised process (SIGTERM to every process of its run, then SIGKILL), then any
 * orphan Lifeguard adopted that belonged to no run it knew: nothing it started outlives it. Each
 * stop is logged: under `docker stop` this is the one record of how the services ended.
 */
export async function shutdownSupervised(services: ServiceParts[], logger: Logger, now: () => number): Promise<void> {
  const supervised = services.filter((parts) => isSupervising(parts.runner));
  await Promise.all(supervised.map(async (parts) => {
    const outcome = await (parts.runner as SupervisingRunner).shutdown({ stopTimeoutMs: parts.config.restart.stopTimeoutMs, killWaitMs: parts.config.restart.killWaitMs });
    const tag = outcome.ok && outcome.evidence.kill === undefined ? "INFO" : "WARN";
    logger.write({ at: now(), tag, service: parts.config.name, message: outcome.summary });
  }));
  if (supervised.length === 0) return;
  const longest = Math.max(...supervised.map((parts) => parts.config.restart.stopTimeoutMs));
  const adopted = await stopAdopted(longest);
  if (adopted.pids.length > 0) logger.write({ at: now(), tag: adopted.left.length === 0 ? "INFO" : "WARN", message: describeAdoptedStop(adopted.pids, adopted.left.map((stat) => stat.pid)) });
}

function describeAdoptedStop(pids: readonly number[], left: readonly number[]): string {
  const stopped = `Stopped ${plural(pids.length, "orphaned process", "orphaned processes")} that Lifeguard had adopted (${listPids(pids)})`;
  return left.length === 0 ? stopped : `${stopped}; still running after SIGKILL: ${listPids(left)}`;
}

function listPids(pids: readonly number[]): string {
  return `${pids.length === 1 ? "PID" : "PIDs"} ${pids.join(", ")}`;
}
