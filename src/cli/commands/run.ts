import type { LifeguardConfig } from "../../config/types.js";
import { LifeguardError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { buildApp, type App, type CarriedService } from "../../compose/build-app.js";
import { startScheduler } from "../../engine/scheduler.js";
import { createSystemdNotifier, type SystemdNotifier } from "../../process/sd-notify.js";
import { statusLine } from "../../daemon/status-line.js";
import { prepareSupervision, shutdownSupervised, startSupervised, wakeOnExit } from "../../daemon/supervise.js";
import { startDaemonHttp } from "../../daemon/http-surface.js";
import { startDeadman } from "../../daemon/deadman.js";
import { lifeguardHealth } from "../../daemon/lifeguard-health.js";
import { flushBeforeStop, queueLifecycleAlert, runAlerting } from "../../daemon/lifecycle-alerts.js";
import type { CliIo } from "../io.js";
import { listenForSignals } from "../signal-queue.js";
import { chooseConfigSource, type ConfigSource, type RunOptions } from "../config-source.js";

/**
 * `lifeguard run`: the daemon. Checks every service at its interval, restarts as `check` does,
 * tells systemd it is alive (Type=notify, WatchdogSec=) from the scheduler's own progress,
 * reloads its config on SIGHUP (an invalid one keeps the running config) and stops cleanly on
 * SIGTERM or SIGINT with exit 0. With a command after `--` (quick mode) the config comes from
 * the flags instead of a file, and SIGHUP has nothing to reload.
 */
export async function runDaemon(options: RunOptions, io: CliIo): Promise<number> {
  const source = chooseConfigSource(options, io);
  let config = await source.open();
  const signals = listenForSignals();
  const notifier = createSystemdNotifier(io.env);
  let carried: CarriedService[] = [];
  let reloads = 0;
  try {
    for (;;) {
      const app = buildApp(config, { carry: carried });
      // A reload keeps the processes of unchanged supervised services; the others stop here.
      await shutdownSupervised(carried.map((entry) => entry.parts).filter((old) => !app.services.some((parts) => parts.runner === old.runner)));
      // Lifeguard's start is news (an alert); a reload is not.
      const outcome = await superviseUntilAsked(app, notifier, signals.next, source, reloads === 0);
      app.close();
      if (outcome.kind === "stop") return 0;
      carried = app.carry();
      config = outcome.config;
      reloads += 1;
    }
  } finally {
    signals.dispose();
  }
}

type Ending = { kind: "stop" } | { kind: "reload"; config: LifeguardConfig };

async function superviseUntilAsked(
  app: App, notifier: SystemdNotifier | null, next: ReturnType<typeof listenForSignals>["next"], source: ConfigSource, starting: boolean,
): Promise<Ending> {
  const { logger, clock } = app;
  if (app.store === null) throw new LifeguardError("The store could not be opened");
  const controller = new AbortController();
  let lastStatus = "";
  const healths = new Map<string, string>();
  // Listening before the supervised services start: they get its real address (LIFEGUARD_PING_URL).
  const http = await startDaemonHttp(app.config, { store: app.store, logger, now: clock.now, signal: controller.signal });
  app.announceHttp(http.server.address);
  prepareSupervision(app.services, logger, clock.now);
  const supervised = await startSupervised(app.services, { store: app.store, logger, now: clock.now });
  // Alerts are delivered on their own loop: a channel that is down or slow never delays a round.
  const alerting = new AbortController();
  const alertLoop = runAlerting(app, alerting.signal);
  const scheduler = startScheduler(app.services, {
    store: app.store, clock, logger, signal: controller.signal,
    ...(app.alerting.deps === undefined ? {} : { alerts: app.alerting.deps }),
    onRound: (report) => {
      http.countEvents(report.service, report.events);
      // The line names every service: rebuilt only when one's health changed, not every round.
      if (healths.get(report.service) === report.health) return;
      healths.set(report.service, report.health);
      const line = statusLine(scheduler.loops);
      if (line !== lastStatus) notifier?.status((lastStatus = line));
    },
  });
  http.attach(scheduler);
  const unsubscribe = wakeOnExit(app.services, scheduler, logger, clock.now);
  const pinger = startWatchdogPings(notifier, () => scheduler.isProgressing());
  const deadman = startDeadman(app.config.deadman, { clock, logger, health: lifeguardHealth(scheduler, app.store), signal: controller.signal });
  notifier?.ready();
  const watching = `watching ${app.services.map((s) => `"${s.config.name}"`).join(", ")}`;
  say(logger, clock.now(), `Lifeguard started: ${watching} (pid ${process.pid}); status at ${http.server.url}/api/status`);
  const replaced = supervised.replaced.length === 0 ? "" : `; it stopped what a previous Lifeguard left running of ${supervised.replaced.join(", ")} before starting it anew (was that Lifeguard killed?)`;
  if (starting || replaced !== "") queueLifecycleAlert(app, "lifeguard-started", `Lifeguard started, ${watching}${replaced}`);
  try {
    for (;;) {
      const request = await next();
      if (request.kind === "stop") {
        say(logger, clock.now(), `Lifeguard stopping on ${request.signal}`);
        notifier?.stopping();
        controller.abort();
        await scheduler.done;
        await shutdownSupervised(app.services);
        alerting.abort();
        await alertLoop;
        queueLifecycleAlert(app, "lifeguard-stopped", `Lifeguard stopped on ${request.signal}; its services are no longer watched`);
        await flushBeforeStop(app);
        say(logger, clock.now(), "Lifeguard stopped");
        return { kind: "stop" };
      }
      const reloaded = await reloadConfig(source, logger, clock.now);
      if (reloaded === null) continue;
      notifier?.reloading();
      scheduler.stop(); // finish the rounds in progress: a reload never cuts a restart short
      await scheduler.done;
      return { kind: "reload", config: reloaded };
    }
  } finally {
    alerting.abort();
    await alertLoop;
    await http.server.close();
    clearInterval(pinger);
    await deadman.stop();
    unsubscribe.forEach((stop) => stop());
  }
}

async function reloadConfig(source: ConfigSource, logger: Logger, now: () => number): Promise<LifeguardConfig | null> {
  if (!source.reloadable) {
    say(logger, now(), "Nothing to reload on SIGHUP: quick mode has no configuration file; supervising on as before");
    return null;
  }
  try {
    const config = await source.open();
    say(logger, now(), `Reloaded the configuration "${config.source}": ${config.services.length} service(s)`);
    return config;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.write({ at: now(), tag: "ERROR", message: `Cannot reload the configuration; the running one stays in force: ${message}` });
    return null;
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
