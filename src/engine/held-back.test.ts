// The daemon says once per wait why a failing service is not restarted yet, and when that ends.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engineLab } from "../testing/engine-lab.js";
import { utimesSync } from "node:fs";
import { markStarted } from "../core/mark-started.js";
import { formatLocalClock } from "../process/local-time.js";
import { checkService } from "./check-service.js";
import { describeHeldBack } from "./held-back-line.js";

function setup(t: { after(fn: () => void): void }, service: Record<string, unknown>) {
  const { log, parts, store, logger, deps } = engineLab(t, { interval: "30s", ...service });
  utimesSync(log, new Date(Date.now() - 600_000), new Date(Date.now() - 600_000));
  const round = (announced: { heldBack: string | null }) => checkService(parts, deps, { dryRun: false, logPassing: false, steadyWithoutLock: true, announced });
  const oneShot = () => checkService(parts, deps, { dryRun: false });
  const lines = () => logger.entries.filter((entry) => entry.tag !== "FAIL").map((entry) => `[${entry.tag}] ${entry.message}`);
  return { store, round, oneShot, lines };
}

test("a failing check in the startup grace is announced once, with when the grace ends, however many rounds it lasts", async (t) => {
  const { store, round, lines } = setup(t, { "startup-grace": "10m" });
  const startedAt = Date.now() - 19_000;
  store.commitRound("trader", { state: markStarted(store.loadState("trader"), startedAt), events: [], checkedAt: startedAt });
  const announced = { heldBack: null };
  for (let i = 0; i < 3; i += 1) assert.equal((await round(announced)).verdict.status, "grace");
  const until = formatLocalClock(startedAt + 600_000, Date.now());
  const said = lines();
  assert.equal(said.length, 1, said.join("\n"));
  assert.match(said[0] ?? "", new RegExp(`^\\[INFO\\] In startup grace until ${until} \\(started \\d+s ago\\): not counting Log file is stale: last written 10m(\\d+s)? ago \\(max-age 5m\\)$`));
});

test("below the threshold each further round is announced once, with the next round's time; at the threshold the restart is no wait", async (t) => {
  const { round, lines } = setup(t, { "failure-threshold": 3, "startup-grace": "0s" });
  const announced = { heldBack: null };
  await round(announced);
  await round(announced);
  const said = lines().filter((line) => line.startsWith("[WARN]"));
  assert.equal(said.length, 2);
  assert.match(said[0] ?? "", /^\[WARN\] 1 of 3 failing rounds: Log file is stale: last written 10m ago \(max-age 5m\); restarted if it still fails at the next round, by \d\d:\d\d:\d\d$/);
  assert.match(said[1] ?? "", /^\[WARN\] 2 of 3 failing rounds: /);
  assert.equal((await round(announced)).verdict.status, "restart");
  assert.equal(announced.heldBack, null, "nothing holds it back any more");
});

test("without the daemon's memory (one-shot check) every round's verdict is logged as before, and no wait is announced", async (t) => {
  const { oneShot, lines } = setup(t, { "failure-threshold": 3, "startup-grace": "0s" });
  await oneShot();
  await oneShot();
  const verdicts = lines().filter((line) => / failing rounds/.test(line));
  // The first round's `failing` event says what the verdict would (it is logged instead); the second's verdict is logged.
  assert.deepEqual(verdicts.map((line) => line.replace(/: .*/, "")), ["[WARN] 2 of 3 failing rounds"]);
  assert.ok(verdicts.every((line) => !line.includes("restarted if")), verdicts.join("\n"));
});

test("each kind of wait reads as the user needs it: what holds it back, until when, and what fails", () => {
  const now = new Date(2026, 11, 6, 12, 0, 22).getTime();
  assert.equal(describeHeldBack({ by: "startup-grace", until: now + 19_000, startedAt: now - 41_000, reason: "Log file is stale (6m old)" }, now, 30_000), "In startup grace until 12:00:41 (started 41s ago): not counting Log file is stale (6m old)");
  assert.equal(describeHeldBack({ by: "threshold", rounds: 1, threshold: 2, reason: "exited with code 1" }, now, 30_000), "1 of 2 failing rounds: exited with code 1; restarted if it still fails at the next round, by 12:00:52");
  assert.equal(describeHeldBack({ by: "backoff", until: now + 20_000, delayMs: 40_000, reason: "exited with code 1" }, now, 30_000), "Restart waits for the backoff until 12:00:42 (40s after the last restart): exited with code 1");
  // A wait that ends on another day says the date too.
  assert.equal(describeHeldBack({ by: "backoff", until: now + 86_400_000, delayMs: 86_400_000, reason: "x" }, now, 30_000), "Restart waits for the backoff until 2026-12-07 12:00:22 (1d after the last restart): x");
});
