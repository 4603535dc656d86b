import { test } from "node:test";
import assert from "node:assert/strict";
import { createConnectionSlots } from "./connection-slots.js";

const LOCAL = "127.0.0.1";

test("below the cap every connection is admitted", () => {
  const slots = createConnectionSlots<string>({ maxConnections: 2, maxConnectionsPerAddress: 1 });
  assert.deepEqual(slots.admit("a", LOCAL), { kind: "admitted" });
  assert.deepEqual(slots.admit("b", LOCAL), { kind: "admitted" });
  assert.equal(slots.size, 2);
});

test("at the cap a new connection takes the place of the one that has waited longest for a request", () => {
  const slots = createConnectionSlots<string>({ maxConnections: 3, maxConnectionsPerAddress: 1 });
  for (const connection of ["slow", "answered", "fresh"]) slots.admit(connection, LOCAL);
  // "answered" got its answer after "fresh" connected: kept alive, it has waited less long.
  slots.answering("answered");
  slots.waiting("answered");
  assert.deepEqual(slots.admit("new", LOCAL), { kind: "evicted", evicted: "slow" });
  assert.deepEqual(slots.admit("newer", LOCAL), { kind: "evicted", evicted: "fresh" });
  assert.deepEqual(slots.admit("newest", LOCAL), { kind: "evicted", evicted: "answered" });
  assert.equal(slots.size, 3);
});

test("a connection whose request is being answered is never evicted; when all are, the newcomer is refused", () => {
  const slots = createConnectionSlots<string>({ maxConnections: 2, maxConnectionsPerAddress: 1 });
  slots.admit("a", LOCAL);
  slots.admit("b", LOCAL);
  slots.answering("a");
  assert.deepEqual(slots.admit("c", LOCAL), { kind: "evicted", evicted: "b" });
  slots.answering("c");
  assert.deepEqual(slots.admit("d", LOCAL), { kind: "refused" });
  slots.release("a");
  assert.deepEqual(slots.admit("d", LOCAL), { kind: "admitted" });
});

test("one remote address holds at most its share, its own oldest waiting connection making room; loopback is exempt", () => {
  const slots = createConnectionSlots<string>({ maxConnections: 10, maxConnectionsPerAddress: 2 });
  slots.admit("x1", "192.0.2.7");
  slots.admit("local", LOCAL);
  slots.admit("x2", "192.0.2.7");
  assert.deepEqual(slots.admit("x3", "192.0.2.7"), { kind: "evicted", evicted: "x1" });
  assert.deepEqual(slots.admit("y1", "198.51.100.1"), { kind: "admitted" });
  slots.answering("x2");
  slots.answering("x3");
  assert.deepEqual(slots.admit("x4", "192.0.2.7"), { kind: "refused" });
  for (const connection of ["l1", "l2", "l3"]) assert.deepEqual(slots.admit(connection, LOCAL), { kind: "admitted" });
  assert.deepEqual(slots.admit("mapped", "::ffff:127.0.0.1"), { kind: "admitted" });
  assert.deepEqual(slots.admit("v6", "::1"), { kind: "admitted" });
});
