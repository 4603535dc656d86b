import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { LifeguardError } from "../core/errors.js";
import { createMemoryLogger } from "../core/logger.js";
import { waitFor } from "../testing/wait-for.js";
import { createHandler, type Handler } from "./handler.js";
import { jsonResponse } from "./json-response.js";
import { startHttpServer, type HttpServerOptions } from "./server.js";

const TOKEN = "server-test-token";

/** A server on a free loopback port, closed after the test whatever happens. */
async function serve(t: TestContext, handler: Handler, options: Partial<HttpServerOptions> = {}) {
  const server = await startHttpServer({ listen: { host: "127.0.0.1", port: 0 }, handler, ...options });
  t.after(() => server.close());
  return server;
}

/** A handler that answers what it was given: method, URL, headers, body. */
const echo: Handler = async (request) =>
  jsonResponse(200, { method: request.method, url: request.url.href, host: request.header("host"), custom: request.header("x-custom"), body: request.body.toString("utf8") });

/** Sends raw bytes and resolves to everything the server answered before it closed the connection. */
function rawExchange(port: number, text: string, { keepOpen = false } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port }, () => (keepOpen ? socket.write(text) : socket.end(text)));
    let answer = "";
    socket.setEncoding("utf8").on("data", (chunk) => (answer += chunk)).on("end", () => resolve(answer)).on("error", reject);
  });
}

const lifeguard = () =>
  createHandler({
    token: TOKEN,
    healthy: () => ({ ok: true, summary: "Watching 1 service" }),
    status: () => [],
    overview: () => [],
    channels: () => [],
    history: () => [],
    metrics: async () => "lifeguard_build_info{version=\"0\"} 1\n",
    ping: (service) => (service === "trader" ? { status: "accepted", summary: "ok" } : { status: "unknown-service" }),
    now: Date.now,
  });

test("a repeated header reaches the handler with every value: a second Authorization is not dropped", async (t) => {
  const server = await serve(t, echo);
  const answer = await rawExchange(server.address.port, "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Custom: 42\r\nx-custom: 43\r\nConnection: close\r\n\r\n");
  assert.equal(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)).custom, "42, 43");
  // Two candidates read as none: one request presents one token.
  const pinged = await serve(t, lifeguard());
  const twice = await rawExchange(pinged.address.port, `GET /ping/trader HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer ${TOKEN}\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`);
  assert.match(twice, /^HTTP\/1\.1 401 [^]*without the token/);
});

test("a listen address may come parsed, as the config holds it", async (t) => {
  const server = await serve(t, lifeguard(), { listen: { host: "127.0.0.1", port: 0 } });
  assert.equal(server.address.host, "127.0.0.1");
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
});

test("the handler is served on a loopback port the system picks", async (t) => {
  const server = await serve(t, lifeguard());
  assert.equal(server.address.host, "127.0.0.1");
  assert.ok(server.address.port > 0);
  assert.equal(server.url, `http://127.0.0.1:${server.address.port}`);

  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { ok: true, summary: "Watching 1 service" });
  const metrics = await fetch(`${server.url}/metrics`);
  assert.equal(metrics.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  assert.equal(await metrics.text(), 'lifeguard_build_info{version="0"} 1\n');
  const ping = await fetch(`${server.url}/ping/trader/start`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: "started" });
  assert.equal(ping.status, 200);
  assert.equal((await fetch(`${server.url}/ping/trader`)).status, 401);
});

test("a request reaches the handler whole, its URL on the listen address whatever the Host header says", async (t) => {
  const server = await serve(t, echo);
  const answer = await rawExchange(server.address.port, "POST /ping/x?y=1 HTTP/1.1\r\nHost: evil.example\r\nX-Custom: 42\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
  assert.deepEqual(body, { method: "POST", url: `${server.url}/ping/x?y=1`, host: "evil.example", custom: "42", body: "hello" });
  // A target that starts with "//" stays a path: it does not name another host.
  const odd = await fetch(`${server.url}//evil.example/healthz`);
  assert.equal(((await odd.json()) as { url: string }).url, `${server.url}//evil.example/healthz`);
});

test("a body over the limit is refused with 413, whether announced or streamed", async (t) => {
  const server = await serve(t, echo, { limits: { bodyBytes: 16 } });
  const fits = await fetch(`${server.url}/ping/x`, { method: "POST", body: "x".repeat(16) });
  assert.equal(fits.status, 200);
  assert.equal(((await fits.json()) as { body: string }).body.length, 16);

  const announced = await rawExchange(server.address.port, `POST /ping/x HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n${"x".repeat(17)}`);
  assert.match(announced, /^HTTP\/1\.1 413 /);
  assert.match(announced, /"error":"Cannot read the request: its body is larger than 16 bytes"/);
  const chunked = await rawExchange(server.address.port, `POST /ping/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n${"x".repeat(16)}\r\n1\r\nx\r\n0\r\n\r\n`);
  assert.match(chunked, /^HTTP\/1\.1 413 /);
});

test("a handler that does not answer in time gets a 503, and its request is aborted", async (t) => {
  let seen: AbortSignal | undefined;
  const server = await serve(t, (request) => {
    seen = request.signal;
    return new Promise(() => undefined);
  }, { limits: { answerTimeoutMs: 50 } });
  const answer = await fetch(`${server.url}/api/status`);
  assert.equal(answer.status, 503);
  assert.deepEqual(await answer.json(), { error: "Cannot answer in time: Lifeguard took longer than 50 ms" });
  assert.ok(await waitFor(() => seen?.aborted === true, { timeoutMs: 5000 }));
});

test("a handler that throws is a 500; the log names the route but never a ping path or a query", async (t) => {
  const logger = createMemoryLogger();
  const server = await serve(t, () => Promise.reject(new Error("boom")), { logger });
  const answer = await fetch(`${server.url}/ping/${TOKEN}/trader?token=${TOKEN}`);
  assert.equal(answer.status, 500);
  assert.deepEqual(await answer.json(), { error: "Cannot answer the request: Lifeguard failed; see its log" });
  await fetch(`${server.url}/api/status?token=${TOKEN}`);
  assert.deepEqual(logger.entries.map((entry) => [entry.tag, entry.message]), [
    ["ERROR", "Cannot answer GET /ping/...: boom"],
    ["ERROR", "Cannot answer GET /api/status: boom"],
  ]);
});

test("a request target that is not a path is a 400", async (t) => {
  const server = await serve(t, echo);
  assert.match(await rawExchange(server.address.port, "OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), /^HTTP\/1\.1 400 [^]*its target is not a path/);
  assert.match(await rawExchange(server.address.port, "GET http://evil.example/healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), /^HTTP\/1\.1 400 /);
});

test("TRACE and its kin are refused with 405 before the handler", async (t) => {
  let reached = false;
  const server = await serve(t, (request) => {
    reached = true;
    return echo(request);
  });
  const answer = await rawExchange(server.address.port, "TRACE /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  assert.match(answer, /^HTTP\/1\.1 405 [^]*allow: GET, HEAD, POST[^]*"Cannot TRACE anything: Lifeguard takes GET, HEAD or POST"/i);
  assert.equal(reached, false);
});

test("an idle kept-alive connection is closed by the server after the keep-alive bound", async (t) => {
  const server = await serve(t, lifeguard(), { limits: { keepAliveTimeoutMs: 1000 } });
  // The client keeps its side open: only the server's keep-alive bound ends the exchange.
  const answer = await rawExchange(server.address.port, "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", { keepOpen: true });
  assert.match(answer, /^HTTP\/1\.1 200 /);
  assert.match(answer, /\r\nKeep-Alive: timeout=1, max=1000\r\n/i);
});

test("close stops listening and cuts a request still in flight after the grace", async (t) => {
  let reached = false;
  const server = await serve(t, () => {
    reached = true;
    return new Promise(() => undefined);
  }, { limits: { closeGraceMs: 50, answerTimeoutMs: 60_000 } });
  const inFlight = fetch(`${server.url}/api/status`).then(
    () => "answered",
    () => "cut",
  );
  assert.ok(await waitFor(() => reached, { timeoutMs: 5000 }));
  const closing = server.close();
  assert.equal(server.close(), closing);
  await closing;
  assert.equal(await inFlight, "cut");
  await assert.rejects(fetch(`${server.url}/healthz`));
});

test("aborting the signal closes the server; an aborted signal never starts one", async (t) => {
  const controller = new AbortController();
  const server = await serve(t, lifeguard(), { signal: controller.signal });
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  controller.abort();
  assert.ok(await waitFor(() => fetch(`${server.url}/healthz`).then(() => false, () => true), { timeoutMs: 5000 }));
  await assert.rejects(startHttpServer({ listen: { host: "127.0.0.1", port: 0 }, handler: echo, signal: controller.signal }));
  // Aborted while binding: it rejects and leaves nothing listening.
  const late = new AbortController();
  const starting = startHttpServer({ listen: { host: "127.0.0.1", port: 0 }, handler: echo, signal: late.signal });
  late.abort();
  await assert.rejects(starting, { name: "AbortError" });
});

test("a taken port is a LifeguardError saying why", async (t) => {
  const first = await serve(t, echo);
  await assert.rejects(startHttpServer({ listen: { host: "127.0.0.1", port: first.address.port }, handler: echo }), (error: unknown) => {
    assert.ok(error instanceof LifeguardError);
    assert.equal(error.message, `Cannot listen on "127.0.0.1:${first.address.port}" as the address is in use: another program listens there (EADDRINUSE)`);
    return true;
  });
});

test("the fix of a taken port names the setting the user changes and a port that is free now", async (t) => {
  const first = await serve(t, echo);
  const busy = first.address.port;
  const fixOf = async (listenSetting?: (address: string) => string): Promise<string> => {
    const error = await startHttpServer({ listen: { host: "127.0.0.1", port: busy }, handler: echo, ...(listenSetting === undefined ? {} : { listenSetting }) }).then(() => null, (caught: unknown) => caught);
    assert.ok(error instanceof LifeguardError);
    return error.hint ?? "";
  };
  const fromFile = await fixOf();
  const suggested = Number(/^Give this Lifeguard another address, e\.g\. http\.listen: "127\.0\.0\.1:(\d+)" \(free now\), or port 0 for any free one$/.exec(fromFile)?.[1]);
  assert.ok(suggested > busy, fromFile);
  // Free indeed: a server takes it.
  const taken = await serve(t, echo, { listen: { host: "127.0.0.1", port: suggested } });
  assert.equal(taken.address.port, suggested);
  assert.match(await fixOf((address) => `--listen ${address}`), /^Give this Lifeguard another address, e\.g\. --listen 127\.0\.0\.1:\d+ \(free now\), or port 0 for any free one$/);
});

const hasIpv6Loopback = Object.values(networkInterfaces()).some((addresses) => addresses?.some((address) => address.address === "::1"));

test("an IPv6 loopback address in brackets is served", { skip: hasIpv6Loopback ? false : "this machine has no ::1" }, async (t) => {
  const server = await serve(t, lifeguard(), { listen: { host: "::1", port: 0 } });
  assert.equal(server.url, `http://[::1]:${server.address.port}`);
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  const parsed = await serve(t, lifeguard(), { listen: { host: "::1", port: 0 } });
  assert.equal((await fetch(`${parsed.url}/healthz`)).status, 200);
});

test("at the connection cap a new client is served in place of the one that waited longest; onShed hears of it", async (t) => {
  const shed: string[] = [];
  // A headers timeout far beyond the test: only the eviction may close a silent connection here.
  const server = await serve(t, lifeguard(), { limits: { maxConnections: 2, headersTimeoutMs: 600_000, requestTimeoutMs: 600_000 }, onShed: (what) => void shed.push(what) });
  const silent = [0, 1].map(() => connect({ host: "127.0.0.1", port: server.address.port }).on("error", () => undefined));
  t.after(() => silent.forEach((socket) => socket.destroy()));
  const closed = silent.map((socket) => new Promise((resolve) => socket.once("close", resolve)));
  await Promise.all(silent.map((socket) => new Promise((resolve) => socket.once("connect", resolve))));
  // The client's connection evicts the first silent one; the second survives no other newcomer.
  const answer = await rawExchange(server.address.port, "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  assert.match(answer, /^HTTP\/1\.1 200 /);
  await closed[0];
  assert.deepEqual(shed, ["evicted"]);
  assert.equal(silent[1]?.destroyed, false);
});
