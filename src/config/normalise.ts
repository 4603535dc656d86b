import { normaliseForensics } from "./forensics.js";
import type { PolicySettings } from "../core/policy.js";
import { normaliseAlerting } from "./alerting.js";
import type { CheckContext } from "./check-kind.js";
import { CHECK_KINDS, type CheckItem, type CheckSettings } from "./check-kinds.js";
import { runningCheck } from "./check-running.js";
import { normaliseDeadman } from "./deadman.js";
import { pathResolver } from "./resolve-path.js";
import { runnerKindOf } from "./runner-kinds.js";
import type { ParsedConfig, ParsedService } from "./schema.js";
import { normaliseChannel } from "./channel-kinds.js";
import { normaliseWindows } from "./schedule.js";

/** Where the text came from: its name for messages, and the directory relative paths start from. */
export interface ConfigOrigin {
  source: string;
  baseDir: string;
  /**
   * The options that make a command typed in any directory find this configuration
   * (`["-c", "/srv/bot/lifeguard.yaml"]`): every service's `policy.cliAddress`. Default: none
   * (text validated in memory has no place a command could name).
   */
  cliAddress?: readonly string[];
}

/** What a service's parts are normalised with: paths resolved against the config file, the store's directory. */
interface ServiceContext extends CheckContext {
  state: string;
  cliAddress: readonly string[];
  /** Every channel's name: the route of a service that lists none. */
  channels: string[];
}

/**
 * Shapes the parsed file into the config the rest of Lifeguard uses: camelCase, ms, absolute
 * paths, check ids, the text of the files checks name (`files`, read by validate). What it returns is the type of the config (`LifeguardConfig`, types.ts):
 * the doc comments on the fields here and in the kinds' normalisers are the config's.
 */
export function normalise(parsed: ParsedConfig, origin: ConfigOrigin, files: ReadonlyMap<string, string> = new Map()) {
  const resolvePath = pathResolver(origin.baseDir);
  const fileText = (path: string): string => {
    const text = files.get(path);
    if (text === undefined) throw new Error(`The file "${path}" was not read at load`);
    return text;
  };
  const state = resolvePath(parsed.state);
  return {
    /** Where it came from, for messages: a file path or `<inline>`. */
    source: origin.source,
    /** Directory holding the SQLite store. */
    state,
    /** The options that make a command typed in any directory find this configuration (ConfigOrigin.cliAddress): what Lifeguard's advice carries. */
    cliAddress: [...(origin.cliAddress ?? [])],
    log: {
      /** null: standard output. */
      file: parsed.log.file === null ? null : resolvePath(parsed.log.file),
      format: parsed.log.format,
      /** Rotate the watchdog log to `<file>.1` beyond this size; null: never (leave it to logrotate). */
      maxBytes: parsed.log["max-size"],
      /** Rotated files kept: `<file>.1` ... `<file>.<keep>`. */
      keep: parsed.log.keep,
    },
    retention: {
      /** History and events older than this are pruned, and check memories not written for as long. */
      maxAgeMs: parsed.retention["max-age"],
      /** The store is pruned, oldest first, to stay under this size. */
      maxBytes: parsed.retention["max-size"],
    },
    /** Lifeguard's HTTP server in daemon mode. */
    http: {
      ...parsed.http.listen,
      /** The secret clients must present; null: none set, so ping and mutating endpoints are refused. Never put it in a message or a log. */
      token: parsed.http.token,
    },
    /** null: no dead-man's switch. */
    deadman: normaliseDeadman(parsed.deadman),
    /** How a Lifeguard that is not root may control its units: `polkit` (systemctl itself) or `sudo` (`sudo -n systemctl` for each call that changes a unit). */
    privilege: parsed.privilege,
    services: Object.entries(parsed.services).map(([name, service]) => normaliseService(name, service, { resolvePath, fileText, state, channels: Object.keys(parsed.alerts), cliAddress: origin.cliAddress ?? [] })),
    /** The alert channels, in file order. */
    channels: Object.entries(parsed.alerts).map(([name, channel]) => normaliseChannel(channel, { name, resolvePath })),
    alerting: normaliseAlerting(parsed.alerting),
  };
}

function normaliseService(name: string, service: ParsedService, context: ServiceContext) {
  const { restart } = service;
  const { runner, target } = runnerKindOf(service).normalise(service, { ...context, name });
  // Written to the core's type, not inferred: the core is what defines it, and it imports no config.
  const policy: PolicySettings = {
    failureThreshold: service["failure-threshold"],
    startupGraceMs: service["startup-grace"],
    limit: { max: restart.limit.max, perMs: restart.limit.per },
    backoff: {
      initialMs: restart.backoff.initial, maxMs: restart.backoff.max, resetAfterMs: restart.backoff["reset-after"],
      minUptimeMs: runner.kind === "process" ? runner.minUptimeMs : null,
    },
    rearmAfterMs: restart["rearm-after"],
    cliAddress: [...context.cliAddress],
    schedule: { active: normaliseWindows(service.active), quiet: normaliseWindows(service.quiet) },
  };
  return {
    name,
    /** What the service controls, for people: the unit name, or the command line (shortened). */
    target,
    /** How the service is controlled; `kind` picks the runner (src/compose/build-app.ts). */
    runner,
    intervalMs: service.interval,
    /** Always starts with the implicit `running` check. */
    checks: assignIds(withRunningFirst(service.checks).map((item) => normaliseCheck(item, context))),
    restart: { stopTimeoutMs: restart["stop-timeout"], killWaitMs: restart["kill-wait"], verifyTimeoutMs: restart["verify-timeout"] },
    /** What is captured before the stop of a hung service's restart. */
    forensics: normaliseForensics(service.forensics, context.resolvePath),
    policy,
    /** Names of the channels its alerts go to (every channel unless the service lists some); may be empty. */
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
function assignIds(checks: CheckSettings[]) {
  const counts = new Map<string, number>();
  return checks.map((check) => {
    const count = (counts.get(check.kind) ?? 0) + 1;
    counts.set(check.kind, count);
    return {
      ...check,
      /** Unique within the service: the kind, with `#2`, `#3`... for repeats (`log-activity#2`). */
      id: count === 1 ? check.kind : `${check.kind}#${count}`,
    };
  });
}
