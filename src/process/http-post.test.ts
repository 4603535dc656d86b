import { test } from "node:test";
import assert from "node:assert/strict";
import { describeNetworkError } from "./http-post.js";

const systemError = (code: string) => Object.assign(new Error(`connect ${code} https://example.org/bot123:secret`), { code });

test("describeNetworkError names the error by its code, never by its message (which may quote the URL)", () => {
  assert.equal(describeNetworkError(systemError("ECONNRESET")), "the connection was reset (ECONNRESET)");
  assert.equal(describeNetworkError(new TypeError("fetch failed", { cause: systemError("ECONNREFUSED") })), "the connection was refused (ECONNREFUSED)");
  assert.equal(describeNetworkError(new TypeError("fetch failed", { cause: systemError("ENOTFOUND") })), "the host name does not resolve (ENOTFOUND)");
  assert.equal(describeNetworkError(new TypeError("fetch failed", { cause: systemError("EWHATEVER") })), "the request failed (EWHATEVER)");
  const several = new AggregateError([systemError("ECONNREFUSED"), systemError("ECONNREFUSED")]);
  assert.equal(describeNetworkError(new TypeError("fetch failed", { cause: several })), "the connection was refused (ECONNREFUSED)");
  assert.equal(describeNetworkError(new TypeError("Failed to parse URL from https://example.org/bot123:secret")), "the request failed (TypeError)");
});
