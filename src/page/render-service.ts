import type { AlertEvidence } from "../core/alert.js";
import { evidenceOf } from "../core/alert-compose.js";
import { formatDuration } from "../core/duration.js";
import type { Observation } from "../core/outcome.js";
import type { RestartRecord } from "../core/store.js";
import { describeHealth, formatAgo } from "../compose/describe-status.js";
import type { ServiceOverview, ServiceStatus } from "../compose/service-status.js";
import { formatLocalTime } from "../process/local-time.js";
import { html, type Html } from "./html.js";
import type { PageView, ServiceCard, ServiceDetail } from "./page-view.js";
import { renderActions } from "./render-actions.js";
import { renderTimeline } from "./timeline-svg.js";

/** One service: its state in words, the timeline, and for a signed-in viewer its evidence, buttons, restarts and events. */
export function renderService(card: ServiceCard, view: PageView): Html {
  const { overview, detail } = card;
  const name = overview.service;
  const state = detail === null ? html`<span class="state ${overviewClass(overview)}">${describeOverview(overview, view.at)}</span>` : html`<span class="state ${stateClass(detail.status)}">${describeHealth(detail.status, view.at)}</span>`;
  return html`<section id="${serviceAnchor(name)}">
<div class="title"><h2>${name}</h2>${state}</div>
${detail === null ? html`<p class="muted">${restartCount(overview.restartsInWindow)} in the restart limit's window</p>` : renderFacts(detail.status, view.at)}
${renderTimeline(card.timeline, name)}
${detail === null ? "" : renderDetail(detail, view)}
</section>`;
}

/** The fragment a page link jumps to: a service name may hold any character. */
export function serviceAnchor(service: string): string {
  return `service-${encodeURIComponent(service)}`;
}

function renderDetail(detail: ServiceDetail, view: PageView): Html {
  const { status } = detail;
  const csrf = view.viewer.signedIn ? view.viewer.csrf : null;
  return html`<h3>Evidence of the last round</h3>
${detail.evidence.length === 0 ? html`<p class="muted">No round yet.</p>` : renderEvidence(detail.evidence)}
${view.canControl && csrf !== null ? renderActions(status, csrf) : ""}
<h3>Restarts in the last 24h</h3>
${detail.restarts.length === 0 ? html`<p class="muted">None.</p>` : html`<ul>${detail.restarts.map((restart) => html`<li>${renderRestart(restart)}</li>`)}</ul>`}
<details><summary>Events in the last 24h (${detail.events.length === 0 ? "none" : `the last ${detail.events.length}`})</summary>
<ul>${detail.events.map((event) => html`<li><span class="muted">${formatLocalTime(event.at)}</span> <b>${event.kind}</b>: ${event.message}</li>`)}</ul></details>`;
}

function renderFacts(status: ServiceStatus, now: number): Html {
  const last = status.lastRestart;
  return html`<dl>
<dt>Target</dt><dd>${status.target}</dd>
<dt>Last check</dt><dd>${formatAgo(status.lastCheckAt, now)}</dd>
<dt>Restarts</dt><dd>${status.restartsInWindow} of ${status.limit.max} in ${formatDuration(status.limit.perMs)}</dd>
<dt>Last restart</dt><dd>${last === null ? "-" : `${formatLocalTime(last.startedAt)} (${last.ok ? "ok" : "failed"})`}</dd>
</dl>`;
}

/** Each check's summary and the lines behind it (a log's last matching lines): text a service wrote, so escaped like all else. */
export function renderEvidence(evidence: readonly AlertEvidence[]): Html {
  return html`<ul>${evidence.map((entry) => html`<li class="check ${entry.ok ? "ok" : "failed"}"><b>${entry.check}</b>: ${entry.summary}${entry.lines.length === 0 ? "" : html`<pre>${entry.lines.join("\n")}</pre>`}</li>`)}</ul>`;
}

/** `2024-11-30 21:00:01 · log-activity · restarted in 3s · attempt 1 of 3`, its steps and the evidence it was decided on. */
function renderRestart(restart: RestartRecord): Html {
  const attempt = restart.attempt === 0 ? "not counted against the limit" : `attempt ${restart.attempt} of ${restart.max}`;
  const outcome = `${restart.ok ? "restarted" : "failed"} in ${formatDuration(restart.finishedAt - restart.startedAt)}`;
  const evidence = Array.isArray(restart.evidence) ? evidenceOf((restart.evidence as Observation[]).filter((o) => !o.ok)) : [];
  // Entities, not the characters: one non-ASCII character in a tagged template makes the daemon's whole bundle a two-byte string (+1 MiB resident).
  return html`<details><summary><span class="muted">${formatLocalTime(restart.startedAt)}</span> &middot; ${restart.reason} &middot; <span class="check ${restart.ok ? "ok" : "failed"}">${outcome}</span> &middot; ${attempt}</summary>
<p>${restart.summary}</p>
<ol>${restart.steps.map((step) => html`<li class="check ${step.ok ? "ok" : "failed"}"><b>${step.step}</b> (${formatDuration(step.durationMs)}${step.timedOut ? ", timed out" : ""}): ${step.summary}</li>`)}</ol>
${evidence.length === 0 ? "" : html`<p class="muted">Decided on:</p>${renderEvidence(evidence)}`}</details>`;
}

/** The words of `/api/status`'s overview: health and since when, nothing a service wrote. */
function describeOverview(overview: ServiceOverview, now: number): string {
  const { health } = overview;
  const words = health.since === undefined ? health.kind : `${health.kind} since ${formatAgo(health.since, now)}`;
  return overview.watched ? words : `not watched (last known: ${words})`;
}

function overviewClass(overview: ServiceOverview): string {
  return overview.watched ? overview.health.kind : "unwatched";
}

function stateClass(status: ServiceStatus): string {
  if (status.watch.kind !== "watched") return "unwatched";
  return status.control?.kind ?? status.health.kind;
}

const restartCount = (count: number): string => (count === 1 ? "1 restart" : `${count} restarts`);
