// Which cgroup Lifeguard may take for its services: only one systemd marked as delegated. The
// cgroups themselves are proven against real systemd in test/faults/delegated-cgroup.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { cgroup2Mount, cgroupProcs } from "./cgroup.js";
import { findDelegation } from "./delegated-cgroup.js";

const NOBODY = 65534;
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

const HYBRID = [
  "25 31 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
  "26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate",
  "27 25 0:25 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd",
].join("\n");

test("the cgroup2 mount is found in mountinfo, on a unified, hybrid or escaped path, and is null on a v1-only box", () => {
  assert.equal(cgroup2Mount(HYBRID), "/sys/fs/cgroup/unified");
  assert.equal(cgroup2Mount("30 1 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw"), "/sys/fs/cgroup");
  assert.equal(cgroup2Mount("30 1 0:26 / /mnt/my\\040cgroups rw - cgroup2 none rw"), "/mnt/my cgroups");
  assert.equal(cgroup2Mount(HYBRID.split("\n").filter((line) => !line.includes("cgroup2")).join("\n")), null);
  assert.equal(cgroup2Mount(""), null);
});

/** A directory tree that stands for a cgroup2 mount: each cgroup has a cgroup.procs file. */
function fakeMount(t: { after(fn: () => void): void }, cgroups: string[]): string {
  const mount = mkdtempSync(join(tmpdir(), "lifeguard-cgroup-"));
  t.after(() => rmSync(mount, { recursive: true, force: true }));
  for (const path of cgroups) {
    mkdirSync(join(mount, path), { recursive: true });
    writeFileSync(join(mount, path, "cgroup.procs"), "");
  }
  return mount;
}

/** Reads a delegate mark only where `marked` says, as systemd sets it ("1") on what it delegated. */
function marks(mount: string, marked: Record<string, string>): { readXattr(path: string, name: string): string | number } {
  return { readXattr: (path, name) => marked[`${path.slice(mount.length)} ${name}`] ?? -61 };
}

test("Lifeguard's own cgroup with systemd's delegate mark is taken, and Lifeguard goes into its supervisor leaf", (t) => {
  const unit = "/system.slice/lifeguard.service";
  const mount = fakeMount(t, [unit]);
  for (const name of ["trusted.delegate", "user.delegate"]) {
    const found = findDelegation({ mount, path: unit, reader: marks(mount, { [`${unit} ${name}`]: "1" }) });
    assert.deepEqual(found, { delegation: { root: join(mount, unit), supervisor: join(mount, unit, "supervisor") } }, name);
  }
});

test("with DelegateSubgroup= Lifeguard already runs in a leaf of the delegated cgroup, and stays there", (t) => {
  const unit = "/system.slice/lifeguard.service";
  const mount = fakeMount(t, [unit, `${unit}/main`]);
  const found = findDelegation({ mount, path: `${unit}/main`, reader: marks(mount, { [`${unit} user.delegate`]: "1" }) });
  assert.deepEqual(found, { delegation: { root: join(mount, unit), supervisor: join(mount, unit, "main") } });
});

test("a cgroup without the mark is never taken, however writable: creating cgroups there is systemd's alone", (t) => {
  const unit = "/system.slice/lifeguard.service";
  const mount = fakeMount(t, [unit]);
  assert.deepEqual(findDelegation({ mount, path: unit, reader: marks(mount, {}) }), { reason: `its cgroup ${unit} is not delegated to it` });
  // A mark two levels up (a container's delegated tree, run by its own systemd) is not Lifeguard's.
  assert.deepEqual(findDelegation({ mount, path: unit, reader: marks(mount, { "/ user.delegate": "1" }) }), { reason: `its cgroup ${unit} is not delegated to it` });
  assert.deepEqual(findDelegation({ mount, path: "/", reader: marks(mount, { "/ trusted.delegate": "0" }) }), { reason: "its cgroup / is not delegated to it" });
});

test("no cgroup2, no cgroup path or no addon: Lifeguard says which", (t) => {
  const unit = "/lifeguard.service";
  const mount = fakeMount(t, [unit]);
  const reader = marks(mount, { [`${unit} user.delegate`]: "1" });
  assert.deepEqual(findDelegation({ mount: null, path: unit, reader }), { reason: "no cgroup v2 hierarchy is mounted" });
  assert.deepEqual(findDelegation({ mount, path: null, reader }), { reason: "Lifeguard has no cgroup v2 path (/proc/self/cgroup)" });
  assert.deepEqual(findDelegation({ mount, path: unit, reader: null }), { reason: "the native addon that reads systemd's delegate mark is not built" });
});

test("a delegated cgroup that Lifeguard's user may not write is not taken, and the reason names it", async (t) => {
  const unit = "/lifeguard.service";
  const mount = fakeMount(t, [unit]);
  chmodSync(mount, 0o755);
  chmodSync(join(mount, unit, "cgroup.procs"), 0o444);
  // As root (CI) the check runs as "nobody", whom the mode refuses; root itself may write anything.
  const script = `
    const { findDelegation } = await import(${JSON.stringify(new URL("./delegated-cgroup.ts", import.meta.url).href)});
    const [mount, path] = process.argv.slice(1);
    const reader = { readXattr: (dir, name) => (dir === mount + path && name === "user.delegate" ? "1" : -61) };
    process.stdout.write(JSON.stringify(findDelegation({ mount, path, reader })));
  `;
  const asNobody = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script, mount, unit], { cwd: REPO_ROOT, timeout: 30_000, ...asNobody });
  assert.deepEqual(JSON.parse(stdout), { reason: `its delegated cgroup ${join(mount, unit)} is not writable by it` });
});

test("a cgroup's processes are those of it and of every cgroup below it", (t) => {
  const mount = fakeMount(t, ["/a", "/a/b", "/a/b/c"]);
  writeFileSync(join(mount, "a", "cgroup.procs"), "10\n");
  writeFileSync(join(mount, "a", "b", "c", "cgroup.procs"), "12\n13\n");
  assert.deepEqual(cgroupProcs(join(mount, "a")).sort((x, y) => x - y), [10, 12, 13]);
  assert.deepEqual(cgroupProcs(join(mount, "gone")), []);
});
