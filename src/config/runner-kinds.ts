import { joinOr, quote } from "./messages.js";
import type { Problem } from "./problem.js";
import { processRunner } from "./runner-process.js";
import { systemdRunner } from "./runner-systemd.js";

/** The registry of runner kinds, in the order the docs and messages list them. */
export const RUNNER_KINDS = [systemdRunner, processRunner] as const;

/** A runner kind as the registry holds it. */
type RunnerSpec = (typeof RUNNER_KINDS)[number];

/** The kind a parsed service uses: the one whose key it has. Validation made sure there is exactly one. */
export function runnerKindOf(service: Record<string, unknown>): RunnerSpec {
  const chosen = chosenKinds(service);
  if (chosen.length !== 1 || chosen[0] === undefined) throw new Error(`A validated service has ${chosen.length} runner kinds`);
  return chosen[0];
}

/**
 * Each service has exactly one runner key (`systemd` or `command`), and no key that only
 * another kind takes. Checked on the data as written: once the schema has filled in defaults,
 * every service holds every kind's keys.
 */
export function checkRunnerKeys(data: unknown): Problem[] {
  const services = isMap(data) ? data.services : undefined;
  if (!isMap(services)) return [];
  return Object.entries(services).flatMap(([name, service]) => (isMap(service) ? serviceProblems(name, service) : []));
}

function serviceProblems(name: string, service: Record<string, unknown>): Problem[] {
  const chosen = chosenKinds(service);
  const [kind] = chosen;
  if (chosen.length !== 1 || kind === undefined) {
    const keys = joinOr(RUNNER_KINDS.map((spec) => quote(spec.key)));
    const got = chosen.length === 0 ? `neither (e.g. ${RUNNER_KINDS.map((spec) => spec.example).join(", or ")})` : "both";
    return [{ path: ["services", name], message: `expected exactly one of ${keys}, got ${got}` }];
  }
  return Object.keys(service).flatMap((key): Problem[] => {
    const owner = RUNNER_KINDS.find((spec) => spec !== kind && key in spec.shape);
    if (owner === undefined) return [];
    return [{ path: ["services", name, key], atKey: true, message: `${quote(key)} applies only to a service with ${quote(owner.key)}, not to one with ${quote(kind.key)}` }];
  });
}

function chosenKinds(service: Record<string, unknown>): RunnerSpec[] {
  return RUNNER_KINDS.filter((spec) => service[spec.key] !== undefined);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
