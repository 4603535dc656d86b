import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setImmediate as turn, setTimeout as delay } from "node:timers/promises";
import type { DeadmanConfig } from "../config/types.js";
import type { Clock } from "../core/clock.js";
import { createMemoryLogger } from "../core/logger.js";
import { systemClock } from "../process/system-clock.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { waitFor } from "../testing/wait-for.js";
import { startDeadman } from "./deadman.js";
import { sendRequest } from "../process/http-request.js";
import { closedPort } from "../testing/http-receiver.js";
import type { SendRequest } from "./deadman-request.js";
import type { Health } from "./lifeguard-health.js";

const MINUTE = 60_000;
/** The part of the URL that is the monitor's key: it must never be logged. */
const SECRET_PATH = "/ping/s3cret-key";
const SECRET_QUERY = "?token=t0p-s3cret";
const WAIT = { timeoutMs: 10_000, intervalMs: 5 };

/** `promise`, or a failure once `ms` of real time pass: every wait in these tests is bounded. */
async function within<T>(promise: Promise<T>, what: string, ms = WAIT.timeoutMs): Promise<T> {
  const bound = new AbortController();
  try {
    return await Promise.race([promise, delay(ms, undefined, { signal: bound.signal }).then(() => assert.fail(`${what} within ${ms}ms`))]);
  } finally {
    bound.abort();
  }
}

/** A loopback HTTP server that records every request and answers with `respond` (which may never answer). */
async function startMonitor(t: TestContext, respond: (response: ServerResponse, request: IncomingMessage) => void = (response) => response.end("OK"), port = 0) {
  const requests: Array<{ method: string; url: string }> = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? "", url: request.url ?? "" });
    respond(response, request);
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  t.after(close);
  const { port: bound } = server.address() as AddressInfo;
  return { requests, port: bound, origin: `http://127.0.0.1:${bound}`, url: `http://127.0.0.1:${bound}${SECRET_PATH}${SECRET_QUERY}`, close };
}

/** The switch on `clock`, with a health the test flips, counting its rounds; stopped when the test ends. */
function startSwitch(t: TestContext, url: string, options: Partial<DeadmanConfig> & { clock?: Clock; send?: SendRequest } = {}) {
  const fake = createFakeClock();
  const { clock = fake, send, ...settings } = options;
  const logger = createMemoryLogger();
  const controller = new AbortController();
  const health = { ok: true, summary: "a service's loop has made no progress within its interval and the longest round" };
  let rounds = 0;
  const deadman = startDeadman(
    { url, intervalMs: MINUTE, timeoutMs: 10_000, method: "GET", ...settings },
    {
      clock, logger, signal: controller.signal,
      health: (): Health => (health.ok ? { ok: true } : { ok: false, summary: health.summary }),
      onRound: () => void (rounds += 1),
      ...(send === undefined ? {} : { send }),
    },
  );
  t.after(() => deadman.stop());
  const lines = () => logger.entries.map((entry) => `[${entry.tag}] ${entry.message}`);
  /** Waits until `count` rounds are over: the loop then sleeps until its next one. */
  const roundsDone = async (count: number) => assert.ok(await waitFor(() => rounds >= count, WAIT), `round ${count} ended (${rounds} so far): ${lines().join("\n")}`);
  return { fake, logger, controller, deadman, health, lines, roundsDone, rounds: () => rounds };
}

/** Nothing of the URL but its origin in any log entry, data included. */
function assertNoSecret(entries: unknown): void {
  const text = JSON.stringify(entries);
  for (const part of ["s3cret", "t0p", "/ping", "token="]) assert.ok(!text.includes(part), `the log shows "${part}": ${text}`);
}

test("the switch requests the URL at once, then every interval, and logs only the first answer", async (t) => {
  const monitor = await startMonitor(t);
  const { fake, lines, roundsDone } = startSwitch(t, monitor.url);
  await roundsDone(1);
  assert.deepEqual(monitor.requests, [{ method: "GET", url: SECRET_PATH + SECRET_QUERY }]);

  await fake.advance(MINUTE - 1);
  await turn();
  assert.equal(monitor.requests.length, 1, "nothing before the interval is over");
  await fake.advance(1);
  await roundsDone(2);
  await fake.advance(MINUTE);
  await roundsDone(3);
  assert.equal(monitor.requests.length, 3);
  assert.deepEqual(lines(), [`[INFO] Dead-man's switch reaches "${monitor.origin}": one request every 1m while Lifeguard is healthy`]);
});

test("the switch can POST", async (t) => {
  const monitor = await startMonitor(t);
  const { roundsDone } = startSwitch(t, monitor.url, { method: "POST" });
  await roundsDone(1);
  assert.deepEqual(monitor.requests, [{ method: "POST", url: SECRET_PATH + SECRET_QUERY }]);
});

test("nothing is sent while Lifeguard is unhealthy, which is logged once; requests resume with it", async (t) => {
  const monitor = await startMonitor(t);
  const { fake, health, lines, roundsDone } = startSwitch(t, monitor.url);
  await roundsDone(1);
  health.ok = false;
  for (const round of [2, 3, 4]) {
    await fake.advance(MINUTE);
    await roundsDone(round);
  }
  assert.equal(monitor.requests.length, 1, "no request while unhealthy");
  health.ok = true;
  await fake.advance(MINUTE);
  await roundsDone(5);
  assert.equal(monitor.requests.length, 2);
  assert.deepEqual(lines(), [
    `[INFO] Dead-man's switch reaches "${monitor.origin}": one request every 1m while Lifeguard is healthy`,
    `[WARN] Dead-man's switch paused as Lifeguard is unhealthy: a service's loop has made no progress within its interval and the longest round; "${monitor.origin}" hears nothing until it recovers`,
    "[INFO] Dead-man's switch resumed: Lifeguard is healthy again",
  ]);
});

test("a monitor that never answers is given up on after the timeout, and the next request still goes at its time", async (t) => {
  const monitor = await startMonitor(t, () => undefined);
  const { fake, lines, roundsDone, rounds } = startSwitch(t, monitor.url, { timeoutMs: 10_000 });
  assert.ok(await waitFor(() => monitor.requests.length === 1, WAIT));
  await fake.advance(10_000 - 1);
  await turn();
  assert.equal(rounds(), 0, "still waiting within the timeout");
  await fake.advance(1);
  await roundsDone(1);
  await fake.advance(MINUTE - 10_000);
  assert.ok(await waitFor(() => monitor.requests.length === 2, WAIT), "the next request goes one interval after the first started");
  await fake.advance(10_000);
  await roundsDone(2);
  assert.deepEqual(lines(), [`[ERROR] Cannot reach the dead-man's switch at "${monitor.origin}" as it did not answer within 10s; trying again every 1m, logged again once it works`]);
});

test("requests never overlap: a slow answer delays the next request, and there is no catching up", async (t) => {
  const held: ServerResponse[] = [];
  const monitor = await startMonitor(t, (response) => void held.push(response));
  const { fake, roundsDone } = startSwitch(t, monitor.url, { intervalMs: 5000, timeoutMs: 30_000 });
  assert.ok(await waitFor(() => held.length === 1, WAIT));
  await fake.advance(12_000); // two intervals and more
  await turn();
  assert.equal(monitor.requests.length, 1, "no second request while the first is unanswered");
  held[0]?.end("OK");
  await roundsDone(1);
  assert.ok(await waitFor(() => held.length === 2, WAIT), "the next request goes at once, being overdue");
  held[1]?.end("OK");
  await roundsDone(2);
  assert.equal(monitor.requests.length, 2, "one overdue request, not one per missed interval");
});

test("a refused connection is logged once, not every interval, and so is the recovery", async (t) => {
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}${SECRET_PATH}${SECRET_QUERY}`;
  const { fake, logger, lines, roundsDone } = startSwitch(t, url);
  for (const round of [1, 2, 3]) {
    if (round > 1) await fake.advance(MINUTE);
    await roundsDone(round);
  }
  const monitor = await startMonitor(t, undefined, port);
  await fake.advance(MINUTE);
  await roundsDone(4);
  await fake.advance(MINUTE);
  await roundsDone(5);
  assert.equal(monitor.requests.length, 2);
  const origin = `http://127.0.0.1:${port}`;
  assert.deepEqual(lines(), [
    `[ERROR] Cannot reach the dead-man's switch at "${origin}" as the connection was refused (ECONNREFUSED); trying again every 1m, logged again once it works`,
    `[INFO] Dead-man's switch reaches "${origin}" again`,
  ]);
  assertNoSecret(logger.entries);
});

test("a redirect is not followed: the switch fails and says to set the URL to where it leads", async (t) => {
  const monitor = await startMonitor(t, (response) => {
    response.writeHead(301, { location: "https://elsewhere.example/ping" });
    response.end();
  });
  const { lines, roundsDone } = startSwitch(t, monitor.url);
  await roundsDone(1);
  assert.deepEqual(lines(), [
    `[ERROR] Cannot reach the dead-man's switch at "${monitor.origin}" as it answered 301 Moved Permanently (a redirect is not followed: set \`url\` to where it leads); trying again every 1m, logged again once it works`,
  ]);
  assert.equal(monitor.requests.length, 1);
});

test("no log line shows more of the URL than its origin: answers, failures, pauses and the request's own messages", async (t) => {
  let status = 503;
  const monitor = await startMonitor(t, (response) => {
    response.statusCode = status;
    response.end();
  });
  let quoting = false;
  // A library's error may quote the whole URL (undici's did: "Request cannot be constructed from a URL that includes credentials: ...").
  const send: SendRequest = (url, request) => (quoting ? Promise.reject(new TypeError(`Cannot fetch ${url}: the path ${SECRET_PATH} is odd`)) : sendRequest(url, request));
  const { fake, logger, health, lines, roundsDone } = startSwitch(t, monitor.url, { send });
  let round = 1;
  const next = async (change: () => void) => {
    change();
    await fake.advance(MINUTE);
    await roundsDone((round += 1));
  };
  await roundsDone(1);
  await next(() => (status = 200));
  await next(() => (health.ok = false));
  await next(() => (health.ok = true));
  await next(() => (quoting = true));
  assert.deepEqual(lines(), [
    `[ERROR] Cannot reach the dead-man's switch at "${monitor.origin}" as it answered 503 Service Unavailable; trying again every 1m, logged again once it works`,
    `[INFO] Dead-man's switch reaches "${monitor.origin}" again`,
    `[WARN] Dead-man's switch paused as Lifeguard is unhealthy: a service's loop has made no progress within its interval and the longest round; "${monitor.origin}" hears nothing until it recovers`,
    "[INFO] Dead-man's switch resumed: Lifeguard is healthy again",
    `[ERROR] Cannot reach the dead-man's switch at "${monitor.origin}" as Cannot fetch ${monitor.origin}: the path (hidden) is odd; trying again every 1m, logged again once it works`,
  ]);
  assertNoSecret(logger.entries);
});

test("aborting the daemon's signal ends the switch at once, a request in flight included, and leaves no timer", async (t) => {
  const monitor = await startMonitor(t, () => undefined);
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
  const before = timers();
  const { controller, deadman, lines } = startSwitch(t, monitor.url, { clock: systemClock, timeoutMs: 10 * MINUTE });
  assert.ok(await waitFor(() => monitor.requests.length === 1, WAIT));
  assert.equal(timers(), before + 1, "the request's deadline");
  controller.abort();
  await within(deadman.done, "the switch ends");
  assert.equal(timers(), before);
  assert.deepEqual(lines(), [], "a request cut short by shutdown is no failure");
});

test("stop() ends a sleeping switch and leaves no timer", async (t) => {
  const monitor = await startMonitor(t);
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
  const before = timers();
  const { deadman, roundsDone } = startSwitch(t, monitor.url, { clock: systemClock, intervalMs: 10 * MINUTE });
  await roundsDone(1);
  assert.equal(timers(), before + 1, "the sleep until the next round");
  await within(deadman.stop(), "the switch stops");
  assert.equal(timers(), before);
  assert.equal(monitor.requests.length, 1);
});

test("a switch that is off does nothing", async () => {
  const logger = createMemoryLogger();
  const deadman = startDeadman(null, { clock: createFakeClock(), logger, signal: new AbortController().signal, health: () => ({ ok: true }) });
  await deadman.stop();
  assert.deepEqual(logger.entries, []);
});
