// `lifeguard logs` and the journal, against a real systemd and journald in a namespace sandbox: a
// systemd: service's journal through journalctl, followed until SIGTERM; and the journalctl command
// printed for Lifeguard's own log, run exactly as printed, shows what `lifeguard run` logged.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { listProcesses } from "../src/process/list-processes.js";
import { BIN, lifeguard, REPO } from "./support/lab.js";

const support = sandboxSupport();
const WAIT = { timeoutMs: 20_000, intervalMs: 100 };

describe("lifeguard logs and the journal, under real systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  let config = "";
  before(async () => {
    sandbox = await startSandbox({ journal: true });
    config = join(sandbox.workdir, "lifeguard.yaml");
    const services = { talker: { systemd: "talker" }, sleeper: { command: ["/bin/sleep", "100000"] } };
    writeFileSync(config, stringify({ state: join(sandbox.workdir, "state"), http: { listen: "127.0.0.1:0" }, services }));
    // A unit that says a numbered line every 100 ms, into the sandbox's own journal.
    await sandbox.writeUnit("talker.service", "[Service]\nExecStart=/bin/sh -c 'i=0; while true; do i=$((i+1)); echo \"talker line $i\"; sleep 0.1; done'\n");
    await sandbox.daemonReload();
    const started = await sandbox.exec(["systemctl", "start", "talker.service"]);
    assert.ok(started.ok, started.stderr);
  });
  after(async () => {
    await sandbox?.stop();
  });

  const talked = (text: string): number[] => [...text.matchAll(/talker line (\d+)$/gm)].map((match) => Number(match[1]));

  test("logs NAME of a systemd: service shows its unit's last lines from the journal, with ISO times", async () => {
    assert.ok(await waitFor(async () => talked((await sandbox.exec(["journalctl", "-u", "talker", "--no-pager"])).stdout).length >= 5, WAIT));
    const result = await lifeguard(sandbox, ["logs", "talker", "-n", "3", "-c", config]);
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = result.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 3, result.stdout);
    for (const line of lines) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} \S+ sh\[\d+\]: talker line \d+$/);
    const numbers = talked(result.stdout);
    assert.deepEqual(numbers, [numbers[0] as number, (numbers[0] as number) + 1, (numbers[0] as number) + 2]);
  });

  test("logs -f of a systemd: service follows its journal until SIGTERM, then exits 0", async (t) => {
    const follower = spawn(sandbox.nsenterArgs[0] as string, [...sandbox.nsenterArgs.slice(1), process.execPath, BIN, "logs", "talker", "-f", "-n", "1", "-c", config], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const group = follower.pid as number;
    t.after(() => void (follower.exitCode === null && follower.signalCode === null && process.kill(-group, "SIGKILL")));
    let stdout = "";
    let stderr = "";
    follower.stdout.setEncoding("utf8").on("data", (text: string) => void (stdout += text));
    follower.stderr.setEncoding("utf8").on("data", (text: string) => void (stderr += text));
    assert.ok(await waitFor(() => talked(stdout).length >= 4, WAIT), `${stdout}\n${stderr}`);
    // Lifeguard itself, nsenter's one child: nsenter passes no signal on, and would die of SIGTERM itself.
    const inside = listProcesses().find((stat) => stat.ppid === follower.pid);
    assert.ok(inside !== undefined);
    process.kill(inside.pid, "SIGTERM");
    const [code] = (await once(follower, "exit")) as [number | null];
    assert.equal(code, 0, stderr);
    const numbers = talked(stdout);
    assert.deepEqual(numbers, numbers.map((_, index) => (numbers[0] as number) + index), "new lines, in order, none missed");
  });

  test("without a log file, the journalctl command logs prints for Lifeguard's own log works as printed", async () => {
    await sandbox.writeUnit("lifeguard.service", `[Service]\nWorkingDirectory=${REPO}\nExecStart=${process.execPath} ${BIN} run -c ${config}\n`);
    await sandbox.daemonReload();
    const started = await sandbox.exec(["systemctl", "start", "lifeguard.service"]);
    assert.ok(started.ok, started.stderr);
    const advice = await lifeguard(sandbox, ["logs", "-n", "20", "-c", config]);
    assert.equal(advice.exitCode, 1);
    const printed = /"(journalctl -u lifeguard -n 20)" for the daemon/.exec(advice.stderr)?.[1];
    assert.ok(printed !== undefined, advice.stderr);
    let shown = "";
    const found = await waitFor(async () => {
      shown = (await sandbox.exec(printed.split(" "))).stdout;
      return /Lifeguard started: watching "talker", "sleeper"/.test(shown);
    }, WAIT);
    assert.ok(found, `${shown}\n${(await sandbox.exec(["systemctl", "status", "lifeguard.service"])).stdout}`);
    await sandbox.exec(["systemctl", "stop", "lifeguard.service"]);
  });
});
