import { adminCommand, allOf, writeFileCommand, type FixContext } from "./fixes.js";
import { fail, ok, warn, type Finding } from "./finding.js";

/** `systemctl show -p ...` of one unit, `Key=Value` as systemd printed it; null when systemctl could not be asked. */
export type UnitProperties = Readonly<Record<string, string>>;

/** A unit that is installed: `LoadState=loaded` (not `not-found`, `masked`, `bad-setting`...). */
export const isLoaded = (unit: UnitProperties): boolean => unit.LoadState === "loaded";
/** Started at boot, or part of something that is (`static`, `indirect`, `generated`: not the user's to enable). */
const ENABLED = new Set(["enabled", "enabled-runtime", "static", "indirect", "generated", "transient", "alias", "linked", "linked-runtime"]);

/**
 * A service's unit: it must exist to be controlled, and be enabled to come back after a reboot.
 * `install`: the command line of `lifeguard install` for the configuration, when the service has
 * `install-unit:`: a unit that does not exist yet is then install's to write, not the user's.
 */
export function judgeServiceUnit(service: string, unit: string, properties: UnitProperties, context: FixContext, install: string | null = null): Finding {
  const what = `${unit} of "${service}"`;
  const load = properties.LoadState ?? "unknown";
  if (load === "masked") return fail("unit", `${what} is masked: systemd refuses to start it`, adminCommand(["systemctl", "unmask", unit], context));
  if (load === "not-found" && install !== null) return fail("unit", `${what} does not exist yet (LoadState=not-found): \`lifeguard install\` writes it from its install-unit:`, install);
  if (load === "not-found") {
    const create = adminCommand(["systemctl", "edit", "--force", "--full", unit], context);
    return fail("unit", `${what} does not exist (LoadState=not-found): Lifeguard cannot start or restart it`, allOf(create, adminCommand(["systemctl", "enable", "--now", unit], context)));
  }
  if (load !== "loaded") return fail("unit", `${what} cannot be loaded (LoadState=${load}): its unit file has an error`, adminCommand(["systemctl", "edit", "--full", unit], context));
  const file = properties.UnitFileState ?? "";
  if (!ENABLED.has(file)) return warn("unit", `${what} is not enabled (UnitFileState=${file || "unknown"}): it does not start at boot`, adminCommand(["systemctl", "enable", unit], context));
  return ok("unit", `${what} is loaded and ${file} (${properties.ActiveState ?? "unknown"})`);
}

/** What runs Lifeguard: the daemon's unit, the timer's, or /etc/cron.d/lifeguard and the cron daemon that reads it. */
export interface Watchers {
  daemon: UnitProperties;
  timer: UnitProperties;
  /** /etc/cron.d/lifeguard exists. */
  cronFile: boolean;
  /** The cron daemon's unit (`cron.service`, `crond.service`) and its state; null: no cron on the box. */
  cronDaemon: { unit: string; properties: UnitProperties } | null;
  /** The native addon loads: without it the daemon cannot send sd_notify's datagrams. */
  addon: boolean;
  /** The command that builds the addon. */
  rebuild: string;
  /** The command line that installs Lifeguard for this configuration (`sudo lifeguard install -c FILE`). */
  install: string;
}

export const DAEMON_UNIT = "lifeguard.service";
export const TIMER_UNIT = "lifeguard-check.timer";
export const CRON_FILE = "/etc/cron.d/lifeguard";
/** The cron daemon's unit: Debian's and Raspberry Pi OS's, then cronie's. */
export const CRON_UNITS = ["cron.service", "crond.service"] as const;
const WATCHDOG_DROP_IN = "/etc/systemd/system/lifeguard.service.d/watchdog.conf";

/** Active now and started at boot. */
export const isRunningAndEnabled = (unit: UnitProperties): boolean => isLoaded(unit) && unit.ActiveState === "active" && ENABLED.has(unit.UnitFileState ?? "");

/** One of the daemon, the timer or the cron file must run Lifeguard; the daemon as `Type=notify` with `WatchdogSec=`. */
export function judgeWatchers(watchers: Watchers, context: FixContext): Finding[] {
  const { daemon, timer } = watchers;
  if (isRunningAndEnabled(daemon)) return [ok("watcher", `${DAEMON_UNIT} is active and enabled`), ...judgeDaemon(watchers, context)];
  if (isRunningAndEnabled(timer)) return [ok("watcher", `${TIMER_UNIT} is active and enabled: lifeguard check runs on its schedule`)];
  const enable = (unit: string): string => adminCommand(["systemctl", "enable", "--now", unit], context);
  if (watchers.cronFile) return [judgeCron(watchers.cronDaemon, enable, context)];
  if (isLoaded(daemon)) return [fail("watcher", `${DAEMON_UNIT} is installed but not running and enabled (${describeState(daemon)}), and nothing else runs Lifeguard`, enable(DAEMON_UNIT))];
  if (isLoaded(timer)) return [fail("watcher", `${TIMER_UNIT} is installed but not running and enabled (${describeState(timer)}), and nothing else runs Lifeguard`, enable(TIMER_UNIT))];
  return [fail("watcher", `nothing runs Lifeguard: ${DAEMON_UNIT} and ${TIMER_UNIT} are not installed and ${CRON_FILE} does not exist`, watchers.install)];
}

/** The cron file runs Lifeguard only while a cron daemon runs, and at boot only if it is enabled. */
function judgeCron(cron: Watchers["cronDaemon"], enable: (unit: string) => string, context: FixContext): Finding {
  if (cron === null) return fail("watcher", `${CRON_FILE} exists but no cron daemon is installed: nothing runs lifeguard check`, adminCommand(["apt-get", "install", "-y", "cron"], context));
  if (!isRunningAndEnabled(cron.properties)) return fail("watcher", `${CRON_FILE} exists but ${cron.unit} is not running and enabled (${describeState(cron.properties)}): nothing runs lifeguard check`, enable(cron.unit));
  return ok("watcher", `${CRON_FILE} runs lifeguard check every minute (${cron.unit} is active and enabled)`);
}

/** The daemon's unit as systemd runs it: the notify protocol, the watchdog, and what sends its datagrams. */
function judgeDaemon(watchers: Watchers, context: FixContext): Finding[] {
  const { daemon } = watchers;
  const findings: Finding[] = [];
  const watchdog = daemon.WatchdogUSec ?? "0";
  if (daemon.Type !== "notify" || watchdog === "0" || watchdog === "infinity" || watchdog === "") {
    const dropIn = ["[Service]", "Type=notify", "NotifyAccess=main", "WatchdogSec=30s"];
    const fix = allOf(adminCommand(["mkdir", "-p", "/etc/systemd/system/lifeguard.service.d"], context), writeFileCommand(WATCHDOG_DROP_IN, dropIn, context),
      adminCommand(["systemctl", "daemon-reload"], context), adminCommand(["systemctl", "restart", DAEMON_UNIT], context));
    findings.push(warn("watcher", `${DAEMON_UNIT} has Type=${daemon.Type ?? "unknown"} and WatchdogSec=${watchdog === "0" ? "none" : watchdog}: systemd does not restart a hung Lifeguard`, fix));
  } else {
    findings.push(ok("watcher", `${DAEMON_UNIT} is Type=notify with WatchdogSec=${watchdog} (NotifyAccess=${daemon.NotifyAccess ?? "unknown"})`));
    if (!watchers.addon) findings.push(judgeHelperNotify(daemon, watchers.rebuild));
  }
  return findings;
}

/**
 * Without the native addon the daemon notifies systemd through `systemd-notify`: as root that
 * helper presents the message as Lifeguard's own; under another user it cannot, and only
 * `NotifyAccess=all` lets systemd take it (src/process/systemd-notify-command.ts).
 */
function judgeHelperNotify(daemon: UnitProperties, rebuild: string): Finding {
  const user = daemon.User ?? "";
  if (user === "" || user === "root" || daemon.NotifyAccess === "all") {
    return warn("watcher", `the native addon is not built: ${DAEMON_UNIT} notifies systemd through systemd-notify${daemon.NotifyAccess === "all" ? " (NotifyAccess=all: any process of the unit could ping the watchdog)" : ""}`, rebuild);
  }
  return fail("watcher", `the native addon is not built and ${DAEMON_UNIT} runs as ${user} with NotifyAccess=${daemon.NotifyAccess ?? "unknown"}: systemd refuses systemd-notify's READY=1 and WATCHDOG=1, so it kills Lifeguard`, rebuild);
}

function describeState(unit: UnitProperties): string {
  return `ActiveState=${unit.ActiveState ?? "unknown"}, UnitFileState=${unit.UnitFileState ?? "unknown"}`;
}
