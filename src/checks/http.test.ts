import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { rm } from "node:fs/promises";
import type { HttpCheckConfig } from "../config/types.js";
import { systemClock } from "../process/system-clock.js";
import { closedPort } from "../testing/http-receiver.js";
import { startLoopbackServer, type LoopbackServer } from "../testing/loopback-server.js";
import { makeCertificate } from "../testing/self-signed.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { waitFor } from "../testing/wait-for.js";
import { createCheck } from "./registry.js";

const TOKEN = "s3cret-token-0123456789";
const servers: Array<{ close(): unknown }> = [];
let web = "";
let seenAuthorization: Array<string | undefined> = [];

/** The test's web server: each path a behaviour. */
before(async () => {
  const server = createServer((request, response) => {
    seenAuthorization.push(request.headers.authorization);
    const path = request.url ?? "/";
    if (path === "/health") response.end("status: ok\n");
    else if (path === "/down") response.writeHead(503).end("maintenance: database unreachable\n");
    else if (path === "/echo") response.writeHead(500).end(`you sent: ${JSON.stringify(request.headers)}\n`);
    else if (path === "/echo-token") response.writeHead(401).end(`token ${(request.headers.authorization ?? "").split(" ")[1] ?? ""} is not valid\n`);
    else if (path === "/late-match") response.end(`${"x".repeat(100 * 1024)}ok`);
    else if (path === "/moved") response.writeHead(302, { location: "/health" }).end();
    else if (path === "/loop") response.writeHead(302, { location: "/loop" }).end();
    else if (path.startsWith("/elsewhere?")) response.writeHead(307, { location: decodeURIComponent(path.slice("/elsewhere?to=".length)) }).end();
    else response.writeHead(404).end("not found\n");
  });
  web = await listen(server);
});
after(async () => {
  for (const server of servers) await server.close();
});

async function listen(server: Server): Promise<string> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  servers.push({
    close: () => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    }),
  });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function lab(onConnection: Parameters<typeof startLoopbackServer>[0]): Promise<LoopbackServer> {
  const server = await startLoopbackServer(onConnection);
  servers.push(server);
  return server;
}

function observe(url: string, options: Partial<HttpCheckConfig> = {}) {
  const config: HttpCheckConfig = {
    kind: "http", id: "http", timeoutMs: 2000, alertOnly: false, url, method: "GET", status: [{ from: 200, to: 399 }], body: null, headers: {}, followRedirects: false, caFile: null, ca: null, ...options,
  };
  return createCheck(config, { clock: systemClock, runner: unusedRunner, serviceName: "api", heartbeats: unusedHeartbeats }).run(new AbortController().signal);
}

test("http passes for a 200 and says what answered in how long", async () => {
  const observation = await observe(`http://${web}/health`);
  assert.equal(observation.ok, true);
  assert.match(observation.summary, new RegExp(`^GET http://${web}/health answered 200 in \\d+ms$`));
  assert.equal(observation.evidence.status, 200);
  assert.equal(typeof observation.evidence.responseMs, "number");
});

test("http fails for a status outside the expected ones, with the status and the body's first bytes", async () => {
  const observation = await observe(`http://${web}/down`);
  assert.equal(observation.ok, false);
  assert.match(observation.summary, new RegExp(`^GET http://${web}/down answered 503 in \\d+ms \\(expected 200-399\\)$`));
  assert.equal(observation.evidence.status, 503);
  assert.equal(observation.evidence.expected, "200-399");
  assert.equal(observation.evidence.bodyStart, "maintenance: database unreachable\n");
  assert.equal(observation.cause, "maintenance: database unreachable", "the error page's first line, for the alert");
});

test("http passes for a status in any of the listed ranges", async () => {
  const observation = await observe(`http://${web}/down`, { status: [{ from: 200, to: 200 }, { from: 500, to: 503 }] });
  assert.equal(observation.ok, true);
});

test("http fails for a closed port with the reason in words and its code", async () => {
  const url = `http://127.0.0.1:${await closedPort()}/health`;
  const observation = await observe(url);
  assert.equal(observation.ok, false);
  assert.match(observation.summary, new RegExp(`^GET ${url} failed after \\d+ms: the connection was refused \\(ECONNREFUSED\\)$`));
  assert.equal(observation.evidence.error, "ECONNREFUSED");
  assert.equal(observation.timedOut, false);
});

test("http times out on a server that accepts and never answers, and lets go of the connection", async () => {
  const hang = await lab((socket) => socket.resume()); // reads the request, never answers
  const url = `http://127.0.0.1:${hang.port}/health`;
  const observation = await observe(url, { timeoutMs: 300 });
  assert.equal(observation.ok, false);
  assert.equal(observation.timedOut, true);
  assert.equal(observation.summary, `GET ${url} connected but got no answer within 300ms`);
  assert.deepEqual(observation.evidence, { method: "GET", url, stage: "connected", timeoutMs: 300 });
  assert.equal(hang.accepted, 1);
  assert.ok(await waitFor(() => hang.open() === 0, { timeoutMs: 5000 }), "the check's socket is closed after its timeout");
});

test("http times out on a body that never ends, saying it was answered", async () => {
  const trickle = await lab((socket) => socket.once("data", () => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nstart")));
  const url = `http://127.0.0.1:${trickle.port}/`;
  const observation = await observe(url, { timeoutMs: 300, body: "never" });
  assert.equal(observation.summary, `GET ${url} answered, but its body did not end within 300ms`);
  assert.ok(await waitFor(() => trickle.open() === 0, { timeoutMs: 5000 }));
});

test("http fails for an answer that is not HTTP", async () => {
  const garbage = await lab((socket) => socket.once("data", () => socket.end("SSH-2.0-OpenSSH_9.2\r\n")));
  const observation = await observe(`http://127.0.0.1:${garbage.port}/`);
  assert.equal(observation.ok, false);
  assert.match(observation.summary, /failed after \d+ms: the answer is not (valid )?HTTP \(HPE_[A-Z_]+\)$/);
  assert.match(String(observation.evidence.error), /^HPE_/);
});

test("http fails for a body that does not match, showing its first bytes", async () => {
  const observation = await observe(`http://${web}/health`, { body: "status: (up|green)" });
  assert.equal(observation.ok, false);
  assert.match(observation.summary, /answered 200 in \d+ms, but its body does not match "status: \(up\|green\)"$/);
  assert.equal(observation.evidence.bodyStart, "status: ok\n");
  assert.equal((await observe(`http://${web}/health`, { body: "status: ok" })).ok, true);
});

test("http matches the body's first 64 KiB only, and shows at most 512 bytes of it", async () => {
  const observation = await observe(`http://${web}/late-match`, { body: "ok" });
  assert.equal(observation.ok, false, "the match lies past the first 64 KiB");
  assert.equal(observation.evidence.bodyStart, "x".repeat(512));
});

test("http stops reading an endless body at the cap: memory stays bounded and the check does not wait for its end", async () => {
  let written = 0;
  const endless = await lab((socket) => socket.once("data", () => {
    socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");
    const chunk = Buffer.alloc(64 * 1024, "y");
    const pump = (): void => {
      while (!socket.destroyed && socket.write(chunk)) written += chunk.length;
      if (!socket.destroyed) socket.once("drain", pump);
    };
    pump();
  }));
  const observation = await observe(`http://127.0.0.1:${endless.port}/`, { body: "^y+$", timeoutMs: 10_000 });
  assert.equal(observation.ok, true, observation.summary);
  assert.equal(observation.timedOut, false);
  assert.ok(await waitFor(() => endless.open() === 0, { timeoutMs: 5000 }), "the connection is dropped at the cap");
  assert.ok(written < 64 * 1024 * 1024, `the server wrote ${written} bytes before the client let go`);
});

test("http never shows a header's value, even when the server echoes it", async () => {
  const observation = await observe(`http://${web}/echo`, { headers: { Authorization: `Bearer ${TOKEN}`, "X-Api-Key": TOKEN } });
  assert.equal(observation.ok, false);
  const shown = JSON.stringify(observation);
  assert.ok(!shown.includes(TOKEN), shown);
  assert.match(String(observation.evidence.bodyStart), /\[secret\]/);
  const credentials = await observe(`http://${web}/echo-token`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(credentials.evidence.bodyStart, "token [secret] is not valid\n", "the credentials of an Authorization value are hidden alone too");
});

test("http takes a redirect as the answer unless asked to follow it", async () => {
  const answer = await observe(`http://${web}/moved`, { status: [{ from: 200, to: 200 }] });
  assert.match(answer.summary, /answered 302 in \d+ms \(expected 200\)$/);
  const followed = await observe(`http://${web}/moved`, { status: [{ from: 200, to: 200 }], followRedirects: true });
  assert.equal(followed.ok, true);
  assert.match(followed.summary, /answered 200 in \d+ms after 1 redirect$/);
  assert.equal(followed.evidence.redirectedTo, `http://${web}/health`);
  const loop = await observe(`http://${web}/loop`, { followRedirects: true });
  assert.equal(loop.summary, `GET http://${web}/loop was redirected more than 5 times (last to http://${web}/loop)`);
});

test("http sends its headers to the URL's origin only, not to another one a redirect names", async () => {
  const other = `http://localhost:${web.split(":")[1]}/health`;
  seenAuthorization = [];
  const observation = await observe(`http://${web}/elsewhere?to=${encodeURIComponent(other)}`, { followRedirects: true, headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(observation.ok, true, observation.summary);
  assert.deepEqual(seenAuthorization, [`Bearer ${TOKEN}`, undefined]);
});

test("http HEAD asks for the head only", async () => {
  const observation = await observe(`http://${web}/health`, { method: "HEAD", body: null });
  assert.match(observation.summary, new RegExp(`^HEAD http://${web}/health answered 200`));
});

test("http names a TLS failure in words", async () => {
  const certificate = await makeCertificate();
  try {
    const server = createTlsServer({ key: certificate.key, cert: certificate.cert }, (_request, response) => response.end("ok"));
    const origin = await listen(server as unknown as Server);
    const observation = await observe(`https://${origin}/`);
    assert.equal(observation.ok, false);
    assert.match(observation.summary, /failed after \d+ms: its TLS certificate is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/);
    const plain = await observe(`https://${web}/health`);
    assert.match(plain.summary, /the TLS handshake failed \((EPROTO|ERR_SSL_[A-Z_]+)\)$/);
  } finally {
    await rm(certificate.dir, { recursive: true, force: true });
  }
});
