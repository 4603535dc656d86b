// Lifeguard as a real systemd unit (the sandbox's systemd 252, the unit of examples/systemd)
// supervising two commands. With
// Delegate=yes each command runs in a cgroup of its own, so a helper that leaves the process
// group with setsid(), clears its environment and loses its parent (found no other way when
// Lifeguard supervises more than one command) is stopped at every restart of its bot. Without
// delegation Lifeguard says why it has no cgroups and still leaves nothing behind when it stops.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { copyBotArgv, registeredCopies, type Copy } from "../../src/testing/copy-bot.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../../src/testing/systemd-sandbox.js";
import { waitFor } from "../../src/testing/wait-for.js";
import { BIN, REPO } from "../support/lab.js";

const support = sandboxSupport();
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
const UNIT = "lifeguard.service";
const EXAMPLE_UNIT = join(REPO, "examples", "systemd", UNIT);

describe("supervised commands under a Lifeguard unit", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.stop();
  });

  /** Writes Lifeguard's config and unit in a fresh directory, starts the unit; returns its files. */
  const startLifeguard = async (name: string, delegate: boolean): Promise<{ dir: string; copies: string; crashFile: string; log: () => string }> => {
    const dir = join(sandbox.workdir, name);
    const copies = join(dir, "copies");
    const crashFile = join(dir, "crash");
    mkdirSync(dir, { recursive: true });
    const watchdogLog = join(dir, "watchdog.log");
    const restart = { "stop-timeout": "1s", "kill-wait": "2s", "verify-timeout": "5s", backoff: { initial: "1s", max: "1s" }, limit: { max: 10, per: "1h" } };
    const config = {
      state: join(dir, "state"),
      log: { file: watchdogLog },
      services: {
        bot: {
          command: copyBotArgv(join(dir, "bot.log"), copies, { helper: true, helperEnvFree: true, crashFile }),
          interval: "30s",
          checks: [{ "log-fresh": { path: join(dir, "bot.log"), "max-age": "1m" } }],
          "failure-threshold": 1,
          restart,
        },
        // A second supervised command: the orphans Lifeguard adopts can then not be told apart by parentage.
        feeder: { command: ["/bin/sleep", "1000"], interval: "30s", restart },
      },
    };
    writeFileSync(join(dir, "lifeguard.yaml"), stringify(config));
    // The unit the deployment guide installs, running this checkout on this config.
    const example = readFileSync(EXAMPLE_UNIT, "utf8")
      .replace(/^ExecStart=.*$/m, `ExecStart=${process.execPath} ${BIN} run -c ${join(dir, "lifeguard.yaml")}`)
      .replace(/^Delegate=yes\n/m, delegate ? "Delegate=yes\n" : "");
    assert.equal(example.includes("Delegate=yes"), delegate);
    await sandbox.writeUnit(UNIT, example);
    await sandbox.exec(["systemctl", "stop", UNIT]); // one a failed test left running
    await sandbox.daemonReload();
    const log = (): string => (existsSync(watchdogLog) ? readFileSync(watchdogLog, "utf8") : "(no watchdog log)");
    const started = await sandbox.exec(["systemctl", "start", UNIT]);
    assert.ok(started.ok, `${started.stderr}\n${log()}`);
    return { dir, copies, crashFile, log };
  };

  /** The registered copies that still run, as the sandbox numbers its processes. */
  const living = (copies: string, role: Copy["role"]): Copy[] =>
    registeredCopies(copies).filter((copy) => copy.role === role && isLiving(sandbox, copy));
  const cgroupOf = (pid: number): string => readFileSync(sandbox.hostPath(`/proc/${pid}/cgroup`), "utf8").split("\n").find((line) => line.startsWith("0::"))?.slice(3) ?? "";
  const mainPid = async (): Promise<number> => Number((await sandbox.exec(["systemctl", "show", "--property=MainPID", "--value", UNIT])).stdout.trim());

  test("with Delegate=yes, each command runs in a cgroup of its own and an orphaned helper with an empty environment goes with its bot", async () => {
    const lifeguard = await startLifeguard("delegated", true);
    const oneOfEach = (): boolean => living(lifeguard.copies, "bot").length === 1 && living(lifeguard.copies, "helper").length === 1;
    assert.ok(await waitFor(oneOfEach, WAIT), lifeguard.log());
    assert.match(lifeguard.log(), /\] Each supervised command runs in a cgroup of its own below \/sys\/fs\/cgroup\/\S*\/lifeguard\.service: whatever it starts is stopped with it/);

    const [helper] = living(lifeguard.copies, "helper");
    const unitCgroup = cgroupOf(await mainPid()).replace(/\/supervisor$/, "");
    assert.match(unitCgroup, /\/lifeguard\.service$/);
    assert.equal(cgroupOf(await mainPid()), `${unitCgroup}/supervisor`, "Lifeguard moved itself out of the inner cgroup");
    assert.equal(cgroupOf((helper as Copy).pid), `${unitCgroup}/service-bot`, "the helper stayed in its bot's cgroup after setsid() and its parent's end");

    for (let crash = 1; crash <= 2; crash += 1) {
      writeFileSync(lifeguard.crashFile, "");
      const restarted = (): boolean => (lifeguard.log().match(/\[RESTART\] bot: "bot" restarted/g) ?? []).length >= crash;
      assert.ok(await waitFor(restarted, WAIT), lifeguard.log());
      const helpers = (): number => registeredCopies(lifeguard.copies).filter((copy) => copy.role === "helper").length;
      assert.ok(await waitFor(() => helpers() >= crash + 1 && oneOfEach(), WAIT),
        `after restart ${crash}: ${JSON.stringify(registeredCopies(lifeguard.copies).map((copy) => ({ ...copy, living: isLiving(sandbox, copy), stat: sandbox.procStat(copy.pid) })))}\n${lifeguard.log()}`);
    }

    const stopped = await sandbox.exec(["systemctl", "stop", UNIT]);
    assert.ok(stopped.ok, stopped.stderr);
    const result = (await sandbox.exec(["systemctl", "show", "--property=Result", "--value", UNIT])).stdout.trim();
    assert.equal(result, "success", `Lifeguard stopped by itself, before TimeoutStopSec:\n${lifeguard.log()}`);
    assert.deepEqual([...living(lifeguard.copies, "bot"), ...living(lifeguard.copies, "helper")], []);
  });

  test("without delegation, Lifeguard says how it follows the commands instead, and leaves nothing behind when it stops", async () => {
    const lifeguard = await startLifeguard("plain", false);
    assert.ok(await waitFor(() => living(lifeguard.copies, "helper").length === 1 && living(lifeguard.copies, "bot").length === 1, WAIT), lifeguard.log());
    assert.match(lifeguard.log(), /\] Supervised commands are followed by process group, run token and as orphans Lifeguard adopts, not by a cgroup of their own, as its cgroup \S*\/lifeguard\.service is not delegated to it \(Delegate=yes in Lifeguard's unit gives each command one\)/);
    assert.doesNotMatch(lifeguard.log(), /runs in a cgroup of its own/);
    const stopped = await sandbox.exec(["systemctl", "stop", UNIT]);
    assert.ok(stopped.ok, stopped.stderr);
    assert.deepEqual([...living(lifeguard.copies, "bot"), ...living(lifeguard.copies, "helper")], []);
  });
});

function isLiving(sandbox: Sandbox, copy: Copy): boolean {
  const stat = sandbox.procStat(copy.pid);
  return stat !== null && stat.startTime === copy.startTime && stat.state !== "Z";
}
