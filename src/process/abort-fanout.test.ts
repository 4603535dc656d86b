import { getEventListeners } from "node:events";
import { test } from "node:test";
import assert from "node:assert/strict";
import { onAbort } from "./abort-fanout.js";

test("a hundred listeners at once hold one listener on the signal, and each is called once at the abort", () => {
  const controller = new AbortController();
  const calls: number[] = [];
  const removals = Array.from({ length: 100 }, (_, i) => onAbort(controller.signal, () => calls.push(i)));
  assert.equal(getEventListeners(controller.signal, "abort").length, 1);
  removals[7]?.();
  controller.abort();
  controller.abort();
  assert.equal(calls.length, 99);
  assert.equal(calls.includes(7), false, "a removed listener is not called");
  assert.equal(getEventListeners(controller.signal, "abort").length, 0);
});

test("a listener removed by another during the abort is not called, as EventTarget does; one added after the abort never is", () => {
  const controller = new AbortController();
  const calls: string[] = [];
  let removeB = (): void => undefined;
  const removeA = onAbort(controller.signal, () => {
    calls.push("a");
    removeB();
  });
  removeB = onAbort(controller.signal, () => calls.push("b"));
  onAbort(controller.signal, () => calls.push("c"));
  controller.abort();
  assert.deepEqual(calls, ["a", "c"]);
  removeA();
  onAbort(controller.signal, () => calls.push("late"))();
  assert.deepEqual(calls, ["a", "c"]);
});
