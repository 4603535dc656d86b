import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runnerContract } from "./runner.contract.js";
import { createSystemdRunner, SystemdRunner } from "./systemd.js";
import { logBotArgv } from "../testing/bots.js";
import { botUnit, LAB_COMMAND_TIMEOUT_MS, systemdLab } from "../testing/systemd-lab.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../testing/systemd-sandbox.js";

const support = sandboxSupport();
const forever = (): AbortSignal => new AbortController().signal;

describe("SystemdRunner against a real systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox | undefined;
  const current = (): Sandbox => {
    if (sandbox === undefined) throw new Error("The sandbox did not start");
    return sandbox;
  };
  const runnerFor = (unit: string): SystemdRunner => new SystemdRunner({ unit, commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS, systemctl: current().systemctl });
  let lab: ReturnType<typeof systemdLab> | undefined;

  before(async () => {
    sandbox = await startSandbox();
    lab = systemdLab(sandbox);
  });
  after(() => sandbox?.stop());

  runnerContract(() => {
    if (lab === undefined) throw new Error("The sandbox did not start");
    return lab;
  });

  test("status names a unit systemd does not know", async () => {
    const status = await runnerFor("nobody-here.service").status(forever());
    assert.equal(status.summary, `Unit "nobody-here.service" is not loaded: not-found`);
    assert.equal(status.evidence.loadState, "not-found");
  });

  test("a unit name that looks like an option stays a unit name", async () => {
    const status = await runnerFor("--help.service").status(forever());
    assert.equal(status.state, "not-found", status.summary);
  });

  test("status says why it cannot answer when systemctl hangs", async () => {
    const runner = runnerFor("frozen.service");
    process.kill(current().pid, "SIGSTOP");
    try {
      const status = await runner.status(forever());
      assert.equal(status.summary, `Cannot ask systemd about "frozen.service" as systemctl did not answer within 3s`);
      assert.equal(status.timedOut, true);
    } finally {
      process.kill(current().pid, "SIGCONT");
    }
  });

  test("stop and kill of an unknown unit fail with a clear summary", async () => {
    const runner = runnerFor("nobody-here.service");
    const stop = await runner.stop(5000, forever());
    assert.equal(stop.ok, false);
    assert.equal(stop.summary, `Cannot stop unit "nobody-here.service" as it is not loaded: not-found`);
    const kill = await runner.kill(500, forever());
    assert.equal(kill.ok, false);
    assert.equal(kill.summary, `Cannot kill unit "nobody-here.service" as it is not loaded: not-found`);
    const start = await runner.start(5000, forever());
    assert.equal(start.ok, false);
    assert.equal(start.summary, `Cannot start unit "nobody-here.service" as systemctl failed with exit code 5`);
    assert.equal(start.cause, "Failed to start nobody-here.service: Unit nobody-here.service not found.");
  });

  test("start is not refused by systemd's own start limit", async () => {
    const box = current();
    const argv = logBotArgv(join(box.workdir, "limited.log"), { everyMs: 200 });
    await box.writeUnit("limited.service", botUnit(argv, join(box.workdir, "limited.pid"), "[Unit]\nStartLimitBurst=1\nStartLimitIntervalSec=1h\n"));
    await box.daemonReload();
    const runner = createSystemdRunner({ kind: "systemd", unit: "limited.service", commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS, installUnit: null }, { systemctl: box.systemctl });
    for (let round = 1; round <= 3; round += 1) {
      const start = await runner.start(20_000, forever());
      assert.equal(start.ok, true, `start ${round}: ${start.summary} ${start.cause ?? ""}`);
      assert.equal((await runner.kill(20_000, forever())).ok, true);
    }
  });

  test("kill counts a unit restarted by its own Restart= as killed", async () => {
    const box = current();
    const argv = logBotArgv(join(box.workdir, "phoenix.log"), { everyMs: 200 });
    await box.writeUnit("phoenix.service", botUnit(argv, join(box.workdir, "phoenix.pid"), "Restart=always\nRestartSec=10ms\n"));
    await box.daemonReload();
    const runner = runnerFor("phoenix.service");
    assert.equal((await runner.start(20_000, forever())).ok, true);
    const kill = await runner.kill(20_000, forever());
    assert.equal(kill.ok, true, kill.summary);
    assert.notEqual(kill.evidence.mainPidBefore, kill.evidence.mainPidAfter);
  });

  test("outcomes carry evidence of what was seen", async () => {
    const service = await (lab as ReturnType<typeof systemdLab>).service({});
    const { bot } = await service.processes();
    const stop = await service.runner.stop(20_000, forever());
    assert.equal(stop.evidence.mainPidBefore, bot.pid);
    assert.equal(stop.evidence.mainPidAfter, 0);
    assert.deepEqual((stop.evidence.states as string[]).at(-1), "inactive/dead");
    assert.match(stop.summary, /^Stopped unit "bot-\d+\.service" in \d+ms$|^Stopped unit "bot-\d+\.service" in \d+s$/);
    const start = await service.runner.start(20_000, forever());
    assert.match(start.summary, /^Started unit "bot-\d+\.service": it is "active" \("running", main PID \d+\)$/);
  });
});
