import { test } from "node:test";
import assert from "node:assert/strict";
import { suggest } from "./did-you-mean.js";

const KEYS = ["systemd", "systemctl-timeout", "interval", "checks", "failure-threshold", "startup-grace", "restart", "max-age", "min", "max"];

test("suggest finds typos, swapped letters and other spellings of a key", () => {
  assert.equal(suggest("max_age", KEYS), "max-age");
  assert.equal(suggest("maxAge", KEYS), "max-age");
  assert.equal(suggest("intreval", KEYS), "interval");
  assert.equal(suggest("chekcs", KEYS), "checks");
  assert.equal(suggest("sytemd", KEYS), "systemd");
  assert.equal(suggest("failure_treshold", KEYS), "failure-threshold");
});

test("suggest stays quiet when nothing is close", () => {
  assert.equal(suggest("alerts", KEYS), undefined);
  assert.equal(suggest("http", KEYS), undefined);
  assert.equal(suggest("mid", ["max"]), undefined);
});

test("suggest picks the closest candidate", () => {
  assert.equal(suggest("mix", ["min", "max"]), "min");
  assert.equal(suggest("maxx", ["min", "max"]), "max");
});
