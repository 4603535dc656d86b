// Lifeguard killed with SIGKILL (or by the OOM killer) while it supervises a bot, at rest or in
// the middle of a restart: started again on the same config, it must never run a second copy.
// The bot writes its own log (not stdout), ignores SIGTERM and has a setsid() helper: the
// hardest survivor to find and to stop.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyBotArgv, killCopies, livingCopies } from "../../src/testing/copy-bot.js";
import { waitFor } from "../../src/testing/wait-for.js";
import { daemonConfig, daemonFiles, startDaemon, type DaemonFiles, type DaemonUnderTest } from "../support/daemon.js";
import { BIN, REPO } from "../support/lab.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 50 };

function botConfig(files: DaemonFiles, copies: string, freezeFile: string, stopTimeout = "20s"): Record<string, unknown> {
  const log = join(files.dir, "bot.log");
  return daemonConfig(files, {
    services: {
      bot: {
        command: copyBotArgv(log, copies, { ignoreTerm: true, helper: true, freezeFile }),
        interval: "1s",
        checks: [{ "log-fresh": { path: log, "max-age": "2s" } }],
        "failure-threshold": 1,
        "startup-grace": "1s",
        // A long stop timeout: a SIGKILL of Lifeguard lands while it waits for the bot to obey SIGTERM;
        // a long verify timeout: one lands while it verifies a new bot that is still frozen.
        restart: { "stop-timeout": stopTimeout, "kill-wait": "2s", "verify-timeout": "60s", limit: { max: 5, per: "1h" } },
      },
    },
  });
}

/** The events of `lifeguard history --json`, as a user reads them. */
function historyEvents(files: DaemonFiles): Array<{ kind: string; message: string }> {
  const result = spawnSync(process.execPath, [BIN, "history", "--json", "-c", join(files.dir, "lifeguard.yaml")], { cwd: REPO, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  const { entries } = JSON.parse(result.stdout) as { entries: Array<{ type: string; event?: { kind: string; message: string } }> };
  return entries.flatMap((entry) => (entry.type === "event" && entry.event !== undefined ? [entry.event] : []));
}

async function killHard(lifeguard: DaemonUnderTest): Promise<void> {
  process.kill(lifeguard.pid, "SIGKILL"); // Lifeguard alone: its bot lives in a session of its own
  await lifeguard.exited;
}

const MOMENTS = [
  { moment: "at rest", stopTimeout: "20s", waitFor: null },
  { moment: "while it waits for the bot to obey SIGTERM during a restart", stopTimeout: "20s", waitFor: /Restarting "bot"/ },
  { moment: "after a restart started the new bot, while it verifies it", stopTimeout: "1s", waitFor: /Restart step start: Started "bot"/ },
] as const;

for (const { moment, stopTimeout, waitFor: reached } of MOMENTS) {
  test(`Lifeguard killed ${moment} and started again leaves exactly one bot running`, async (t) => {
    const files = daemonFiles("lifeguard-kill9-");
    const copies = join(files.dir, "copies");
    const freezeFile = join(files.dir, "freeze");
    t.after(() => killCopies(copies));
    const config = botConfig(files, copies, freezeFile, stopTimeout);
    const first = startDaemon(t, files, config);
    assert.ok(await waitFor(() => livingCopies(copies, "bot").length === 1 && livingCopies(copies, "helper").length === 1, WAIT), first.log());

    if (reached !== null) {
      writeFileSync(freezeFile, "");
      assert.ok(await waitFor(() => reached.test(first.log()), WAIT), first.log());
    }
    await killHard(first);
    const leftBehind = livingCopies(copies, "bot");
    assert.equal(leftBehind.length, 1, "the fault: the bot survives its Lifeguard");
    rmSync(freezeFile, { force: true });

    // Both Lifeguards write the same watchdog log: the second one's start is the next "Started" line.
    const starts = (): number => first.count(/Started "bot" \(PID \d+\)/);
    const startsBefore = starts();
    const second = startDaemon(t, files, config);
    assert.ok(await waitFor(() => starts() > startsBefore, WAIT), second.log());
    assert.deepEqual(livingCopies(copies, "bot").map((copy) => copy.pid === leftBehind[0]?.pid), [false], "one bot, and not the one left behind");
    assert.match(second.log(), new RegExp(`Started "bot" \\(PID \\d+\\) after stopping the copy that a previous Lifeguard left running \\(PID ${leftBehind[0]?.pid}, up [^;]+; 2 processes: PIDs [\\d, ]+; SIGTERM, then SIGKILL after ${stopTimeout}\\)`));
    assert.ok(await waitFor(() => livingCopies(copies, "helper").length === 1, WAIT), "the new bot's helper runs");
    assert.equal(livingCopies(copies, "bot").length, 1, "exactly one bot");
    const replaced = historyEvents(files).filter((event) => event.kind === "replaced");
    assert.equal(replaced.length, 1, JSON.stringify(historyEvents(files)));
    assert.match(replaced[0]?.message ?? "", /after stopping the copy that a previous Lifeguard left running/);

    process.kill(second.pid, "SIGTERM");
    assert.ok(await waitFor(() => existsSync(files.watchdogLog) && /Lifeguard stopped/.test(second.log()), WAIT), second.log());
    assert.equal(await second.exited, 0);
    assert.deepEqual(livingCopies(copies), [], "nothing outlives Lifeguard's SIGTERM");
  });
}

test("a second Lifeguard started on the same config while the first runs never stops or doubles the first one's bot", async (t) => {
  const files = daemonFiles("lifeguard-twice-");
  const copies = join(files.dir, "copies");
  t.after(() => killCopies(copies));
  const config = botConfig(files, copies, join(files.dir, "freeze"));
  const first = startDaemon(t, files, config);
  assert.ok(await waitFor(() => livingCopies(copies, "bot").length === 1, WAIT), first.log());
  const [bot] = livingCopies(copies, "bot");
  // The second one refuses before it starts anything: the store says who watches "bot".
  const second = spawnSync(process.execPath, [BIN, "run", "-c", join(files.dir, "lifeguard.yaml")], { cwd: REPO, encoding: "utf8", timeout: 60_000 });
  assert.equal(second.status, 70, second.stderr);
  const refusal = `lifeguard: Cannot start as another Lifeguard (PID ${first.pid}, started TIME) watches "bot" with the state directory "${files.state}"\nhint: Stop that Lifeguard first, or give this configuration a state directory of its own (\`state:\`).\n`;
  assert.equal(second.stderr.replace(/started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)/, "started TIME)"), refusal);
  assert.deepEqual(livingCopies(copies, "bot").map((copy) => copy.pid), [bot?.pid], "the first one's bot runs on, alone");
  process.kill(first.pid, "SIGTERM");
  assert.equal(await first.exited, 0);
  assert.deepEqual(livingCopies(copies), []);
});
