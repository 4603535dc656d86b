import { test } from "node:test";
import assert from "node:assert/strict";
import { colourEnabled, paint } from "./paint.js";

test("colours are for a terminal unless NO_COLOR says no; FORCE_COLOR asks for them in a pipe; TERM=dumb has none", () => {
  assert.equal(colourEnabled({ env: {}, isTty: true }), true);
  assert.equal(colourEnabled({ env: {}, isTty: false }), false);
  assert.equal(colourEnabled({ env: { NO_COLOR: "1" }, isTty: true }), false);
  assert.equal(colourEnabled({ env: { NO_COLOR: "" }, isTty: true }), true, "an empty NO_COLOR is unset (no-color.org)");
  assert.equal(colourEnabled({ env: { NO_COLOR: "1", FORCE_COLOR: "1" }, isTty: true }), false, "NO_COLOR wins");
  assert.equal(colourEnabled({ env: { FORCE_COLOR: "1" }, isTty: false }), true);
  assert.equal(colourEnabled({ env: { FORCE_COLOR: "0" }, isTty: true }), false);
  assert.equal(colourEnabled({ env: { TERM: "dumb" }, isTty: true }), false);
});

test("paint wraps text in its colour and a reset, or leaves it as it is", () => {
  assert.equal(paint("healthy", "ok", true), "\u001b[32mhealthy\u001b[0m");
  assert.equal(paint("gave-up", "bad", true), "\u001b[1;31mgave-up\u001b[0m");
  assert.equal(paint("healthy", "ok", false), "healthy");
  assert.equal(paint("healthy", null, true), "healthy");
  assert.equal(paint("", "ok", true), "");
});
