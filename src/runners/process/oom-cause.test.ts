import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeOomKill, readOomCount } from "./oom-cause.js";

test("describeOomKill names the OOM killer when its cgroup's count rose, and only probably when the machine's did", () => {
  assert.equal(
    describeOomKill({ of: "cgroup", count: 0 }, { of: "cgroup", count: 1 }),
    "the kernel's OOM killer killed it: it ran out of memory (the OOM kills of its cgroup's memory.events rose from 0 to 1 while it ran)",
  );
  assert.equal(
    describeOomKill({ of: "machine", count: 3 }, { of: "machine", count: 5 }),
    "probably the kernel's OOM killer: SIGKILL ended it, which Lifeguard did not send, and the machine's OOM kills (/proc/vmstat oom_kill) rose from 3 to 5 while it ran",
  );
});

test("describeOomKill says nothing when the count did not rise, or the two looks are not of one count", () => {
  assert.equal(describeOomKill({ of: "machine", count: 3 }, { of: "machine", count: 3 }), undefined);
  assert.equal(describeOomKill({ of: "machine", count: 3 }, { of: "cgroup", count: 4 }), undefined, "its cgroup gone at the end: not comparable");
  assert.equal(describeOomKill(null, { of: "machine", count: 4 }), undefined);
  assert.equal(describeOomKill({ of: "machine", count: 3 }, null), undefined);
});

test("readOomCount reads a cgroup's memory.events where it has one, else the machine's /proc/vmstat", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-oom-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // memory.events of a cgroup v2, as the kernel writes it.
  writeFileSync(join(dir, "memory.events"), "low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n");
  assert.deepEqual(readOomCount(dir), { of: "cgroup", count: 2 });
  const machine = readOomCount(join(dir, "no-such-cgroup"));
  assert.equal(machine?.of, "machine", "a cgroup without the memory controller has no memory.events");
  assert.equal(readOomCount(null)?.of, "machine");
});
