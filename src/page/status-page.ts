import type { HttpAnswer, HttpRequest } from "../http/exchange.js";
import { tokensEqual } from "../http/token.js";
import { answerAction } from "./action-route.js";
import { readCookie, sessionCookie, sessionCookieName } from "./cookie.js";
import { createOutcomes } from "./outcomes.js";
import { htmlAnswer, seeOther } from "./page-answer.js";
import { buildServiceCards, WINDOW_MS, type PageView } from "./page-view.js";
import { renderMessage, renderSignIn } from "./render-forms.js";
import { renderStatusPage } from "./render-page.js";
import type { SessionOf, StatusPageDeps } from "./page-deps.js";
import { isSameOrigin } from "./same-origin.js";
import { csrfTokenOf, isCsrfToken, isValidSession, issueSession, SESSION_MS } from "./session.js";

/** Seconds between the page's reloads. */
export const REFRESH_SECONDS = 30;
/** At most this many history entries make one page (the last 24 hours of every service). */
export const HISTORY_CAP = 2000;

/**
 * The status page's routes (`paths.ts` says which): `GET /`, the sign-in form and its post, the
 * sign-out, and the control forms (`action-route.ts`). Every answer is HTML, without script.
 */
export function createStatusPage(deps: StatusPageDeps): (request: HttpRequest) => Promise<HttpAnswer> {
  const token = deps.token === "" ? null : deps.token;
  const outcomes = createOutcomes();
  const sessionOf: SessionOf = (request) => {
    const value = token === null ? null : readCookie(request, sessionCookieName(request));
    return value !== null && token !== null && isValidSession(value, token, deps.now()) ? value : null;
  };

  const showPage = (request: HttpRequest): HttpAnswer => {
    const session = sessionOf(request);
    if (session === null && deps.protectReads) return refuseUnsigned(token);
    const at = deps.now();
    const outcome = request.url.searchParams.get("outcome");
    const view: PageView = {
      at,
      viewer: session === null || token === null ? { signedIn: false, canSignIn: token !== null } : { signedIn: true, csrf: csrfTokenOf(session, token) },
      refreshSeconds: request.url.searchParams.get("refresh") === "off" ? null : REFRESH_SECONDS,
      flash: session === null || outcome === null ? null : outcomes.find(outcome, session, at),
      services: buildServiceCards({ at, statuses: deps.status(), history: deps.history({ since: at - WINDOW_MS, limit: HISTORY_CAP }), observations: deps.observations }, session !== null),
      channels: session === null ? null : deps.channels(),
      canControl: deps.control !== undefined,
    };
    return htmlAnswer(200, renderStatusPage(view));
  };

  const signIn = (request: HttpRequest): HttpAnswer => {
    if (!isSameOrigin(request)) return htmlAnswer(403, renderMessage("Refused", "Cannot sign in from a page of another site."));
    if (token === null) return refuseUnsigned(token);
    const presented = new URLSearchParams(request.body.toString("utf8")).get("token")?.trim() ?? "";
    if (!tokensEqual(presented, token)) {
      deps.logger?.write({ at: deps.now(), tag: "WARN", message: `Refused a sign-in to the status page from ${request.remote || "an unknown address"}: the token does not match` });
      return htmlAnswer(401, renderSignIn("The token does not match: paste the value of http.token from the config."));
    }
    return seeOther("/", { "set-cookie": sessionCookie(request, issueSession(token, deps.now()), SESSION_MS) });
  };

  const signOut = (request: HttpRequest): HttpAnswer => {
    const session = sessionOf(request);
    const csrf = new URLSearchParams(request.body.toString("utf8")).get("csrf") ?? "";
    // A forged sign-out is only a nuisance, but a nuisance all the same.
    if (session !== null && token !== null && (!isSameOrigin(request) || !isCsrfToken(csrf, session, token))) return htmlAnswer(403, renderMessage("Refused", "Cannot sign out through a form of another page."));
    return seeOther("/", { "set-cookie": sessionCookie(request, null, 0) });
  };

  return async (request) => {
    const { pathname } = request.url;
    const { method } = request;
    if (pathname === "/") return refuseMethod(method, ["GET", "HEAD"]) ?? showPage(request);
    if (pathname === "/sign-in") {
      if (method === "POST") return signIn(request);
      return refuseMethod(method, ["GET", "HEAD", "POST"]) ?? (token === null ? refuseUnsigned(token) : htmlAnswer(200, renderSignIn()));
    }
    if (pathname === "/sign-out") return refuseMethod(method, ["POST"]) ?? signOut(request);
    return refuseMethod(method, ["POST"]) ?? answerAction(request, { ...deps, token, sessionOf, outcomes });
  };
}

/** Without a sign-in: the form (401), or, when no token is set, why nobody can sign in (403). */
function refuseUnsigned(token: string | null): HttpAnswer {
  if (token === null) return htmlAnswer(403, renderMessage("No sign-in", 'Lifeguard has no token set, so nobody can sign in: set http.token in the config, e.g. "token: ${LIFEGUARD_TOKEN}".'));
  return htmlAnswer(401, renderSignIn());
}

function refuseMethod(method: string, allowed: readonly string[]): HttpAnswer | null {
  if (allowed.includes(method)) return null;
  return htmlAnswer(405, renderMessage("Not allowed", `This page takes ${allowed.join(" or ")}, not ${method}.`), { allow: allowed.join(", ") });
}
