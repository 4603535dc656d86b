import { test } from "node:test";
import assert from "node:assert/strict";
import { describeUnit, isRunning, isStopped, oomCause, parseUnitState, runnerState, type UnitState } from "./systemd-unit-state.js";

const unit = (overrides: Partial<UnitState>): UnitState => ({
  loadState: "loaded", activeState: "active", subState: "running", mainPid: 42, result: "success", ...overrides,
});

test("parseUnitState reads systemctl show output in any order", () => {
  // As systemd 252 prints it: its own order, not the one asked for.
  const text = "MainPID=77\nResult=success\nLoadState=loaded\nActiveState=active\nSubState=running\n";
  assert.deepEqual(parseUnitState(text), unit({ mainPid: 77 }));
});

test("parseUnitState rejects an answer without the states", () => {
  assert.equal(parseUnitState(""), null);
  assert.equal(parseUnitState("MainPID=1\nActiveState=\nLoadState=loaded\n"), null);
  assert.equal(parseUnitState("Failed to connect to bus"), null);
});

test("describeUnit says what the unit is doing, values quoted", () => {
  assert.equal(describeUnit("bot.service", unit({})), `Unit "bot.service" is "active" ("running", main PID 42)`);
  assert.equal(describeUnit("bot.service", unit({ activeState: "inactive", subState: "dead", mainPid: 0 })), `Unit "bot.service" is "inactive" ("dead")`);
  assert.equal(describeUnit("bot.service", unit({ activeState: "failed", subState: "failed", mainPid: 0, result: "exit-code" })), `Unit "bot.service" is "failed" ("failed", result "exit-code")`);
  assert.equal(describeUnit("x.service", unit({ loadState: "not-found", activeState: "inactive", subState: "dead", mainPid: 0 })), `Unit "x.service" is not loaded: not-found`);
});

test("a unit without a file but still running is running, not missing", () => {
  const deleted = unit({ loadState: "not-found" });
  assert.equal(runnerState(deleted), "active");
  assert.equal(isRunning(deleted), true);
  assert.equal(runnerState(unit({ loadState: "not-found", activeState: "inactive", subState: "dead" })), "not-found");
});

test("isStopped accepts dead, failed and waiting for systemd's own restart", () => {
  assert.equal(isStopped(unit({ activeState: "inactive", subState: "dead" })), true);
  assert.equal(isStopped(unit({ activeState: "failed", subState: "failed" })), true);
  assert.equal(isStopped(unit({ activeState: "activating", subState: "auto-restart", mainPid: 0 })), true);
  assert.equal(isStopped(unit({ activeState: "deactivating", subState: "stop-sigterm" })), false);
  assert.equal(isStopped(unit({ loadState: "not-found", activeState: "inactive", subState: "dead" })), false, "a missing unit never stopped");
});

test("oomCause names the OOM killer as the cause of a unit that failed with result oom-kill, and nothing else", () => {
  assert.deepEqual(oomCause(unit({ activeState: "failed", subState: "failed", result: "oom-kill" })), {
    cause: `the kernel's OOM killer killed a process of it (systemd's result "oom-kill"): it ran out of memory`,
  });
  assert.deepEqual(oomCause(unit({ activeState: "failed", subState: "failed", result: "signal" })), {});
  assert.deepEqual(oomCause(unit({})), {});
});
