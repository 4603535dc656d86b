import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { closedPort } from "../testing/http-receiver.js";
import { makeCertificate } from "../testing/self-signed.js";
import { waitFor } from "../testing/wait-for.js";
import { describeNetworkError } from "./http-post.js";
import { sendRequest, type OutboundRequest } from "./http-request.js";

const OPENSSL = "/usr/bin/openssl";
const GET = (signal = new AbortController().signal): OutboundRequest => ({ method: "GET", headers: {}, signal, maxBodyBytes: 1024 });

/** A loopback server for one test; open connections are cut when it ends. */
async function serve(t: TestContext, listener: RequestListener, server: Server = createServer(), protocol = "http"): Promise<{ url: string; connections: () => number }> {
  server.on("request", listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  const { port } = server.address() as AddressInfo;
  let open = 0;
  server.on("connection", (socket) => {
    open += 1;
    socket.once("close", () => (open -= 1));
  });
  return { url: `${protocol}://127.0.0.1:${port}`, connections: () => open };
}

test("an answer comes back with its status, headers (lower-case names) and body; the request carries method, headers and body", async (t) => {
  let seen: { method?: string; agent?: string; body: string } = { body: "" };
  const { url } = await serve(t, (request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => {
      seen = { method: request.method, agent: request.headers["x-agent"] as string, body };
      response.writeHead(201, "Made", { "Retry-After": "7", "X-Two": ["a", "b"] }).end("done");
    });
  });
  const answer = await sendRequest(`${url}/hook`, { method: "POST", headers: { "x-agent": "test" }, body: "{\"a\":1}", signal: new AbortController().signal, maxBodyBytes: 1024 });
  assert.deepEqual({ status: answer.status, statusText: answer.statusText, body: answer.body }, { status: 201, statusText: "Made", body: "done" });
  assert.equal(answer.headers["retry-after"], "7");
  assert.equal(answer.headers["x-two"], "a, b");
  assert.deepEqual(seen, { method: "POST", agent: "test", body: "{\"a\":1}" });
});

test("a redirect is not followed: the 3xx is the answer", async (t) => {
  let requests = 0;
  const { url } = await serve(t, (_request, response) => {
    requests += 1;
    response.writeHead(302, { location: "/elsewhere" }).end();
  });
  const answer = await sendRequest(`${url}/hook`, GET());
  assert.equal(answer.status, 302);
  assert.equal(answer.headers.location, "/elsewhere");
  assert.equal(requests, 1);
});

test("a body past the cap is cut there and its connection dropped, not read to its end", async (t) => {
  const { url, connections } = await serve(t, (_request, response) => {
    response.writeHead(200);
    // Endless: only the cap can end the read.
    const write = (): void => void (response.write("x".repeat(4096)) ? setImmediate(write) : response.once("drain", write));
    write();
  });
  const answer = await sendRequest(url, GET());
  assert.equal(answer.status, 200);
  assert.equal(answer.body, "x".repeat(1024));
  assert.ok(await waitFor(() => connections() === 0, { timeoutMs: 5000, intervalMs: 10 }), "the connection was closed");
});

test("an abort ends the request while it waits for the answer, and while the body never ends", async (t) => {
  const { url, connections } = await serve(t, (request, response) => {
    if (request.url === "/silent") return;
    response.writeHead(200);
    response.write("start");
  });
  for (const path of ["/silent", "/endless"]) {
    const controller = new AbortController();
    const pending = sendRequest(`${url}${path}`, GET(controller.signal));
    setTimeout(() => controller.abort(new Error(`stopped ${path}`)), 100);
    await assert.rejects(pending, new Error(`stopped ${path}`));
  }
  assert.ok(await waitFor(() => connections() === 0, { timeoutMs: 5000, intervalMs: 10 }), "both connections were closed");
  await assert.rejects(sendRequest(url, GET(AbortSignal.abort(new Error("already")))), new Error("already"));
});

test("a refused connection rejects with node's error, whose code names it", async () => {
  const port = await closedPort();
  const error = await sendRequest(`http://127.0.0.1:${port}/`, GET()).catch((caught: unknown) => caught);
  assert.equal(describeNetworkError(error), "the connection was refused (ECONNREFUSED)");
});

test("https: a server with a self-signed certificate is refused, the error's code saying why", { skip: existsSync(OPENSSL) ? false : `no ${OPENSSL}` }, async (t) => {
  const certificate = await makeCertificate();
  t.after(() => rm(certificate.dir, { recursive: true, force: true }));
  const server = createTlsServer({ key: certificate.key, cert: certificate.cert });
  const { url } = await serve(t, (_request, response) => response.end("secure"), server, "https");
  const error = await sendRequest(url, GET()).catch((caught: unknown) => caught);
  assert.equal(describeNetworkError(error), "its TLS certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)");
});
