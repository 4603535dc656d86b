import { listsProcesses, type Runner, type ServiceProcesses } from "../core/runner.js";
import type { Finding } from "./probe.js";

/**
 * The service's processes as its runner lists them now, or the unobservable finding that says why
 * they cannot be measured (`what`: `memory`, `CPU`): a runner that cannot list them, a backend that
 * did not answer. Whether the service should run at all is the `running` check's to judge.
 */
export async function listServiceProcesses(runner: Runner, serviceName: string, what: string, signal: AbortSignal): Promise<ServiceProcesses | Finding> {
  if (!listsProcesses(runner)) {
    return { ok: false, unobservable: true, summary: `Cannot measure the ${what} of "${serviceName}" as its runner cannot list its processes`, evidence: { target: runner.target } };
  }
  const listed = await runner.processes(signal);
  return "problem" in listed ? { ok: false, unobservable: true, summary: listed.problem, evidence: { target: runner.target } } : listed;
}
