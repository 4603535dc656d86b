import type { StatusRange } from "../config/http-status.js";
import type { HttpCheckConfig } from "../config/types.js";
import { formatDuration } from "../core/duration.js";
import { hideSecrets } from "../core/hide-secrets.js";
import { describeNetworkError, networkErrorCode } from "../process/http-post.js";
import { exchange, MAX_REDIRECTS, type Exchange, type ExchangeStage } from "./http-exchange.js";
import { compileLinePattern, type LinePattern } from "./match-lines.js";
import type { Finding, Probe, ProbeFactory } from "./probe.js";

/** How much of the body `body` is matched against (the docs say 64 KiB); the rest is never read. */
const BODY_MATCH_BYTES = 64 * 1024;
/** How much of the body a failing finding shows, and all that is read when there is no `body` to match. */
const BODY_SHOWN_BYTES = 512;
/** Longest cause taken from an error page. */
const CAUSE_MAX_CHARS = 200;

/**
 * `http`: one request (GET or HEAD), passing when the status is one of `status` and the body
 * matches `body`. Bounded in time by the check's timeout (connecting, the answer's head and the
 * body read alike) and in memory by the body cap. The header values are secrets: nothing of a
 * finding shows them, not even a body that echoes them.
 */
export const createHttpProbe: ProbeFactory<HttpCheckConfig> = (config, deps) => {
  const pattern = config.body === null ? null : compileLinePattern(config.body, false);
  const secrets = headerSecrets(config.headers);
  let stage: ExchangeStage = "connecting";
  let at = config.url;
  const probe: Probe = async (signal) => {
    if (pattern instanceof Error) return { ok: false, summary: `Cannot run check "${config.id}" as its body pattern "${config.body ?? ""}" is invalid`, evidence: { body: config.body }, cause: pattern.message };
    const started = deps.clock.monotonic();
    const outcome = await exchange(config, pattern === null ? BODY_SHOWN_BYTES : BODY_MATCH_BYTES, signal, (step, url) => {
      stage = step;
      at = url;
    });
    return hideSecrets(judge(config, pattern, outcome, deps.clock.monotonic() - started), secrets);
  };
  probe.explainTimeout = () => hideSecrets(describeTimeout(config, stage, at), secrets);
  return probe;
};

function judge(config: HttpCheckConfig, pattern: LinePattern | null, outcome: Exchange, responseMs: number): Finding {
  const request = `${config.method} ${config.url}`;
  const evidence: Record<string, unknown> = { method: config.method, url: config.url, responseMs, ...(outcome.url === config.url ? {} : { redirectedTo: outcome.url }), ...(config.caFile === null ? {} : { ca: config.caFile }) };
  const took = formatDuration(responseMs);
  if (outcome.kind === "too-many-redirects") return { ok: false, summary: `${request} was redirected more than ${MAX_REDIRECTS} times (last to ${outcome.url})`, evidence };
  if (outcome.kind === "failed") {
    const cause = describeNetworkError(outcome.error);
    return { ok: false, summary: `${request} failed after ${took}: ${cause}`, evidence: { ...evidence, error: networkErrorCode(outcome.error) }, cause };
  }
  const { status, body } = outcome.answer;
  const answered = `${request} answered ${status} in ${took}${outcome.redirects > 0 ? ` after ${redirectCount(outcome.redirects)}` : ""}`;
  const seen = { ...evidence, status };
  if (!config.status.some((range) => status >= range.from && status <= range.to)) {
    const expected = describeStatuses(config.status);
    const said = firstLine(body);
    return { ok: false, summary: `${answered} (expected ${expected})`, evidence: { ...seen, expected, bodyStart: bodyStart(body) }, ...(said === undefined ? {} : { cause: said }) };
  }
  if (pattern !== null && !pattern.test(body)) {
    return { ok: false, summary: `${answered}, but its body does not match "${config.body ?? ""}"`, evidence: { ...seen, bodyStart: bodyStart(body) } };
  }
  return { ok: true, summary: answered, evidence: seen };
}

/** What the request that the timeout cut short had got to. */
function describeTimeout(config: HttpCheckConfig, stage: ExchangeStage, url: string): Pick<Finding, "summary" | "evidence"> {
  const request = `${config.method} ${url}`;
  const within = `within ${formatDuration(config.timeoutMs)}`;
  const words: Record<ExchangeStage, string> = {
    connecting: `${request} did not connect ${within}`,
    connected: `${request} connected but got no answer ${within}`,
    answered: `${request} answered, but its body did not end ${within}`,
  };
  return { summary: words[stage], evidence: { method: config.method, url: config.url, ...(url === config.url ? {} : { redirectedTo: url }), stage } };
}

/** Each header value, and of one like `Bearer TOKEN` the credentials alone too: a server may echo either. */
function headerSecrets(headers: Readonly<Record<string, string>>): string[] {
  return Object.values(headers).flatMap((value) => [value, ...(/^\S+\s+(\S.*)$/.exec(value)?.slice(1) ?? [])]);
}

/** `200-299, 304`: the ranges as a user writes them. */
export function describeStatuses(ranges: readonly StatusRange[]): string {
  return ranges.map((range) => (range.from === range.to ? String(range.from) : `${range.from}-${range.to}`)).join(", ");
}

/** The body's first bytes, as the evidence of a failure. */
function bodyStart(body: string): string {
  const start = Buffer.from(body).subarray(0, BODY_SHOWN_BYTES).toString("utf8");
  return start.endsWith("\uFFFD") ? start.slice(0, -1) : start;
}

/** The error page's first line, as the alert's cause (`Cause: maintenance: database unreachable`). */
function firstLine(body: string): string | undefined {
  const line = body.slice(0, CAUSE_MAX_CHARS * 2).split(/\r?\n/).map((part) => part.trim()).find((part) => part !== "");
  return line === undefined ? undefined : line.slice(0, CAUSE_MAX_CHARS);
}

function redirectCount(count: number): string {
  return count === 1 ? "1 redirect" : `${count} redirects`;
}
