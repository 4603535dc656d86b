import { test } from "node:test";
import assert from "node:assert/strict";
import { makeTempDir, openTestStore, T0 } from "./fixtures/helpers.js";

test("a check's memory is kept per service and check, replaced by each run, and outlives the store's process", (t) => {
  const dir = makeTempDir(t);
  const store = openTestStore(t, dir);
  assert.equal(store.recall("bot", "log-activity"), null);
  store.remember("bot", "log-activity", '{"offset":10}', T0);
  store.remember("bot", "log-activity#2", '{"offset":20}', T0);
  store.remember("bot", "log-activity", '{"offset":30}', T0 + 1000);
  assert.equal(store.recall("bot", "log-activity"), '{"offset":30}');
  assert.equal(store.recall("bot", "log-activity#2"), '{"offset":20}');
  assert.equal(store.recall("other", "log-activity"), null);
  store.close();
  assert.equal(openTestStore(t, dir).recall("bot", "log-activity"), '{"offset":30}');
});
