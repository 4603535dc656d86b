import { formatDuration } from "../../core/duration.js";
import { buildApp } from "../../compose/build-app.js";
import { formatAgo, formatTable } from "../format-table.js";
import type { CliIo } from "../io.js";
import { openConfig } from "../open-config.js";
import { collectStatus, type ServiceStatus } from "../../compose/service-status.js";

/** `lifeguard status`: each service, its state, last check and restarts in the current window. */
export async function runStatus(options: { config?: string; json?: boolean }, io: CliIo): Promise<number> {
  const config = await openConfig(options, io);
  const app = buildApp(config, { readOnly: true, logger: { write: () => undefined } });
  try {
    const now = app.clock.now();
    const statuses = collectStatus(config, app.store, now);
    io.stdout(options.json === true ? JSON.stringify({ at: new Date(now).toISOString(), services: statuses }, null, 2) : renderStatus(statuses, now));
    return 0;
  } finally {
    app.close();
  }
}

function renderStatus(statuses: ServiceStatus[], now: number): string {
  const rows = statuses.map((status) => [
    status.service,
    status.target,
    describeHealth(status, now),
    formatAgo(status.lastCheckAt, now, formatDuration),
    `${status.restartsInWindow} of ${status.limit.max} in ${formatDuration(status.limit.perMs)}`,
    status.lastRestart === null ? "-" : `${formatAgo(status.lastRestart.finishedAt, now, formatDuration)} (${status.lastRestart.ok ? "ok" : "failed"})`,
  ]);
  return formatTable(["SERVICE", "TARGET", "STATE", "LAST CHECK", "RESTARTS", "LAST RESTART"], rows);
}

function describeHealth(status: ServiceStatus, now: number): string {
  const { health } = status;
  if (health.kind === "healthy") return status.lastCheckAt === null ? "unknown" : "healthy";
  const since = formatAgo(health.since, now, formatDuration);
  return health.kind === "gave-up" ? `gave-up ${since}: needs \`lifeguard reset ${status.service}\`` : `${health.kind} since ${since}`;
}
