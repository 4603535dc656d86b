import { parseDuration } from "../core/duration.js";
import { CONTROL_ACTIONS, type HttpControlAction, type PauseOptions } from "../http/control-routes.js";
import type { HttpAnswer, HttpRequest } from "../http/exchange.js";
import type { Outcomes } from "./outcomes.js";
import { htmlAnswer, seeOther } from "./page-answer.js";
import { ACTION_ROUTE } from "./paths.js";
import { PAGE_PAUSE } from "./render-actions.js";
import { renderConfirmation, renderMessage } from "./render-forms.js";
import { serviceAnchor } from "./render-service.js";
import { isSameOrigin } from "./same-origin.js";
import { isCsrfToken } from "./session.js";
import type { SessionOf, StatusPageDeps } from "./page-deps.js";

/** The longest reason a pause takes from the page; the history keeps it. */
const MAX_REASON = 200;

export interface ActionDeps extends Pick<StatusPageDeps, "now" | "status" | "control"> {
  token: string | null;
  sessionOf: SessionOf;
  outcomes: Outcomes;
}

/**
 * `POST /services/NAME/ACTION` from the page's forms. Refused (403, nothing done) without a
 * session, from another site's page, or without the session's anti-forgery token; all three are
 * checked before the service is looked up, so a stranger learns no names. Then: without
 * `confirm=yes`, the question; with it, the action through the daemon's controller, and a
 * redirect (303) to the page, which shows how it went.
 */
export async function answerAction(request: HttpRequest, deps: ActionDeps): Promise<HttpAnswer> {
  const session = deps.sessionOf(request);
  if (session === null || deps.token === null) {
    const how = deps.token === null ? "set http.token in the config and sign in" : "sign in first";
    return htmlAnswer(403, renderMessage("Refused", `Cannot act without a sign-in: ${how}.`));
  }
  const form = new URLSearchParams(request.body.toString("utf8"));
  if (!isSameOrigin(request)) return htmlAnswer(403, renderMessage("Refused", "Cannot act on a form posted from a page of another site."));
  if (!isCsrfToken(form.get("csrf") ?? "", session, deps.token)) return htmlAnswer(403, renderMessage("Refused", "Cannot act on this form: it did not come from the status page, or the sign-in changed since. Reload the status and try again."));
  const [, encoded = "", action = ""] = ACTION_ROUTE.exec(request.url.pathname) ?? [];
  const { control } = deps;
  if (control === undefined || !(CONTROL_ACTIONS as readonly string[]).includes(action)) return htmlAnswer(404, renderMessage("Not found", `A service takes ${CONTROL_ACTIONS.join(", ")}.`));
  let service: string;
  try {
    service = decodeURIComponent(encoded);
  } catch {
    return htmlAnswer(400, renderMessage("Bad request", "Cannot read the service name in the path: it is not valid percent-encoding."));
  }
  if (!deps.status().some((status) => status.service === service)) return htmlAnswer(404, renderMessage("Not found", `No service ${JSON.stringify(service)} is configured.`));
  const pause = readPause(form, action as HttpControlAction);
  if ("problem" in pause) return htmlAnswer(400, renderMessage("Bad request", pause.problem));
  if (form.get("confirm") !== "yes") return htmlAnswer(200, renderConfirmation(service, action as HttpControlAction, form.get("csrf") ?? "", pause.for));
  const by = `status page (${request.remote === "" ? "unknown address" : request.remote})`;
  const answer = await control(service, action as HttpControlAction, pause.options, by);
  if (answer.unknown === true) return htmlAnswer(404, renderMessage("Not found", answer.summary));
  const id = deps.outcomes.add(session, answer, deps.now());
  return seeOther(`/?outcome=${id}#${serviceAnchor(service)}`);
}

/** A pause's `for` (the button's, or a duration posted by hand) and its reason; other actions take none. */
function readPause(form: URLSearchParams, action: HttpControlAction): { options: PauseOptions; for: string | null } | { problem: string } {
  if (action !== "pause") return { options: { forMs: null, reason: null }, for: null };
  const duration = form.get("for") ?? PAGE_PAUSE;
  const forMs = parseDuration(duration);
  if (forMs === undefined || !(forMs > 0)) return { problem: `Cannot read "for": expected a duration such as "30m" or "2h", got ${JSON.stringify(duration)}` };
  const reason = (form.get("reason") ?? "").trim().slice(0, MAX_REASON);
  return { options: { forMs, reason: reason === "" ? null : reason }, for: duration };
}
