import { test } from "node:test";
import assert from "node:assert/strict";
import { unitStateFromBus } from "./bus-unit-state.js";
import { parseUnitState } from "./systemd-unit-state.js";

test("unitStateFromBus gives what parseUnitState gives for the same unit", () => {
  const fromBus = unitStateFromBus({ ActiveState: "active", SubState: "running", LoadState: "loaded", MainPID: 42, Result: "success" });
  const fromText = parseUnitState("ActiveState=active\nSubState=running\nMainPID=42\nLoadState=loaded\nResult=success\n");
  assert.deepEqual(fromBus, fromText);
});

test("unitStateFromBus reads a unit with no main process and no Result as systemctl shows them", () => {
  assert.deepEqual(unitStateFromBus({ ActiveState: "inactive", SubState: "dead", LoadState: "not-found", MainPID: 0, Result: "" }), {
    loadState: "not-found", activeState: "inactive", subState: "dead", mainPid: 0, result: "",
  });
});

test("unitStateFromBus is null without the active or load state", () => {
  assert.equal(unitStateFromBus({ ActiveState: undefined, SubState: "dead", LoadState: "loaded", MainPID: 0, Result: "" }), null);
  assert.equal(unitStateFromBus({ ActiveState: "active", SubState: "running", LoadState: "", MainPID: 1, Result: "" }), null);
});

test("unitStateFromBus takes values of the wrong type as absent", () => {
  assert.deepEqual(unitStateFromBus({ ActiveState: "failed", SubState: 3, LoadState: "loaded", MainPID: "12", Result: null }), {
    loadState: "loaded", activeState: "failed", subState: "", mainPid: 0, result: "",
  });
  assert.equal(unitStateFromBus({ ActiveState: "active", SubState: "running", LoadState: "loaded", MainPID: 1.5, Result: "success" })?.mainPid, 0);
});
