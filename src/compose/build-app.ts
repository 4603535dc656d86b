import { lastLogLines } from "./last-log-lines.js";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Clock } from "../core/clock.js";
import type { CheckMemory } from "../core/check-memory.js";
import type { HeartbeatStore } from "../core/heartbeat.js";
import type { Logger } from "../core/logger.js";
import { initialState } from "../core/state.js";
import type { ServiceStore } from "../core/store.js";
import type { Runner } from "../core/runner.js";
import type { RunJournal } from "../core/run-journal.js";
import { hasPingHeartbeat } from "../config/ping-heartbeat.js";
import type { LifeguardConfig, RunnerConfigOf, RunnerKind, ServiceConfig } from "../config/types.js";
import type { ServiceParts } from "../engine/check-service.js";
import { systemClock } from "../process/system-clock.js";
import { withActiveWindows } from "../checks/active-window.js";
import { createCheck } from "../checks/registry.js";
import { ProcessRunner } from "../runners/process.js";
import { createSystemdRunner } from "../runners/systemd.js";
import type { SystemdBus } from "../process/systemd-bus.js";
import { DB_FILE_NAME, openResilientStore, openStore, type Store } from "../store/index.js";
import { createLogger } from "../log/create-logger.js";
import { servicePingUrl, type ListenAddress } from "../http/index.js";
import { inheritedEnv, PING_URL_VARIABLE } from "../process/inherited-env.js";
import { buildAlerting, type Alerting } from "./alerting.js";
import { announceStoreNotices } from "./announce-store-notices.js";

/** Everything a command needs, built from one config: the composition root. */
export interface App {
  config: LifeguardConfig;
  clock: Clock;
  logger: Logger;
  services: ServiceParts[];
  /** Null only in read-only use before any store exists (a dry run on a fresh machine). */
  store: Store | null;
  /** The alert channels, and (with a writable store) what queues and delivers alerts. */
  alerting: Alerting;
  /**
   * Tells the services where the daemon's HTTP server listens (the real port when the config
   * asked for 0): a supervised service with a heartbeat by ping finds its URL in
   * `LIFEGUARD_PING_URL` from its next start on. Before this, it gets none.
   */
  announceHttp(address: ListenAddress): void;
  /** Its supervised services, for the app that replaces it on a reload (`AppOptions.carry`). */
  carry(): CarriedService[];
  close(): void;
}

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
  /** Do not create the store when it does not exist yet (`check --dry-run`, `status`). */
  readOnly?: boolean;
  /**
   * The plain SQLite store, never the resilient one: a command whose whole point is a write
   * (`reset`) must fail when the disk refuses it, not keep it in memory until it exits.
   */
  plainStore?: boolean;
  /**
   * The services of the app this one replaces (a reload): a supervised service whose runner
   * settings and ping URL are unchanged keeps its runner, so its process runs on untouched.
   */
  carry?: readonly CarriedService[];
  /** The daemon's one system bus connection: its systemd runners read unit states through it. */
  systemdBus?: SystemdBus;
}

/** A service of a replaced app, with what decides whether its runner can be kept. */
export interface CarriedService {
  parts: ServiceParts;
  key: string;
}

/** The only place that picks concrete adapters: runner, checks, store and log. */
export function buildApp(config: LifeguardConfig, options: AppOptions = {}): App {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.log, { withService: config.services.length > 1 });
  const existing = existsSync(join(config.state, DB_FILE_NAME));
  // The config's checks: what another check kept between runs (a check or service since removed) is pruned.
  const checks = config.services.flatMap((service) => service.checks.map((check) => ({ service: service.name, check: check.id })));
  const storeOptions = { retention: config.retention, now: clock.now, logger, checks };
  // What acts (a round, a restart) never depends on writing the store; read-only use sees the file as it is.
  const resilient = options.readOnly === true || options.plainStore === true ? null : openResilientStore(config.state, { ...storeOptions, host: hostname() });
  const store = resilient ?? (existing || options.plainStore === true ? openStore(config.state, storeOptions) : null);
  const heartbeats = options.readOnly || store === null ? readOnlyHeartbeats(store) : store;
  let http: ListenAddress | null = null;
  const pingEnv = (service: ServiceConfig): Record<string, string> => {
    const token = config.http.token;
    if (http === null || token === null || !hasPingHeartbeat(service)) return {};
    return { [PING_URL_VARIABLE]: servicePingUrl(http, token, service.name) };
  };
  const supervisedCount = config.services.filter((service) => service.runner.kind === "process").length;
  const carried = new Map((options.carry ?? []).map((entry) => [entry.key, entry.parts.runner]));
  // One set of deps, and one copy of the environment, for every service: a copy each was some KiB a service.
  const memory: CheckMemory = options.readOnly || store === null ? { recall: (service, check) => store?.recall(service, check) ?? null, remember: () => undefined } : store;
  const deps: RunnerDeps = { clock, logger, heartbeats, memory, pingEnv, supervisedCount, journal: options.readOnly || store === null ? undefined : store, privilege: config.privilege, systemdBus: options.systemdBus, baseEnv: inheritedEnv() };
  const services = config.services.map((service) => {
    const key = carryKey(service, config);
    return buildService(service, deps, key === null ? undefined : carried.get(key));
  });
  // Read-only use (a dry run, status) queues and sends nothing.
  const alerting = buildAlerting(config, options.readOnly === true ? null : store, clock, logger);
  if (resilient !== null) announceStoreNotices(resilient, config, { logger, clock, alerting });
  return {
    config, clock, logger, services, store, alerting,
    announceHttp: (address) => void (http = address),
    carry: () => services.flatMap((parts) => {
      const key = carryKey(parts.config, config);
      return key === null ? [] : [{ parts, key }];
    }),
    close: () => store?.close(),
  };
}

/**
 * What must be equal for a reload to keep a supervised service's process: its name, runner
 * settings, and the ping URL it was given (none with port 0: a new listen gives a new port).
 */
function carryKey(service: ServiceConfig, config: LifeguardConfig): string | null {
  if (service.runner.kind !== "process") return null;
  const pings = hasPingHeartbeat(service);
  if (pings && config.http.port === 0) return null;
  return JSON.stringify([service.name, service.runner, pings ? [config.http.host, config.http.port, config.http.token] : null]);
}

/** What a service's parts may need besides its config. */
interface RunnerDeps {
  clock: Clock;
  logger: Logger;
  heartbeats: HeartbeatStore;
  /** What checks keep between `check` runs: the store; read-only use reads it and writes nothing. */
  memory: CheckMemory;
  /** `LIFEGUARD_PING_URL` for the service, when it has one; asked at each start. */
  pingEnv(service: ServiceConfig): Record<string, string>;
  /** How many services Lifeguard supervises (`command:`): with one, its orphans are that one's. */
  supervisedCount: number;
  /** Where supervised runs are recorded (the store); none in read-only use. */
  journal: RunJournal | undefined;
  /** How a unit is controlled: systemctl itself, or through `sudo -n`. */
  privilege: LifeguardConfig["privilege"];
  /** Where systemd runners read unit states, when not from `systemctl show`. */
  systemdBus: SystemdBus | undefined;
  /** What supervised services inherit (inheritedEnv()), shared by all of them: a runner never changes it. */
  baseEnv: NodeJS.ProcessEnv;
}

type RunnerFactory<Config> = (runner: Config, service: ServiceConfig, deps: RunnerDeps) => Runner;

/** The runner of each kind: the only place that knows the concrete runners. Typed over every kind of the config registry. */
const RUNNERS: { [Kind in RunnerKind]: RunnerFactory<RunnerConfigOf<Kind>> } = {
  systemd: (runner, _service, deps) => createSystemdRunner(runner, { sudo: deps.privilege === "sudo", ...(deps.systemdBus === undefined ? {} : { bus: deps.systemdBus }) }),
  process: (runner, service, deps) =>
    new ProcessRunner({
      name: service.name,
      command: runner.command,
      cwd: runner.cwd ?? undefined,
      env: runner.env,
      startEnv: () => deps.pingEnv(service),
      user: runner.user ?? undefined,
      output: runner.output,
      baseEnv: deps.baseEnv,
      ...(deps.journal === undefined ? {} : { journal: deps.journal }),
      claimsAdopted: deps.supervisedCount === 1,
      survivorStop: { stopTimeoutMs: service.restart.stopTimeoutMs, killWaitMs: service.restart.killWaitMs },
      onJournalError: (error) =>
        deps.logger.write({
          at: deps.clock.now(), tag: "WARN", service: service.name,
          message: `Cannot record the run of "${service.name}" in the store as ${error instanceof Error ? error.message : String(error)}; a Lifeguard started after this one is killed may not find it`,
        }),
      // The service runs on when its output cannot be written; the watchdog log says why.
      onOutputError: (error) =>
        deps.logger.write({
          at: deps.clock.now(), tag: "ERROR", service: service.name,
          message: `Cannot write the output of "${service.name}" to "${runner.output.file}" as ${error instanceof Error ? error.message : String(error)}`,
        }),
    }),
};

/** The runner of one kind; `kind` apart from its config lets TypeScript pair the factory with its config type. */
function createRunner<Kind extends RunnerKind>(kind: Kind, runner: RunnerConfigOf<Kind>, service: ServiceConfig, deps: RunnerDeps): Runner {
  return RUNNERS[kind](runner, service, deps);
}

function buildService(config: ServiceConfig, deps: RunnerDeps, kept?: Runner): ServiceParts {
  const runner = kept ?? createRunner(config.runner.kind, config.runner, config, deps);
  const { clock, heartbeats } = deps;
  const serviceEnv = config.runner.kind === "process" ? config.runner.env : {};
  const checks = config.checks.map((check) => withActiveWindows(
    createCheck(check, { clock, runner, serviceName: config.name, heartbeats, memory: deps.memory, serviceEnv }),
    { service: config.policy.schedule?.active ?? [], check: check.active ?? [], quiet: check.quiet ?? [], graceMs: config.policy.startupGraceMs }, clock,
  ));
  return { config, runner, checks, lastLines: lastLogLines(config) };
}

/**
 * Heartbeats for a dry run or a read-only command: the store's, but a service never watched
 * before is judged as watched from now and nothing is written; with no store, none was ever pinged.
 */
function readOnlyHeartbeats(store: Store | null): HeartbeatStore {
  return { lookUpHeartbeat: (service, now) => store?.readHeartbeat(service) ?? { watchedSince: now, lastPing: null } };
}

/** A store that remembers nothing: what a dry run sees before the first real check. */
export const EMPTY_STORE: ServiceStore = {
  acquireLock: async () => ({ release: () => undefined }),
  loadState: () => initialState(),
  touchRound: () => false,
  commitRound: () => {
    throw new Error("A dry run never writes");
  },
};
