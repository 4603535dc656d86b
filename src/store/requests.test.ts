import { test } from "node:test";
import assert from "node:assert/strict";
import { makeTempDir, openTestStore, T0 } from "./fixtures/helpers.js";

const ask = (daemonPid: number, action = "restart") => ({ daemonPid, service: "bot", action, options: { forMs: 60_000 }, by: "root (cli)", requestedAt: T0 });

test("a daemon takes only the requests queued for it, each once, and answers them for whoever waits", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const mine = store.enqueueRequest(ask(7, "pause"));
  const theirs = store.enqueueRequest(ask(8));
  const taken = store.takeRequests(7);
  assert.deepEqual(taken.map((request) => [request.id, request.action, request.options, request.status]), [[mine, "pause", { forMs: 60_000 }, "running"]]);
  assert.deepEqual(store.takeRequests(7), [], "taken once");
  store.finishRequest(mine, false, 'Cannot pause "bot": it is stopped', T0 + 5);
  assert.deepEqual([store.readRequest(mine)?.status, store.readRequest(mine)?.summary], ["failed", 'Cannot pause "bot": it is stopped']);
  assert.equal(store.readRequest(theirs)?.status, "pending");
});

test("a request nobody took can be withdrawn; one taken cannot", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const waiting = store.enqueueRequest(ask(7));
  const taken = store.enqueueRequest(ask(8));
  store.takeRequests(8);
  assert.equal(store.cancelRequest(waiting), true);
  assert.equal(store.readRequest(waiting), null);
  assert.equal(store.cancelRequest(taken), false);
  store.forgetRequest(taken);
  assert.equal(store.readRequest(taken), null);
});
