import { hostname } from "node:os";
import { testAlert } from "../../core/alert-compose.js";
import { EXIT, LifeguardError, UsageError } from "../../core/errors.js";
import { formatDuration } from "../../core/duration.js";
import type { Delivery } from "../../notify/channel.js";
import { buildApp } from "../../compose/build-app.js";
import { recordTestAlerts } from "../../store/index.js";
import type { CliIo } from "../io.js";
import { openConfig } from "../open-config.js";
import { withShutdownSignal } from "../shutdown-signal.js";

/**
 * `lifeguard test-alert [CHANNEL]`: sends a test message on each channel (or the one named)
 * now, past the outbox, and says per channel whether it arrived or the exact error; each result is
 * kept in the store, where `lifeguard doctor` reports it. Exit 0 when every channel delivered, 2
 * when one did not.
 */
export async function runTestAlert(name: string | undefined, options: { config?: string }, io: CliIo): Promise<number> {
  const config = await openConfig(options, io);
  const names = config.channels.map((channel) => channel.name);
  if (names.length === 0) {
    throw new LifeguardError(`Cannot send a test alert as "${config.source}" has no alert channel`, { exitCode: EXIT.config, hint: "Add one under alerts: (docs/alerts/), then run this again." });
  }
  if (name !== undefined && !names.includes(name)) {
    throw new UsageError(`Cannot send a test alert to "${name}" as the configuration has no such channel: ${names.map((n) => `"${n}"`).join(", ")}`);
  }
  // Read-only: a test queues nothing; only its result is kept, below.
  const app = buildApp(config, { readOnly: true, logger: { write: () => undefined } });
  try {
    const channels = app.alerting.channels.filter((channel) => name === undefined || channel.name === name);
    const host = hostname();
    const deliveries = await withShutdownSignal((signal) =>
      Promise.all(channels.map(async (channel) => {
        const at = app.clock.now();
        return { at, delivery: await channel.send([{ ...testAlert(host, at, channel.name), id: `lifeguard-${host}-test-${at.toString(36)}` }], signal) };
      })));
    deliveries.forEach(({ delivery }) => io.stdout(describe(delivery)));
    keepResults(config.state, deliveries, io);
    return deliveries.every(({ delivery }) => delivery.ok) ? EXIT.healthy : EXIT.unhealthy;
  } finally {
    app.close();
  }
}

/** Each result into the store, for `doctor`; a store that cannot be written costs the note only, not the test. */
function keepResults(state: string, sent: ReadonlyArray<{ at: number; delivery: Delivery }>, io: CliIo): void {
  try {
    recordTestAlerts(state, sent.map(({ at, delivery }) => ({ channel: delivery.channel, at, ok: delivery.ok, summary: delivery.summary })));
  } catch (error) {
    io.stderr(`note: the results were not recorded for "lifeguard doctor": ${(error as Error).message}`);
  }
}

/** `ok    phone  Sent to chat "42" (message 17) in 0.3s`, `FAIL  mail   Cannot ...`. */
function describe(delivery: Delivery): string {
  const took = `${formatDuration(Math.round(delivery.durationMs))}`;
  const cause = delivery.ok || delivery.cause === undefined || delivery.summary.includes(delivery.cause) ? "" : ` (${delivery.cause})`;
  const retry = delivery.ok ? "" : delivery.permanent ? "; retrying will not help until the channel's settings change" : "; Lifeguard would retry it";
  return `${delivery.ok ? "ok  " : "FAIL"}  ${delivery.channel}: ${delivery.summary}${cause} [${took}]${retry}`;
}
