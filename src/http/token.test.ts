import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequest } from "./exchange.js";
import { derivePingKey, readPresentedToken, redactSecret, tokensEqual } from "./token.js";

test("tokensEqual is true only for the same token", () => {
  assert.equal(tokensEqual("s3cret", "s3cret"), true);
  assert.equal(tokensEqual("", ""), true);
  assert.equal(tokensEqual("päss-wörd", "päss-wörd"), true);
  assert.equal(tokensEqual("s3cret", "s3creT"), false);
  assert.equal(tokensEqual("s3cret", "s3cret "), false);
  assert.equal(tokensEqual("", "s3cret"), false);
});

test("tokensEqual compares tokens of any lengths without throwing (it compares their digests)", () => {
  // timingSafeEqual alone throws on buffers of different lengths; hashing first makes both 32 bytes.
  assert.equal(tokensEqual("a", "a".repeat(10_000)), false);
  assert.equal(tokensEqual("x".repeat(100_000), "x".repeat(100_000)), true);
  // A prefix of the token is no match: nothing is compared byte by byte.
  assert.equal(tokensEqual("s3c", "s3cret"), false);
});

const request = (path: string, headers: Record<string, string> = {}) => {
  const url = new URL(`http://127.0.0.1${path}`);
  return readPresentedToken(createRequest({ url, headers: Object.entries(headers) }));
};

test("readPresentedToken reads a Bearer header, else ?token=", () => {
  assert.deepEqual(request("/", { authorization: "Bearer abc" }), { token: "abc", source: "header" });
  assert.deepEqual(request("/", { authorization: "bearer\tabc  " }), { token: "abc", source: "header" });
  assert.deepEqual(request("/?token=abc"), { token: "abc", source: "query" });
  assert.deepEqual(request("/?token=a%20b"), { token: "a b", source: "query" });
});

test("readPresentedToken finds none for no header, another scheme or an empty value; a header wins over the query", () => {
  assert.equal(request("/"), null);
  assert.equal(request("/?token="), null);
  assert.equal(request("/", { authorization: "Basic YWJj" }), null);
  assert.equal(request("/", { authorization: "Bearer" }), null);
  assert.equal(request("/", { authorization: "Bearer a b" }), null);
  assert.equal(request("/?token=abc", { authorization: "Basic YWJj" }), null);
  assert.deepEqual(request("/?token=abc", { authorization: "Bearer xyz" }), { token: "xyz", source: "header" });
});

test("redactSecret replaces every occurrence, and leaves text alone without a secret", () => {
  assert.equal(redactSecret("a s3cret and s3cret", "s3cret"), "a [redacted] and [redacted]");
  assert.equal(redactSecret("a s3cret", null), "a s3cret");
  assert.equal(redactSecret("a s3cret", ""), "a s3cret");
});

test("derivePingKey is HMAC-SHA256(token, \"ping:\" + name) in hex, its first 32 characters", () => {
  // Computed with openssl, as the docs show: printf %s "ping:trader" | openssl dgst -sha256 -hmac "s3cret-T0ken-for-tests" -r | cut -c1-32
  assert.equal(derivePingKey("s3cret-T0ken-for-tests", "trader"), "2bd67941119e26052f4d49707487f72f");
  assert.match(derivePingKey("s3cret-T0ken-for-tests", "bot"), /^[0-9a-f]{32}$/);
});

test("derivePingKey gives each service and each token a key of its own, never the token itself", () => {
  const token = "s3cret-T0ken-for-tests";
  const keys = new Set([derivePingKey(token, "trader"), derivePingKey(token, "trader2"), derivePingKey(token, "Trader"), derivePingKey(`${token}!`, "trader")]);
  assert.equal(keys.size, 4);
  assert.ok(![...keys].some((key) => key.includes(token) || token.includes(key)));
});
