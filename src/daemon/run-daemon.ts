import type { LifeguardConfig } from "../config/types.js";
import { LifeguardError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { buildApp, type App, type CarriedService } from "../compose/build-app.js";
import type { ServiceReport } from "../engine/check-service.js";
import { startScheduler, type Scheduler } from "../engine/scheduler.js";
import type { SystemdNotifier } from "../process/sd-notify.js";
import { openSystemdBus, systemBusAddress, type SystemdBus } from "../process/systemd-bus.js";
import { linkSystemd } from "./systemd-link.js";
import { staysGaveUp } from "./announce-gave-up.js";
import { statusLine } from "./status-line.js";
import { prepareSupervision, shutdownSupervised, startSupervised } from "./supervise.js";
import { answerExits, type ExitAnswers } from "./answer-exits.js";
import { wakeOnChange } from "./wake-on-change.js";
import { startDaemonHttp, type DaemonHttp } from "./http-surface.js";
import { startDeadman } from "./deadman.js";
import { lifeguardHealth } from "./lifeguard-health.js";
import { flushBeforeStop, queueLifecycleAlert, runAlerting } from "./lifecycle-alerts.js";
import { claimWatching } from "./watch-claim.js";
import { createInbox, type Inbox, type RequestSource } from "./inbox.js";
import { createController } from "./controller.js";
import { takeRequests } from "./take-requests.js";
import { startTelegramCommands } from "./telegram/start-telegram-commands.js";
import type { ControlOutcome } from "../engine/control-service.js";

/** Where the daemon takes its configuration from, at its start and on every reload. */
export interface ConfigSource {
  open(): Promise<LifeguardConfig>;
  /** A file is read again on SIGHUP; quick mode's command line cannot change. */
  readonly reloadable: boolean;
  /** What the source has to say once, after the first `open()`, in the watchdog log (quick mode: where an older store was left). */
  startNotices?(): readonly string[];
}

export type { DaemonRequest, RequestSource } from "./inbox.js";

export interface DaemonInputs {
  config: ConfigSource;
  requests: RequestSource;
  /** The environment systemd's notify protocol is read from ($NOTIFY_SOCKET, $WATCHDOG_USEC). */
  env: NodeJS.ProcessEnv;
}

/**
 * `lifeguard run`, the daemon, and its composition root: builds the app from the config, checks
 * every service at its interval and restarts as `check` does, serves HTTP, tells systemd it is
 * alive (Type=notify, WatchdogSec=) from the scheduler's own progress, reloads the config on a
 * reload request (an invalid one keeps the running config) and stops cleanly on a stop request.
 * Resolves with the exit code: 0 after a requested stop.
 */
export async function runDaemon(inputs: DaemonInputs): Promise<number> {
  let config = await inputs.config.open();
  const since = Date.now();
  // Signals, and what HTTP, Telegram or the CLI's queue ask (a reload), one at a time.
  const inbox = createInbox(inputs.requests);
  let carried: CarriedService[] = [];
  // One connection for every systemd runner, across reloads; opened once a config has a systemd service.
  let bus: SystemdBus | undefined;
  const busFor = (next: LifeguardConfig): SystemdBus | undefined => {
    if (bus === undefined && next.services.some((service) => service.runner.kind === "systemd")) {
      const say = (tag: "WARN" | "INFO", message: string, service?: string): void => app.logger.write({ at: app.clock.now(), tag, message, ...(service === undefined ? {} : { service }) });
      bus = openSystemdBus(systemBusAddress(inputs.env), {
        onDown: (line) => say("WARN", line),
        onBack: (line) => say("INFO", line),
        onWatchProblem: (unit, line) => say("WARN", line, app.services.find((parts) => parts.runner.target === unit)?.config.name),
      });
    }
    return bus;
  };
  let app = buildApp(config, { carry: carried, systemdBus: busFor(config) });
  // Linked once; what it says goes to the log of the config in force.
  const notifier = linkSystemd(inputs.env, (tag, message) => app.logger.write({ at: app.clock.now(), tag, message }));
  for (let reloads = 0; ; reloads += 1) {
    if (reloads > 0) app = buildApp(config, { carry: carried, systemdBus: busFor(config) });
    // A reload keeps the processes of unchanged supervised services; the others stop here.
    await shutdownSupervised(carried.map((entry) => entry.parts).filter((old) => !app.services.some((parts) => parts.runner === old.runner)), app.logger, app.clock.now);
    // Lifeguard's start is news (an alert); a reload is not.
    const ending = await superviseUntilAsked(app, { config: inputs.config, requests: inbox, notifier, starting: reloads === 0, since });
    app.close();
    if (ending.kind === "stop") {
      await bus?.close();
      return 0;
    }
    carried = app.carry();
    config = ending.config;
  }
}

type Ending = { kind: "stop" } | { kind: "reload"; config: LifeguardConfig };

interface Session {
  notifier: SystemdNotifier | null;
  config: ConfigSource;
  requests: Inbox;
  starting: boolean;
  /** When the daemon started: its watch is dated from then across reloads. */
  since: number;
}

/** Runs one config's app until a stop, or a reload that yields a valid config. */
async function superviseUntilAsked(app: App, session: Session): Promise<Ending> {
  const { logger, clock } = app;
  const { notifier } = session;
  const controller = new AbortController();
  const parts = await startParts(app, session, controller.signal);
  const { scheduler } = parts;
  let ending = "an error";
  try {
    for (;;) {
      const request = await session.requests.next();
      if (request.kind === "stop") {
        say(logger, clock.now(), `Lifeguard stopping on ${request.signal}`);
        notifier?.stopping();
        controller.abort();
        await scheduler.done;
        await parts.answers.finish();
        ending = request.signal;
        await shutdownSupervised(app.services, logger, clock.now);
        await parts.stopAlerting();
        queueLifecycleAlert(app, "lifeguard-stopped", `Lifeguard stopped on ${request.signal}; its services are no longer watched`);
        await flushBeforeStop(app);
        say(logger, clock.now(), "Lifeguard stopped");
        return { kind: "stop" };
      }
      const reloaded = await reloadConfig(session.config, logger, clock.now, request.by);
      request.reply?.(reloaded.outcome);
      if (reloaded.config === null) continue;
      notifier?.reloading();
      scheduler.stop(); // finish the rounds in progress: a reload never cuts a restart short
      await scheduler.done;
      await parts.answers.finish();
      ending = "a reload";
      return { kind: "reload", config: reloaded.config };
    }
  } finally {
    await parts.stop(ending);
  }
}

interface RunningParts {
  scheduler: Scheduler;
  /** The rounds that answer supervised processes' exits, outside the scheduler: stopped (and awaited) with it. */
  answers: ExitAnswers;
  /** Ends the alert loop; idempotent. */
  stopAlerting(): Promise<void>;
  /** Ends everything this session started but the supervised processes and the scheduler's rounds; `reason` is recorded (`SIGTERM`, `a reload`). */
  stop(reason: string): Promise<void>;
}

/**
 * Starts a session's parts in their order: HTTP first (supervised services get its real address
 * in LIFEGUARD_PING_URL), then the supervised services, the alert loop, the scheduler, the
 * watchdog pings and the dead-man's switch; then tells systemd and the log it is ready.
 */
async function startParts(app: App, session: Session, signal: AbortSignal): Promise<RunningParts> {
  const { logger, clock, store } = app;
  if (store === null) throw new LifeguardError("The store could not be opened");
  const { notifier } = session;
  // Before anything starts: a second daemon on the same services must not start their bots twice.
  let scheduler: Scheduler | null = null;
  const watching = claimWatching(store, app.services.map((parts) => parts.config.name), { since: session.since, now: clock.now, logger, state: app.config.state, isProgressing: () => scheduler?.isProgressing() ?? true });
  const engine = { store, clock, logger, signal, ...(app.alerting.deps === undefined ? {} : { alerts: app.alerting.deps }) };
  const controller = createController(app.services, { engine, scheduler: () => scheduler, inbox: session.requests });
  const http = await startDaemonHttp(app.config, { store, logger, now: clock.now, signal, controller }).catch((error: unknown) => {
    watching.end("a failed start");
    throw error;
  });
  app.announceHttp(http.server.address);
  watching.announce(http.server.url);
  prepareSupervision(app.services, logger, clock.now);
  const supervised = await startSupervised(app.services, { store, logger, now: clock.now });
  // Alerts are delivered on their own loop: a channel that is down or slow never delays a round.
  const alerting = new AbortController();
  const alertLoop = runAlerting(app, alerting.signal);
  const onRound = reportRounds(http, notifier, () => running);
  const running = startScheduler(app.services, { ...engine, onRound });
  // What the CLI asks (`lifeguard restart NAME`, `reload`), queued in the store for this daemon.
  const taker = takeRequests(store, controller, { logger, now: clock.now });
  // What Telegram asks (`/restart NAME`), read by long polling the bots of channels that take commands.
  const telegram = startTelegramCommands({ config: app.config, store, controller, logger, clock, signal });
  scheduler = running;
  http.attach(running);
  const answers = answerExits(app.services, running, { ...engine, onRound });
  const unsubscribe = await wakeOnChange(app.services, running);
  const pinger = startWatchdogPings(notifier, () => running.isProgressing());
  const deadman = startDeadman(app.config.deadman, { clock, logger, health: lifeguardHealth(running, store), signal });
  notifier?.ready();
  const names = `watching ${app.services.map((s) => `"${s.config.name}"`).join(", ")}`;
  say(logger, clock.now(), `Lifeguard started: ${names} (pid ${process.pid}); status at ${http.server.url}/api/status${controlNote(app.config)}`);
  if (session.starting) for (const notice of session.config.startNotices?.() ?? []) say(logger, clock.now(), notice);
  // A start does not re-arm a service that gave up before it: said once, with the command that does.
  const gaveUp = session.starting ? staysGaveUp(app.services, store, clock.now()) : [];
  for (const entry of gaveUp) logger.write({ at: clock.now(), tag: "WARN", service: entry.service, message: entry.message });
  const replaced = supervised.replaced.length === 0 ? "" : `; it stopped what a previous Lifeguard left running of ${supervised.replaced.join(", ")} before starting it anew (was that Lifeguard killed?)`;
  const waiting = gaveUp.map((entry) => `; ${entry.message}`).join("");
  if (session.starting || replaced !== "") queueLifecycleAlert(app, "lifeguard-started", `Lifeguard started, ${names}${replaced}${waiting}`);
  const stopAlerting = async (): Promise<void> => {
    alerting.abort();
    await alertLoop;
  };
  return {
    scheduler: running,
    answers,
    stopAlerting,
    stop: async (reason) => {
      await telegram.stop();
      taker.stop();
      watching.end(reason);
      await stopAlerting();
      await http.server.close();
      clearInterval(pinger);
      await deadman.stop();
      unsubscribe.forEach((stop) => stop());
      await answers.finish();
      answers.unsubscribe();
    },
  };
}

/** Counts each round's events into the metrics, and tells systemd the status line when a service's health changed. */
function reportRounds(http: DaemonHttp, notifier: SystemdNotifier | null, scheduler: () => Scheduler): (report: ServiceReport) => void {
  const healths = new Map<string, string>();
  let lastStatus = "";
  return (report) => {
    http.countEvents(report.service, report.events);
    // The line names every service: rebuilt only when one's health changed, not every round.
    if (healths.get(report.service) === report.health) return;
    healths.set(report.service, report.health);
    const line = statusLine(scheduler().loops);
    if (line !== lastStatus) notifier?.status((lastStatus = line));
  };
}

/** Reads the configuration again; null when there is nothing to read or it is refused, with what to tell whoever asked. */
async function reloadConfig(source: ConfigSource, logger: Logger, now: () => number, by: string | undefined): Promise<{ config: LifeguardConfig | null; outcome: ControlOutcome }> {
  const asked = by === undefined ? "" : ` at the request of ${by}`;
  if (!source.reloadable) {
    const summary = `Nothing to reload ${by === undefined ? "on SIGHUP" : asked.trim()}: quick mode has no configuration file; supervising on as before`;
    say(logger, now(), summary);
    return { config: null, outcome: { ok: false, summary } };
  }
  try {
    const config = await source.open();
    const summary = `Reloaded the configuration "${config.source}"${asked}: ${config.services.length} service(s)`;
    say(logger, now(), summary);
    return { config, outcome: { ok: true, summary } };
  } catch (error) {
    const summary = `Cannot reload the configuration${asked}; the running one stays in force: ${error instanceof Error ? error.message : String(error)}`;
    logger.write({ at: now(), tag: "ERROR", message: summary });
    return { config: null, outcome: { ok: false, summary } };
  }
}

/** WATCHDOG=1 at half of WatchdogSec=, but only while every service loop makes progress. */
function startWatchdogPings(notifier: SystemdNotifier | null, isProgressing: () => boolean): ReturnType<typeof setInterval> | undefined {
  const intervalMs = notifier?.watchdogIntervalMs() ?? null;
  if (notifier === null || intervalMs === null) return undefined;
  return setInterval(() => {
    if (isProgressing()) notifier.watchdog();
  }, intervalMs);
}

function say(logger: Logger, at: number, message: string): void {
  logger.write({ at, tag: "INFO", message });
}

/** How units are controlled, where that is not systemctl itself: said at every start, as the unit file says it. */
function controlNote(config: LifeguardConfig): string {
  const units = config.services.some((service) => service.runner.kind === "systemd");
  return units && config.privilege === "sudo" ? "; units are controlled through `sudo -n systemctl` (privilege: sudo)" : "";
}
