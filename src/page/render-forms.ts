import type { HttpControlAction } from "../http/control-routes.js";
import { html, type Html } from "./html.js";
import { ACTION_LABELS, actionPath, csrfField } from "./render-actions.js";
import { renderDocument } from "./render-document.js";

/**
 * The sign-in form: the token is pasted once and posted in the body, never in a URL; the answer
 * is a session cookie. Not reloading (a reload would lose what is being typed).
 */
export function renderSignIn(problem: string | null = null): string {
  return renderDocument("Sign in · Lifeguard", html`<header><h1>Lifeguard</h1></header>
${problem === null ? "" : html`<div class="notice failed" role="alert">${problem}</div>`}
<section><h2>Sign in</h2>
<form method="post" action="/sign-in"><label for="token">The token (<code>http.token</code> in the config)</label>
<input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
<button type="submit" class="primary">Sign in</button> <a href="/">Cancel</a></form>
<p class="muted">The browser keeps a sign-in of 12 hours, not the token. Lifeguard serves plain HTTP: use it on loopback or an SSH tunnel, or behind a TLS proxy.</p></section>`);
}

/**
 * "Restart "bot"?" with the one button that acts, and a way back that does nothing. The page does
 * not reload (the question would vanish). A pause may be given its reason here.
 */
export function renderConfirmation(service: string, action: HttpControlAction, csrf: string, pauseFor: string | null): string {
  const verb = ACTION_LABELS[action].split(" ")[0] as string;
  const question = action === "pause" ? `Pause "${service}" for ${pauseFor ?? ""}?` : `${verb} "${service}"?`;
  return renderDocument(`${verb} ${service}? · Lifeguard`, html`<header><h1>Lifeguard</h1></header>
<section><h2>${question}</h2><p class="muted">${CONSEQUENCES[action]}</p>
<form method="post" action="${actionPath(service, action)}">${csrfField(csrf)}<input type="hidden" name="confirm" value="yes">
${action === "pause" ? html`<input type="hidden" name="for" value="${pauseFor ?? ""}"><label for="reason">Reason (optional, shown in the history)</label><input type="text" id="reason" name="reason" maxlength="200">` : ""}
<div class="actions"><button type="submit" class="primary">${verb}</button><a href="/">Cancel</a></div></form></section>`);
}

/** A page that says what went wrong (or what was refused) and leads back. */
export function renderMessage(title: string, message: string, extra: Html | null = null): string {
  return renderDocument(`${title} · Lifeguard`, html`<header><h1>Lifeguard</h1></header><section><h2>${title}</h2><p>${message}</p>${extra}<p><a href="/">Back to the status</a></p></section>`);
}

const CONSEQUENCES: Readonly<Record<HttpControlAction, string>> = {
  restart: "It is stopped (gracefully, then killed), started again and verified, like an automatic restart; it does not count against the restart limit.",
  stop: "It is stopped and left stopped: neither judged nor restarted until started again.",
  start: "It is started and judged again from its startup grace.",
  pause: "Its checks go on and are shown, but nothing is restarted until the pause ends or it is resumed.",
  resume: "It is judged and restarted again from the next round.",
  reset: "Its restart window and backoff are cleared; a service that gave up is restarted again when its checks fail.",
};
