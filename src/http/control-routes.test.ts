// POST /api/services/NAME/ACTION and POST /api/reload: token in the header only, bodies checked,
// answers by outcome. The daemon's side of them is proven end to end in test/control.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequest } from "./exchange.js";
import { createHandler } from "./handler.js";
import type { ControlAnswer, HttpControlAction, PauseOptions } from "./control-routes.js";

const TOKEN = "s3cret-T0ken-for-tests";
const BEARER = { authorization: `Bearer ${TOKEN}` };

function lifeguard(token: string | null = TOKEN, answer: ControlAnswer = { ok: true, summary: "Done" }) {
  const asked: Array<{ service: string; action: HttpControlAction; pause: PauseOptions; by: string } | { reload: string }> = [];
  const handler = createHandler({
    token,
    healthy: () => ({ ok: true, summary: "ok" }),
    status: () => [], overview: () => [], channels: () => [], history: () => [], metrics: async () => "",
    ping: () => ({ status: "unknown-service" }),
    now: () => 0,
    control: {
      control: async (service, action, pause, by) => {
        asked.push({ service, action, pause, by });
        return service === "nobody" ? { ok: false, unknown: true, summary: 'Cannot stop "nobody" as Lifeguard has no such service: "bot"' } : answer;
      },
      reload: async (by) => {
        asked.push({ reload: by });
        return answer;
      },
    },
  });
  const send = async (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
    const answer = await handler(createRequest({ method: init.method ?? "POST", url: new URL(`http://127.0.0.1:9473${path}`), headers: Object.entries(init.headers ?? {}), body: Buffer.from(init.body ?? ""), remote: "127.0.0.1" }));
    return { status: answer.status, body: JSON.parse(answer.body ?? "null") as Record<string, unknown> };
  };
  return { send, asked };
}

test("a request with the token in the Authorization header is carried out, with who asked", async () => {
  const { send, asked } = lifeguard();
  assert.deepEqual(await send("/api/services/bot/restart", { headers: BEARER }), { status: 200, body: { ok: true, summary: "Done" } });
  assert.deepEqual(await send("/api/reload", { headers: BEARER }), { status: 200, body: { ok: true, summary: "Done" } });
  assert.deepEqual(asked, [{ service: "bot", action: "restart", pause: { forMs: null, reason: null }, by: "http (127.0.0.1)" }, { reload: "http (127.0.0.1)" }]);
});

test("without the token, with a wrong one, with one in the URL, or with none set, nothing is done", async () => {
  const { send, asked } = lifeguard();
  assert.equal((await send("/api/services/bot/stop")).status, 401);
  assert.equal((await send("/api/services/bot/stop", { headers: { authorization: "Bearer wrong-token-0123456789" } })).status, 401);
  const inUrl = await send(`/api/services/bot/stop?token=${TOKEN}`);
  assert.deepEqual(inUrl, { status: 401, body: { error: 'Cannot accept a request for /api/services/bot/stop with the token in the URL: send "Authorization: Bearer TOKEN"' } });
  const off = lifeguard(null);
  assert.equal((await off.send("/api/reload", { headers: BEARER })).status, 403);
  assert.deepEqual([...asked, ...off.asked], []);
});

test("only POST, only the known actions; an unknown service is a 404 and a refused action a 409", async () => {
  const { send } = lifeguard(TOKEN, { ok: false, summary: 'Cannot stop "bot": it did not end within 1s of SIGKILL' });
  const get = await send("/api/services/bot/stop", { method: "GET", headers: BEARER });
  assert.equal(get.status, 405);
  assert.equal((await send("/api/services/bot/explode", { headers: BEARER })).status, 404);
  assert.deepEqual(await send("/api/services/nobody/stop", { headers: BEARER }), { status: 404, body: { error: 'Cannot stop "nobody" as Lifeguard has no such service: "bot"' } });
  assert.deepEqual(await send("/api/services/bot/stop", { headers: BEARER }), { status: 409, body: { ok: false, error: 'Cannot stop "bot": it did not end within 1s of SIGKILL' } });
});

test("a pause takes its duration and reason from a JSON body, and a bad body changes nothing", async () => {
  const { send, asked } = lifeguard();
  assert.equal((await send("/api/services/bot/pause", { headers: BEARER, body: '{"for": "90m", "reason": " deploy "}' })).status, 200);
  assert.deepEqual(asked, [{ service: "bot", action: "pause", pause: { forMs: 5_400_000, reason: "deploy" }, by: "http (127.0.0.1)" }]);
  for (const [body, error] of [
    ['{"for": "soon"}', 'Cannot read "for": expected a duration such as "30m" or "2h", got "soon"'],
    ['{"for": "0s"}', 'Cannot read "for": expected a duration such as "30m" or "2h", got "0s"'],
    ['{"until": "1h"}', 'Cannot read the body: unknown field "until" (a pause takes "for" and "reason")'],
    ["[1]", 'Cannot read the body: expected a JSON object such as {"for": "1h"}'],
    ["{oops", 'Cannot read the body: expected JSON such as {"for": "1h", "reason": "deploy"}'],
    ['{"reason": 5}', 'Cannot read "reason": expected a string, got 5'],
  ]) {
    assert.deepEqual(await send("/api/services/bot/pause", { headers: BEARER, body }), { status: 400, body: { error } }, body);
  }
  assert.deepEqual((await send("/api/services/bot/stop", { headers: BEARER, body: '{"for": "1h"}' })).body, { error: 'Cannot read a body for "stop": only pause takes one' });
  assert.equal(asked.length, 1);
});
