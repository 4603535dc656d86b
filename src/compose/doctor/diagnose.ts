import type { LifeguardConfig } from "../../config/types.js";
import { rebuildFix, type FixContext } from "../../core/doctor/fixes.js";
import type { LifeguardUser } from "../../core/doctor/judge-access.js";
import { judgeNode } from "../../core/doctor/judge-host.js";
import { DAEMON_UNIT, judgeWatchers, TIMER_UNIT, CRON_FILE, type UnitProperties } from "../../core/doctor/judge-units.js";
import { ok, type Finding } from "../../core/doctor/finding.js";
import { existsSync } from "node:fs";
import { findPackageRoot } from "../../process/doctor/package-root.js";
import { showUnit } from "../../process/doctor/systemctl-show.js";
import { alertFindings, clockFindings, nativeFindings, rotationFinding, stateFindings } from "./host-findings.js";
import { findLifeguardUser, RUNNING_UNITS } from "./lifeguard-user.js";
import { findCronDaemon } from "../../process/doctor/cron-daemon.js";
import { logFindings, unitFindings } from "./service-findings.js";
import { journalFindings } from "./journal-findings.js";
import { daemonPrivilegeFindings } from "./daemon-privileges.js";
import { judgeClockWithoutSystemd } from "../../core/doctor/judge-no-systemd.js";
import { isSystemdBooted } from "../../process/doctor/systemd-booted.js";
import { runWatcherFinding, unitsWithoutSystemd } from "./no-systemd.js";

export interface DoctorInput {
  /** null when the configuration could not be loaded: the findings that need none are still made. */
  config: LifeguardConfig | null;
  /** What loading the configuration gave: valid, or its issues. */
  configFinding: Finding;
  /** `--user`: Lifeguard's user, instead of the one the installed units name. */
  user?: string;
  now: number;
  /** The fix of a finding that could not be tried as Lifeguard's user: doctor again, as root. */
  rerun: string;
  /** The fix when nothing runs Lifeguard: `lifeguard install` for this configuration, as root. */
  install: string;
  /** On a box without systemd: `lifeguard run -c FILE`, the container's entrypoint, and `lifeguard reload -c FILE`. */
  run: string;
  reload: string;
  /** Edit the configuration, then validate it: the fix of a `systemd:` service on a box without systemd. */
  edit: string;
  /** The fixes are for a root shell (bare); else each carries `sudo` (doctor ran as a user, or under sudo). */
  rootShell: boolean;
}

export interface Diagnosis {
  user: LifeguardUser | null;
  findings: Finding[];
}

const DAEMON_PROPERTIES = ["LoadState", "ActiveState", "UnitFileState", "User", "Type", "WatchdogUSec", "NotifyAccess", "MainPID"];

/**
 * Everything `lifeguard doctor` looks at, in the order it prints it. Each probe is real and
 * bounded (files opened as Lifeguard's user, systemctl, pkcheck, sudo -l), and none acts on the system.
 */
export async function diagnose(input: DoctorInput): Promise<Diagnosis> {
  const context: FixContext & { rerun: string; install: string } = { root: input.rootShell, rerun: input.rerun, install: input.install };
  const root = findPackageRoot();
  const native = nativeFindings(root, context);
  const systemd = isSystemdBooted();
  const units = systemd ? await showLifeguardUnits() : new Map<string, UnitProperties>();
  const watchers = systemd ? await systemdWatchers(units, native, input.install, context) : [runWatcherFinding(input.config, input.now, { ...context, run: input.run, reload: input.reload })];
  const found = await findLifeguardUser(input.user, units, context);
  const user = "level" in found ? null : found;
  const head = [input.configFinding, judgeNode(process.version, rebuildFix(root, ["npm", "rebuild"], context)), ...native.findings, user === null ? found as Finding : ok("user", `Lifeguard runs as ${user.name} (${user.source})`), ...watchers];
  const clock = systemd ? await clockFindings(context) : [judgeClockWithoutSystemd()];
  const config = input.config;
  if (config === null || user === null) return { user, findings: [...head, ...clock] };
  const runs = watchers.every((finding) => finding.level === "ok");
  const perService = systemd ? await systemdServiceFindings(config, units, user, context) : await findingsWithoutSystemd(config, user, { edit: input.edit, startedBy: runs ? null : input.run }, context);
  const host = [...await stateFindings(config, user, context), ...alertFindings(config, input.now), await rotationFinding(config, context), ...clock];
  return { user, findings: [...head, ...perService, ...host] };
}

/** Lifeguard's own units as systemd has them: the daemon, the one-shot check and its timer. */
async function showLifeguardUnits(): Promise<Map<string, UnitProperties>> {
  const units = new Map<string, UnitProperties>();
  for (const unit of [...RUNNING_UNITS, TIMER_UNIT]) {
    const shown = await showUnit(unit, DAEMON_PROPERTIES);
    units.set(unit, "error" in shown ? {} : shown);
  }
  return units;
}

/** What runs Lifeguard under systemd: its daemon, its timer, or the cron file and the cron daemon. */
async function systemdWatchers(units: ReadonlyMap<string, UnitProperties>, native: { addon: boolean; rebuild: string }, install: string, context: FixContext): Promise<Finding[]> {
  const cronFile = existsSync(CRON_FILE);
  return judgeWatchers({
    daemon: units.get(DAEMON_UNIT) ?? {}, timer: units.get(TIMER_UNIT) ?? {}, cronFile, cronDaemon: cronFile ? await findCronDaemon() : null,
    addon: native.addon, rebuild: native.rebuild, install,
  }, context);
}

/** Each service's logs, journal, unit and rights, and the daemon's own privileges, under systemd. */
async function systemdServiceFindings(config: LifeguardConfig, units: ReadonlyMap<string, UnitProperties>, user: LifeguardUser, context: FixContext & { rerun: string; install: string }): Promise<Finding[]> {
  // A daemon that runs keeps the groups it started with: a fix that gives its user one restarts it.
  const restartDaemon = units.get(DAEMON_UNIT)?.ActiveState === "active" ? DAEMON_UNIT : null;
  return [...await logFindings(config, user, context), ...await journalFindings(config, user, { ...context, restartDaemon }), ...await unitFindings(config, user, context), ...await daemonPrivilegeFindings(config, units.get(DAEMON_UNIT) ?? {}, user, context)];
}

/**
 * Without systemd: a `systemd:` service cannot run at all (one finding, no journal or rights to
 * ask); a `command:` service's logs as anywhere, a missing one written once `startedBy` (lifeguard
 * run, when none runs) starts the service.
 */
async function findingsWithoutSystemd(config: LifeguardConfig, user: LifeguardUser, fixes: { edit: string; startedBy: string | null }, context: FixContext & { rerun: string; install: string }): Promise<Finding[]> {
  const supervised = { ...config, services: config.services.filter((service) => service.runner.kind === "process") };
  return [...unitsWithoutSystemd(config, fixes.edit), ...await logFindings(supervised, user, context, fixes.startedBy)];
}
