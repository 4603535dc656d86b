import { test } from "node:test";
import assert from "node:assert/strict";
import type { LifeguardConfig } from "../config/types.js";
import { validateDocument } from "../config/validate.js";
import { planInstall, type InstallOptions } from "./plan.js";
import { commandLineValue, environmentLine, sameSettings } from "./unit-file.js";
import { renderCronFile } from "./render-schedules.js";

const FACTS = { node: "/usr/bin/node", bin: "/usr/lib/node_modules/lifeguard/bin/lifeguard.js", version: "1.2.3", addon: true, systemctl: "/usr/bin/systemctl", cronUnit: "cron.service", environmentFiles: [] as string[] };
const OPTIONS: InstallOptions = { mode: "daemon", user: "lifeguard", services: null, command: "lifeguard install --daemon --user lifeguard -c /etc/lifeguard/lifeguard.yaml" };

function config(extra: Record<string, unknown> = {}, source = "/etc/lifeguard/lifeguard.yaml", top: Record<string, unknown> = {}): LifeguardConfig {
  const result = validateDocument({
    state: "/var/lib/lifeguard",
    log: { file: "/var/log/lifeguard/lifeguard.log" },
    ...top,
    services: {
      trader: {
        systemd: "gemini-trader",
        "install-unit": { "exec-start": ["/usr/bin/python3", "main.py"], user: "bot", "working-directory": "/home/bot/trader", "memory-max": "1GiB", "cpu-quota": "80%" },
        checks: [{ "log-fresh": { path: "/home/bot/trader/trader.log", "max-age": "5m" } }],
      },
      ...extra,
    },
  }, { source, baseDir: source.slice(0, source.lastIndexOf("/")) });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

const files = (plan: ReturnType<typeof planInstall>) => new Map(plan.steps.flatMap((step) => (step.kind === "file" ? [[step.path, step.content] as const] : [])));

test("a command line is written so systemd runs exactly these words: quotes, %, $ and backslashes taken literally", () => {
  assert.equal(commandLineValue(["/usr/bin/python3", "main.py", "--name", "my bot", "100%", "$HOME", 'say "hi"', "a\\b", ""]), '/usr/bin/python3 main.py --name "my bot" 100%% $$HOME "say \\"hi\\"" "a\\\\b" ""');
  assert.throws(() => commandLineValue(["-/bin/true"]), /prefix/);
  assert.throws(() => commandLineValue(["/bin/echo", "two\nlines"]), /newline/);
  assert.equal(environmentLine("GREETING", 'say "50%"'), 'Environment="GREETING=say \\"50%%\\""');
});

test("a unit file whose comments alone changed (the header's version after an upgrade) says the same to systemd", () => {
  const unit = (version: string, memory: string) => `# Written by \`lifeguard install\` (Lifeguard ${version}).\n[Service]\n; a note\nMemoryMax=${memory}\n`;
  assert.ok(sameSettings(unit("0.1.0", "1G"), unit("0.2.0", "1G")));
  assert.ok(!sameSettings(unit("0.1.0", "1G"), unit("0.1.0", "2G")));
});

test("the daemon plan: user, directories, read access, the bot's unit with its limits, the polkit rule, a hardened daemon, logrotate, then start and verify", () => {
  const plan = planInstall(config(), OPTIONS, FACTS);
  assert.deepEqual(plan.steps.map((step) => (step.kind === "file" ? `file ${step.path}` : step.kind === "enable" ? `enable ${step.unit}` : step.kind)), [
    "user", "dir", "dir", "read-access", "read-access",
    "file /etc/systemd/system/gemini-trader.service", "file /etc/polkit-1/rules.d/50-lifeguard.rules", "file /etc/systemd/system/lifeguard.service", "file /etc/logrotate.d/lifeguard",
    "daemon-reload", "enable gemini-trader.service", "enable lifeguard.service", "verify",
  ]);
  const written = files(plan);
  const bot = written.get("/etc/systemd/system/gemini-trader.service") ?? "";
  for (const line of ["StartLimitBurst=5", "User=bot", "WorkingDirectory=/home/bot/trader", "ExecStart=/usr/bin/python3 main.py", "Restart=on-failure", "MemoryMax=1073741824", "CPUQuota=80%", "WantedBy=multi-user.target"]) assert.match(bot, new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"), line);
  assert.match(bot, /^# Written by `lifeguard install --daemon --user lifeguard -c \/etc\/lifeguard\/lifeguard.yaml` \(Lifeguard 1.2.3\)\.$/m);
  const daemon = written.get("/etc/systemd/system/lifeguard.service") ?? "";
  for (const line of ["Type=notify", "NotifyAccess=main", "WatchdogSec=30s", "Restart=always", "User=lifeguard", "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/lifeguard /var/log/lifeguard", "PrivateTmp=yes", "CapabilityBoundingSet=", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6"]) assert.ok(daemon.split("\n").includes(line), line);
  // The bot's log lives under /home: Lifeguard may read home directories, not write them.
  assert.ok(daemon.split("\n").includes("ProtectHome=read-only"));
  assert.ok(daemon.split("\n").includes("EnvironmentFile=-/etc/lifeguard/env"), "secrets where init and the docs put them");
  assert.match(written.get("/etc/polkit-1/rules.d/50-lifeguard.rules") ?? "", /\["gemini-trader.service"\]\.indexOf\(action\.lookup\("unit"\)\)/);
});

test("as root: no user, no polkit rule, no read access needed; without the addon as another user, NotifyAccess=all", () => {
  const root = planInstall(config(), { ...OPTIONS, user: null }, FACTS);
  assert.deepEqual(root.steps.filter((step) => step.kind === "user" || step.kind === "read-access").length, 0);
  assert.ok(!files(root).has("/etc/polkit-1/rules.d/50-lifeguard.rules"));
  assert.match(files(root).get("/etc/systemd/system/lifeguard.service") ?? "", /^CapabilityBoundingSet=CAP_DAC_READ_SEARCH /m);
  const helper = planInstall(config(), OPTIONS, { ...FACTS, addon: false });
  assert.match(files(helper).get("/etc/systemd/system/lifeguard.service") ?? "", /^NotifyAccess=all$/m);
});

test("a check that reads a unit's journal: Lifeguard's user joins systemd-journal right after it is made (once for every unit); as root nothing is needed", () => {
  const journal = { journal: { systemd: "bot", checks: [{ "log-fresh": { journal: "bot", "max-age": "1m" } }, { "log-activity": { journal: "bot", match: "work" } }] } };
  const steps = planInstall(config(journal), OPTIONS, FACTS).steps;
  assert.deepEqual(steps.slice(0, 2), [{ kind: "user", name: "lifeguard" }, { kind: "group", user: "lifeguard", group: "systemd-journal", units: ["bot.service"] }]);
  assert.equal(steps.filter((step) => step.kind === "group").length, 1);
  assert.ok(!planInstall(config(journal), { ...OPTIONS, user: null }, FACTS).steps.some((step) => step.kind === "group"));
  assert.ok(!planInstall(config(), OPTIONS, FACTS).steps.some((step) => step.kind === "group"), "no journal source: no group");
});

test("without a log file Lifeguard logs to the journal: no log directory is made, and ReadWritePaths= names only what exists (systemd refuses a missing path)", () => {
  const journal = planInstall(config({}, undefined, { log: {} }), OPTIONS, FACTS);
  assert.deepEqual(journal.steps.filter((step) => step.kind === "dir").map((step) => step.path), ["/var/lib/lifeguard"]);
  assert.ok(files(journal).get("/etc/systemd/system/lifeguard.service")?.split("\n").includes("ReadWritePaths=/var/lib/lifeguard"));
  // Cron's output has nowhere else to go: its directory is made and writable.
  const cron = planInstall(config({}, undefined, { log: {} }), { ...OPTIONS, mode: "cron" }, FACTS);
  assert.deepEqual(cron.steps.filter((step) => step.kind === "dir").map((step) => step.path), ["/var/lib/lifeguard", "/var/log/lifeguard"]);
});

test("the timer and cron plans; --service names only services that have install-unit:", () => {
  const timer = files(planInstall(config(), { ...OPTIONS, mode: "timer" }, FACTS));
  assert.match(timer.get("/etc/systemd/system/lifeguard-check.timer") ?? "", /^OnCalendar=\*-\*-\* \*:\*:00\nPersistent=true$/m);
  assert.match(timer.get("/etc/systemd/system/lifeguard-check.service") ?? "", /^ExecStart=\/usr\/bin\/node \/usr\/lib\/node_modules\/lifeguard\/bin\/lifeguard.js check -c \/etc\/lifeguard\/lifeguard.yaml$/m);
  const cron = files(planInstall(config(), { ...OPTIONS, mode: "cron" }, FACTS)).get("/etc/cron.d/lifeguard") ?? "";
  // Cron has no EnvironmentFile=: `lifeguard check` reads the secrets' files itself, as Lifeguard's user.
  assert.match(cron, /^\* \* \* \* \* lifeguard \/usr\/bin\/flock -n \/var\/lib\/lifeguard\/check.flock \/usr\/bin\/node \S+ check -c \/etc\/lifeguard\/lifeguard.yaml >>\/dev\/null 2>&1$/m);
  // Lifeguard's user reads the config and, under cron, the secrets' files that exist (systemd reads a unit's as root).
  const reads = (plan: ReturnType<typeof planInstall>) => plan.steps.flatMap((step) => (step.kind === "read-access" ? [`${step.path}${step.rotated ? " (rotated)" : ""}`] : []));
  const withSecrets = { ...FACTS, environmentFiles: ["/etc/lifeguard/env"] };
  assert.deepEqual(reads(planInstall(config(), { ...OPTIONS, mode: "cron" }, withSecrets)), ["/home/bot/trader/trader.log (rotated)", "/etc/lifeguard/lifeguard.yaml", "/etc/lifeguard/env"]);
  // The units load them as root (EnvironmentFile=), before they become Lifeguard's user.
  assert.deepEqual(reads(planInstall(config(), { ...OPTIONS, mode: "timer" }, withSecrets)), ["/home/bot/trader/trader.log (rotated)", "/etc/lifeguard/lifeguard.yaml"]);
  assert.deepEqual(reads(planInstall(config(), OPTIONS, withSecrets)), ["/home/bot/trader/trader.log (rotated)", "/etc/lifeguard/lifeguard.yaml"]);
  // Cron itself is started and enabled (it runs the job at every boot), and is part of what install
  // verifies; the first round runs what the cron line runs.
  const cronPlan = planInstall(config(), { ...OPTIONS, mode: "cron" }, FACTS);
  assert.deepEqual(cronPlan.steps.flatMap((step) => (step.kind === "enable" || step.kind === "verify" ? [JSON.stringify(step)] : [])).slice(-2), [
    JSON.stringify({ kind: "enable", unit: "cron.service" }),
    JSON.stringify({ kind: "verify", units: ["gemini-trader.service", "cron.service"], firstRound: { command: [FACTS.node, FACTS.bin, "check", "-c", "/etc/lifeguard/lifeguard.yaml"] } }),
  ]);
  assert.deepEqual(cronPlan.problems, []);
  assert.match(planInstall(config(), { ...OPTIONS, mode: "cron" }, { ...FACTS, cronUnit: null }).problems.join("\n"), /^--cron: no cron daemon on this box .*: install cron \(apt-get install cron\), or use --timer, which needs none$/);
  assert.deepEqual(planInstall(config(), { ...OPTIONS, mode: "timer" }, { ...FACTS, cronUnit: null }).problems, []);
  assert.throws(() => planInstall(config({ web: { systemd: "web" } }), { ...OPTIONS, services: ["web"] }, FACTS), /--service web: no systemd service of that name has `install-unit:`/);
  assert.throws(() => renderCronFile({ user: "lifeguard", argv: ["/usr/bin/node", "/srv/100%/lifeguard.js"], lock: "/x", output: "/dev/null", sudo: false }, []), /a % or a newline/);
});

test("a bot's log, or Lifeguard itself, under /tmp or /var/tmp: no PrivateTmp=, which would hide it from the daemon", () => {
  const daemon = (plan: ReturnType<typeof planInstall>) => (files(plan).get("/etc/systemd/system/lifeguard.service") ?? "").split("\n");
  assert.ok(daemon(planInstall(config(), OPTIONS, FACTS)).includes("PrivateTmp=yes"));
  const inTmp = { trader: { systemd: "gemini-trader", checks: [{ "log-fresh": { path: "/tmp/trader.log", "max-age": "5m" } }] } };
  assert.ok(!daemon(planInstall(config(inTmp), OPTIONS, FACTS)).some((line) => line.startsWith("PrivateTmp=")));
  assert.ok(!daemon(planInstall(config(), OPTIONS, { ...FACTS, bin: "/var/tmp/checkout/bin/lifeguard.js" })).some((line) => line.startsWith("PrivateTmp=")));
});

test("a config kept in a home directory: readable under ProtectHome=read-only, its lifeguard.env beside it loaded too", () => {
  // Its service's log is outside any home: only the config's place asks for read-only.
  const outside = { trader: { systemd: "gemini-trader", checks: [{ "log-fresh": { path: "/var/log/trader.log", "max-age": "5m" } }] } };
  assert.ok(files(planInstall(config(outside), OPTIONS, FACTS)).get("/etc/systemd/system/lifeguard.service")?.split("\n").includes("ProtectHome=yes"));
  const daemon = files(planInstall(config(outside, "/home/pi/bot/lifeguard.yaml"), OPTIONS, FACTS)).get("/etc/systemd/system/lifeguard.service") ?? "";
  assert.ok(daemon.split("\n").includes("ProtectHome=read-only"));
  assert.ok(daemon.split("\n").includes("EnvironmentFile=-/home/pi/bot/lifeguard.env"));
  assert.match(daemon, /^ExecStart=\/usr\/bin\/node \S+ run -c \/home\/pi\/bot\/lifeguard.yaml$/m);
});

test("privilege: sudo: a sudoers drop-in for exactly the runner's command lines instead of the polkit rule, checked by visudo; Lifeguard's units keep only what sudo allows", () => {
  const sudo = { privilege: "sudo" };
  const plan = planInstall(config({}, undefined, sudo), OPTIONS, FACTS);
  assert.equal(plan.control, "sudo");
  const step = plan.steps.find((entry) => entry.kind === "file" && entry.path === "/etc/sudoers.d/lifeguard");
  assert.deepEqual(step && { mode: step.kind === "file" ? step.mode : 0, validate: step.kind === "file" ? step.validate : [] }, { mode: 0o440, validate: ["visudo", "-c", "-f"] });
  const written = files(plan);
  assert.ok(!written.has("/etc/polkit-1/rules.d/50-lifeguard.rules"));
  assert.equal(written.get("/etc/sudoers.d/lifeguard"), `# Written by \`lifeguard install --daemon --user lifeguard -c /etc/lifeguard/lifeguard.yaml\` (Lifeguard 1.2.3).
# \`lifeguard uninstall\` removes it; a copy edited by hand is not overwritten without --force.
# User lifeguard may run these systemctl command lines as root without a password, exactly as Lifeguard's
# runner runs them (privilege: sudo): start, stop, kill and reset the units it watches, and no other unit.
Defaults:lifeguard !requiretty
lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl start --no-ask-password -- gemini-trader.service
lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl stop --no-block --no-ask-password -- gemini-trader.service
lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl kill --kill-whom\\=all --signal\\=SIGKILL --no-ask-password -- gemini-trader.service
lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl reset-failed --no-ask-password -- gemini-trader.service
`);
  const daemon = (written.get("/etc/systemd/system/lifeguard.service") ?? "").split("\n");
  assert.ok(daemon.includes("# privilege: sudo: Lifeguard runs `sudo -n systemctl` for each call that changes a unit, as /etc/sudoers.d/lifeguard allows."));
  for (const line of ["User=lifeguard", "ProtectSystem=strict", "ReadWritePaths=/var/lib/lifeguard /var/log/lifeguard", "PrivateTmp=yes", "ProtectControlGroups=yes", "CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_AUDIT_WRITE"]) assert.ok(daemon.includes(line), line);
  // Each of these sets no_new_privs for a user other than root (systemd.exec(5)), which stops sudo.
  for (const setting of ["NoNewPrivileges", "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectClock", "ProtectHostname", "RestrictAddressFamilies", "RestrictNamespaces", "RestrictRealtime", "RestrictSUIDSGID", "LockPersonality", "SystemCallArchitectures"]) {
    assert.ok(!daemon.some((line) => line.startsWith(`${setting}=`)), setting);
  }
  const timer = files(planInstall(config({}, undefined, sudo), { ...OPTIONS, mode: "timer" }, FACTS)).get("/etc/systemd/system/lifeguard-check.service") ?? "";
  assert.match(timer, /^CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_AUDIT_WRITE$/m);
  assert.doesNotMatch(timer, /^NoNewPrivileges=/m);
  const cron = files(planInstall(config({}, undefined, sudo), { ...OPTIONS, mode: "cron" }, FACTS)).get("/etc/cron.d/lifeguard") ?? "";
  assert.match(cron, /^# privilege: sudo: Lifeguard runs `sudo -n systemctl`/m);
  // Root needs no drop-in, and its unit stays hardened: sudo as root gains nothing.
  const root = planInstall(config({}, undefined, sudo), { ...OPTIONS, user: null }, FACTS);
  assert.equal(root.control, "sudo");
  assert.ok(!files(root).has("/etc/sudoers.d/lifeguard"));
  assert.match(files(root).get("/etc/systemd/system/lifeguard.service") ?? "", /^NoNewPrivileges=yes$/m);
});

test("privilege: sudo with a unit name sudoers cannot hold exactly (a wildcard) is refused while planning: nothing is installed", () => {
  const wild = { web: { systemd: "web*", checks: [] } };
  assert.throws(() => planInstall(config(wild, undefined, { privilege: "sudo" }), OPTIONS, FACTS), /"web\*\.service" cannot be written in a sudoers rule/);
  assert.throws(() => planInstall(config({}, undefined, { privilege: "sudo" }), { ...OPTIONS, user: "ALL" }, FACTS), /The user name "ALL" cannot be written in a sudoers rule: sudoers would read it as an alias/);
});
