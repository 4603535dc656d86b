import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cgroupMembers, findMainMember, isInCgroup, unitCgroupDir } from "./cgroup-members.js";
import { cgroup2Mount, cgroupPathOf } from "./cgroup.js";
import { readProcStat } from "./proc-stat.js";

test("unitCgroupDir puts a unit's ControlGroup under the v2 mount, else under v1's name=systemd hierarchy", () => {
  assert.equal(unitCgroupDir("/system.slice/bot.service", "/sys/fs/cgroup"), "/sys/fs/cgroup/system.slice/bot.service");
  assert.equal(unitCgroupDir("/system.slice/bot.service", null), "/sys/fs/cgroup/systemd/system.slice/bot.service");
  assert.equal(unitCgroupDir("", "/sys/fs/cgroup"), null);
  assert.equal(unitCgroupDir("/system.slice/../../etc", "/sys/fs/cgroup"), null);
});

test("isInCgroup reads the v2 line and v1's name=systemd line, the cgroup itself or below it", () => {
  const v2 = "0::/system.slice/bot.service/worker\n";
  assert.equal(isInCgroup(1, "/system.slice/bot.service", v2), true);
  assert.equal(isInCgroup(1, "/system.slice/bot.serv", v2), false);
  const v1 = "12:memory:/system.slice/other.service\n1:name=systemd:/system.slice/bot.service\n";
  assert.equal(isInCgroup(1, "/system.slice/bot.service", v1), true);
  assert.equal(isInCgroup(1, "/system.slice/other.service", v1), false, "a controller's hierarchy does not say the unit");
  assert.equal(isInCgroup(1, "/system.slice/bot.service", null), false);
});

test("cgroupMembers lists the living processes of a real cgroup with their start times", { skip: cgroup2Mount() === null || cgroupPathOf() === null ? "no cgroup v2 here" : false }, async (t) => {
  // This process's own cgroup holds it and the child it spawns: both are listed, each with its stat's start time.
  const child = spawn("/bin/sleep", ["30"], { stdio: "ignore" });
  t.after(() => child.kill("SIGKILL"));
  await new Promise((resolve) => child.once("spawn", resolve));
  const path = cgroupPathOf() as string;
  const members = cgroupMembers(`${cgroup2Mount() as string}${path}`, path);
  const own = readProcStat(process.pid);
  assert.ok(members.some((member) => member.pid === process.pid && member.startTime === own?.startTime));
  assert.ok(members.some((member) => member.pid === child.pid));
  assert.deepEqual(findMainMember(members, child.pid as number), members.find((member) => member.pid === child.pid));
  assert.equal(findMainMember(members, 0), null);
});
