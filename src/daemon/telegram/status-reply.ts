import { plural } from "../../core/policy-messages.js";
import { formatDuration } from "../../core/duration.js";
import { describeHealth } from "../../compose/describe-status.js";
import type { ServiceStatus } from "../../compose/service-status.js";
import { fitLine, fitReply } from "./fit-reply.js";

/** A service's line is cut here: a reason quoting a long log line would push the others off the screen. */
const LINE_LIMIT = 400;

/**
 * `/status`: one line per service in the words of `lifeguard status` (whether it is watched, its
 * health, what holds a restart back, a stop or a pause), and its restarts in the window when any.
 */
export function renderStatusReply(statuses: readonly ServiceStatus[], host: string, now: number): string {
  const lines = statuses.map((status) => fitLine(`${status.service}: ${describeHealth(status, now)}${describeRestarts(status)}`, LINE_LIMIT));
  return fitReply([`Lifeguard on ${host}: ${plural(statuses.length, "service")}`, ...lines].join("\n"));
}

/** `; restarts: 2 of 3 in 1h`; nothing while there were none. */
function describeRestarts(status: ServiceStatus): string {
  if (status.restartsInWindow === 0) return "";
  return `; restarts: ${status.restartsInWindow} of ${status.limit.max} in ${formatDuration(status.limit.perMs)}`;
}
