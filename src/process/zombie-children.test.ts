import { test } from "node:test";
import assert from "node:assert/strict";
import type { ProcStat } from "./proc-stat.js";
import { zombieChildren } from "./zombie-children.js";

const stat = (pid: number, ppid: number, state: string, startTime: number): ProcStat => ({ pid, ppid, pgrp: ppid, state, startTime });

test("zombieChildren counts the zombies whose parent is a process of the service", () => {
  const service = [{ pid: 100, startTime: 5000 }, { pid: 200, startTime: 5100 }];
  const table = [
    stat(100, 1, "S", 5000),
    stat(101, 100, "Z", 5050), // the service's: never reaped
    stat(102, 100, "S", 5060), // a living child
    stat(201, 200, "Z", 5200), // the service's, of its other process
    stat(301, 300, "Z", 5300), // another service's zombie
    stat(103, 100, "Z", 4000), // started before pid 100 did: a child of a process that had pid 100 before
  ];
  assert.deepEqual(zombieChildren(service, table).map((zombie) => zombie.pid), [101, 201]);
  assert.deepEqual(zombieChildren([], table), []);
});
