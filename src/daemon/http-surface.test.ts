import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryLogger } from "../core/logger.js";
import { derivePingKey } from "../http/token.js";
import { openStore } from "../store/index.js";
import { buildConfig } from "../testing/build-config.js";
import { startDaemonHttp } from "./http-surface.js";
import type { Scheduler, ServiceLoop } from "../engine/scheduler.js";

const TOKEN = "s3cret-T0ken-for-tests";
const NOW = Date.UTC(2024, 10, 30, 21, 0, 0);

/** The daemon's HTTP surface over a real store and socket, with a scheduler whose loops count their wakes. */
async function surface(t: { after(fn: () => void | Promise<void>): void }) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-surface-"));
  const config = buildConfig({
    state: join(dir, "state"),
    http: { listen: "127.0.0.1:0", token: TOKEN },
    services: {
      bot: { command: ["python3", "bot.py"], checks: [{ heartbeat: { "max-age": "2m" } }] },
      plain: { command: ["python3", "plain.py"] },
      toucher: { command: ["python3", "toucher.py"], checks: [{ heartbeat: { "max-age": "2m", file: "/run/toucher/alive" } }] },
    },
  });
  let now = NOW;
  const store = openStore(config.state, { retention: config.retention, now: () => now });
  store.recordPing("bot", { kind: "success" }, NOW - 3_600_000);
  const controller = new AbortController();
  const http = await startDaemonHttp(config, { store, logger: createMemoryLogger(), now: () => now, signal: controller.signal });
  t.after(async () => {
    await http.server.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const wakes = new Map<string, number>();
  const loops = config.services.map((service): ServiceLoop => ({
    service: service.name, lastProgressAt: 0, rounds: 0, lastReport: null,
    wake: () => void wakes.set(service.name, (wakes.get(service.name) ?? 0) + 1),
    holding: () => false,
    record: () => undefined,
  }));
  const scheduler: Scheduler = { loops, done: Promise.resolve(), stop: () => undefined, isProgressing: () => true };
  const ping = async (path: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => {
    const response = await fetch(`${http.server.url}${path}`, { headers });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  return { http, store, scheduler, wakes, ping, advance: (ms: number) => void (now += ms) };
}

test("starting the surface starts each ping heartbeat's watch over: pings were lost while no one listened", async (t) => {
  const { store } = await surface(t);
  assert.deepEqual(store.readHeartbeat("bot"), { watchedSince: NOW, lastPing: { at: NOW - 3_600_000, signal: { kind: "success" } } });
  assert.equal(store.readHeartbeat("plain"), null);
  assert.equal(store.readHeartbeat("toucher"), null, "a file heartbeat takes no pings");
});

test("a ping of a service with a heartbeat by ping is recorded and answered 200", async (t) => {
  const { http, scheduler, store, ping, advance, wakes } = await surface(t);
  http.attach(scheduler);
  advance(5000);
  const answer = await ping("/ping/bot/start");
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.json, { ok: true, service: "bot", signal: { kind: "start" }, summary: 'Recorded the start ping of "bot"' });
  assert.deepEqual(store.readHeartbeat("bot")?.lastPing, { at: NOW + 5000, signal: { kind: "start" } });
  assert.equal((await ping("/ping/bot/0")).status, 200);
  assert.deepEqual(wakes, new Map(), "a sign of life wakes no loop");
});

test("a failure ping wakes that service's loop, so it is judged at once", async (t) => {
  const { http, scheduler, store, ping, wakes } = await surface(t);
  http.attach(scheduler);
  const failed = await ping("/ping/bot/fail");
  assert.equal(failed.status, 200);
  assert.equal(failed.json.summary, 'Recorded the fail ping of "bot"; its checks run now');
  const exited = await ping("/ping/bot/3");
  assert.equal(exited.json.summary, 'Recorded the exit code 3 ping of "bot"; its checks run now');
  assert.deepEqual(store.readHeartbeat("bot")?.lastPing?.signal, { kind: "exit", exitCode: 3 });
  assert.deepEqual(wakes, new Map([["bot", 2]]));
});

test("a ping before the scheduler runs is recorded without waking a loop", async (t) => {
  const { store, ping } = await surface(t);
  assert.equal((await ping("/ping/bot/fail")).status, 200);
  assert.deepEqual(store.readHeartbeat("bot")?.lastPing?.signal, { kind: "fail" });
});

test("a service without a heartbeat by ping answers 409; an unknown one 404; no token 401", async (t) => {
  const { http, scheduler, store, ping } = await surface(t);
  http.attach(scheduler);
  for (const service of ["plain", "toucher"]) {
    const refused = await ping(`/ping/${service}`);
    assert.equal(refused.status, 409, service);
    assert.deepEqual(refused.json, { error: `Cannot accept a ping for "${service}" as it has no heartbeat check by ping (a "heartbeat" check without "file")` });
    assert.equal(store.readHeartbeat(service), null, service);
  }
  assert.equal((await ping("/ping/nope")).status, 404);
  assert.equal((await ping("/ping/bot", {})).status, 401);
});

test("the service's ping key, as in LIFEGUARD_PING_URL, is accepted for its own pings only", async (t) => {
  const { ping } = await surface(t);
  assert.equal((await ping(`/ping/${derivePingKey(TOKEN, "bot")}/bot`, {})).status, 200);
  assert.equal((await ping(`/ping/${derivePingKey(TOKEN, "plain")}/bot`, {})).status, 401);
});

test("/api/status shows the last ping of a service with a heartbeat by ping, to the token", async (t) => {
  const { http, scheduler, ping, advance } = await surface(t);
  http.attach(scheduler);
  advance(1000);
  await ping("/ping/bot/fail");
  const status = (await (await fetch(`${http.server.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { services: Array<Record<string, unknown>> };
  assert.deepEqual(status.services.map((service) => [service.service, service.lastPing]), [
    ["bot", { at: NOW + 1000, signal: { kind: "fail" } }],
    ["plain", undefined],
    ["toucher", undefined],
  ]);
});

test("/api/status without the token names each service and its health, nothing more", async (t) => {
  const { http, scheduler, ping } = await surface(t);
  http.attach(scheduler);
  await ping("/ping/bot/fail");
  const status = (await (await fetch(`${http.server.url}/api/status`)).json()) as { services: unknown[]; channels?: unknown };
  // No daemon claimed them in this store: the overview says they are not watched, health as last known.
  assert.deepEqual(status.services, ["bot", "plain", "toucher"].map((service) => ({ service, watched: false, health: { kind: "healthy" }, restartsInWindow: 0 })));
  assert.equal(status.channels, undefined);
});

test("/healthz says Lifeguard is starting until the scheduler is attached", async (t) => {
  const { http, scheduler } = await surface(t);
  const starting = await fetch(`${http.server.url}/healthz`);
  assert.equal(starting.status, 503);
  assert.deepEqual(await starting.json(), { ok: false, summary: "Lifeguard is starting its services" });
  http.attach(scheduler);
  assert.equal((await fetch(`${http.server.url}/healthz`)).status, 200);
});

test("the status page at / shows each service on loopback without the token, and signs in with it", async (t) => {
  const { http, scheduler } = await surface(t);
  http.attach(scheduler);
  const page = await fetch(`${http.server.url}/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
  const text = await page.text();
  assert.deepEqual([...text.matchAll(/<h2>([^<]+)<\/h2>/g)].map((match) => match[1]), ["bot", "plain", "toucher"]);
  const signIn = await fetch(`${http.server.url}/sign-in`, { method: "POST", body: new URLSearchParams({ token: TOKEN }), redirect: "manual" });
  assert.equal(signIn.status, 303);
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
  assert.match(await (await fetch(`${http.server.url}/`, { headers: { cookie } })).text(), /<dt>Target<\/dt><dd>python3 bot\.py<\/dd>/);
});
