import { test } from "node:test";
import assert from "node:assert/strict";
import { parseUnitProperties } from "./systemd-processes.js";

test("parseUnitProperties reads systemctl show's ControlGroup, MainPID and memory limits", () => {
  assert.deepEqual(parseUnitProperties("ControlGroup=/system.slice/bot.service\nMainPID=42\nMemoryMax=157286400\nMemoryHigh=infinity\n"), {
    ControlGroup: "/system.slice/bot.service",
    MainPID: "42",
    MemoryMax: "157286400",
    MemoryHigh: "infinity",
  });
  assert.deepEqual(parseUnitProperties("ControlGroup=\nMainPID=0\n"), { ControlGroup: "", MainPID: "0", MemoryMax: "", MemoryHigh: "" });
});
