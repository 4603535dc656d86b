import { test } from "node:test";
import assert from "node:assert/strict";
import { parseUnitCgroup } from "./systemd-processes.js";

test("parseUnitCgroup reads systemctl show's ControlGroup and MainPID", () => {
  assert.deepEqual(parseUnitCgroup("ControlGroup=/system.slice/bot.service\nMainPID=42\n"), { controlGroup: "/system.slice/bot.service", mainPid: 42 });
  assert.deepEqual(parseUnitCgroup("ControlGroup=\nMainPID=0\n"), { controlGroup: "", mainPid: 0 });
});
