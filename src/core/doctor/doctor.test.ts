import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { doctorExitCode, fail, ok, warn } from "./finding.js";
import { formatFindings, summarise } from "./format.js";
import { adminCommand, polkitFix, polkitRule, rebuildFix, writeFileCommand } from "./fixes.js";
import { judgeClock, judgeNode, judgeOwnLog, judgeStateFileSystem } from "./judge-host.js";

const asRoot = { root: true };
const asUser = { root: false };

test("doctor exits 0 with warnings only and 1 with any failure", () => {
  assert.equal(doctorExitCode([]), 0);
  assert.equal(doctorExitCode([ok("config", "fine"), warn("clock", "no RTC", "x")]), 0);
  assert.equal(doctorExitCode([ok("config", "fine"), fail("log", "unreadable", "y"), warn("clock", "no RTC")]), 1);
});

test("a finding is one line, a fix under it, a config's issues indented under the first", () => {
  const text = formatFindings([
    ok("config", "/etc/lifeguard/lifeguard.yaml is valid (2 services, 1 alert channel)"),
    fail("log", `/var/log/bot.log of "trader" is not readable by user lifeguard`, "sudo setfacl -m u:lifeguard:r /var/log/bot.log"),
    warn("clock", "no RTC on this box"),
    fail("config", "Invalid configuration:\n  a.yaml:3:5: services.x.interval: bad"),
    { ...ok("node", "fine"), fix: "never shown for ok" },
  ]);
  assert.equal(text, [
    "ok    config /etc/lifeguard/lifeguard.yaml is valid (2 services, 1 alert channel)",
    `FAIL  log /var/log/bot.log of "trader" is not readable by user lifeguard`,
    "      fix: sudo setfacl -m u:lifeguard:r /var/log/bot.log",
    "warn  clock no RTC on this box",
    "FAIL  config Invalid configuration:",
    "      a.yaml:3:5: services.x.interval: bad",
    "ok    node fine",
  ].join("\n"));
  const styled = formatFindings([fail("log", "x")], (label, level) => `<${level}>${label}</>`);
  assert.equal(styled, "<fail>FAIL</>  log x");
  assert.equal(summarise([warn("a", "b")]), "Nothing stops Lifeguard from protecting the services (1 warning).");
  assert.equal(summarise([fail("a", "b"), fail("c", "d")]), "2 problems, 0 warnings: fix the FAIL lines, then run doctor again.");
});

test("a fix runs bare as root and with sudo otherwise, every word quoted for the shell", () => {
  assert.equal(adminCommand(["setfacl", "-m", "u:lifeguard:r", "/var/log/bot.log"], asRoot), "setfacl -m u:lifeguard:r /var/log/bot.log");
  assert.equal(adminCommand(["setfacl", "-m", "u:lifeguard:r", "/srv/my bot/it's.log"], asUser), "sudo setfacl -m u:lifeguard:r '/srv/my bot/it'\\''s.log'");
  assert.equal(rebuildFix("/opt/lifeguard", ["npm", "run", "build:native"], asUser),
    "sudo apt-get install -y build-essential python3 && cd /opt/lifeguard && sudo npm run build:native");
});

test("a file-writing fix writes exactly its lines when run by a shell", () => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-fix-"));
  try {
    const lines = ["/var/log/it's here.log {", "  copytruncate", `  "quoted" $HOME \\n`, "}"];
    execFileSync("sh", ["-c", writeFileCommand(join(dir, "out"), lines, asRoot)]);
    assert.equal(readFileSync(join(dir, "out"), "utf8"), `${lines.join("\n")}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the polkit rule grants the user the runner's verbs on its units, and nothing else", () => {
  let rule: ((action: { id: string; lookup(key: string): string }, subject: { user: string }) => unknown) | undefined;
  const polkit = { Result: { YES: "yes" }, addRule: (fn: typeof rule) => void (rule = fn) };
  new Function("polkit", polkitRule("lifeguard", ["bot.service", "web.service"]).join("\n"))(polkit);
  const ask = (user: string, unit: string, verb: string, id = "org.freedesktop.systemd1.manage-units"): unknown =>
    rule?.({ id, lookup: (key) => (key === "unit" ? unit : verb) }, { user });
  for (const verb of ["start", "stop", "kill", "reset-failed"]) assert.equal(ask("lifeguard", "bot.service", verb), "yes", verb);
  assert.equal(ask("lifeguard", "web.service", "stop"), "yes");
  assert.equal(ask("lifeguard", "sshd.service", "stop"), undefined, "another unit");
  assert.equal(ask("lifeguard", "bot.service", "enable"), undefined, "another verb");
  assert.equal(ask("mallory", "bot.service", "stop"), undefined, "another user");
  assert.equal(ask("lifeguard", "bot.service", "stop", "org.freedesktop.login1.reboot"), undefined, "another action");
  assert.match(polkitFix("lifeguard", ["bot.service"], { root: false, installPolkit: true }), /^sudo apt-get install -y polkitd && printf '%s\\n' .* \| sudo tee \/etc\/polkit-1\/rules.d\/50-lifeguard.rules >\/dev\/null$/);
});

test("Node below 20 fails, 20 warns of its end of life, 22 and 24 pass; the fix names the rebuild in Lifeguard's directory", () => {
  const rebuild = rebuildFix("/usr/lib/node_modules/lifeguard", ["npm", "rebuild"], { root: false });
  assert.equal(rebuild, "sudo apt-get install -y build-essential python3 && cd /usr/lib/node_modules/lifeguard && sudo npm rebuild");
  assert.equal(judgeNode("v18.19.0", rebuild).level, "fail");
  assert.deepEqual(judgeNode("v20.20.2", rebuild), warn("node", "Node.js v20.20.2 is supported but past its end of life: no more security fixes; 22 or 24 are recommended",
    `install Node.js 22 or 24 (an LTS release), then rebuild Lifeguard's native parts for it: ${rebuild}`));
  assert.equal(judgeNode("v22.3.0", rebuild).level, "ok");
  assert.equal(judgeNode("v24.0.0", rebuild).level, "ok");
});

test("the state on a network file system fails, on tmpfs warns, on a local disk passes", () => {
  for (const type of ["nfs", "nfs4", "cifs", "smb2", "fuse", "fuse.sshfs", "fuseblk"]) assert.equal(judgeStateFileSystem("/s", type, "fix")?.level, "fail", type);
  assert.equal(judgeStateFileSystem("/s", "tmpfs", "fix")?.level, "warn");
  for (const type of ["ext2/ext3", "btrfs", "xfs", "f2fs"]) assert.equal(judgeStateFileSystem("/s", type, "fix"), null, type);
});

test("an unsynchronised clock and a missing RTC warn, each with its fix", () => {
  const unsynced = judgeClock({ synchronised: false, canNtp: true, source: "timedatectl: NTPSynchronized=no", hasRtc: false }, asUser);
  assert.deepEqual(unsynced, [
    warn("clock", "is not synchronised by NTP (timedatectl: NTPSynchronized=no): wall-clock times in the log and history may be wrong", "sudo timedatectl set-ntp true"),
    warn("clock", "no RTC on this box (no /dev/rtc0): time is right only once NTP has synchronised after a boot", "sudo apt-get install -y fake-hwclock"),
  ]);
  const noNtp = judgeClock({ synchronised: false, canNtp: false, source: "s", hasRtc: true }, asRoot);
  assert.equal(noNtp.length, 1);
  assert.equal(noNtp[0]?.fix, "apt-get install -y systemd-timesyncd && timedatectl set-ntp true");
  assert.deepEqual(judgeClock({ synchronised: true, canNtp: true, source: "s", hasRtc: true }, asRoot), [ok("clock", "is synchronised by NTP (s)")]);
  assert.equal(judgeClock({ synchronised: null, canNtp: false, source: "no answer", hasRtc: true }, asRoot)[0]?.level, "warn");
});

test("Lifeguard's own log needs max-size or a logrotate snippet; standard output needs neither", () => {
  assert.equal(judgeOwnLog({ file: null, maxBytes: null, logrotate: null }, asRoot).level, "ok");
  assert.equal(judgeOwnLog({ file: "/var/log/lifeguard.log", maxBytes: 1024, logrotate: null }, asRoot).level, "ok");
  assert.equal(judgeOwnLog({ file: "/var/log/lifeguard.log", maxBytes: null, logrotate: "/etc/logrotate.d/lifeguard" }, asRoot).level, "ok");
  const never = judgeOwnLog({ file: "/var/log/lifeguard.log", maxBytes: null, logrotate: null }, asUser);
  assert.equal(never.level, "warn");
  assert.equal(never.fix, "printf '%s\\n' '/var/log/lifeguard.log {' '  weekly' '  rotate 4' '  compress' '  missingok' '  notifempty' '  copytruncate' '}' | sudo tee /etc/logrotate.d/lifeguard >/dev/null");
});
