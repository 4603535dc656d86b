import type { PolicySettings } from "../core/policy.js";
import type { CheckContext, CheckSettings } from "./check-kind.js";
import { CHECK_KINDS, type CheckItem } from "./check-kinds.js";
import { runningCheck } from "./check-running.js";
import { pathResolver } from "./resolve-path.js";
import { runnerKindOf } from "./runner-kinds.js";
import type { ParsedConfig, ParsedService } from "./schema.js";
import { normaliseChannel } from "./channel-kinds.js";
import type { AlertingConfig, CheckConfig, DeadmanConfig, LifeguardConfig, ServiceConfig } from "./types.js";

/** Where the text came from: its name for messages, and the directory relative paths start from. */
export interface ConfigOrigin {
  source: string;
  baseDir: string;
}

/** What a service's parts are normalised with: paths resolved against the config file, the store's directory. */
interface ServiceContext extends CheckContext {
  state: string;
  /** Every channel's name: the route of a service that lists none. */
  channels: string[];
}

/** Shapes the parsed file into the config the rest of Lifeguard uses: camelCase, ms, absolute paths, check ids. */
export function normalise(parsed: ParsedConfig, origin: ConfigOrigin): LifeguardConfig {
  const resolvePath = pathResolver(origin.baseDir);
  const state = resolvePath(parsed.state);
  return {
    source: origin.source,
    state,
    log: {
      file: parsed.log.file === null ? null : resolvePath(parsed.log.file),
      format: parsed.log.format,
      maxBytes: parsed.log["max-size"],
      keep: parsed.log.keep,
    },
    retention: { maxAgeMs: parsed.retention["max-age"], maxBytes: parsed.retention["max-size"] },
    http: { ...parsed.http.listen, token: parsed.http.token },
    deadman: normaliseDeadman(parsed.deadman),
    services: Object.entries(parsed.services).map(([name, service]) => normaliseService(name, service, { resolvePath, state, channels: Object.keys(parsed.alerts) })),
    channels: Object.entries(parsed.alerts).map(([name, channel]) => normaliseChannel(channel, { name, resolvePath })),
    alerting: normaliseAlerting(parsed.alerting),
  };
}

function normaliseAlerting(alerting: ParsedConfig["alerting"]): AlertingConfig {
  return {
    retry: { initialMs: alerting.retry.initial, maxMs: alerting.retry.max },
    expireMs: alerting.expire,
    dedupeMs: alerting.dedupe,
    flapping: { max: alerting.flapping.max, perMs: alerting.flapping.per },
    remindMs: alerting.remind,
    lifecycle: alerting.lifecycle,
  };
}

function normaliseDeadman(deadman: ParsedConfig["deadman"]): DeadmanConfig | null {
  return deadman === null ? null : { url: deadman.url, intervalMs: deadman.interval, timeoutMs: deadman.timeout, method: deadman.method };
}

function normaliseService(name: string, service: ParsedService, context: ServiceContext): ServiceConfig {
  const { restart } = service;
  const { runner, target } = runnerKindOf(service).normalise(service, { ...context, name });
  const policy: PolicySettings = {
    failureThreshold: service["failure-threshold"],
    startupGraceMs: service["startup-grace"],
    limit: { max: restart.limit.max, perMs: restart.limit.per },
    backoff: {
      initialMs: restart.backoff.initial, maxMs: restart.backoff.max, resetAfterMs: restart.backoff["reset-after"],
      minUptimeMs: runner.kind === "process" ? runner.minUptimeMs : null,
    },
    rearmAfterMs: restart["rearm-after"],
  };
  return {
    name,
    target,
    runner,
    intervalMs: service.interval,
    checks: assignIds(withRunningFirst(service.checks).map((item) => normaliseCheck(item, context))),
    restart: { stopTimeoutMs: restart["stop-timeout"], killWaitMs: restart["kill-wait"], verifyTimeoutMs: restart["verify-timeout"] },
    policy,
    alerts: [...(service.alerts ?? context.channels)],
  };
}

/** A service is always checked for `running` first: the listed one (with its options) or a default one. */
function withRunningFirst(items: readonly CheckItem[]): CheckItem[] {
  const listed = items.find((item) => "running" in item);
  const running = listed ?? { running: runningCheck.options.parse({}) };
  return [running, ...items.filter((item) => item !== listed)];
}

function normaliseCheck(item: CheckItem, context: CheckContext): CheckSettings {
  for (const spec of CHECK_KINDS) {
    const options = item[spec.kind];
    if (options !== undefined) return spec.normalise(options, context);
  }
  throw new Error(`A validated check has no known kind: ${JSON.stringify(item)}`);
}

/** `kind` for the first check of a kind, `kind#2`, `kind#3`... for repeats. */
function assignIds(checks: CheckSettings[]): CheckConfig[] {
  const counts = new Map<string, number>();
  return checks.map((check) => {
    const count = (counts.get(check.kind) ?? 0) + 1;
    counts.set(check.kind, count);
    return { ...check, id: count === 1 ? check.kind : `${check.kind}#${count}` } as CheckConfig;
  });
}
