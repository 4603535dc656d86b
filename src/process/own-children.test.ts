import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { ownChildren } from "./own-children.js";

test("ownChildren lists this process's children, and no other process", async (t) => {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  const exited = once(child, "exit");
  t.after(async () => {
    child.kill("SIGKILL");
    await exited;
  });
  const children = ownChildren();
  assert.ok(children !== null, "Linux with /proc/PID/task/TID/children");
  const found = children.find((stat) => stat.pid === child.pid);
  assert.equal(found?.ppid, process.pid);
  assert.ok(children.every((stat) => stat.ppid === process.pid));
  assert.ok(!children.some((stat) => stat.pid === 1 || stat.pid === process.pid));
});
