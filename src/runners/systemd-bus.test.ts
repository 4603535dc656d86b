import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { runnerContract } from "./runner.contract.js";
import { SystemdRunner } from "./systemd.js";
import { openSystemdBus, type SystemdBus } from "../process/systemd-bus.js";
import { LAB_COMMAND_TIMEOUT_MS, systemdLab } from "../testing/systemd-lab.js";
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
    assert.match(said[0] ?? "", /^Cannot read unit states over the system bus "unix:path=\/nonexistent\/lifeguard-bus" as .*ENOENT.*; systemctl show answers until it is back$/);
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
    assert.match(lines[0] ?? "", /^Cannot read unit states over the system bus ".*" as .*; systemctl show answers until it is back$/);
    // The bus comes back: the client reconnects by itself, says so once, and reads over it again.
    assert.ok((await current().exec(["systemctl", "start", "dbus.socket"])).ok);
    assert.ok(await waitFor(async () => (await service.runner.status(forever())).evidence.via === "dbus", { timeoutMs: 60_000, intervalMs: 250 }), lines.join("\n"));
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.match(lines[1] ?? "", /^The system bus ".*" answers again: unit states are read over it again, and their changes heard$/);
  });
});
