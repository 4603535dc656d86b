import type { Check } from "../core/check.js";
import type { CheckConfig, CheckKind } from "../config/types.js";
import { createBoundedCheck } from "./bounded-check.js";
import { explainUnreadable } from "./explain-unreadable.js";
import { createHeartbeatProbe } from "./heartbeat.js";
import { createLogActivityProbe } from "./log-activity.js";
import { createLogFreshProbe } from "./log-fresh.js";
import type { CheckDeps, ProbeFactory } from "./probe.js";
import { createRunningProbe } from "./running.js";

type ConfigOf<Kind extends CheckKind> = Extract<CheckConfig, { kind: Kind }>;

/** One probe factory per check kind: adding a kind is one file and one line here. */
const PROBE_FACTORIES: { [Kind in CheckKind]: ProbeFactory<ConfigOf<Kind>> } = {
  running: createRunningProbe,
  "log-fresh": createLogFreshProbe,
  "log-activity": createLogActivityProbe,
  heartbeat: createHeartbeatProbe,
};

/**
 * Builds the check a config describes. Every kind gets the same wrapper: bounded by its
 * `timeoutMs` and the caller's signal, never throwing, and filling `check`, `at`,
 * `alertOnly` and `durationMs` of each observation; a file it cannot read gets its fix.
 */
export function createCheck(config: CheckConfig, deps: CheckDeps): Check {
  // The map pairs each kind with its own config type; TypeScript cannot follow that through a union.
  const createProbe = PROBE_FACTORIES[config.kind] as ProbeFactory<CheckConfig>;
  const onUnreadable = "onUnreadable" in config ? config.onUnreadable : undefined;
  return createBoundedCheck(config, deps.clock, explainUnreadable(createProbe(config, deps), onUnreadable));
}

export type { CheckDeps } from "./probe.js";
