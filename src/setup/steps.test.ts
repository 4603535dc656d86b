import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sudoersRule } from "../core/sudoers-rule.js";
import { findProgram, pathDirs } from "../process/find-program.js";
import { leaveGroup } from "./join-group.js";
import { runStep, type StepContext } from "./steps.js";
import type { Step } from "./plan.js";

const visudo = findProgram("visudo", [...pathDirs(), "/usr/sbin", "/sbin"]);
const VISUDO_CHECK = ["visudo", "-c", "-f"];

function lab(): { dir: string; said: string[]; recorded: string[]; context: StepContext } {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-steps-"));
  const said: string[] = [];
  const recorded: string[] = [];
  const context: StepContext = { force: false, say: (line) => said.push(line), fileAction: () => "write", settingsChanged: () => true, record: (record) => recorded.push(`${record.kind} ${record.target}`), groupsChanged: false };
  return { dir, said, recorded, context };
}

const sudoersStep = (path: string, content: string): Extract<Step, { kind: "file" }> => ({ kind: "file", path, content, mode: 0o440, what: "the sudoers drop-in", validate: VISUDO_CHECK });

test("a file that its validator accepts is put in place with its mode and recorded", { skip: visudo === null ? "visudo is not installed (Debian package \"sudo\")" : false }, async () => {
  const { dir, recorded, context } = lab();
  try {
    const path = join(dir, "lifeguard");
    // Tricky unit names as sudoers must hold them: an escaped "-", a template instance with ":".
    const content = `${sudoersRule("lifeguard", ["lg\\x2dbot.service", "web@a:b.service"], "/usr/bin/systemctl", ["Written by a test"]).join("\n")}\n`;
    const done = await runStep(sudoersStep(path, content), context);
    assert.equal(readFileSync(path, "utf8"), content);
    assert.equal(statSync(path).mode & 0o7777, 0o440);
    assert.deepEqual(recorded, [`file ${path}`]);
    await done[0]?.undo();
    assert.deepEqual(readdirSync(dir), [], "undone: the file is gone");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a file that visudo rejects is not put in place: the error quotes visudo about the file's own path, nothing is left or recorded", { skip: visudo === null ? "visudo is not installed (Debian package \"sudo\")" : false }, async () => {
  const { dir, recorded, context } = lab();
  try {
    const path = join(dir, "lifeguard");
    // The colon after NOPASSWD is missing: a parse error.
    const step = sudoersStep(path, "lifeguard ALL=(root) NOPASSWD /usr/bin/systemctl start -- a.service\n");
    await assert.rejects(runStep(step, context), (error: Error) => {
      assert.match(error.message, new RegExp(`^cannot write ${path}: \`visudo -c -f\` rejects it: ${path}:1:\\d+: syntax error$`));
      assert.doesNotMatch(error.message, /lifeguard-install\.tmp/);
      return true;
    });
    assert.deepEqual(readdirSync(dir), [], "neither the file nor its temporary");
    assert.deepEqual(recorded, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a group that does not exist: the step fails before changing anything, naming the group; leaving it is nothing to do", async () => {
  const { said, recorded, context } = lab();
  const step: Extract<Step, { kind: "group" }> = { kind: "group", user: "nobody", group: "lg-no-such-group", units: ["bot.service"] };
  await assert.rejects(runStep(step, context), /^Error: group lg-no-such-group does not exist: is systemd's journald installed \(Debian's package "systemd"\)\?$/);
  assert.deepEqual([said, recorded, context.groupsChanged], [[], [], false]);
  await leaveGroup("nobody", "lg-no-such-group");
});
