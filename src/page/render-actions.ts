import type { ServiceStatus } from "../compose/service-status.js";
import type { HttpControlAction } from "../http/control-routes.js";
import { html, type Html } from "./html.js";

/** How long the page's pause button pauses for. */
export const PAGE_PAUSE = "1h";

/** Each action's button. */
export const ACTION_LABELS: Readonly<Record<HttpControlAction, string>> = {
  restart: "Restart",
  stop: "Stop",
  start: "Start",
  pause: `Pause ${PAGE_PAUSE}`,
  resume: "Resume",
  reset: "Reset",
};

/** The page route of an action: a form posts here, first for the confirmation, then to act. */
export function actionPath(service: string, action: HttpControlAction): string {
  return `/services/${encodeURIComponent(service)}/${action}`;
}

/**
 * The actions that fit the service's state: a stopped service can be started; any other restarted,
 * stopped, and paused or resumed; reset when it gave up or has restarts in the limit's window.
 */
export function actionsFor(status: ServiceStatus): HttpControlAction[] {
  const reset: HttpControlAction[] = status.health.kind === "gave-up" || status.restartsInWindow > 0 ? ["reset"] : [];
  if (status.control?.kind === "stopped") return ["start", ...reset];
  return ["restart", "stop", status.control?.kind === "paused" ? "resume" : "pause", ...reset];
}

/** One small form per action, each carrying the session's anti-forgery token; none acts before its confirmation. */
export function renderActions(status: ServiceStatus, csrf: string): Html {
  const forms = actionsFor(status).map((action) => html`<form method="post" action="${actionPath(status.service, action)}">${csrfField(csrf)}${action === "pause" ? html`<input type="hidden" name="for" value="${PAGE_PAUSE}">` : ""}<button type="submit">${ACTION_LABELS[action]}</button></form>`);
  return html`<div class="actions">${forms}</div>`;
}

/** The hidden field every form of the page posts. */
export function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="csrf" value="${csrf}">`;
}
