import { test } from "node:test";
import assert from "node:assert/strict";
import { fail, ok, warn } from "./finding.js";
import { judgeLog, judgeState, type LifeguardUser } from "./judge-access.js";
import { judgeDaemonPrivileges, judgeRights } from "./judge-rights.js";
import { judgeAlerts } from "./judge-alerts.js";
import { judgeJournal } from "./judge-journal.js";
import { judgeServiceUnit, judgeWatchers, type Watchers } from "./judge-units.js";

const user: LifeguardUser = { name: "lifeguard", uid: 990, gid: 990, source: "User= of lifeguard.service" };
const context = { root: false, rerun: "sudo lifeguard doctor" };
const log = { service: "trader", path: "/var/log/bot.log", unit: "trader.service" };
const rights = { ...context, ruleUnits: ["a.service"], systemctl: "/usr/bin/systemctl", source: "/etc/lifeguard/lifeguard.yaml" };

test("a log is judged by what happened when Lifeguard's user opened it", () => {
  assert.deepEqual(judgeLog(log, user, { kind: "allowed" }, context), ok("log", `/var/log/bot.log of "trader" is readable by user lifeguard`));
  assert.deepEqual(judgeLog(log, user, { kind: "denied", blocked: null }, context),
    fail("log", `/var/log/bot.log of "trader" is not readable by user lifeguard`, "sudo setfacl -m u:lifeguard:r /var/log/bot.log"));
  assert.deepEqual(judgeLog(log, user, { kind: "denied", blocked: { path: "/var/log", need: "x" } }, context),
    fail("log", `/var/log/bot.log of "trader" is not readable by user lifeguard: it may not enter the directory /var/log`, "sudo setfacl -m u:lifeguard:x /var/log"));
  assert.equal(judgeLog(log, user, { kind: "missing" }, context).fix, "sudo systemctl start trader.service");
  // A unit install is to write cannot be started before it is written: install writes and starts it.
  assert.equal(judgeLog({ ...log, unitWrittenBy: "sudo lifeguard install" }, user, { kind: "missing" }, context).fix, "sudo lifeguard install");
  // A `command:` service's log is written once Lifeguard runs it: while nothing does, that is the fix.
  assert.equal(judgeLog({ ...log, unit: null, startedBy: "sudo lifeguard run -c /etc/lifeguard/lifeguard.yaml" }, user, { kind: "missing" }, context).fix, "sudo lifeguard run -c /etc/lifeguard/lifeguard.yaml");
  assert.equal(judgeLog({ ...log, unit: null }, user, { kind: "missing" }, context).fix, undefined);
  assert.deepEqual(judgeLog(log, user, { kind: "untried", reason: "only root may act as user lifeguard" }, context),
    warn("log", `/var/log/bot.log of "trader" was not tried as user lifeguard: only root may act as user lifeguard`, "sudo lifeguard doctor"));
});

test("the state directory must be writable, or creatable when missing", () => {
  const state = { dir: "/var/lib/lifeguard", group: "lifeguard" };
  assert.equal(judgeState({ ...state, exists: true, attempt: { kind: "allowed" } }, user, context).level, "ok");
  assert.deepEqual(judgeState({ ...state, exists: true, attempt: { kind: "denied", blocked: null } }, user, context),
    fail("state", "/var/lib/lifeguard is not writable by user lifeguard: the store cannot keep restart counts or history", "sudo chown -R lifeguard:lifeguard /var/lib/lifeguard"));
  assert.equal(judgeState({ ...state, exists: false, attempt: { kind: "allowed" } }, user, context).level, "ok");
  assert.deepEqual(judgeState({ ...state, exists: false, attempt: { kind: "denied", blocked: null } }, user, context),
    fail("state", "/var/lib/lifeguard does not exist and user lifeguard may not create it", "sudo install -d -o lifeguard -g lifeguard -m 0750 /var/lib/lifeguard"));
});

test("a unit must exist, not be masked, and be enabled", () => {
  assert.equal(judgeServiceUnit("trader", "bot.service", { LoadState: "loaded", UnitFileState: "enabled", ActiveState: "active" }, context).level, "ok");
  assert.deepEqual(judgeServiceUnit("trader", "bot.service", { LoadState: "not-found", UnitFileState: "", ActiveState: "inactive" }, context),
    fail("unit", `bot.service of "trader" does not exist (LoadState=not-found): Lifeguard cannot start or restart it`,
      "sudo systemctl edit --force --full bot.service && sudo systemctl enable --now bot.service"));
  // A unit the config gives install-unit: is install's to write: no unit file by hand.
  assert.deepEqual(judgeServiceUnit("trader", "bot.service", { LoadState: "not-found", UnitFileState: "", ActiveState: "inactive" }, context, "sudo lifeguard install -c /etc/lifeguard/lifeguard.yaml"),
    fail("unit", "bot.service of \"trader\" does not exist yet (LoadState=not-found): `lifeguard install` writes it from its install-unit:", "sudo lifeguard install -c /etc/lifeguard/lifeguard.yaml"));
  assert.equal(judgeServiceUnit("trader", "bot.service", { LoadState: "masked" }, context).fix, "sudo systemctl unmask bot.service");
  assert.deepEqual(judgeServiceUnit("trader", "bot.service", { LoadState: "loaded", UnitFileState: "disabled" }, context),
    warn("unit", `bot.service of "trader" is not enabled (UnitFileState=disabled): it does not start at boot`, "sudo systemctl enable bot.service"));
});

test("rights come from root or polkit, and one polkit rule fixes every refused unit", () => {
  const findings = judgeRights([
    { service: "a", unit: "a.service", grant: { by: "polkit", allowed: true } },
    { service: "b", unit: "b.service", grant: { by: "polkit", allowed: false, verb: "stop", answer: "not authorized" } },
    { service: "c", unit: "c.service", grant: { by: "polkit", allowed: false, verb: "start", answer: "not authorized" } },
  ], user, { ...rights, ruleUnits: ["a.service", "b.service", "c.service"] });
  assert.deepEqual(findings.map((finding) => finding.level), ["ok", "fail", "fail"]);
  assert.match(findings[0]?.message ?? "", /polkit grants it/);
  assert.equal(findings[1]?.message, `user lifeguard may not stop b.service ("b"): polkit refuses it (not authorized)`);
  assert.equal(findings[1]?.fix, findings[2]?.fix);
  // The rule replaces the file: it names every unit, the granted one too.
  assert.match(findings[1]?.fix ?? "", /\["a\.service", "b\.service", "c\.service"\]\.indexOf/);
  const root = judgeRights([{ service: "a", unit: "a.service", grant: { by: "root" } }], { ...user, name: "root", uid: 0 }, rights);
  assert.equal(root[0]?.message, `user root may control a.service ("a"): root may`);
  const none = judgeRights([{ service: "a", unit: "a.service", grant: { by: "no-polkit", why: "polkit is not installed (no polkit.service)" } }], user, rights);
  assert.deepEqual(none, [fail("rights", 'user lifeguard may not control a.service ("a"): polkit is not installed (no polkit.service), and systemd lets only root and whom polkit allows control units. ' +
    "Install polkit, or set `privilege: sudo` in /etc/lifeguard/lifeguard.yaml to have Lifeguard run `sudo -n systemctl` (`lifeguard install` writes the sudoers drop-in)", none[0]?.fix)]);
  assert.match(none[0]?.fix ?? "", /^sudo apt-get install -y polkitd && printf/);
});

test("under privilege: sudo, rights come from sudoers, and one drop-in, checked by visudo before it is put in place, fixes every refused unit", () => {
  const findings = judgeRights([
    { service: "a", unit: "a.service", grant: { by: "sudo", allowed: true } },
    { service: "b", unit: "b.service", grant: { by: "sudo", allowed: false, verb: "kill", command: "systemctl kill --kill-whom=all --signal=SIGKILL --no-ask-password -- b.service" } },
  ], user, { ...rights, ruleUnits: ["a.service", "b.service"] });
  assert.equal(findings[0]?.message, 'user lifeguard may start, stop and kill a.service ("a"): sudo allows each command line Lifeguard runs (privilege: sudo)');
  assert.equal(findings[1]?.message, 'user lifeguard may not kill b.service ("b"): sudo does not allow `sudo -n systemctl kill --kill-whom=all --signal=SIGKILL --no-ask-password -- b.service` (privilege: sudo)');
  const fix = findings[1]?.fix ?? "";
  assert.match(fix, /^printf '%s\\n' .* \| sudo tee \/etc\/sudoers\.d\/lifeguard\.new >\/dev\/null && sudo chmod 0440 \/etc\/sudoers\.d\/lifeguard\.new && sudo visudo -c -f \/etc\/sudoers\.d\/lifeguard\.new && sudo mv \/etc\/sudoers\.d\/lifeguard\.new \/etc\/sudoers\.d\/lifeguard$/);
  // It names every unit, the allowed one too: it replaces the file.
  assert.match(fix, /'lifeguard ALL=\(root\) NOPASSWD: \/usr\/bin\/systemctl start --no-ask-password -- a\.service'/);
  assert.match(fix, /'lifeguard ALL=\(root\) NOPASSWD: \/usr\/bin\/systemctl kill --kill-whom\\=all --signal\\=SIGKILL --no-ask-password -- b\.service'/);
  const none = judgeRights([{ service: "a", unit: "a.service", grant: { by: "no-sudo" } }], user, rights);
  assert.equal(none[0]?.message, 'user lifeguard may not control a.service ("a"): the configuration says `privilege: sudo`, but sudo is not installed');
  assert.match(none[0]?.fix ?? "", /^sudo apt-get install -y sudo && printf/);
});

test("under privilege: sudo, the daemon's own process must let sudo gain root", () => {
  const daemon = { unit: "lifeguard.service", pid: 42, noNewPrivs: false, setuidCaps: true };
  const install = "sudo lifeguard install --daemon --user lifeguard -c /etc/lifeguard/lifeguard.yaml";
  assert.deepEqual(judgeDaemonPrivileges(daemon, user, { ...context, install }), ok("rights", "lifeguard.service (pid 42) may gain root through sudo: no no_new_privs flag, CAP_SETUID and CAP_SETGID in its bounding set"));
  assert.deepEqual(judgeDaemonPrivileges({ ...daemon, noNewPrivs: true }, user, { ...context, install }),
    fail("rights", "lifeguard.service (pid 42) runs with no_new_privs set (NoNewPrivileges=yes, or a setting that implies it): sudo cannot gain root there, so user lifeguard can control no unit (privilege: sudo)", install));
  assert.equal(judgeDaemonPrivileges({ ...daemon, setuidCaps: false }, user, { ...context, install }).level, "fail");
});

const installed = { LoadState: "loaded", ActiveState: "active", UnitFileState: "enabled" };
const absent = { LoadState: "not-found", ActiveState: "inactive", UnitFileState: "" };
const watchers = (parts: Partial<Watchers>): Watchers => ({ daemon: absent, timer: absent, cronFile: false, cronDaemon: null, addon: true, rebuild: "REBUILD", install: "sudo lifeguard install -c /etc/lifeguard/lifeguard.yaml", ...parts });

test("the daemon, the timer or cron must run Lifeguard; the daemon as Type=notify with a watchdog and the addon", () => {
  const nothing = judgeWatchers(watchers({}), context);
  assert.deepEqual(nothing, [fail("watcher", "nothing runs Lifeguard: lifeguard.service and lifeguard-check.timer are not installed and /etc/cron.d/lifeguard does not exist",
    "sudo lifeguard install -c /etc/lifeguard/lifeguard.yaml")]);
  assert.equal(judgeWatchers(watchers({ timer: installed }), context)[0]?.level, "ok");
  // The cron file runs Lifeguard only while cron runs, and after a reboot only if it is enabled.
  assert.deepEqual(judgeWatchers(watchers({ cronFile: true, cronDaemon: { unit: "cron.service", properties: installed } }), context), [ok("watcher", "/etc/cron.d/lifeguard runs lifeguard check every minute (cron.service is active and enabled)")]);
  assert.deepEqual(judgeWatchers(watchers({ cronFile: true, cronDaemon: { unit: "crond.service", properties: { ...installed, ActiveState: "inactive", UnitFileState: "disabled" } } }), context),
    [fail("watcher", "/etc/cron.d/lifeguard exists but crond.service is not running and enabled (ActiveState=inactive, UnitFileState=disabled): nothing runs lifeguard check", "sudo systemctl enable --now crond.service")]);
  assert.deepEqual(judgeWatchers(watchers({ cronFile: true }), context), [fail("watcher", "/etc/cron.d/lifeguard exists but no cron daemon is installed: nothing runs lifeguard check", "sudo apt-get install -y cron")]);
  assert.equal(judgeWatchers(watchers({ timer: { ...installed, ActiveState: "inactive" } }), context)[0]?.fix, "sudo systemctl enable --now lifeguard-check.timer");
  const daemon = { ...installed, Type: "notify", WatchdogUSec: "30s", NotifyAccess: "main" };
  assert.deepEqual(judgeWatchers(watchers({ daemon }), context).map((finding) => finding.level), ["ok", "ok"]);
  const simple = judgeWatchers(watchers({ daemon: { ...daemon, Type: "simple", WatchdogUSec: "0" } }), context);
  assert.equal(simple[1]?.level, "warn");
  assert.match(simple[1]?.fix ?? "", /'\[Service\]' Type=notify NotifyAccess=main WatchdogSec=30s \| sudo tee \/etc\/systemd\/system\/lifeguard.service.d\/watchdog.conf/);
  // Without the addon, systemd-notify sends: enough as root; another user needs NotifyAccess=all.
  const asRoot = judgeWatchers(watchers({ daemon: { ...daemon, User: "" }, addon: false }), context);
  assert.deepEqual(asRoot[2], warn("watcher", "the native addon is not built: lifeguard.service notifies systemd through systemd-notify", "REBUILD"));
  const asUser = judgeWatchers(watchers({ daemon: { ...daemon, User: "lifeguard" }, addon: false }), context);
  assert.deepEqual(asUser[2], fail("watcher", "the native addon is not built and lifeguard.service runs as lifeguard with NotifyAccess=main: systemd refuses systemd-notify's READY=1 and WATCHDOG=1, so it kills Lifeguard", "REBUILD"));
  assert.equal(judgeWatchers(watchers({ daemon: { ...daemon, User: "lifeguard", NotifyAccess: "all" }, addon: false }), context)[2]?.level, "warn");
});

test("alerts need a channel, and each a passing test-alert on record", () => {
  const where = { now: 10 * 3600_000, cliAddress: ["-c", "/srv/lifeguard.yaml"], source: "/srv/lifeguard.yaml" };
  assert.deepEqual(judgeAlerts([], new Map(), where), [fail("alerts", "no alert channel is configured in /srv/lifeguard.yaml: nobody hears when a service gives up",
    "add one under alerts: (docs/alerts/), then run lifeguard test-alert -c /srv/lifeguard.yaml")]);
  const tests = new Map([
    ["phone", { channel: "phone", at: 8 * 3600_000, ok: true, summary: "Sent" }],
    ["mail", { channel: "mail", at: 9 * 3600_000, ok: false, summary: "Cannot send: connection refused" }],
  ]);
  const findings = judgeAlerts([{ name: "phone", type: "telegram" }, { name: "mail", type: "email" }, { name: "hook", type: "webhook" }], tests, where);
  assert.deepEqual(findings, [
    ok("alerts", `"phone" (telegram) delivered the last test alert (2h ago)`),
    warn("alerts", `"mail" (email) failed the last test alert (1h ago): Cannot send: connection refused`, "lifeguard test-alert mail -c /srv/lifeguard.yaml"),
    warn("alerts", `"hook" (webhook) has never been tested: no test-alert result is recorded`, "lifeguard test-alert hook -c /srv/lifeguard.yaml"),
  ]);
});

test("a unit's journal is judged by what Lifeguard's user was shown of it", () => {
  const source = { service: "trader", unit: "trader.service" };
  const journal = { ...context, restartDaemon: null };
  const refused = 'The journal of trader.service of "trader" is not readable by user lifeguard';
  assert.deepEqual(judgeJournal(source, user, { kind: "read", entries: 1, hidden: false, seenByAdmin: 1 }, journal), ok("journal", `The journal of trader.service of "trader" is readable by user lifeguard`));
  assert.deepEqual(judgeJournal(source, user, { kind: "read", entries: 0, hidden: true, seenByAdmin: 0 }, journal),
    fail("journal", `${refused}: only the groups systemd-journal and adm read the journal of a system unit`, "sudo usermod -a -G systemd-journal lifeguard"));
  // No hint from journalctl, but the administrator sees entries the user does not.
  assert.deepEqual(judgeJournal(source, user, { kind: "read", entries: 0, hidden: false, seenByAdmin: 1 }, { ...journal, root: true, restartDaemon: "lifeguard.service" }),
    fail("journal", `${refused} (it holds entries): only the groups systemd-journal and adm read the journal of a system unit`, "usermod -a -G systemd-journal lifeguard && systemctl try-restart lifeguard.service"));
  assert.equal(judgeJournal(source, user, { kind: "read", entries: 0, hidden: false, seenByAdmin: 0 }, journal).level, "warn");
  assert.deepEqual(judgeJournal(source, user, { kind: "failed", said: "journalctl is not installed" }, journal),
    fail("journal", `The journal of trader.service of "trader" cannot be read by user lifeguard: journalctl is not installed`, "sudo usermod -a -G systemd-journal lifeguard"));
  assert.deepEqual(judgeJournal(source, user, { kind: "untried", reason: "only root may act as user lifeguard" }, journal),
    warn("journal", `The journal of trader.service of "trader" was not tried as user lifeguard: only root may act as user lifeguard`, "sudo lifeguard doctor"));
});
