import { lifecycleAlert } from "../core/alert-compose.js";
import type { App } from "../compose/build-app.js";
import { announceQueued } from "../engine/round-alerts.js";
import { queueReminders } from "../engine/remind.js";
import { draftAlerts } from "../core/alert-drafts.js";

/** How long a stopping Lifeguard tries to send what is queued (its "stopped" alert): systemd's stop timeout is longer. */
export const STOP_FLUSH_MS = 5000;
/** How often the daemon looks for services that stayed gave-up long enough for a reminder. */
const REMIND_EVERY_MS = 60_000;

/** Queues Lifeguard's own start or stop to every channel, when `alerting.lifecycle` says so. */
export function queueLifecycleAlert(app: App, kind: "lifeguard-started" | "lifeguard-stopped", message: string): void {
  const { deps } = app.alerting;
  if (app.store === null || deps === undefined || !deps.alerting.lifecycle) return;
  const body = lifecycleAlert(kind, deps.host, app.clock.now(), message);
  const { store } = app;
  guarded(app, `queue the "${kind}" alert`, () => announceQueued(store.enqueueAlerts(draftAlerts([body], app.config.channels.map((channel) => channel.name), deps.alerting)), deps));
}

/** Runs `step`; a failure (the store busy or broken) is logged and never stops Lifeguard. */
function guarded(app: App, what: string, step: () => void): void {
  try {
    step();
  } catch (error) {
    app.logger.write({ at: app.clock.now(), tag: "ERROR", message: `Cannot ${what} as ${error instanceof Error ? error.message : String(error)}` });
  }
}

/**
 * Runs the app's notifier until `signal` aborts, and queues reminders every minute; resolves
 * once the notifier's loop has let go (its attempt in progress aborted, left for the next start).
 */
export async function runAlerting(app: App, signal: AbortSignal): Promise<void> {
  const { notifier, deps } = app.alerting;
  const { store } = app;
  if (notifier === null || store === null) return;
  const remind = (): void => guarded(app, "queue reminders", () => queueReminders(app.config.services, store, app.clock, deps));
  const timer = deps?.alerting.remindMs == null ? undefined : setInterval(remind, REMIND_EVERY_MS);
  try {
    await notifier.run(signal);
  } finally {
    clearInterval(timer);
  }
}

/** The last flush of a stopping Lifeguard: bounded, so a channel that is down never holds up the stop. */
export async function flushBeforeStop(app: App): Promise<void> {
  await app.alerting.notifier?.flush(AbortSignal.timeout(STOP_FLUSH_MS));
}
