// Quick mode's advice, driven end to end as printed: a quick-mode Lifeguard gives up on a bot
// that keeps crashing, says how to re-arm it (in its log, in status, again at its next start),
// and that command, pasted into a shell in another directory while Lifeguard runs, re-arms it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brittleBot, quickLab } from "./support/quick-daemon.js";

test("the re-arm command a quick-mode Lifeguard prints works as printed, from another directory, while it runs and after its restart", async (t) => {
  const lab = quickLab(t);
  writeFileSync(join(lab.app, "broken"), "");
  const args = ["--state", lab.root, "--name", "bot", "--interval", "1s", "--listen", "127.0.0.1:0", "--", ...brittleBot(lab.pidFile)];
  const first = lab.start(args);
  // Three restarts (no wait, then the backoff's 10s and 20s), then it gives up.
  const gaveUp = await first.waitForLog(/\[GAVE-UP\] Cannot restart "bot" as the restart limit is reached: 3 restarts in the last 1h \(max 3\)\. Manual intervention needed: fix the cause, then run "([^"]+)" to re-arm automatic restarts\n/);
  assert.ok(gaveUp, first.log());
  const advice = gaveUp[1] ?? "";
  assert.equal(advice, `lifeguard reset bot --state ${lab.root}`, "--state: not the default root");
  // Gave up: not healthy, so exit 1 (for scripts and probes), with the advice in the table.
  const status = await lab.shell(`lifeguard status --state ${lab.root}`);
  assert.equal(status.exitCode, 1, status.stderr);
  assert.ok(status.stdout.includes(`gave-up `) && status.stdout.includes(`needs \`${advice}\``), status.stdout);

  // Lifeguard is restarted: the gave-up state stays, and the start says so with the same command.
  assert.equal(await first.stop(), 0);
  const second = lab.start(args);
  const stays = await second.waitForLog(/\[WARN\] "bot" gave up \S+ ago and stays gave-up after this start: no automatic restart until "([^"]+)" re-arms it \(Cannot restart "bot" as the restart limit is reached: 3 restarts in the last 1h \(max 3\)\)\n/);
  assert.ok(stays, second.log());
  assert.equal(stays[1], advice);
  // Started, as a start of Lifeguard starts its commands, and not restarted when it crashes again.
  assert.ok(await second.waitForLog(/"bot" exited with code 1 (right after its start|after )/), second.log());

  assert.doesNotMatch(second.log(), /\[RESTART\]/, "gave-up: its crash is not answered with a restart");
  // The human fixes the cause and pastes the advice, while this Lifeguard holds the store open.
  rmSync(join(lab.app, "broken"));
  const reset = await lab.shell(advice);
  assert.equal(reset.exitCode, 0, reset.stderr);
  assert.match(reset.stdout, /Reset "bot": automatic restarts re-armed, restart window \(3 restarts\) and backoff cleared/);
  assert.ok(await second.waitForLog(/\[RESTART\] "bot" restarted \(reason: running\), 1 of 3 in the last 1h/), second.log());
  assert.ok(await second.waitForLog(/\n[^\n]*\[OK\] "bot" is healthy again after /), second.log());
  const healthy = await lab.shell(`lifeguard status --state ${lab.root}`);
  assert.match(healthy.stdout, /^bot +\/bin\/sh -c .* +healthy\b/m);
  assert.equal(await second.stop(), 0);
  assert.deepEqual(lab.bot.survivors(), [], "no bot outlives Lifeguard");
});
