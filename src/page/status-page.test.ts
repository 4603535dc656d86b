import { test } from "node:test";
import assert from "node:assert/strict";
import { createMemoryLogger } from "../core/logger.js";
import type { Observation } from "../core/outcome.js";
import type { ServiceStatus } from "../compose/service-status.js";
import type { HttpControlAction, PauseOptions } from "../http/control-routes.js";
import { createRequest } from "../http/exchange.js";
import type { HistoryEntry } from "../store/index.js";
import type { StatusPageDeps } from "./page-deps.js";
import { createStatusPage } from "./status-page.js";

const TOKEN = "s3cret-T0ken-for-tests";
const NOW = Date.UTC(2024, 10, 30, 21, 0, 0);
const ORIGIN = "http://127.0.0.1:9473";
const EVIL_LINE = `<script>alert("pwned")</script><img src=x onerror=alert(1)>`;

function statusOf(service: string, overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    service, target: `python3 ${service}.py --secret-flag`, supervised: true, heldBack: null, health: { kind: "healthy" },
    watch: { kind: "watched", by: "lifeguard run", pid: 42, since: NOW - 2 * 86_400_000, lastBeatAt: NOW - 1000, url: null },
    lastCheckAt: NOW - 1000, lastChangeAt: NOW - 7_200_000, restartsInWindow: 1, limit: { max: 3, perMs: 3_600_000 }, lastRestart: null,
    advice: { reset: `lifeguard reset ${service}`, start: `lifeguard start ${service}` }, ...overrides,
  };
}

const observation: Observation = {
  check: "log-activity", ok: false, summary: "No recent activity: 0 lines matching VIX in last 100", evidence: { recent: [EVIL_LINE] },
  durationMs: 3, timedOut: false, at: NOW - 1000, alertOnly: false,
};

const HISTORY: HistoryEntry[] = [
  { type: "event", id: 3, at: NOW - 60_000, service: "bot", event: { kind: "restarted", at: NOW - 60_000, message: `Restarted "bot" ${EVIL_LINE}`, data: {} } },
  {
    type: "restart", id: 1, at: NOW - 62_000, service: "bot", restart: {
      service: "bot", startedAt: NOW - 62_000, finishedAt: NOW - 60_000, reason: "running", attempt: 1, max: 3, ok: true, summary: 'Restarted "bot"', evidence: [observation],
      steps: [{ step: "stop", ok: true, summary: "Stopped", durationMs: 1200, timedOut: false }, { step: "start", ok: true, summary: "Started pid 77", durationMs: 300, timedOut: false }],
    },
  },
  { type: "event", id: 2, at: NOW - 62_000, service: "bot", event: { kind: "restart", at: NOW - 62_000, message: "Restarting", data: {} } },
  { type: "event", id: 1, at: NOW - 63_000, service: "bot", event: { kind: "failing", at: NOW - 63_000, message: "Failing", data: {} } },
];

interface Send {
  method?: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
}

/** The page over plain values; `acted` lists what it asked the controller. */
function page(overrides: Partial<StatusPageDeps> = {}) {
  const acted: Array<{ service: string; action: HttpControlAction; pause: PauseOptions; by: string }> = [];
  const logger = createMemoryLogger();
  const answer = createStatusPage({
    token: TOKEN, protectReads: false, now: () => NOW, logger,
    status: () => [statusOf("bot"), statusOf("quiet", { restartsInWindow: 0 })],
    channels: () => [{ channel: "phone", type: "telegram", pending: 2, oldestPendingAt: NOW - 300_000, failures: 1, retryAt: null, lastOkAt: null, lastError: "Cannot send <b>", lastErrorAt: NOW - 60_000 }],
    history: () => HISTORY,
    observations: (service) => (service === "bot" ? [observation] : []),
    control: async (service, action, pause, by) => {
      acted.push({ service, action, pause, by });
      return { ok: true, summary: `Restarted "${service}" at the request of ${by}` };
    },
    ...overrides,
  });
  const send = async (path: string, init: Send = {}) => {
    const body = init.form === undefined ? undefined : Buffer.from(new URLSearchParams(init.form).toString());
    const result = await answer(createRequest({ method: init.method ?? (body === undefined ? "GET" : "POST"), url: new URL(`${ORIGIN}${path}`), headers: Object.entries(init.headers ?? {}), body, remote: "127.0.0.1" }));
    return { status: result.status, headers: result.headers, text: result.body ?? "" };
  };
  /** Signs in; the cookie to send and the anti-forgery token of the page's forms. */
  const signIn = async () => {
    const signed = await send("/sign-in", { form: { token: TOKEN }, headers: { origin: ORIGIN } });
    const cookie = (signed.headers["set-cookie"] ?? "").split(";")[0] as string;
    const home = await send("/", { headers: { cookie } });
    const csrf = /name="csrf" value="([^"]+)"/.exec(home.text)?.[1] as string;
    return { cookie, csrf, home };
  };
  return { send, signIn, acted, logged: logger.entries };
}

test("without a sign-in the page on loopback shows names, health and the timeline, and nothing a service wrote or was judged by", async () => {
  const { send } = page();
  const home = await send("/");
  assert.equal(home.status, 200);
  assert.equal(home.headers["content-type"], "text/html; charset=utf-8");
  assert.match(home.headers["content-security-policy"] ?? "", /default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'; frame-ancestors 'none'/);
  assert.match(home.text, /<meta http-equiv="refresh" content="30; url=\/">/);
  assert.match(home.text, /<h2>bot<\/h2><span class="state healthy">healthy<\/span>/);
  assert.match(home.text, /<svg class="timeline"[^>]*aria-label="The last 24h of &quot;bot&quot;: 1 restart"/);
  assert.match(home.text, /<a href="\/sign-in">Sign in<\/a>/);
  for (const secret of ["pwned", "secret-flag", "No recent activity", "phone", "Restarting", "csrf"]) assert.equal(home.text.includes(secret), false, secret);
});

test("signed in, the page shows the evidence, restarts with their steps, events and channels, every string escaped", async () => {
  const { signIn } = page();
  const { home } = await signIn();
  assert.match(home.text, /<span class="state healthy">healthy<\/span>/);
  assert.match(home.text, /<dt>Target<\/dt><dd>python3 bot\.py --secret-flag<\/dd>/);
  assert.ok(home.text.includes("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
  assert.equal(/<script|<img/i.test(home.text), false, "no markup from a log line or a message");
  assert.match(home.text, / &middot; running &middot; <span class="check ok">restarted in 2s<\/span> &middot; attempt 1 of 3/);
  assert.match(home.text, /<li class="check ok"><b>stop<\/b> \(1s\): Stopped<\/li>/);
  assert.match(home.text, /<td>phone<\/td><td>telegram<\/td><td>2 \(oldest 5m ago\)<\/td><td>never<\/td><td>1m ago: Cannot send &lt;b&gt;<\/td>/);
  assert.match(home.text, /<form method="post" action="\/services\/bot\/restart"><input type="hidden" name="csrf" value="[^"]+"><button type="submit">Restart<\/button><\/form>/);
  assert.match(home.text, /action="\/services\/bot\/reset"/, "a service with restarts in its window can be reset");
  assert.equal(/action="\/services\/quiet\/reset"/.test(home.text), false);
});

test("sign-in: a wrong token is refused and logged without it; the right one gives a session cookie that is not the token", async () => {
  const { send, logged } = page();
  const wrong = await send("/sign-in", { form: { token: "guess" }, headers: { origin: ORIGIN } });
  assert.equal(wrong.status, 401);
  assert.match(wrong.text, /The token does not match/);
  assert.equal(wrong.headers["set-cookie"], undefined);
  assert.deepEqual(logged.map((entry) => entry.message), ["Refused a sign-in to the status page from 127.0.0.1: the token does not match"]);
  assert.equal((await send("/sign-in", { form: { token: TOKEN }, headers: { origin: "http://evil.example" } })).status, 403);
  const right = await send("/sign-in", { form: { token: ` ${TOKEN}\n` } });
  assert.equal(right.status, 303);
  assert.equal(right.headers.location, "/");
  assert.match(right.headers["set-cookie"] ?? "", /^lifeguard-session-9473=[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
  assert.equal((right.headers["set-cookie"] ?? "").includes(TOKEN), false);
});

test("bound beyond loopback every view needs the sign-in: the form with 401; with no token set, 403 saying how to set one", async () => {
  const guarded = page({ protectReads: true });
  const refused = await guarded.send("/");
  assert.equal(refused.status, 401);
  assert.match(refused.text, /<form method="post" action="\/sign-in">/);
  assert.equal(refused.text.includes("<h2>bot"), false);
  assert.equal((await guarded.signIn()).home.status, 200);
  const open = page({ protectReads: true, token: null });
  assert.equal((await open.send("/")).status, 403);
  assert.equal((await open.send("/sign-in", { form: { token: "" } })).status, 403);
  // No token on loopback: the public view, and no way to sign in.
  assert.match((await page({ token: null }).send("/")).text, /set <code>http\.token<\/code> in the config to sign in/);
});

test("an action asks first and acts only on its confirmation, as the status page of the client's address, then redirects to the page with its outcome", async () => {
  const { send, signIn, acted } = page();
  const { cookie, csrf } = await signIn();
  const question = await send("/services/bot/restart", { form: { csrf }, headers: { cookie, origin: ORIGIN } });
  assert.equal(question.status, 200);
  assert.match(question.text, /<h2>Restart &quot;bot&quot;\?<\/h2>/);
  assert.match(question.text, /<input type="hidden" name="confirm" value="yes">/);
  assert.equal(question.text.includes('http-equiv="refresh"'), false, "the question does not reload away");
  assert.deepEqual(acted, []);
  const done = await send("/services/bot/restart", { form: { csrf, confirm: "yes" }, headers: { cookie, origin: ORIGIN } });
  assert.equal(done.status, 303);
  assert.deepEqual(acted, [{ service: "bot", action: "restart", pause: { forMs: null, reason: null }, by: "status page (127.0.0.1)" }]);
  const location = done.headers.location ?? "";
  assert.match(location, /^\/\?outcome=[\w-]+#service-bot$/);
  const after = await send(location.replace(/#.*/, ""), { headers: { cookie } });
  assert.match(after.text, /<div class="notice ok" role="status">Restarted &quot;bot&quot; at the request of status page \(127\.0\.0\.1\)<\/div>/);
  assert.equal((await send(location.replace(/#.*/, ""))).text.includes('class="notice'), false, "an outcome is shown to its session only");
});

test("a pause takes the button's hour, or a duration and reason from the form; a bad duration is refused, nothing done", async () => {
  const { send, signIn, acted } = page();
  const { cookie, csrf } = await signIn();
  const headers = { cookie };
  assert.match((await send("/services/bot/pause", { form: { csrf, for: "1h" }, headers })).text, /<h2>Pause &quot;bot&quot; for 1h\?<\/h2>/);
  const bad = await send("/services/bot/pause", { form: { csrf, for: "banana", confirm: "yes" }, headers });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /Cannot read &quot;for&quot;: expected a duration such as &quot;30m&quot; or &quot;2h&quot;, got &quot;banana&quot;/);
  assert.equal(acted.length, 0, "nothing done");
  await send("/services/bot/pause", { form: { csrf, for: "2h", reason: " deploy ", confirm: "yes" }, headers });
  assert.deepEqual(acted.map((entry) => entry.pause), [{ forMs: 7_200_000, reason: "deploy" }]);
});

test("refused with nothing done: no sign-in, no or a wrong anti-forgery token, another site's form, a token that changed; unknown service or action: 404", async () => {
  const { send, signIn, acted } = page();
  const { cookie, csrf } = await signIn();
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = { cookie }) => send(path, { form, headers });
  assert.equal((await post("/services/bot/restart", { csrf, confirm: "yes" }, {})).status, 403, "no sign-in");
  assert.equal((await post("/services/bot/restart", { confirm: "yes" })).status, 403, "no anti-forgery token");
  assert.equal((await post("/services/bot/restart", { csrf: `${csrf}x`, confirm: "yes" })).status, 403, "a wrong one");
  assert.equal((await post("/services/bot/restart", { csrf, confirm: "yes" }, { cookie, origin: "http://evil.example" })).status, 403, "another site");
  assert.equal((await post("/services/bot/restart", { csrf, confirm: "yes" }, { cookie, referer: "http://evil.example/x" })).status, 403, "another site, by its referer");
  const rotated = page({ token: "the-next-token" });
  assert.equal((await rotated.send("/services/bot/restart", { form: { csrf, confirm: "yes" }, headers: { cookie } })).status, 403, "a session of the old token");
  assert.match((await rotated.send("/", { headers: { cookie } })).text, /Sign in/, "signed out by the new token");
  assert.deepEqual([acted, rotated.acted], [[], []]);
  const unknown = await post("/services/nobody/restart", { csrf, confirm: "yes" });
  assert.equal(unknown.status, 404);
  assert.match(unknown.text, /No service &quot;nobody&quot; is configured/);
  assert.equal((await post("/services/bot/explode", { csrf, confirm: "yes" })).status, 404);
  assert.equal((await post("/services/%E0%A4%A/restart", { csrf })).status, 400);
  assert.equal((await send("/services/bot/restart")).status, 405);
  assert.deepEqual(acted, []);
});

test("signing out deletes the cookie, only through the page's own form; HEAD has no body; no services and no history read plainly", async () => {
  const { send, signIn } = page();
  const { cookie, csrf } = await signIn();
  assert.equal((await send("/sign-out", { form: {}, headers: { cookie } })).status, 403);
  const out = await send("/sign-out", { form: { csrf }, headers: { cookie } });
  assert.equal(out.status, 303);
  assert.match(out.headers["set-cookie"] ?? "", /^lifeguard-session-9473=; Max-Age=0;/);
  const empty = page({ status: () => [], history: () => [] });
  assert.match((await empty.send("/")).text, /No service is configured/);
  const quiet = page({ history: () => [] });
  const { home } = await quiet.signIn();
  assert.match(home.text, /<h3>Restarts in the last 24h<\/h3>\n<p class="muted">None\.<\/p>/);
  assert.match(home.text, /<rect class="band healthy" x="0\.000%" y="8" width="100\.000%"/);
});
