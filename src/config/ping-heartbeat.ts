import type { ServiceConfig } from "./types.js";

/** Whether the service has a `heartbeat` check that takes pings (one without `file`): it has a ping URL. */
export function hasPingHeartbeat(service: ServiceConfig): boolean {
  return service.checks.some((check) => check.kind === "heartbeat" && check.file === null);
}
