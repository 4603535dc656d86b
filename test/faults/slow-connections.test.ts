// Fault: 300 slow clients on loopback (slowloris sockets that send a request one byte at a time,
// and sockets that connect and send nothing), reconnecting whenever the server closes them, for
// longer than the bot's heartbeat max-age. Lifeguard's connection cap must not make it deaf:
// /healthz and pings get real answers all along, and the bot, which pings throughout, is not
// restarted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { get, type IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { waitFor } from "../../src/testing/wait-for.js";
import { daemonConfig, daemonFiles, pingingBotService, startDaemon, statusUrl, trackBot } from "../support/daemon.js";

const TOKEN = "slow-connections-token-0123456789";
const WAIT = { timeoutMs: 20_000, intervalMs: 50 };
const SLOW_CLIENTS = 300;
/** Longer than the heartbeat's max-age (2s) and the server's header timeout. */
const ATTACK_MS = 6_000;
/** A slow client whose socket was closed comes back after this. */
const RECONNECT_MS = 1_000;
const TRICKLE_MS = 100;
/** One probe's bound: far above the 1 s wanted, so that a loaded machine does not flake. */
const PROBE_TIMEOUT_MS = 5_000;

interface Probe {
  status: number | string;
  body: string;
}

/** One GET on a fresh connection (as the bot and curl ping), bounded by PROBE_TIMEOUT_MS; never rejects. */
function probe(url: string, headers: Record<string, string> = {}): Promise<Probe> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, headers, timeout: PROBE_TIMEOUT_MS }, (response: IncomingMessage) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      response.on("error", (error) => resolve({ status: `error ${error.message}`, body }));
    });
    request.on("timeout", () => request.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)));
    request.on("error", (error) => resolve({ status: `error ${error.message}`, body: "" }));
  });
}

/** A slow client: connects, then trickles a request that never ends (or sends nothing), and comes back when closed. */
function slowClient(port: number, trickle: boolean, sockets: Set<Socket>, attack: AbortSignal): void {
  if (attack.aborted) return;
  const request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(10_000);
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  const socket = connect({ host: "127.0.0.1", port });
  sockets.add(socket);
  socket.on("error", () => undefined);
  socket.on("connect", () => {
    if (!trickle) return;
    timer = setInterval(() => {
      if (sent < request.length && socket.writable) socket.write(request[sent++] as string);
    }, TRICKLE_MS);
  });
  socket.on("close", () => {
    clearInterval(timer);
    sockets.delete(socket);
    if (!attack.aborted) setTimeout(() => slowClient(port, trickle, sockets, attack), RECONNECT_MS).unref();
  });
}

test("300 slow connections on loopback: /healthz and pings are answered, the pinging bot is not restarted", async (t) => {
  const files = daemonFiles("lifeguard-slow-connections-");
  const pidFile = join(files.dir, "bot.pid");
  const output = join(files.dir, "bot.out.log");
  const bot = trackBot(pidFile);
  const botPings = () => (existsSync(output) ? readFileSync(output, "utf8") : "").split("\n").filter((line) => line.startsWith("heartbeat-bot: ping"));
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    http: { listen: "127.0.0.1:0", token: TOKEN },
    services: {
      bot: pingingBotService(pidFile, output),
    },
  }), [bot]);
  const attack = new AbortController();
  const sockets = new Set<Socket>();
  t.after(() => {
    attack.abort();
    for (const socket of sockets) socket.destroy();
  });

  assert.ok(await waitFor(() => statusUrl(lifeguard.log()) !== undefined, WAIT), lifeguard.log());
  const url = statusUrl(lifeguard.log()) as string;
  const port = Number(new URL(url).port);
  const auth = { authorization: `Bearer ${TOKEN}` };
  const botIsPinging = async () => {
    const answer = await probe(`${url}/api/status`, auth);
    const service = (JSON.parse(answer.body || "{}") as { services?: Array<{ health: { kind: string }; lastPing: { at: number } | null }> }).services?.[0];
    return service?.health.kind === "healthy" && service.lastPing !== null && Date.now() - service.lastPing.at < 1_000;
  };
  assert.ok(await waitFor(botIsPinging, WAIT), lifeguard.log());
  const botPid = bot.current();

  const pingsBefore = botPings().length;
  for (let index = 0; index < SLOW_CLIENTS; index += 1) slowClient(port, index % 2 === 0, sockets, attack.signal);
  assert.ok(await waitFor(() => sockets.size >= SLOW_CLIENTS / 2, WAIT), `only ${sockets.size} slow sockets open`);

  const healthz: Probe[] = [];
  const pings: Probe[] = [];
  for (const end = Date.now() + ATTACK_MS; Date.now() < end; await delay(200)) {
    const [health, ping] = await Promise.all([probe(`${url}/healthz`), probe(`${url}/ping/bot`, auth)]);
    healthz.push(health);
    pings.push(ping);
  }
  attack.abort();
  for (const socket of sockets) socket.destroy();
  const botPingsDuringAttack = botPings().slice(pingsBefore);

  for (const health of healthz) assert.deepEqual([health.status, health.body], [200, '{"ok":true,"summary":"Watching 1 service(s)"}\n']);
  for (const ping of pings) {
    assert.equal(ping.status, 200, ping.body);
    assert.equal((JSON.parse(ping.body) as { ok: boolean }).ok, true);
  }
  // The bot's own pings (its ping key, a fresh connection each) were answered too.
  assert.ok(botPingsDuringAttack.length > 0, "the bot pinged during the attack");
  assert.deepEqual(botPingsDuringAttack.filter((line) => line !== "heartbeat-bot: ping 200"), []);
  // Pinged since the attack ended, and never restarted: no ping was held against it.
  assert.ok(await waitFor(botIsPinging, WAIT), lifeguard.log());
  assert.equal(lifeguard.count(/\[RESTART\]/), 0, lifeguard.log());
  assert.equal(bot.current(), botPid);
  assert.ok(await waitFor(() => sockets.size === 0, WAIT), `${sockets.size} slow sockets still open`);
  // The slots were full all along: the server shed slow connections, and said so.
  assert.match(lifeguard.log(), /\[WARN\] Shed \d+ HTTP connection\(s\) to make room for new ones \(at most 64 open\): a ping lost meanwhile is not held against its service/);
});
