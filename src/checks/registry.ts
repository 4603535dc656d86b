import type { Check } from "../core/check.js";
import type { CheckConfig, CheckConfigOf, CheckKind } from "../config/types.js";
import { createBoundedCheck } from "./bounded-check.js";
import { createConnectionProbe } from "./connection.js";
import { createExecProbe } from "./exec.js";
import { explainUnreadable } from "./explain-unreadable.js";
import { createHeartbeatProbe } from "./heartbeat.js";
import { createHttpProbe } from "./http.js";
import { createLogActivityProbe } from "./log-activity.js";
import { createLogFreshProbe } from "./log-fresh.js";
import { createMemoryProbe } from "./memory.js";
import { createCpuProbe } from "./cpu.js";
import type { CheckDeps, Probe, ProbeFactory } from "./probe.js";
import { createRunningProbe } from "./running.js";
import { createTcpProbe } from "./tcp.js";

/**
 * One probe factory per check kind: adding a kind is one file and one line here. Typed over
 * every kind of the config registry, so a kind without its factory does not compile.
 */
const PROBE_FACTORIES: { [Kind in CheckKind]: ProbeFactory<CheckConfigOf<Kind>> } = {
  running: createRunningProbe,
  "log-fresh": createLogFreshProbe,
  "log-activity": createLogActivityProbe,
  heartbeat: createHeartbeatProbe,
  http: createHttpProbe,
  tcp: createTcpProbe,
  exec: createExecProbe,
  memory: createMemoryProbe,
  cpu: createCpuProbe,
  connection: createConnectionProbe,
};

/**
 * Builds the check a config describes. Every kind gets the same wrapper: bounded by its
 * `timeoutMs` and the caller's signal, never throwing, and filling `check`, `at`,
 * `alertOnly` and `durationMs` of each observation; a file it cannot read gets its fix.
 */
export function createCheck(config: CheckConfig, deps: CheckDeps): Check {
  const onUnreadable = "onUnreadable" in config ? config.onUnreadable : undefined;
  return createBoundedCheck(config, deps.clock, explainUnreadable(createProbe(config.kind, config, deps), onUnreadable));
}

/** The probe of one kind; `kind` apart from its config lets TypeScript pair the factory with its config type. */
function createProbe<Kind extends CheckKind>(kind: Kind, config: CheckConfigOf<Kind>, deps: CheckDeps): Probe {
  return PROBE_FACTORIES[kind](config, deps);
}

export type { CheckDeps } from "./probe.js";
