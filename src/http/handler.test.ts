import { test } from "node:test";
import assert from "node:assert/strict";
import { createMemoryLogger } from "../core/logger.js";
import { createRequest } from "./exchange.js";
import { createHandler, type HandlerDeps, type PingResult } from "./handler.js";
import type { HistoryRequest } from "./history-query.js";
import type { PingSignal } from "./ping-path.js";
import { derivePingKey } from "./token.js";

const TOKEN = "s3cret-T0ken-for-tests";
const NOW = Date.UTC(2024, 10, 30, 21, 0, 0);
const HOUR = 3_600_000;
const STATUS = { service: "trader", target: "gemini-trader.service", health: { kind: "healthy" }, restartsInWindow: 0 };
const OVERVIEW = { service: "trader", health: { kind: "healthy" }, restartsInWindow: 0 };
const CHANNEL = { channel: "phone", type: "telegram", pending: 1, failures: 0, lastOkAt: null };
const ENTRY = { type: "event", id: 1, at: NOW - 1000, service: "trader", event: { kind: "recovered" } };

/** A handler over plain values; `pings`, `queries` and `logged` tell what it was asked and said. */
/** What a test request carries besides its path. */
interface SendInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

function lifeguard(overrides: Partial<HandlerDeps> = {}) {
  const pings: Array<{ service: string; signal: PingSignal }> = [];
  const queries: HistoryRequest[] = [];
  const logger = createMemoryLogger();
  const handler = createHandler({
    token: TOKEN,
    healthy: () => ({ ok: true, summary: "Watching 1 service" }),
    status: () => [STATUS],
    overview: () => [OVERVIEW],
    channels: () => [CHANNEL],
    history: (query) => {
      queries.push(query);
      return [ENTRY];
    },
    metrics: async () => "# HELP lifeguard_up x\n",
    ping: (service, signal): PingResult => {
      pings.push({ service, signal });
      return service === "trader" ? { status: "accepted", summary: 'Ping of "trader" recorded' } : { status: "unknown-service" };
    },
    now: () => NOW,
    logger,
    ...overrides,
  });
  const send = async (path: string, init: SendInit = {}) => {
    const url = new URL(`http://127.0.0.1:9473${path}`);
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const answer = await handler(createRequest({ method: init.method, url, headers: Object.entries(init.headers ?? {}), body }));
    const text = answer.body ?? "";
    const json = text !== "" && answer.headers["content-type"]?.startsWith("application/json") ? JSON.parse(text) : undefined;
    return { status: answer.status, headers: new Map(Object.entries(answer.headers)), text, json };
  };
  return { send, pings, queries, logged: logger.entries };
}

const bearer = (token = TOKEN) => ({ headers: { authorization: `Bearer ${token}` } });

test("/healthz answers 200 with Lifeguard's own health, 503 when it is unhealthy", async () => {
  const ok = await lifeguard().send("/healthz");
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json, { ok: true, summary: "Watching 1 service" });
  assert.equal(ok.headers.get("cache-control"), "no-store");
  const down = await lifeguard({ healthy: () => ({ ok: false, summary: "No round for 5m" }) }).send("/healthz");
  assert.equal(down.status, 503);
  assert.deepEqual(down.json, { ok: false, summary: "No round for 5m" });
});

test("/healthz is 503 naming the failure when the health cannot be told, and the failure is logged", async () => {
  const { send, logged } = lifeguard({
    healthy: () => {
      throw new Error("the store is locked");
    },
  });
  const answer = await send("/healthz");
  assert.equal(answer.status, 503);
  assert.deepEqual(answer.json, { ok: false, summary: "Cannot tell Lifeguard's health: the store is locked" });
  assert.deepEqual(logged.map((e) => [e.tag, e.message]), [["ERROR", "Cannot tell Lifeguard's health: the store is locked"]]);
});

test("HEAD answers as GET without a body", async () => {
  const answer = await lifeguard().send("/healthz", { method: "HEAD" });
  assert.equal(answer.status, 200);
  assert.equal(answer.text, "");
  assert.match(answer.headers.get("content-type") ?? "", /^application\/json/);
});

test("/api/status answers the `lifeguard status --json` shape to the token", async () => {
  const answer = await lifeguard().send("/api/status", bearer());
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get("content-type"), "application/json; charset=utf-8");
  assert.deepEqual(answer.json, { at: "2024-11-30T21:00:00.000Z", services: [STATUS], channels: [CHANNEL] });
});

test("/api/history answers { entries } and asks for 50 entries by default", async () => {
  const { send, queries } = lifeguard();
  const answer = await send("/api/history", bearer());
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.json, { entries: [ENTRY] });
  assert.deepEqual(queries, [{ limit: 50 }]);
});

test("/api/history passes service, since (a duration back from now) and limit", async () => {
  const { send, queries } = lifeguard();
  assert.equal((await send(`/api/history?service=trader&since=24h&limit=5&token=${TOKEN}`)).status, 200);
  assert.equal((await send("/api/history?since=1h30m&limit=1000", bearer())).status, 200);
  assert.deepEqual(queries, [
    { service: "trader", since: NOW - 24 * HOUR, limit: 5 },
    { since: NOW - 1.5 * HOUR, limit: 1000 },
  ]);
});

test("/api/history refuses a bad query with 400 naming the parameter", async () => {
  const { send, queries } = lifeguard();
  const cases: Array<[string, string]> = [
    ["since=abc", 'Cannot read the query parameter "since": expected a duration like "24h" or "7d", got "abc"'],
    ["since=", 'Cannot read the query parameter "since": expected a duration like "24h" or "7d", got ""'],
    ["limit=0", 'Cannot read the query parameter "limit": expected a whole number from 1 to 1000, got "0"'],
    ["limit=1001", 'Cannot read the query parameter "limit": expected a whole number from 1 to 1000, got "1001"'],
    ["limit=2.5", 'Cannot read the query parameter "limit": expected a whole number from 1 to 1000, got "2.5"'],
    ["limit=-1", 'Cannot read the query parameter "limit": expected a whole number from 1 to 1000, got "-1"'],
    ["limit=1&limit=2", 'Cannot read the query parameter "limit": it is given more than once'],
    ["service=", 'Cannot read the query parameter "service": it is empty'],
    ["servce=trader", 'Unknown query parameter "servce": expected service, since or limit'],
  ];
  for (const [query, message] of cases) {
    const answer = await send(`/api/history?${query}`, bearer());
    assert.equal(answer.status, 400, query);
    assert.deepEqual(answer.json, { error: message }, query);
  }
  assert.deepEqual(queries, []);
});

test("/metrics answers the Prometheus text format 0.0.4", async () => {
  const answer = await lifeguard().send("/metrics");
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  assert.equal(answer.text, "# HELP lifeguard_up x\n");
});

test("a failing dependency is a 500 naming the failed action, and is logged", async () => {
  const { send, logged } = lifeguard({
    status: () => {
      throw new Error("database is locked");
    },
    history: () => Promise.reject(new Error("disk I/O error")),
    metrics: () => Promise.reject(new Error("snapshot failed")),
  });
  assert.deepEqual(await send("/api/status", bearer()).then((a) => [a.status, a.json]), [500, { error: "Cannot read the status: database is locked" }]);
  assert.deepEqual(await send("/api/history", bearer()).then((a) => [a.status, a.json]), [500, { error: "Cannot read the history: disk I/O error" }]);
  assert.deepEqual(await send("/metrics").then((a) => [a.status, a.json]), [500, { error: "Cannot render the metrics: snapshot failed" }]);
  assert.equal(logged.length, 3);
  assert.ok(logged.every((entry) => entry.tag === "ERROR" && entry.at === NOW));
});

test("an unknown path is a JSON 404 listing what is served, without repeating the path", async () => {
  const answer = await lifeguard().send("/admin/secret-path?token=abc");
  assert.equal(answer.status, 404);
  assert.deepEqual(answer.json, { error: "Not found: Lifeguard serves /healthz, /api/status, /api/history, /metrics and /ping/NAME" });
  assert.equal((await lifeguard().send("/ping")).status, 404);
  assert.equal((await lifeguard().send("/api/status/")).status, 404);
});

test("a method a route does not take is a JSON 405 with Allow", async () => {
  const { send, pings } = lifeguard();
  const post = await send("/api/status", { method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET, HEAD");
  assert.deepEqual(post.json, { error: "Cannot POST /api/status: it takes GET or HEAD" });
  const remove = await send("/ping/trader", { method: "DELETE", ...bearer() });
  assert.equal(remove.status, 405);
  assert.equal(remove.headers.get("allow"), "GET, POST");
  assert.deepEqual(remove.json, { error: "Cannot DELETE /ping/...: it takes GET or POST" });
  assert.equal((await send("/metrics", { method: "PUT", body: "x" })).status, 405);
  assert.deepEqual(pings, []);
});

test("every ping path reads as healthchecks.io's, with the token in a header", async () => {
  const { send, pings } = lifeguard();
  const cases: Array<[string, PingSignal]> = [
    ["/ping/trader", { kind: "success" }],
    ["/ping/trader/start", { kind: "start" }],
    ["/ping/trader/fail", { kind: "fail" }],
    ["/ping/trader/0", { kind: "exit", exitCode: 0 }],
    ["/ping/trader/1", { kind: "exit", exitCode: 1 }],
    ["/ping/trader/255", { kind: "exit", exitCode: 255 }],
  ];
  for (const [path, signal] of cases) {
    const answer = await send(path, bearer());
    assert.equal(answer.status, 200, path);
    assert.deepEqual(answer.json, { ok: true, service: "trader", signal, summary: 'Ping of "trader" recorded' }, path);
  }
  assert.deepEqual(pings, cases.map(([, signal]) => ({ service: "trader", signal })));
});

test("a ping takes GET or POST, and a POST body is not needed", async () => {
  const { send, pings } = lifeguard();
  assert.equal((await send("/ping/trader/start", { method: "POST", ...bearer() })).status, 200);
  assert.equal((await send("/ping/trader", { method: "POST", body: "backup done", ...bearer() })).status, 200);
  assert.equal(pings.length, 2);
});

test("the token may come in the path, as healthchecks.io's /ping/<ping-key>/<slug>", async () => {
  const { send, pings } = lifeguard();
  assert.equal((await send(`/ping/${TOKEN}/trader`)).status, 200);
  assert.equal((await send(`/ping/${TOKEN}/trader/start`, { method: "POST" })).status, 200);
  assert.equal((await send(`/ping/${TOKEN}/trader/fail`)).status, 200);
  assert.equal((await send(`/ping/${TOKEN}/trader/3`)).status, 200);
  assert.deepEqual(pings, [
    { service: "trader", signal: { kind: "success" } },
    { service: "trader", signal: { kind: "start" } },
    { service: "trader", signal: { kind: "fail" } },
    { service: "trader", signal: { kind: "exit", exitCode: 3 } },
  ]);
});

test("a path token replaces the header: a wrong one is refused, saying how the path was read", async () => {
  const { send, pings } = lifeguard();
  // Two segments whose last is no suffix read as TOKEN/NAME: a mistyped suffix is told so.
  const answer = await send("/ping/trader/256", bearer());
  assert.equal(answer.status, 401);
  assert.deepEqual(answer.json, { error: "Cannot accept a ping as neither the token nor the service's ping key matches (the path was read as /ping/TOKEN/NAME)" });
  assert.equal((await send("/ping/wrong/trader/start", bearer())).status, 401);
  assert.deepEqual(pings, []);
});

test("a path that is no ping form is a 404 listing the forms; bad percent-encoding is a 400", async () => {
  const { send, pings } = lifeguard();
  const forms = "Not a ping path: expected /ping/NAME, /ping/NAME/start, /ping/NAME/fail or /ping/NAME/<exit code 0-255>";
  for (const path of ["/ping/", "/ping//trader", "/ping/trader/", `/ping/${TOKEN}/trader/bogus`, `/ping/${TOKEN}/trader/start/1`, "/ping/trader/start/x/y"]) {
    const answer = await send(path, bearer());
    assert.equal(answer.status, 404, path);
    assert.deepEqual(answer.json, { error: forms }, path);
  }
  const bad = await send("/ping/tr%E0%A4ader", bearer());
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json, { error: "Cannot read the ping path: it holds malformed percent-encoding" });
  assert.deepEqual(pings, []);
});

test("a percent-encoded service name is decoded", async () => {
  const { send, pings } = lifeguard();
  await send("/ping/my%40bot/start", bearer());
  assert.deepEqual(pings, [{ service: "my@bot", signal: { kind: "start" } }]);
});

test("the token comes from a Bearer header or ?token=; missing or wrong is 401 with WWW-Authenticate", async () => {
  const { send, pings } = lifeguard();
  const missing = await send("/ping/trader");
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get("www-authenticate"), 'Bearer realm="lifeguard"');
  assert.deepEqual(missing.json, { error: 'Cannot accept a ping without the token: send "Authorization: Bearer TOKEN" or add "?token=TOKEN"' });

  const wrongHeader = await send("/ping/trader", bearer("nope"));
  assert.equal(wrongHeader.status, 401);
  assert.equal(wrongHeader.headers.get("www-authenticate"), 'Bearer realm="lifeguard", error="invalid_token"');
  assert.deepEqual(wrongHeader.json, { error: "Cannot accept a ping as neither the token nor the service's ping key matches (read from the Authorization header)" });

  const wrongQuery = await send("/ping/trader?token=nope");
  assert.deepEqual(wrongQuery.json, { error: 'Cannot accept a ping as neither the token nor the service\'s ping key matches (read from the "token" query parameter)' });

  assert.equal((await send(`/ping/trader?token=${TOKEN}`)).status, 200);
  assert.equal((await send("/ping/trader", { headers: { authorization: `bearer  ${TOKEN} ` } })).status, 200);
  assert.equal((await send("/ping/trader", { headers: { authorization: `Basic ${TOKEN}` } })).status, 401);
  assert.equal((await send("/ping/trader?token=")).status, 401);
  // A present header wins, even with the right token in the query: one request, one candidate.
  assert.equal((await send(`/ping/trader?token=${TOKEN}`, bearer("nope"))).status, 401);
  assert.equal(pings.length, 2);
});

test("a service's own ping key opens its pings, in the path, a header or the query", async () => {
  const { send, pings } = lifeguard();
  const key = derivePingKey(TOKEN, "trader");
  assert.equal((await send(`/ping/${key}/trader`)).status, 200);
  assert.equal((await send(`/ping/${key}/trader/fail`, { method: "POST" })).status, 200);
  assert.equal((await send("/ping/trader/0", bearer(key))).status, 200);
  assert.equal((await send(`/ping/trader/start?token=${key}`)).status, 200);
  assert.deepEqual(pings.map((ping) => ping.signal.kind), ["success", "fail", "exit", "start"]);
});

test("a ping key opens nothing else: not another service's pings, not a protected read", async () => {
  const { send, pings } = lifeguard({ protectReads: true });
  const key = derivePingKey(TOKEN, "backup");
  const other = await send(`/ping/${key}/trader`);
  assert.equal(other.status, 401);
  assert.deepEqual(other.json, { error: "Cannot accept a ping as neither the token nor the service's ping key matches (the path was read as /ping/TOKEN/NAME)" });
  assert.equal((await send("/ping/trader", bearer(key))).status, 401);
  assert.equal((await send("/api/status", bearer(key))).status, 401);
  assert.equal((await send(`/metrics?token=${key}`)).status, 401);
  assert.equal((await send("/api/status", bearer())).status, 200);
  assert.deepEqual(pings, []);
});

test("a ping key derived from another token is refused", async () => {
  const { send, pings } = lifeguard();
  assert.equal((await send(`/ping/${derivePingKey(`${TOKEN}x`, "trader")}/trader`)).status, 401);
  assert.equal((await send(`/ping/${derivePingKey(TOKEN, "trader").toUpperCase()}/trader`)).status, 401);
  assert.deepEqual(pings, []);
});

test("without a configured token pings are refused with 403 saying to set http.token", async () => {
  for (const token of [null, ""]) {
    const { send, pings } = lifeguard({ token });
    for (const path of ["/ping/trader", "/ping/trader/start", "/ping/x/trader"]) {
      const answer = await send(path, bearer(""));
      assert.equal(answer.status, 403, path);
      assert.deepEqual(answer.json, { error: 'Cannot accept a ping as no token is set: set http.token in the config, e.g. "token: ${LIFEGUARD_TOKEN}"' });
    }
    assert.deepEqual(pings, []);
  }
});

test("the token is checked before the service is looked up: no service names for strangers", async () => {
  const { send, pings } = lifeguard();
  assert.equal((await send("/ping/nope")).status, 401);
  assert.deepEqual(pings, []);
  const known = await send("/ping/nope", bearer());
  assert.equal(known.status, 404);
  assert.deepEqual(known.json, { error: 'No service "nope" is configured' });
});

test("a refused ping is a 409 with the daemon's reason; a failing one a 500, logged", async () => {
  const refused = await lifeguard({ ping: () => ({ status: "refused", summary: 'Cannot take pings for "trader" as it has no heartbeat check' }) }).send("/ping/trader", bearer());
  assert.equal(refused.status, 409);
  assert.deepEqual(refused.json, { error: 'Cannot take pings for "trader" as it has no heartbeat check' });

  const { send, logged } = lifeguard({ ping: () => Promise.reject(new Error("store closed")) });
  const failed = await send("/ping/trader/fail", bearer());
  assert.equal(failed.status, 500);
  assert.deepEqual(failed.json, { error: 'Cannot record the ping of "trader": store closed' });
  assert.equal(logged[0]?.message, 'Cannot record the ping of "trader": store closed');
});

test("the token never appears in an answer or the log, whatever carries it", async () => {
  const leaky = new Error(`connection to http://x/?token=${TOKEN} failed`);
  const { send, logged } = lifeguard({
    healthy: () => ({ ok: true, summary: `token is ${TOKEN}` }),
    status: () => {
      throw leaky;
    },
    ping: (service) => (service === "trader" ? { status: "accepted", summary: `accepted ${TOKEN}` } : { status: "unknown-service" }),
  });
  const answers = await Promise.all([
    send("/healthz"),
    send("/api/status", bearer()),
    send(`/ping/${TOKEN}/trader`),
    send(`/ping/${TOKEN}`, bearer()),
    send(`/ping/trader/${TOKEN}`, bearer()),
    send(`/ping/${TOKEN}x/trader`),
    send(`/ping/trader?token=${TOKEN}x`),
    send(`/nothing?token=${TOKEN}`),
    send(`/api/history?token=${TOKEN}&since=${TOKEN}`),
  ]);
  for (const answer of answers) assert.ok(!answer.text.includes(TOKEN), answer.text);
  assert.ok(answers.some((answer) => answer.text.includes("[redacted]")));
  assert.ok(logged.length > 0 && logged.every((entry) => !entry.message.includes(TOKEN)));
});

test("protectReads requires the token for /api/* and /metrics, never for /healthz", async () => {
  const { send } = lifeguard({ protectReads: true });
  for (const path of ["/api/status", "/api/history", "/metrics"]) {
    const answer = await send(path);
    assert.equal(answer.status, 401, path);
    assert.deepEqual(answer.json, { error: `Cannot accept a request for ${path} without the token: send "Authorization: Bearer TOKEN" or add "?token=TOKEN"` });
    assert.equal((await send(path, bearer())).status, 200, path);
    assert.equal((await send(`${path}?token=${TOKEN}`)).status, 200, path);
  }
  assert.equal((await send("/healthz")).status, 200);
  const off = await lifeguard({ protectReads: true, token: null }).send("/metrics");
  assert.equal(off.status, 403);
});

test("without the token /api/status shows names and health only, and says how to see the rest; a wrong token is a 401", async () => {
  const { send } = lifeguard();
  const answer = await send("/api/status");
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.json, {
    at: "2024-11-30T21:00:00.000Z",
    services: [OVERVIEW],
    detail: 'Names and health only: for evidence, restarts and channels, send "Authorization: Bearer TOKEN" or add "?token=TOKEN"',
  });
  assert.equal((await send("/api/status", bearer("wrong-token"))).status, 401);
  assert.equal((await send("/api/status?token=wrong-token")).status, 401);
  const unset = await lifeguard({ token: null }).send("/api/status", bearer("anything"));
  assert.equal(unset.status, 200);
  assert.equal(unset.json.detail, "Names and health only: for evidence, restarts and channels, set http.token in the config and send it");
});

test("/api/history needs the token: 401 without it, 403 while none is set", async () => {
  const { send, queries } = lifeguard();
  const without = await send("/api/history?service=trader");
  assert.equal(without.status, 401);
  assert.deepEqual(without.json, { error: 'Cannot accept a request for /api/history without the token: send "Authorization: Bearer TOKEN" or add "?token=TOKEN"' });
  assert.equal((await send("/api/history", bearer(derivePingKey(TOKEN, "trader")))).status, 401, "a ping key is not the token");
  const unset = await lifeguard({ token: null }).send("/api/history");
  assert.equal(unset.status, 403);
  assert.deepEqual(unset.json, { error: 'Cannot accept a request for /api/history as no token is set: set http.token in the config, e.g. "token: ${LIFEGUARD_TOKEN}"' });
  assert.deepEqual(queries, []);
});
