// `journal:` as the log of a service installed with `lifeguard install`: the daemon runs as the
// `lifeguard` system user, which journald shows none of a system unit's entries unless it is in
// `systemd-journal`. Real systemd and journald in a namespace sandbox with an /etc of its own:
// install adds the user to the group (recorded), the daemon as that user finds the unit's journal
// fresh; doctor, reading the journal as that user, fails without the group and passes with it;
// uninstall takes back exactly that membership, and /etc/group is as before.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { sandboxSupport } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN } from "./support/lab.js";
import { startInstallLab, type InstallLab } from "./support/install-lab.js";

const support = sandboxSupport();
const UNIT = "lg-talker.service";
const GROUPS = ["sh", "-c", "cat /etc/group /etc/gshadow"];
const FIX = "usermod -a -G systemd-journal lifeguard && systemctl try-restart lifeguard.service";

describe("lifeguard install with a journal: log source, under real systemd and journald", { skip: support.ok ? false : support.reason }, () => {
  let lab: InstallLab;
  let config = "";
  let groupsBefore = "";
  const run = (args: string[]) => lab.sandbox.exec([process.execPath, BIN, ...args, "-c", config], { timeoutMs: 240_000, cwd: "/" });
  const groups = async () => (await lab.sandbox.exec(GROUPS)).stdout;
  const members = async () => (await lab.sandbox.exec(["getent", "group", "systemd-journal"])).stdout.trim().split(":")[3] ?? "";
  const journalFinding = async () => {
    const doctor = await run(["doctor", "--json"]);
    const { findings } = JSON.parse(doctor.stdout) as { findings: Array<{ level: string; topic: string; message: string; fix?: string }> };
    return findings.find((finding) => finding.topic === "journal");
  };

  before(async () => {
    lab = await startInstallLab("journal");
    // What systemd-tmpfiles-setup.service does at a real boot (the sandbox masks it): the journal
    // is group systemd-journal's, whose members read it; without it only root does.
    const tmpfiles = await lab.sandbox.exec(["systemd-tmpfiles", "--create", "--prefix=/run/log/journal", "--prefix=/var/log/journal"]);
    assert.ok(tmpfiles.exitCode === 0 || tmpfiles.exitCode === 65, tmpfiles.stderr);
    config = join(lab.box, "journal.yaml");
    writeFileSync(config, stringify({
      state: join(lab.box, "journal-state"),
      log: { file: join(lab.box, "journal-log", "lifeguard.log") },
      services: {
        talker: {
          systemd: UNIT,
          // Logs to standard output only: its log is its journal.
          "install-unit": { "exec-start": ["/bin/sh", "-c", "while true; do echo working; sleep 0.2; done"], user: "nobody" },
          interval: "1s",
          // alert-only: a journal it cannot read is logged, the bot is never restarted for it.
          checks: [{ "log-fresh": { journal: "lg-talker", "max-age": "5s", "alert-only": true } }],
        },
      },
    }), { mode: 0o640 });
    groupsBefore = await groups();
  });
  after(async () => {
    await lab?.close();
  });

  const lifeguardLog = (): string => {
    try {
      return readFileSync(join(lab.box, "journal-log", "lifeguard.log"), "utf8");
    } catch {
      return "";
    }
  };

  test("--dry-run says the user joins systemd-journal, and changes nothing", async () => {
    const dry = await run(["install", "--dry-run"]);
    assert.equal(dry.exitCode, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, /^- add lifeguard to the group systemd-journal \(when not a member\), to read the journal of lg-talker\.service$/m);
    assert.equal(await groups(), groupsBefore);
  });

  test("install adds the user to systemd-journal; the daemon, as that user, finds the unit's journal fresh", async () => {
    const installed = await run(["install"]);
    assert.equal(installed.exitCode, 0, `${installed.stdout}\n${installed.stderr}`);
    assert.match(installed.stdout, /^user lifeguard: added to group systemd-journal \(to read the journal of lg-talker\.service\)$/m);
    assert.match(installed.stdout, /Installed: every unit is active and Lifeguard's first round saw every service healthy/);
    assert.equal(await members(), "lifeguard");
    // The daemon runs as lifeguard with the group, and its rounds (one a second) find nothing wrong.
    const pid = (await lab.show("lifeguard.service", ["MainPID"])).MainPID;
    const status = (await lab.sandbox.exec(["sh", "-c", `grep -E '^(Uid|Groups):' /proc/${pid}/status; getent group systemd-journal | cut -d: -f3`])).stdout;
    const gid = status.trim().split("\n").at(-1) ?? "";
    assert.match(status, new RegExp(`^Groups:.*\\b${gid}\\b`, "m"), status);
    const since = lifeguardLog().length;
    await new Promise((resolve) => setTimeout(resolve, 4000));
    assert.doesNotMatch(lifeguardLog().slice(since), /journal/i, "no failing round");
    const state = JSON.parse((await run(["status", "--json"])).stdout) as { services: Array<{ service: string; health: { kind: string } }> };
    assert.equal(state.services.find((service) => service.service === "talker")?.health.kind, "healthy");
  });

  test("doctor, reading the journal as lifeguard: passes with the group; without it fails with the fix, which, run as printed, mends it", async () => {
    assert.deepEqual(await journalFinding(), { level: "ok", topic: "journal", message: `The journal of ${UNIT} of "talker" is readable by user lifeguard` });
    assert.ok((await lab.sandbox.exec(["gpasswd", "-d", "lifeguard", "systemd-journal"])).ok);
    const refused = await journalFinding();
    assert.equal(refused?.level, "fail", JSON.stringify(refused));
    assert.match(refused?.message ?? "", /^The journal of lg-talker\.service of "talker" is not readable by user lifeguard( \(it holds entries\))?: only the groups systemd-journal and adm read the journal of a system unit$/);
    assert.equal(refused?.fix, FIX);
    const text = await run(["doctor"]);
    assert.equal(text.exitCode, 1, text.stdout);
    assert.ok(text.stdout.includes(`FAIL  journal The journal of ${UNIT}`), text.stdout);
    // The daemon, restarted without the group, cannot read the journal: the control.
    const since = lifeguardLog().length;
    assert.ok((await lab.sandbox.exec(["systemctl", "restart", "lifeguard.service"])).ok);
    assert.ok(await waitFor(() => /journal of "lg-talker\.service"/i.test(lifeguardLog().slice(since)), { timeoutMs: 30_000, intervalMs: 250 }), lifeguardLog().slice(since));
    const fixed = await lab.sandbox.exec(["sh", "-c", FIX]);
    assert.ok(fixed.ok, fixed.stderr);
    assert.equal((await journalFinding())?.level, "ok");
  });

  test("install again, the membership gone: the user joins again and the running daemon is restarted to get the group", async () => {
    assert.ok((await lab.sandbox.exec(["gpasswd", "-d", "lifeguard", "systemd-journal"])).ok);
    const pid = (await lab.show("lifeguard.service", ["MainPID"])).MainPID;
    const again = await run(["install"]);
    assert.equal(again.exitCode, 0, `${again.stdout}\n${again.stderr}`);
    assert.match(again.stdout, /^user lifeguard: added to group systemd-journal \(to read the journal of lg-talker\.service\)$/m);
    assert.match(again.stdout, /^lifeguard\.service: enabled already; started; restarted with its new group$/m);
    assert.notEqual((await lab.show("lifeguard.service", ["MainPID"])).MainPID, pid);
    assert.equal((await journalFinding())?.level, "ok");
  });

  test("uninstall takes back exactly the membership install added; with --purge /etc/group and /etc/gshadow are as before", async () => {
    const removed = await run(["uninstall"]);
    assert.equal(removed.exitCode, 0, `${removed.stdout}\n${removed.stderr}`);
    assert.match(removed.stdout, /^removed lifeguard from the group systemd-journal$/m);
    assert.equal(await members(), "");
    assert.equal((await lab.sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 0, "the user stays without --purge");
    const purged = await run(["uninstall", "--purge"]);
    assert.equal(purged.exitCode, 0, `${purged.stdout}\n${purged.stderr}`);
    assert.equal(await groups(), groupsBefore);
  });
});
