import { test } from "node:test";
import assert from "node:assert/strict";
import { originOf, redactUrl } from "./secret-url.js";

test("originOf shows scheme, host and a port that is not the default", () => {
  assert.equal(originOf("https://hc-ping.example/abc-key?x=1#y"), "https://hc-ping.example");
  assert.equal(originOf("HTTP://Push.Example:8080/api/push/KEY"), "http://push.example:8080");
  assert.equal(originOf("http://127.0.0.1:80/ping"), "http://127.0.0.1");
  assert.equal(originOf("not a url /abc-key"), "(hidden)");
});

test("redactUrl leaves nothing of the path, query or fragment in a message", () => {
  const url = "https://hc-ping.example/ping/abc-key?token=t0p#frag";
  assert.equal(redactUrl(`Cannot fetch ${url}`, url), "Cannot fetch https://hc-ping.example");
  assert.equal(redactUrl("GET /ping/abc-key?token=t0p#frag failed", url), "GET (hidden) failed");
  assert.equal(redactUrl("path /ping/abc-key, query ?token=t0p", url), "path (hidden), query (hidden)");
  assert.equal(redactUrl("connect ECONNREFUSED 127.0.0.1:443", url), "connect ECONNREFUSED 127.0.0.1:443");
  // As written (upper-case host) and as parsed.
  const written = "https://HC-PING.example/ping/abc-key";
  assert.equal(redactUrl(`${written} and https://hc-ping.example/ping/abc-key`, written), "https://hc-ping.example and https://hc-ping.example");
});
