import type { InstallUnitConfig } from "../config/install-unit.js";
import { hashComment, SUDO_NOTE, WATCHDOG_SEC } from "./layout.js";
import { commandLineValue, environmentLine, pathValue, secondsValue, unitFile } from "./unit-file.js";

/** How Lifeguard itself is run by the units `install` writes. */
export interface LifeguardRun {
  /** Node, absolute: a unit's PATH may not hold the Node the user installed with. */
  node: string;
  /** bin/lifeguard.js of the installed package, absolute. */
  bin: string;
  /** The config file, absolute. */
  config: string;
  /** Where the secrets the config refers to (`${TELEGRAM_TOKEN}`) are kept, each optional (as `lifeguard init` names them). */
  environmentFiles: readonly string[];
  /** null: root. */
  user: string | null;
  /** Paths Lifeguard writes (its state, its log's directory): the only writable ones under ProtectSystem=strict. */
  writable: readonly string[];
  /** `read-only` when a file it reads (a log, its config) lives under /home, /root or /run/user; else `yes` (hidden). */
  protectHome: "yes" | "read-only";
  /** PrivateTmp=yes, unless something Lifeguard runs, reads or writes lives under /tmp or /var/tmp. */
  privateTmp: boolean;
  /** `command:` services: Lifeguard gives each a cgroup of its own below its own (Delegate=yes), so it may write its cgroup. */
  supervises: boolean;
  /** `all` only where Lifeguard notifies through systemd-notify as another user than root (no native addon). */
  notifyAccess: "main" | "all";
  /** It runs as another user than root and reaches systemctl through sudo (`privilege: sudo`): nothing may set no_new_privs, which stops sudo. */
  sudo: boolean;
}


/** The bot's own unit from `install-unit:`: restarted by systemd on a crash, started at boot, with its limits. */
export function renderServiceUnit(name: string, unit: InstallUnitConfig, header: readonly string[]): string {
  return unitFile(hashComment(header), [
    ["Unit", [
      `Description=${unit.description ?? `${name} (watched by Lifeguard)`}`,
      "After=network-online.target",
      "Wants=network-online.target",
      `StartLimitIntervalSec=${secondsValue(unit.startLimit.intervalMs)}`,
      `StartLimitBurst=${unit.startLimit.burst}`,
    ]],
    ["Service", [
      "Type=simple",
      unit.user === null ? null : `User=${unit.user}`,
      unit.group === null ? null : `Group=${unit.group}`,
      unit.workingDirectory === null ? null : `WorkingDirectory=${pathValue(unit.workingDirectory)}`,
      ...Object.entries(unit.environment).map(([key, value]) => environmentLine(key, value)),
      unit.environmentFile === null ? null : `EnvironmentFile=${pathValue(unit.environmentFile)}`,
      `ExecStart=${commandLineValue(unit.execStart)}`,
      "Restart=on-failure",
      `RestartSec=${secondsValue(unit.restartMs)}`,
      unit.memoryMaxBytes === null ? null : `MemoryMax=${unit.memoryMaxBytes}`,
      unit.cpuQuotaPercent === null ? null : `CPUQuota=${unit.cpuQuotaPercent}%`,
    ]],
    ["Install", ["WantedBy=multi-user.target"]],
  ]);
}

/** `lifeguard run` as a notify daemon under systemd's watchdog, with the least it needs. */
export function renderDaemonUnit(run: LifeguardRun, header: readonly string[]): string {
  return unitFile(hashComment([...header, "Lifeguard as a daemon: checks every service at its interval; systemd restarts it when its pings stop.", ...sudoNote(run)]), [
    ["Unit", ["Description=Lifeguard watchdog", "After=network-online.target", "Wants=network-online.target"]],
    ["Service", [
      "Type=notify",
      `NotifyAccess=${run.notifyAccess}`,
      ...environmentFiles(run),
      `ExecStart=${commandLineValue([run.node, run.bin, "run", "-c", run.config])}`,
      "ExecReload=/bin/kill -HUP $MAINPID",
      `WatchdogSec=${WATCHDOG_SEC}s`,
      "Restart=always",
      "RestartSec=2s",
      // SIGTERM to Lifeguard alone: it stops what it supervises itself.
      "KillMode=mixed",
      run.supervises ? "Delegate=yes" : null,
      ...hardening(run),
    ]],
    ["Install", ["WantedBy=multi-user.target"]],
  ]);
}

/** One `lifeguard check` round, started by the timer. */
export function renderCheckUnit(run: LifeguardRun, header: readonly string[]): string {
  return unitFile(hashComment([...header, "One Lifeguard round; lifeguard-check.timer starts it every minute.", ...sudoNote(run)]), [
    ["Unit", ["Description=Lifeguard health check", "After=network-online.target"]],
    ["Service", [
      "Type=oneshot",
      ...environmentFiles(run),
      `ExecStart=${commandLineValue([run.node, run.bin, "check", "-c", run.config])}`,
      // 1 (restarted) and 2 (unhealthy, not fixed) are outcomes, in the log; not failures of the unit.
      "SuccessExitStatus=1 2",
      "TimeoutStartSec=5min",
      ...hardening(run),
    ]],
  ]);
}

/** Every minute on the minute, from boot on; a minute missed while the box was off runs at boot. */
export function renderTimerUnit(header: readonly string[]): string {
  return unitFile(hashComment([...header, "Starts lifeguard-check.service every minute (the seed's cron line, without cron)."]), [
    ["Unit", ["Description=Run the Lifeguard health check every minute"]],
    ["Timer", ["OnCalendar=*-*-* *:*:00", "Persistent=true", "AccuracySec=1s"]],
    ["Install", ["WantedBy=timers.target"]],
  ]);
}

/** `-`: a file that does not exist is no error. */
function environmentFiles(run: LifeguardRun): string[] {
  return run.environmentFiles.map((file) => `EnvironmentFile=-${pathValue(file)}`);
}

/**
 * What Lifeguard may not do: write anywhere but its state and log, see home directories (read-only
 * where a watched log lives there), gain privileges, load modules, use sockets beyond local and IP.
 * It keeps no capability unless it runs as root, and then only those its work needs: read any log
 * (DAC_READ_SEARCH), stop processes of supervised commands run as their own users (KILL, SETUID,
 * SETGID), hand their output files to them (CHOWN). Under sudo, see `SUDO_HARDENING`.
 */
function hardening(run: LifeguardRun): Array<string | null> {
  return [
    run.user === null ? null : `User=${run.user}`,
    run.user === null ? null : `Group=${run.user}`,
    "UMask=0027",
    "ProtectSystem=strict",
    `ReadWritePaths=${run.writable.map(pathValue).join(" ")}`,
    `ProtectHome=${run.protectHome}`,
    run.privateTmp ? "PrivateTmp=yes" : null,
    // A supervisor writes its delegated cgroup: /sys/fs/cgroup stays writable then.
    run.supervises ? null : "ProtectControlGroups=yes",
    ...(run.sudo ? SUDO_HARDENING : [
      "NoNewPrivileges=yes",
      "PrivateDevices=yes",
      "ProtectKernelTunables=yes",
      "ProtectKernelModules=yes",
      "ProtectKernelLogs=yes",
      "ProtectClock=yes",
      "ProtectHostname=yes",
      "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
      "RestrictNamespaces=yes",
      "RestrictRealtime=yes",
      "RestrictSUIDSGID=yes",
      "LockPersonality=yes",
      "SystemCallArchitectures=native",
      run.user === null ? "CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_KILL CAP_SETUID CAP_SETGID CAP_CHOWN" : "CapabilityBoundingSet=",
    ]),
  ];
}

/**
 * Under sudo (another user than root): sudo must gain root, which the no_new_privs flag forbids,
 * and systemd sets that flag for another user than root with any of the settings above that
 * filter system calls (NoNewPrivileges=, PrivateDevices=, ProtectKernel*=, ProtectClock=,
 * ProtectHostname=, Restrict*=, LockPersonality=, SystemCallArchitectures=: systemd.exec(5)), so
 * none is set. The root that sudo gives keeps only what sudo needs to become it (SETUID, SETGID;
 * AUDIT_WRITE for its audit record); what it may run is the sudoers drop-in's exact command lines.
 */
const SUDO_HARDENING = ["CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_AUDIT_WRITE"];

/** The header lines of a unit that runs Lifeguard under sudo: an admin reading it sees how, and why it is less hardened. */
function sudoNote(run: LifeguardRun): string[] {
  return run.sudo ? [SUDO_NOTE, "sudo must gain root: this unit sets nothing that implies NoNewPrivileges=yes, and bounds root's capabilities to what sudo needs."] : [];
}
