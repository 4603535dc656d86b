import type { ServiceLoop } from "../engine/scheduler.js";

/** The one-line summary systemd shows in `systemctl status lifeguard`: `2 services: trader healthy, bot failing`. */
export function statusLine(loops: readonly ServiceLoop[]): string {
  const parts = loops.map((loop) => `${loop.service} ${loop.lastReport?.health ?? "starting"}`);
  return `${loops.length} service${loops.length === 1 ? "" : "s"}: ${parts.join(", ")}`;
}
