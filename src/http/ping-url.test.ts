import { test } from "node:test";
import assert from "node:assert/strict";
import { parsePingPath } from "./ping-path.js";
import { formatPingUrl } from "./ping-url.js";

const KEY = "2bd67941119e26052f4d49707487f72f";

test("the ping URL is /ping/KEY/NAME on the address Lifeguard listens on", () => {
  assert.equal(formatPingUrl({ host: "127.0.0.1", port: 9473 }, KEY, "trader"), `http://127.0.0.1:9473/ping/${KEY}/trader`);
  assert.equal(formatPingUrl({ host: "::1", port: 9473 }, KEY, "trader"), `http://[::1]:9473/ping/${KEY}/trader`);
  assert.equal(formatPingUrl({ host: "pi.local", port: 80 }, KEY, "trader"), `http://pi.local:80/ping/${KEY}/trader`);
});

test("a wildcard listen address is reached through loopback", () => {
  assert.equal(formatPingUrl({ host: "0.0.0.0", port: 9473 }, KEY, "trader"), `http://127.0.0.1:9473/ping/${KEY}/trader`);
  assert.equal(formatPingUrl({ host: "::", port: 9473 }, KEY, "trader"), `http://[::1]:9473/ping/${KEY}/trader`);
});

test("the URL, and the URL with a suffix appended, read back as the service's ping with its key", () => {
  const url = new URL(formatPingUrl({ host: "127.0.0.1", port: 9473 }, KEY, "my@bot"));
  const segments = (path: string) => path.slice("/ping/".length).split("/");
  assert.deepEqual(parsePingPath(segments(url.pathname)), { token: KEY, service: "my@bot", signal: { kind: "success" } });
  assert.deepEqual(parsePingPath(segments(`${url.pathname}/fail`)), { token: KEY, service: "my@bot", signal: { kind: "fail" } });
  assert.deepEqual(parsePingPath(segments(`${url.pathname}/3`)), { token: KEY, service: "my@bot", signal: { kind: "exit", exitCode: 3 } });
});
