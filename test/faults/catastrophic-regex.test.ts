// A log pattern that backtracks exponentially ("(a+)+$") against the lines that trigger it (40
// "a"s and a "b", thousands of them, and lines of megabytes) must not freeze the daemon: every
// other service is still judged on time, /healthz answers, and SIGTERM stops it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { logBotArgv } from "../../src/testing/bots.js";
import { waitFor } from "../../src/testing/wait-for.js";
import { daemonConfig, daemonFiles, sleeperCommand, startDaemon, statusUrl, trackBot } from "../support/daemon.js";

const WAIT = { timeoutMs: 20_000, intervalMs: 50 };
/** A backtracking engine takes about 2^40 steps to find that "(a+)+$" does not match this line. */
const ADVERSARIAL = `${"a".repeat(40)}b`;

test("a catastrophic pattern over adversarial log lines holds up neither the other services, nor /healthz, nor SIGTERM", { timeout: 120_000 }, async (t) => {
  const files = daemonFiles("lifeguard-regex-");
  const adversarialLog = join(files.dir, "adversarial.log");
  const crasherLog = join(files.dir, "crasher.log");
  const chewer = trackBot(join(files.dir, "chewer.pid"));
  const crasher = trackBot(join(files.dir, "crasher.pid"));
  writeFileSync(adversarialLog, `${Array.from({ length: 5000 }, () => ADVERSARIAL).join("\n")}\n${"a".repeat(1024 * 1024)}b\n`);
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    services: {
      chewer: {
        command: sleeperCommand(join(files.dir, "chewer.pid")),
        interval: "1s",
        checks: [{ "log-activity": { path: adversarialLog, lines: 10_000, match: "(a+)+$", forbid: "(a|a)*!", timeout: "2s", "alert-only": true } }],
      },
      crasher: {
        command: logBotArgv(crasherLog, { everyMs: 100, crashAfter: 30, pidFile: join(files.dir, "crasher.pid") }),
        interval: "30s",
        checks: [{ "log-fresh": { path: crasherLog, "max-age": "1m" } }],
        "failure-threshold": 1,
        restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "5s", backoff: { initial: "1m", max: "1m" } },
      },
    },
  }), [chewer, crasher]);
  const seeing = (pattern: RegExp) => () => (chewer.current(), crasher.current(), pattern.test(lifeguard.log()));
  // More adversarial lines keep coming while the daemon works: each round of "chewer" reads them.
  const feeding = new AbortController();
  t.after(() => feeding.abort());
  void (async () => {
    while (!feeding.signal.aborted) {
      appendFileSync(adversarialLog, `${ADVERSARIAL}\n${"a".repeat(200_000)}b\n`);
      await delay(200, undefined, { signal: feeding.signal }).catch(() => undefined);
    }
  })();

  // "chewer" ran its check over the adversarial lines (alert-only: a warning, no restart)...
  assert.ok(await waitFor(seeing(/\[WARN\] chewer: No recent activity: 0 lines matching \(a\+\)\+\$ in last 10000/), WAIT), lifeguard.log());
  // ...and the daemon still answers the other service's crash at once.
  assert.ok(await waitFor(seeing(/\[RESTART\] crasher: "crasher" restarted \(reason: running\)/), WAIT), lifeguard.log());

  const url = statusUrl(lifeguard.log());
  assert.ok(url !== undefined, lifeguard.log());
  for (let round = 0; round < 3; round += 1) {
    const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(health.status, 200);
  }

  feeding.abort();
  process.kill(lifeguard.pid, "SIGTERM");
  const code = await Promise.race([lifeguard.exited, delay(20_000, "still running after SIGTERM", { ref: false })]);
  assert.equal(code, 0, lifeguard.log());
  assert.match(lifeguard.log(), /Lifeguard stopped/);
  assert.deepEqual([...chewer.survivors(), ...crasher.survivors()], []);
});
