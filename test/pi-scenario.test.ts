// The seed's Raspberry Pi scenario, end to end, as docs/deployment.md tells it: a Python bot that
// has no unit yet, on a box with systemd, polkit and a journal. `lifeguard init` from flags only
// (the bot's unit with the seed's MemoryMax=1G and CPUQuota=80%, its log, alerts by an exec
// channel into the journal, a test alert), `lifeguard install` with nothing else (the config in
// /etc/lifeguard, where every command finds it), `lifeguard doctor` content, and then the bot
// frozen: Lifeguard, at its default interval and threshold, restarts it and the alert arrives.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { logBotArgv } from "../src/testing/bots.js";
import { sandboxSupport } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN } from "./support/lab.js";
import { BOT_UNIT, lastRestart, startInstallLab, type InstallLab } from "./support/install-lab.js";

const support = sandboxSupport();
/** Two failing rounds at the default 30 s interval, and the restart. */
const DETECTED_WITHIN_MS = 120_000;

/** The files a dry run of install shows: `- write PATH (...):` then the file, each line indented by 4. */
function filesShown(output: string): Map<string, string> {
  const files = new Map<string, string>();
  const lines = output.split("\n");
  lines.forEach((line, at) => {
    const path = /^- write (\S+) \(.*\):$/.exec(line)?.[1];
    if (path === undefined) return;
    const body = lines.slice(at + 1);
    const end = body.findIndex((next) => !next.startsWith("    "));
    files.set(path, body.slice(0, end === -1 ? body.length : end).map((next) => next.slice(4).trimEnd()).join("\n"));
  });
  return files;
}

describe("the seed's Raspberry Pi scenario: init, install, doctor, a freeze", { skip: support.ok ? false : support.reason }, () => {
  let lab: InstallLab;
  let dryRunFiles = new Map<string, string>();
  /** `lifeguard ARGS` as root in the box, without -c: the config is /etc/lifeguard/lifeguard.yaml. */
  const lifeguard = (args: string[]) => lab.sandbox.exec([process.execPath, BIN, ...args], { timeoutMs: 240_000, cwd: "/" });
  const alerts = async () => (await lab.sandbox.exec(["journalctl", "--no-pager", "-o", "cat", "_COMM=logger"])).stdout;

  before(async () => {
    lab = await startInstallLab("pi");
  });
  after(async () => {
    await lab?.close();
  });

  test("init writes /etc/lifeguard/lifeguard.yaml from flags, with the bot's own unit, and its test alert reaches the journal", async () => {
    const log = join(lab.botDir, "gemini_trader.log");
    const bot = logBotArgv(log, { everyMs: 500, script: lab.script, pidFile: join(lab.botDir, "bot.pid") });
    const init = await lifeguard(["init", "--unit", BOT_UNIT.replace(/\.service$/, ""), "--run-as", "nobody", "--workdir", lab.botDir, "--memory-max", "1G", "--cpu-quota", "80%",
      "--log", log, "--max-age", "10s", "--alert", "exec", "--exec", "/usr/bin/logger", "--test-alert", "--state", join(lab.box, "state"), "--", ...bot]);
    assert.equal(init.exitCode, 0, `${init.stdout}\n${init.stderr}`);
    assert.match(init.stdout, /^Wrote \/etc\/lifeguard\/lifeguard\.yaml \(mode 0640\)\.$/m);
    assert.match(init.stdout, /^ {2}lifeguard install -c \/etc\/lifeguard\/lifeguard\.yaml {3}# write the bot's unit and Lifeguard's/m);
    assert.match(await alerts(), /"kind":"test"/);
    // Before install, doctor's fix for the bot's missing unit, and for its log not written yet, is
    // install (which writes the unit and starts it), not a unit file by hand nor a start of no unit.
    const doctor = await lifeguard(["doctor"]);
    assert.match(doctor.stdout, new RegExp(`^FAIL  unit ${BOT_UNIT.replace(".", "\\.")} of ".*" does not exist yet \\(LoadState=not-found\\): \`lifeguard install\` writes it from its install-unit:\n {6}fix: lifeguard install$`, "m"), doctor.stdout);
    assert.match(doctor.stdout, new RegExp(`^FAIL  log ${log.replaceAll(".", "\\.")} of ".*" does not exist: .*\n {6}fix: lifeguard install$`, "m"), doctor.stdout);
  });

  test("install --dry-run prints every file it would write, in full, each under the header naming the command, and changes nothing", async () => {
    const dry = await lifeguard(["install", "--dry-run"]);
    assert.equal(dry.exitCode, 0, `${dry.stdout}\n${dry.stderr}`);
    dryRunFiles = filesShown(dry.stdout);
    assert.deepEqual([...dryRunFiles.keys()], [`/etc/systemd/system/${BOT_UNIT}`, "/etc/polkit-1/rules.d/50-lifeguard.rules", "/etc/systemd/system/lifeguard.service"], dry.stdout);
    for (const [path, content] of dryRunFiles) assert.match(content, /^(#|\/\/) Written by `lifeguard install --daemon --user lifeguard -c \/etc\/lifeguard\/lifeguard\.yaml` \(Lifeguard /, path);
    assert.match(dryRunFiles.get(`/etc/systemd/system/${BOT_UNIT}`) ?? "", /^MemoryMax=1073741824\nCPUQuota=80%$/m);
    for (const path of dryRunFiles.keys()) assert.notEqual((await lab.sandbox.exec(["test", "-e", path])).exitCode, 0, `${path} was not written`);
    assert.equal((await lab.sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2, "no user was created");
  });

  test("install, with nothing but the config init wrote: the bot runs under its own unit with its limits, Lifeguard as its own user; doctor finds nothing wrong", async () => {
    const installed = await lifeguard(["install"]);
    assert.equal(installed.exitCode, 0, `${installed.stdout}\n${installed.stderr}`);
    assert.match(installed.stdout, /Installed: every unit is active and Lifeguard's first round saw every service healthy/);
    assert.deepEqual(await lab.show(BOT_UNIT, ["MemoryMax", "CPUQuotaPerSecUSec", "User", "UnitFileState", "ActiveState"]), {
      MemoryMax: String(1024 ** 3), CPUQuotaPerSecUSec: "800ms", User: "nobody", UnitFileState: "enabled", ActiveState: "active",
    });
    // What the dry run printed is what install wrote, byte for byte.
    for (const [path, content] of dryRunFiles) assert.equal((await lab.sandbox.exec(["cat", path])).stdout, `${content}\n`, path);
    const doctor = await lifeguard(["doctor"]);
    assert.equal(doctor.exitCode, 0, doctor.stdout);
    assert.doesNotMatch(doctor.stdout, /^FAIL/m);
  });

  test("the bot freezes: at the default interval Lifeguard restarts it, and the alert arrives", async () => {
    await lab.freezeBotAndWaitForRestart(DETECTED_WITHIN_MS);
    const restart = await lastRestart(lab);
    assert.equal(restart?.ok, true, JSON.stringify(restart));
    assert.ok(await waitFor(async () => /"kind":"restart/.test(await alerts()), { timeoutMs: 30_000, intervalMs: 500 }), await alerts());
  });
});
