import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isProcessAlive, readProcStat } from "../process/proc-stat.js";
import { runCommand } from "../process/run-command.js";
import { destroySandboxSync, reapStaleSandboxes, recordPath, type SandboxRecord } from "./sandbox/cleanup.js";
import { sandboxSupport, startSandbox } from "./systemd-sandbox.js";
import { waitFor } from "./wait-for.js";

const support = sandboxSupport();
const repo = fileURLToPath(new URL("../..", import.meta.url));
const harness = fileURLToPath(new URL("./systemd-sandbox.ts", import.meta.url));
/** A script for a child process that starts a sandbox, prints where it is, then does `then`. */
const childScript = (then: string): string[] => [process.execPath, "--import", "tsx", "-e",
  `import(${JSON.stringify(harness)}).then(async ({ startSandbox }) => {
    const box = await startSandbox();
    console.log(JSON.stringify({ pid: box.pid, workdir: box.workdir }));
    ${then}
  });`];

const cgroupDirs = (record: SandboxRecord): string[] =>
  ["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"].map((root) => `${root}/${record.cgroup}`).filter(existsSync);

describe("systemd sandbox", { skip: support.ok ? false : support.reason, timeout: 120_000 }, () => {
  test("boots a private systemd that runs units, and stop leaves no trace", async () => {
    const box = await startSandbox();
    const record = JSON.parse(readFileSync(recordPath(box.workdir), "utf8")) as SandboxRecord;
    try {
      assert.equal((await box.exec(["systemctl", "is-system-running"])).stdout.trim(), "running");
      await box.writeUnit("hello.service", "[Service]\nExecStart=/bin/sleep 300\n");
      await box.daemonReload();
      assert.equal((await box.exec(["systemctl", "start", "hello.service"])).ok, true);
      const cgroup = await box.exec(["systemctl", "show", "--property=ControlGroup", "hello.service"]);
      assert.equal(cgroup.stdout.trim(), `ControlGroup=/${record.cgroup}/system.slice/hello.service`, "units live in the sandbox's own cgroup subtree");
      assert.equal((await runCommand([...box.systemctl, "is-active", "hello.service"], { timeoutMs: 10_000 })).stdout.trim(), "active");
      // Its /tmp is private; its workdir is shared.
      assert.equal((await box.exec(["touch", "/tmp/lifeguard-private-probe", `${box.workdir}/shared-probe`])).ok, true);
      assert.equal(existsSync("/tmp/lifeguard-private-probe"), false);
      assert.equal(existsSync(`${box.workdir}/shared-probe`), true);
      assert.equal(existsSync(box.hostPath("/tmp/lifeguard-private-probe")), true);
    } finally {
      await box.stop();
    }
    assert.equal(isProcessAlive(box.pid, record.systemd?.startTime ?? null), false);
    assert.equal(record.unshare !== null && isProcessAlive(record.unshare.pid, record.unshare.startTime), false);
    assert.equal(existsSync(box.workdir), false);
    assert.deepEqual(cgroupDirs(record), []);
    await box.stop(); // idempotent
  });

  test("with journal, units log to a journald of its own", async () => {
    const box = await startSandbox({ journal: true });
    try {
      await box.writeUnit("talk.service", "[Service]\nType=oneshot\nExecStart=/bin/echo lifeguard-journal-probe\n");
      await box.daemonReload();
      assert.equal((await box.exec(["systemctl", "start", "talk.service"])).ok, true);
      const found = await waitFor(async () => (await box.exec(["journalctl", "-u", "talk.service", "--no-pager"])).stdout.includes("lifeguard-journal-probe"));
      assert.ok(found, "the unit's output is in the sandbox's journal");
      if (existsSync("/var/log/journal")) {
        assert.equal((await box.exec(["findmnt", "-n", "-o", "FSTYPE", "/var/log/journal"])).stdout.trim(), "tmpfs", "never the host's journal");
      }
    } finally {
      await box.stop();
    }
  });

  test("a test process that exits without stop() leaves no sandbox behind", async () => {
    const result = await runCommand(childScript("process.exit(0);"), { timeoutMs: 60_000, cwd: repo });
    assert.equal(result.exitCode, 0, result.stderr);
    const { pid, workdir } = JSON.parse(result.stdout) as { pid: number; workdir: string };
    assert.ok(await waitFor(() => readProcStat(pid) === null || readProcStat(pid)?.state === "Z"), "its systemd is gone");
    assert.equal(existsSync(workdir), false);
  });

  test("a sandbox of a killed test process is reaped by the next one", async () => {
    const [program, ...args] = childScript("setInterval(() => {}, 1000);");
    const child = spawn(program as string, args, { cwd: repo, stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString()));
    let record: SandboxRecord | undefined;
    try {
      assert.ok(await waitFor(() => out.includes("\n"), { timeoutMs: 60_000 }), "the child started a sandbox");
      const { workdir } = JSON.parse(out) as { workdir: string };
      record = JSON.parse(readFileSync(recordPath(workdir), "utf8")) as SandboxRecord;
      child.kill("SIGKILL"); // no exit handler runs
      await exited;
      assert.ok(record.systemd !== null && isProcessAlive(record.systemd.pid, record.systemd.startTime), "left behind");
      reapStaleSandboxes();
      assert.equal(isProcessAlive(record.systemd.pid, record.systemd.startTime), false);
      assert.equal(existsSync(workdir), false);
      assert.deepEqual(cgroupDirs(record), []);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      if (record !== undefined && existsSync(record.workdir)) destroySandboxSync(record, 2000);
    }
  });

  test("writeUnit refuses a name that would leave /run/systemd/system", async () => {
    const box = await startSandbox();
    try {
      await assert.rejects(box.writeUnit("../evil.service", ""), /Invalid unit name/);
    } finally {
      await box.stop();
    }
  });
});
