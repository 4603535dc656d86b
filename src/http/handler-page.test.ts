import { test } from "node:test";
import assert from "node:assert/strict";
import { createMemoryLogger } from "../core/logger.js";
import { createRequest, type HttpRequest } from "./exchange.js";
import { createHandler, type PageRoutes } from "./handler.js";
import { textResponse } from "./json-response.js";

const NOW = Date.UTC(2024, 10, 30, 21, 0, 0);

/** A handler with page routes at `/` and `/boom` (which throws); `asked` lists the requests the page got. */
function withPage() {
  const asked: HttpRequest[] = [];
  const logger = createMemoryLogger();
  const page: PageRoutes = {
    serves: (pathname) => pathname === "/" || pathname === "/boom",
    routes: "/ (the status page)",
    answer: async (request) => {
      asked.push(request);
      if (request.url.pathname === "/boom") throw new Error("the page broke");
      return textResponse(200, "<!doctype html>", "text/html; charset=utf-8");
    },
  };
  const handler = createHandler({
    token: "s3cret", healthy: () => ({ ok: true, summary: "ok" }), status: () => [], overview: () => [], channels: () => [], history: () => [],
    metrics: async () => "", ping: () => ({ status: "unknown-service" }), now: () => NOW, logger, page,
  });
  const send = (path: string, method = "GET") => handler(createRequest({ method, url: new URL(`http://127.0.0.1:9473${path}`) }));
  return { send, asked, logged: logger.entries };
}

test("the page's routes are answered by the page, HEAD without a body; the handler's own routes stay its own", async () => {
  const { send, asked } = withPage();
  assert.deepEqual(await send("/"), { status: 200, headers: { "cache-control": "no-store", "x-content-type-options": "nosniff", "content-type": "text/html; charset=utf-8" }, body: "<!doctype html>" });
  assert.equal((await send("/", "HEAD")).body, null);
  assert.equal((await send("/healthz")).status, 200);
  assert.deepEqual(asked.map((request) => `${request.method} ${request.url.pathname}`), ["GET /", "HEAD /"]);
});

test("a path neither serves is a 404 listing the page's routes too; a page that throws is a 500, logged", async () => {
  const { send, logged } = withPage();
  const missing = await send("/nowhere");
  assert.equal(missing.status, 404);
  assert.deepEqual(JSON.parse(missing.body ?? ""), { error: "Not found: Lifeguard serves /healthz, /api/status, /api/history, /metrics and /ping/NAME; and / (the status page)" });
  const broken = await send("/boom");
  assert.equal(broken.status, 500);
  assert.deepEqual(JSON.parse(broken.body ?? ""), { error: "Cannot answer /boom: the page broke" });
  assert.deepEqual(logged.map((entry) => entry.message), ["Cannot answer /boom: the page broke"]);
});
