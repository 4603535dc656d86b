import { parseDuration } from "../../core/duration.js";
import { EXIT, LifeguardError, UsageError } from "../../core/errors.js";
import type { LifeguardConfig, ServiceConfig } from "../../config/types.js";
import { buildApp } from "../../compose/build-app.js";
import { controlService, type ControlAction, type ControlRequest } from "../../engine/control-service.js";
import { askDaemon, watchingDaemon } from "../daemon-request.js";
import type { CliIo } from "../io.js";
import { findTarget, type TargetOptions } from "../find-target.js";
import { lifeguardCommand } from "../../core/cli-command.js";
import { QUICK_SOURCE } from "../../config/quick-source.js";
import { cliRequester } from "../requester.js";

/** How long a one-shot command spends sending the alerts its action made (a failed restart's). */
const FLUSH_BUDGET_MS = 30_000;
/** Slack on top of the service's own bounds for a request the daemon carries out (its lock, a round in progress). */
const ANSWER_SLACK_MS = 30_000;

export interface ControlOptions extends TargetOptions {
  /** `pause --for DUR`. */
  for?: string;
  /** `pause --reason TEXT`. */
  reason?: string;
}

/**
 * `lifeguard restart|stop|start|pause|resume|reset NAME`: asks the daemon that watches the
 * service, through the store, and prints its answer; with no daemon, a unit is acted on here (its
 * state too), and a supervised command cannot be (it runs only under `lifeguard run`). Exit 0 when
 * done, 1 when it could not be done.
 */
export async function runControl(action: ControlAction, name: string, options: ControlOptions, io: CliIo): Promise<number> {
  const { for: _for, reason: _reason, ...target } = options;
  const config = await findTarget(target, { command: action, service: name }, io);
  const service = serviceOf(config, name, action);
  const request = requestOf(action, options, cliRequester(io));
  // A request the disk refuses must fail here, not be kept in memory and lost at exit.
  const app = buildApp(config, { plainStore: true });
  try {
    const store = app.store;
    if (store === null) throw new LifeguardError("The store could not be opened");
    const daemon = watchingDaemon(store, [name]);
    if (daemon !== null) {
      const options = request.action === "pause" ? { forMs: request.forMs, reason: request.reason } : {};
      const answer = await askDaemon(store, { daemonPid: daemon.pid, service: name, action, options, by: request.by, requestedAt: Date.now() }, boundOf(service));
      return report(answer, io);
    }
    if (service.runner.kind === "process" && (action === "restart" || action === "stop" || action === "start")) {
      throw new LifeguardError(`Cannot ${action} "${name}" as no Lifeguard runs it: a command runs only under "lifeguard run", which starts it`, {
        exitCode: EXIT.failed, hint: startAdvice(config),
      });
    }
    const parts = app.services.find((entry) => entry.config.name === name);
    if (parts === undefined) throw new LifeguardError(`Cannot find the service "${name}" in the running configuration`);
    const controller = new AbortController();
    const outcome = await controlService(parts, request, { store, clock: app.clock, logger: app.logger, signal: controller.signal, ...(app.alerting.deps === undefined ? {} : { alerts: app.alerting.deps }) });
    await app.alerting.notifier?.flush(AbortSignal.timeout(FLUSH_BUDGET_MS));
    // Logging to standard output, the log's last line already said it (as `check` prints its rounds).
    return report(outcome, io, config.log.file === null);
  } finally {
    app.close();
  }
}

/** `lifeguard reload`: the daemon running this configuration reads it again, and says how that went. */
export async function runReload(options: TargetOptions, io: CliIo): Promise<number> {
  const config = await findTarget(options, { command: "reload" }, io);
  // Read-only: no store is made where none is (then no daemon ever ran); an existing one is opened as it is.
  const app = buildApp(config, { readOnly: true, logger: { write: () => undefined } });
  try {
    const daemon = app.store === null ? null : watchingDaemon(app.store, config.services.map((service) => service.name));
    if (app.store === null || daemon === null) {
      throw new LifeguardError(`Cannot reload as no Lifeguard runs with the configuration "${config.source}": nothing to reload`, { exitCode: EXIT.failed, hint: startAdvice(config) });
    }
    return report(await askDaemon(app.store, { daemonPid: daemon.pid, service: null, action: "reload", options: {}, by: cliRequester(io), requestedAt: Date.now() }, ANSWER_SLACK_MS), io);
  } finally {
    app.close();
  }
}

/** How to start the daemon for this configuration, as printed advice that works: quick mode's command line is the user's own. */
function startAdvice(config: LifeguardConfig): string {
  if (config.source === QUICK_SOURCE) return "Start it again as it was started: lifeguard run [flags] -- CMD ARGS...";
  return `Start the daemon: ${lifeguardCommand(["run", ...config.cliAddress])}`;
}

function serviceOf(config: LifeguardConfig, name: string, action: ControlAction): ServiceConfig {
  const service = config.services.find((entry) => entry.name === name);
  if (service !== undefined) return service;
  throw new UsageError(`Cannot ${action} "${name}" as the configuration has no such service: ${config.services.map((entry) => `"${entry.name}"`).join(", ")}`);
}

function requestOf(action: ControlAction, options: ControlOptions, by: string): ControlRequest {
  if (action !== "pause") {
    if (options.for !== undefined || options.reason !== undefined) throw new UsageError(`Cannot use --for or --reason with "${action}": they are pause's`);
    return { action, by };
  }
  const forMs = options.for === undefined ? null : parseDuration(options.for);
  if (forMs === undefined || (forMs !== null && forMs <= 0)) {
    throw new UsageError(`Cannot read --for: expected a duration such as 30m, 2h or 1d, got "${options.for}"`, "Leave out --for to pause until `lifeguard resume`.");
  }
  return { action, by, forMs, reason: options.reason === undefined || options.reason.trim() === "" ? null : options.reason.trim() };
}

/** The longest a request may take the daemon: the service's stop, kill and verify bounds, and slack for its lock. */
function boundOf(service: ServiceConfig): number {
  const { stopTimeoutMs, killWaitMs, verifyTimeoutMs } = service.restart;
  return stopTimeoutMs + killWaitMs + verifyTimeoutMs + ANSWER_SLACK_MS;
}

function report(outcome: { ok: boolean; summary: string }, io: CliIo, logged = false): number {
  if (outcome.ok) {
    if (!logged) io.stdout(outcome.summary);
    return EXIT.healthy;
  }
  io.stderr(`lifeguard: ${outcome.summary}`);
  return EXIT.failed;
}
