import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { runnerContract } from "./runner.contract.js";
import { SystemdRunner } from "./systemd.js";
import { openSystemdBus, type SystemdBus } from "../process/systemd-bus.js";
import { botUnit, LAB_COMMAND_TIMEOUT_MS, systemdLab } from "../testing/systemd-lab.js";
import { logBotArgv } from "../testing/bots.js";
import { join } from "node:path";
import { createCheck } from "../checks/registry.js";
import { systemClock } from "../process/system-clock.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../testing/systemd-sandbox.js";
import { waitFor } from "../testing/wait-for.js";

const support = sandboxSupport();
const forever = (): AbortSignal => new AbortController().signal;

describe("SystemdRunner reading unit states over a real system bus", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox | undefined;
  let bus: SystemdBus | undefined;
  let lab: ReturnType<typeof systemdLab> | undefined;
  const lines: string[] = [];
  const current = (): Sandbox => {
    if (sandbox === undefined) throw new Error("The sandbox did not start");
    return sandbox;
  };
  const address = (): string => `unix:path=${current().hostPath("/run/dbus/system_bus_socket")}`;
  const runnerFor = (unit: string, through: SystemdBus): SystemdRunner =>
    new SystemdRunner({ unit, commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS, systemctl: current().systemctl, bus: through });

  before(async () => {
    sandbox = await startSandbox();
    const started = await sandbox.exec(["systemctl", "start", "dbus.socket"]);
    if (!started.ok) throw new Error(`Cannot start the sandbox's bus: ${started.stderr}`);
    bus = openSystemdBus(address(), { onDown: (line) => lines.push(line), onBack: (line) => lines.push(line) });
    lab = systemdLab(sandbox, { bus });
  });
  after(async () => {
    await bus?.close();
    await sandbox?.stop();
  });

  test("status reads the unit through the bus", async () => {
    const status = await runnerFor("dbus.socket", bus as SystemdBus).status(forever());
    assert.equal(status.summary, `Unit "dbus.socket" is "active" ("running")`);
    assert.equal(status.evidence.via, "dbus");
    assert.equal(status.evidence.result, "success");
    const missing = await runnerFor("nobody-here.service", bus as SystemdBus).status(forever());
    assert.equal(missing.summary, `Unit "nobody-here.service" is not loaded: not-found`);
    assert.equal(missing.evidence.via, "dbus");
  });

  runnerContract(() => {
    if (lab === undefined) throw new Error("The sandbox did not start");
    return lab;
  });

  test("processes reads the unit's cgroup over the bus, without systemctl", async () => {
    const service = await (lab as ReturnType<typeof systemdLab>).service({});
    const runner = new SystemdRunner({ unit: service.runner.target, commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS, systemctl: ["/nonexistent/systemctl"], bus: bus as SystemdBus });
    const listed = await runner.processes(forever());
    assert.ok(!("problem" in listed), "problem" in listed ? listed.problem : "");
    assert.match(listed.source, /^cgroup \/.*\/bot-\d+\.service$/);
    assert.equal(listed.processes.length, 1);
    assert.deepEqual(listed.main, listed.processes[0]);
  });

  test("watchChanges hears a crash the moment systemd reports it, and not the runner's own stop and start", async () => {
    const service = await (lab as ReturnType<typeof systemdLab>).service({});
    let heard = 0;
    const watch = (service.runner as SystemdRunner).watchChanges(() => (heard += 1));
    assert.ok(watch !== null);
    await watch.ready;
    try {
      const { bot } = await service.processes();
      assert.ok((await current().exec(["kill", "-KILL", String(bot.pid)])).ok);
      assert.ok(await waitFor(() => heard > 0, { timeoutMs: 20_000 }), "the crash was not reported");
      assert.equal((await service.runner.status(forever())).state, "failed");
      // The runner's own steps are not news: a start (the restart) wakes nobody while it runs.
      const before = heard;
      const started = await service.runner.start(20_000, forever());
      assert.equal(started.ok, true, started.summary);
      assert.equal(heard, before, "the runner's own start was reported as a change");
    } finally {
      watch.stop();
    }
  });

  test("many reads at once stay within the bus's limit on pending replies: each is answered over the bus", async () => {
    // 150 reads of three calls each: more replies pending than dbus-daemon allows one connection (128).
    const reads = await Promise.all(Array.from({ length: 150 }, () => (bus as SystemdBus).unitState("dbus.socket", 20_000, forever())));
    const failures = reads.flatMap((read) => ("failure" in read ? [read.failure.message] : []));
    assert.deepEqual(failures, []);
    assert.equal((bus as SystemdBus).down, null);
  });

  test("a followed unit's status costs no read until systemd reports a change, and then shows it", async () => {
    const service = await (lab as ReturnType<typeof systemdLab>).service({});
    // A bus of its own, followed while it first connects (as the daemon does at its start).
    const fresh = openSystemdBus(address());
    // Trusted for an hour: only the reported change can make status read again within the test.
    const runner = new SystemdRunner({ unit: service.runner.target, commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS, systemctl: current().systemctl, bus: fresh, trustMs: 3_600_000 });
    const watch = runner.watchChanges(() => undefined);
    assert.ok(watch !== null);
    await watch.ready;
    try {
      assert.ok(await waitFor(() => watch.live, { timeoutMs: 20_000 }), "the watch never became live");
      const first = await runner.status(forever());
      assert.equal(first.state, "active", first.summary);
      // Nothing changed: the same answer, not a new read.
      assert.equal(await runner.status(forever()), first);
      const { bot } = await service.processes();
      assert.ok((await current().exec(["kill", "-KILL", String(bot.pid)])).ok);
      assert.ok(await waitFor(async () => (await runner.status(forever())).state === "failed", { timeoutMs: 20_000 }), "the crash never showed");
      // No longer followed: every status reads.
      watch.stop();
      const after = await runner.status(forever());
      assert.notEqual(await runner.status(forever()), after);
    } finally {
      watch.stop();
      await fresh.close();
    }
  });

  test("the running check of a unit followed over the bus holds its finding until systemd reports a change", async () => {
    const service = await (lab as ReturnType<typeof systemdLab>).service({});
    const runner = new SystemdRunner({ unit: service.runner.target, commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS, systemctl: current().systemctl, bus: bus as SystemdBus });
    const watch = runner.watchChanges(() => undefined);
    assert.ok(watch !== null);
    const check = createCheck({ kind: "running", id: "running", timeoutMs: 5000, alertOnly: false }, { clock: systemClock, runner, serviceName: "bot", heartbeats: unusedHeartbeats });
    const stopFollowing = check.follow?.(() => undefined, () => undefined);
    try {
      assert.ok(await waitFor(() => watch.live, { timeoutMs: 20_000 }), "the watch never became live");
      assert.equal((await check.run(forever())).ok, true);
      assert.equal(check.holdsFor?.(), Number.POSITIVE_INFINITY);
      const { bot } = await service.processes();
      assert.ok((await current().exec(["kill", "-KILL", String(bot.pid)])).ok);
      assert.ok(await waitFor(() => check.holdsFor?.() === 0, { timeoutMs: 20_000 }), "the crash did not end the hold");
      assert.equal((await check.run(forever())).ok, false);
      assert.equal(check.holdsFor?.(), 0, "a failed finding never holds");
    } finally {
      stopFollowing?.();
      watch.stop();
    }
  });

  test("stop, kill and start go through the bus alone, with no systemctl to fall back on", async () => {
    const service = await (lab as ReturnType<typeof systemdLab>).service({});
    const { bot } = await service.processes();
    // A systemctl that always fails: only the bus can carry these steps out.
    const runner = new SystemdRunner({ unit: service.runner.target, commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS, systemctl: ["false"], bus: bus as SystemdBus });
    const stop = await runner.stop(20_000, forever());
    assert.equal(stop.ok, true, stop.summary);
    assert.equal(stop.evidence.mainPidBefore, bot.pid);
    assert.equal((stop.evidence.states as string[]).at(-1), "inactive/dead");
    const kill = await runner.kill(5_000, forever());
    assert.equal(kill.ok, true, kill.summary);
    assert.equal(kill.evidence.via, "dbus");
    const start = await runner.start(20_000, forever());
    assert.equal(start.ok, true, `${start.summary} ${start.cause ?? ""}`);
    assert.match(start.summary, /^Started unit "bot-\d+\.service": it is "active" \("running", main PID \d+\)$/);
    assert.notEqual(start.evidence.mainPidAfter, bot.pid);
    // A crash: the unit is down already, so the stop has nothing to do and says so.
    assert.ok((await current().exec(["kill", "-KILL", String(start.evidence.mainPidAfter)])).ok);
    assert.ok(await waitFor(async () => (await runner.status(forever())).state === "failed", { timeoutMs: 20_000 }));
    const again = await runner.stop(20_000, forever());
    assert.equal(again.ok, true, again.summary);
    assert.match(again.summary, /^Unit "bot-\d+\.service" is "failed" \("failed", result "signal"\): nothing to stop$/);
    assert.equal((await runner.start(20_000, forever())).ok, true);
    assert.equal((await runner.kill(5_000, forever())).ok, true);
  });

  test("a bus that hangs mid-restart bounds the start by its timeout, and the bus is used again once it answers", async () => {
    const service = await (lab as ReturnType<typeof systemdLab>).service({});
    const runner = new SystemdRunner({ unit: service.runner.target, commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS, systemctl: ["false"], bus: bus as SystemdBus });
    assert.equal((await runner.stop(20_000, forever())).ok, true);
    const busPid = (await current().exec(["systemctl", "show", "--property=MainPID", "--value", "dbus.service"])).stdout.trim();
    assert.ok((await current().exec(["kill", "-STOP", busPid])).ok);
    let start;
    try {
      start = await runner.start(1000, forever());
    } finally {
      assert.ok((await current().exec(["kill", "-CONT", busPid])).ok);
    }
    assert.equal(start.ok, false);
    assert.equal(start.timedOut, true);
    assert.equal(start.summary, `Unit "${service.runner.target}" did not finish starting within 1s`);
    // A call that timed out says nothing of the bus: it is still the one asked.
    assert.equal((bus as SystemdBus).down, null);
    assert.ok(await waitFor(async () => (await runner.status(forever())).evidence.via === "dbus", { timeoutMs: 20_000 }), "the bus never answered again");
    assert.equal((await runner.kill(5_000, forever())).ok, true);
  });

  test("a start job that fails is the start's failure, with the job's result", async () => {
    const box = current();
    await box.writeUnit("no-exec.service", "[Service]\nType=exec\nExecStart=/nonexistent/bot\n");
    await box.daemonReload();
    const runner = new SystemdRunner({ unit: "no-exec.service", commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS, systemctl: ["false"], bus: bus as SystemdBus });
    const start = await runner.start(20_000, forever());
    assert.equal(start.ok, false);
    assert.equal(start.summary, `Cannot start unit "no-exec.service" as its start job ended "failed"`);
    assert.equal(start.cause, `systemd's start job for "no-exec.service" ended "failed" (journalctl -u no-exec.service says why)`);
    assert.equal(start.evidence.via, "dbus");
  });

  test("an action systemd refuses fails with systemd's words, and the bus stays in use", async () => {
    const box = current();
    const argv = logBotArgv(join(box.workdir, "stubborn.log"), { everyMs: 200 });
    await box.writeUnit("stubborn.service", botUnit(argv, join(box.workdir, "stubborn.pid"), "[Unit]\nRefuseManualStop=yes\n"));
    await box.daemonReload();
    const runner = new SystemdRunner({ unit: "stubborn.service", commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS, systemctl: current().systemctl, bus: bus as SystemdBus });
    assert.equal((await runner.start(20_000, forever())).ok, true);
    try {
      const stop = await runner.stop(5_000, forever());
      assert.equal(stop.ok, false);
      assert.equal(stop.summary, `Cannot stop unit "stubborn.service" as systemd answered its call over the system bus with an error`);
      assert.match(stop.cause ?? "", /^org\.freedesktop\.systemd1\.OnlyByDependency: Operation refused/);
      assert.equal((bus as SystemdBus).down, null);
      assert.equal((await runner.status(forever())).evidence.via, "dbus");
    } finally {
      await runner.kill(5_000, forever());
    }
  });

  test("a bus that is not there falls back to systemctl, said in one line", async () => {
    const said: string[] = [];
    const absent = openSystemdBus("unix:path=/nonexistent/lifeguard-bus", { onDown: (line) => said.push(line) });
    const runner = runnerFor("dbus.socket", absent);
    for (let round = 0; round < 3; round += 1) {
      const status = await runner.status(forever());
      assert.equal(status.summary, `Unit "dbus.socket" is "active" ("running")`);
      assert.equal(status.evidence.via, undefined);
    }
    assert.equal(said.length, 1, said.join("\n"));
    assert.match(said[0] ?? "", /^Cannot reach systemd over the system bus "unix:path=\/nonexistent\/lifeguard-bus" as .*ENOENT.*; systemctl answers until it is back$/);
    await absent.close();
    assert.equal(said.length, 1);
  });

  test("a bus that stops mid-use falls back to systemctl at the next read", async () => {
    const service = await (lab as ReturnType<typeof systemdLab>).service({});
    assert.equal((await service.runner.status(forever())).evidence.via, "dbus");
    assert.deepEqual(lines, []);
    const stopped = await current().exec(["systemctl", "stop", "dbus.service", "dbus.socket"]);
    assert.equal(stopped.ok, true, stopped.stderr);
    const status = await service.runner.status(forever());
    assert.equal(status.ok, true, status.summary);
    assert.equal(status.evidence.via, undefined);
    const stop = await service.runner.stop(20_000, forever());
    assert.equal(stop.ok, true, stop.summary);
    assert.equal((await service.runner.status(forever())).state, "inactive");
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0] ?? "", /^Cannot reach systemd over the system bus ".*" as .*; systemctl answers until it is back$/);
    // The bus comes back: the client reconnects by itself, says so once, and reads over it again.
    assert.ok((await current().exec(["systemctl", "start", "dbus.socket"])).ok);
    assert.ok(await waitFor(async () => (await service.runner.status(forever())).evidence.via === "dbus", { timeoutMs: 60_000, intervalMs: 250 }), lines.join("\n"));
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.match(lines[1] ?? "", /^The system bus ".*" answers again: units are read and controlled over it again, and their changes heard$/);
  });
});
