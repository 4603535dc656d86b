import { formatDuration, parseDuration } from "../../core/duration.js";
import { UsageError } from "../../core/errors.js";
import { buildApp } from "../../compose/build-app.js";
import type { AlertRecord, HistoryEntry } from "../../store/index.js";
import { plural } from "../../core/policy-messages.js";
import type { RestartRecord } from "../../core/store.js";
import { formatLocalTime } from "../../process/local-time.js";
import { formatTable } from "../format-table.js";
import type { CliIo } from "../io.js";
import { findTarget, type TargetOptions } from "../find-target.js";

interface HistoryOptions extends TargetOptions {
  json?: boolean;
  service?: string;
  since?: string;
  limit?: string;
}

/** `lifeguard history`: restarts, events and alerts (with their delivery per channel), newest first. */
export async function runHistory(options: HistoryOptions, io: CliIo): Promise<number> {
  const sinceMs = options.since === undefined ? undefined : parseDuration(options.since);
  if (sinceMs === undefined && options.since !== undefined) throw new UsageError(`Cannot read --since "${options.since}": expected a duration like "24h" or "7d"`);
  const limit = Number(options.limit ?? "50");
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`Cannot read --limit "${options.limit}": expected a whole number of at least 1`);
  const config = await findTarget(options, { command: "history" }, io);
  const app = buildApp(config, { readOnly: true, logger: { write: () => undefined } });
  try {
    const now = app.clock.now();
    const query = { limit, ...(options.service === undefined ? {} : { service: options.service }), ...(sinceMs === undefined ? {} : { since: now - sinceMs }) };
    const entries = app.store?.history(query) ?? [];
    if (options.json === true) io.stdout(JSON.stringify({ entries }, null, 2));
    else io.stdout(entries.length === 0 ? "No history yet." : renderHistory(entries));
    return 0;
  } finally {
    app.close();
  }
}

/** One row per entry: the text lists exactly what `--json` does (a restart cut short has events and no record). */
function renderHistory(entries: HistoryEntry[]): string {
  const rows = entries.map((entry) => {
    if (entry.type === "restart") return describeRestart(entry.at, entry.service, entry.restart);
    if (entry.type === "alert") return [formatLocalTime(entry.at), entry.service ?? "-", "alert", describeAlert(entry.alert)];
    return [formatLocalTime(entry.at), entry.service, entry.event.kind, entry.event.message];
  });
  return formatTable(["TIME", "SERVICE", "WHAT", "DETAILS"], rows);
}

/** `Restarted "trader" on pi → phone: sent 03:00:05; mail: pending (2 attempts; Cannot send ...)`. */
function describeAlert(alert: AlertRecord): string {
  const deliveries = alert.deliveries.map((delivery) => {
    const when = delivery.finishedAt === null ? "" : ` ${formatLocalTime(delivery.finishedAt).slice(11)}`;
    const failed = delivery.status !== "sent" && delivery.lastError !== null ? ` (${plural(delivery.attempts, "attempt")}; ${delivery.lastError})` : "";
    return `${delivery.channel}: ${delivery.status}${when}${failed}`;
  });
  const repeats = alert.repeats === 0 ? "" : ` (×${alert.repeats + 1})`;
  return `${alert.title}${repeats} → ${deliveries.join("; ")}`;
}

function describeRestart(at: number, service: string, restart: RestartRecord): string[] {
  const took = formatDuration(restart.finishedAt - restart.startedAt);
  // Attempt 0: a restart a human asked for, which the limit does not count.
  const attempt = restart.attempt === 0 ? "not counted against the limit" : `attempt ${restart.attempt} of ${restart.max}`;
  const captured = restart.steps.find((step) => step.step === "forensics");
  const before = captured === undefined ? "" : `; before the stop: ${captured.summary}`;
  const details = `${restart.summary}; reason: ${restart.reason}; ${attempt}; took ${took}${before}`;
  // Not an event kind: the events "restart", "restarted" and "restart-failed" have rows of their own.
  return [formatLocalTime(at), service, "restart-outcome", details];
}
