import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readProcStat } from "./proc-stat.js";
import { stopAdopted } from "./stop-adopted.js";
import { adoptedProcesses, becomeChildSubreaper, isChildSubreaper } from "./subreaper.js";
import { waitFor } from "../testing/wait-for.js";

// One test process per file: making it a subreaper affects only this file's tests.
test("a subreaper adopts an orphan, stops and reaps it, and leaves Node's own children to Node", async (t) => {
  // A child spawned before: Node's own, though no spawn was seen by the tracking.
  const before = spawn("sleep", ["30"], { stdio: "ignore" });
  t.after(() => void before.kill("SIGKILL"));
  assert.equal(becomeChildSubreaper(), null, "native/sd-notify is built before the tests");
  assert.equal(isChildSubreaper(), true);
  // sh starts a sleep that ignores SIGTERM in the background and exits: the sleep is orphaned.
  const parent = spawn("/bin/sh", ["-c", "trap '' TERM; sleep 30 & echo $!"], { stdio: ["ignore", "pipe", "ignore"] });
  const [chunk] = (await once(parent.stdout, "data")) as [Buffer];
  const orphan = Number(chunk.toString().trim());
  t.after(() => void (readProcStat(orphan) !== null && process.kill(orphan, "SIGKILL")));
  await once(parent, "exit");
  assert.ok(await waitFor(() => readProcStat(orphan)?.ppid === process.pid), "the orphan was re-parented to this process");
  assert.deepEqual(adoptedProcesses().map((stat) => stat.pid), [orphan], "adopted; Node's children (the earlier sleep, the exited sh) are not");

  const stopped = await stopAdopted(200);
  assert.deepEqual(stopped, { pids: [orphan], left: [] }, "SIGTERM ignored: ended by SIGKILL");
  assert.equal(readProcStat(orphan), null, "reaped: no zombie is left behind");

  // Node's own child keeps its exit status: the reaper never takes it.
  const own = spawn("/bin/sh", ["-c", "sleep 0.2; exit 3"], { stdio: "ignore" });
  const [code] = (await once(own, "exit")) as [number | null];
  assert.equal(code, 3);
});
