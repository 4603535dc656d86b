import { test } from "node:test";
import assert from "node:assert/strict";
import { makeTempDir, openTestStore, T0 } from "./fixtures/helpers.js";

test("each bot's update offset is kept across a reopen of the store, the last one saved winning", (t) => {
  const dir = makeTempDir(t);
  const store = openTestStore(t, dir);
  assert.equal(store.readUpdateOffset("123456789"), null);
  store.saveUpdateOffset("123456789", 17, T0);
  store.saveUpdateOffset("123456789", 18, T0 + 5);
  store.saveUpdateOffset("987", 4, T0 + 6);
  store.close();
  const again = openTestStore(t, dir);
  assert.deepEqual(again.readUpdateOffset("123456789"), { offset: 18, savedAt: T0 + 5 });
  assert.deepEqual(again.readUpdateOffset("987"), { offset: 4, savedAt: T0 + 6 });
});
