// A bot that forks a helper which leaves its process group with setsid() (an order router, a
// websocket feeder): every restart must stop the old helper with the bot, and Lifeguard must
// exit on SIGTERM although the helper holds its output pipes and ignores SIGTERM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyBotArgv, killCopies, livingCopies, registeredCopies } from "../../src/testing/copy-bot.js";
import { waitFor } from "../../src/testing/wait-for.js";
import { daemonConfig, daemonFiles, startDaemon } from "../support/daemon.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 50 };

const HELPERS = [
  { kind: "a setsid() helper", options: { helper: true } },
  { kind: "a setsid() helper that orphans itself with an empty environment", options: { helper: true, helperEnvFree: true } },
];

for (const { kind, options } of HELPERS) {
  test(`restarts of a bot with ${kind} leave one helper, and Lifeguard's SIGTERM leaves none`, async (t) => {
    const files = daemonFiles("lifeguard-setsid-");
    const copies = join(files.dir, "copies");
    const crashFile = join(files.dir, "crash");
    const log = join(files.dir, "bot.log");
    t.after(() => killCopies(copies));
    const lifeguard = startDaemon(t, files, daemonConfig(files, {
      services: {
        bot: {
          command: copyBotArgv(log, copies, { ...options, crashFile }),
          interval: "30s",
          checks: [{ "log-fresh": { path: log, "max-age": "1m" } }],
          "failure-threshold": 1,
          restart: { "stop-timeout": "1s", "kill-wait": "2s", "verify-timeout": "5s", backoff: { initial: "1s", max: "1s" }, limit: { max: 10, per: "1h" } },
        },
      },
    }));
    const oneOfEach = (): boolean => livingCopies(copies, "bot").length === 1 && livingCopies(copies, "helper").length === 1;
    assert.ok(await waitFor(oneOfEach, WAIT), lifeguard.log());
    for (let crash = 1; crash <= 3; crash += 1) {
      writeFileSync(crashFile, "");
      assert.ok(await waitFor(() => lifeguard.count(/\[RESTART\] "bot" restarted/) >= crash, WAIT), lifeguard.log());
      assert.ok(await waitFor(() => registeredCopies(copies).filter((copy) => copy.role === "helper").length >= crash + 1 && oneOfEach(), WAIT),
        `after restart ${crash}: ${JSON.stringify(livingCopies(copies))}\n${lifeguard.log()}`);
    }
    assert.equal(livingCopies(copies, "helper").length, 1, "the old helpers were stopped with their bots");

    process.kill(lifeguard.pid, "SIGTERM");
    // Bounded: before the fix Lifeguard logged "stopped" and never exited (the helper held its pipes).
    let exit: number | null | "running" = "running";
    void lifeguard.exited.then((code) => (exit = code));
    assert.ok(await waitFor(() => exit !== "running", WAIT), `Lifeguard did not exit after SIGTERM:\n${lifeguard.log()}`);
    assert.equal(exit, 0, lifeguard.log());
    assert.deepEqual(livingCopies(copies), [], "no helper outlives Lifeguard");
  });
}
