import { describeLastError, describePending, formatAgo } from "../compose/describe-status.js";
import type { ChannelStatus } from "../compose/service-status.js";
import { formatLocalTime } from "../process/local-time.js";
import { html, type Html } from "./html.js";
import type { PageView } from "./page-view.js";
import { csrfField } from "./render-actions.js";
import { renderDocument } from "./render-document.js";
import { renderService } from "./render-service.js";
import { BAND_LABELS } from "./timeline-svg.js";

/** The status page: every service with its state and day, and for a signed-in viewer the rest. */
export function renderStatusPage(view: PageView): string {
  const body = html`<header><h1>Lifeguard</h1>${renderFreshness(view)}</header>
${renderViewer(view)}
${view.flash === null ? "" : html`<div class="notice ${view.flash.ok ? "ok" : "failed"}" role="status">${view.flash.summary}</div>`}
<ul class="legend">${Object.entries(BAND_LABELS).map(([kind, label]) => html`<li><span class="swatch ${kind}"></span>${label}</li>`)}<li><span class="swatch mark"></span>restart (filled: failed)</li></ul>
${view.services.length === 0 ? html`<section><p>No service is configured.</p></section>` : view.services.map((card) => renderService(card, view))}
${view.channels === null ? "" : renderChannels(view.channels, view.at)}`;
  return renderDocument("Lifeguard", body, view.refreshSeconds);
}

function renderFreshness(view: PageView): Html {
  const at = formatLocalTime(view.at);
  if (view.refreshSeconds === null) return html`<span class="muted">As of ${at}, not reloading. <a href="/">Reload</a></span>`;
  return html`<span class="muted">As of ${at}; reloads every ${view.refreshSeconds}s (<a href="/?refresh=off">stop</a>)</span>`;
}

function renderViewer(view: PageView): Html {
  const { viewer } = view;
  if (viewer.signedIn) return html`<form method="post" action="/sign-out" class="muted">Signed in. ${csrfField(viewer.csrf)}<button type="submit">Sign out</button></form>`;
  if (viewer.canSignIn) return html`<p class="muted"><a href="/sign-in">Sign in</a> with the token to see evidence, restarts and alert channels, and to act.</p>`;
  return html`<p class="muted">Names, health and timelines only: set <code>http.token</code> in the config to sign in for evidence, restarts, alert channels and control.</p>`;
}

/** What waits in each channel's outbox, its last delivery and last error (secrets already hidden by the notifier). */
function renderChannels(channels: readonly ChannelStatus[], now: number): Html {
  if (channels.length === 0) return html`<section><h2>Alert channels</h2><p class="muted">None configured.</p></section>`;
  const rows = channels.map((channel) => html`<tr><td>${channel.channel}</td><td>${channel.type}</td><td>${describePending(channel, now)}</td><td>${formatAgo(channel.lastOkAt, now)}</td><td>${describeLastError(channel, now)}</td></tr>`);
  return html`<section><h2>Alert channels</h2><div class="scroll"><table><thead><tr><th>Channel</th><th>Type</th><th>Pending</th><th>Last sent</th><th>Last error</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}
