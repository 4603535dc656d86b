import { test } from "node:test";
import assert from "node:assert/strict";
import { formatListenAddress, isLoopback } from "./listen-address.js";

test("formatListenAddress brackets IPv6 hosts", () => {
  assert.equal(formatListenAddress({ host: "127.0.0.1", port: 9473 }), "127.0.0.1:9473");
  assert.equal(formatListenAddress({ host: "::1", port: 0 }), "[::1]:0");
});

test("isLoopback tells loopback hosts from the others", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) assert.equal(isLoopback(host), true, host);
  for (const host of ["0.0.0.0", "::", "192.168.1.10", "pi.local"]) assert.equal(isLoopback(host), false, host);
});
