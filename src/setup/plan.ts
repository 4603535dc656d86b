import { basename, dirname } from "node:path/posix";
import { checkedFiles, checkedJournals } from "../config/checked-files.js";
import { environmentFilesOf } from "../config/environment-file.js";
import type { LifeguardConfig } from "../config/types.js";
import { polkitRule } from "../core/polkit-rule.js";
import { sudoersRule } from "../core/sudoers-rule.js";
import { CHECK_UNIT, CRON_FILE, CRON_OUTPUT, DAEMON_UNIT, DEFAULT_LOG_DIR, JOURNAL_GROUP, LOGROTATE_FILE, POLKIT_RULE_FILE, SUDOERS_FILE, TIMER_UNIT, UNIT_DIR, headerLines, type InstallMode } from "./layout.js";
import { renderCronFile, renderLogrotate } from "./render-schedules.js";
import { renderCheckUnit, renderDaemonUnit, renderServiceUnit, renderTimerUnit, type LifeguardRun } from "./render-units.js";

/** One thing `install` does, in order; each is undone by `uninstall` when it changed something. */
export type Step =
  /** A system user for Lifeguard, created when missing. */
  | { kind: "user"; name: string }
  /**
   * `user` joins `group` when not a member: what lets it read the journal of `units` (journald
   * shows a user outside `systemd-journal` or `adm` none of the system's entries).
   */
  | { kind: "group"; user: string; group: string; units: string[] }
  /**
   * A directory, created when missing, owned by `owner` (null: root) with `mode`: the store's, or
   * Lifeguard's own log's; `keeps`: the names (prefixes) of the files Lifeguard keeps there.
   */
  | { kind: "dir"; path: string; owner: string | null; mode: number; purpose: "state" | "log"; keeps: readonly string[] }
  /**
   * `user` may read `path`: ACL entries where its mode does not let it. A log (`rotated`) gets a
   * default entry on its directory too, so that the file logrotate creates next is readable; a
   * config or secrets file gets an entry on itself only.
   */
  | { kind: "read-access"; path: string; user: string; rotated: boolean }
  /** A file written whole; `validate` (argv, the new file's path appended) must accept it before it is put in place. */
  | { kind: "file"; path: string; content: string; mode: number; what: string; validate?: readonly string[] }
  | { kind: "daemon-reload" }
  /** `systemctl enable --now`. */
  | { kind: "enable"; unit: string }
  /**
   * Lifeguard's first round: the daemon's own, the timer's service started now, or (cron) `command`
   * run now as cron runs it; then each service as that round saw it.
   */
  | { kind: "verify"; units: string[]; firstRound: "daemon" | "check-unit" | { command: string[] } };

export interface InstallOptions {
  mode: InstallMode;
  /** null: root. */
  user: string | null;
  /** Services whose own unit (`install-unit:`) is written; null: every service that has one. */
  services: readonly string[] | null;
  /** The command as it is recorded in each file's header. */
  command: string;
}

/** What `install` knows of the box (read before planning: the plan itself is pure). */
export interface InstallFacts {
  node: string;
  bin: string;
  version: string;
  /** The native addon loads (else the daemon notifies through systemd-notify). */
  addon: boolean;
  /** systemctl's absolute path as sudo finds it (its `secure_path`): what the sudoers rule names. */
  systemctl: string;
  /** The cron daemon's unit (`cron.service` on Debian, `crond.service` elsewhere); null: no cron on the box. */
  cronUnit: string | null;
  /** The config's environment files (`environmentFilesOf`) that exist. */
  environmentFiles: readonly string[];
}

export interface InstallPlan {
  steps: Step[];
  /** The units Lifeguard controls: what the polkit rule or the sudoers drop-in names. */
  units: string[];
  /** How Lifeguard may control them: as root; as its user, by polkit's rule; through sudo (`privilege: sudo`, also as root). */
  control: "root" | "polkit" | "sudo";
  /** What stops the plan from working on this box (nothing is done then), each with its way out. */
  problems: string[];
}

const HOMES = ["/home/", "/root/", "/run/user/"];
/** What Lifeguard keeps in its state directory: the store (with its WAL files) and cron's lock. */
const STATE_FILES = ["lifeguard.db", "check.flock"];
const TMPS = ["/tmp/", "/var/tmp/"];
/** visudo's check of one file (its answer names the line it cannot parse); the file's path is appended. */
const VISUDO_CHECK = ["visudo", "-c", "-f"] as const;

/**
 * Everything `install` does for `config`, in order: Lifeguard's user (in `systemd-journal` when a
 * check reads a unit's journal), its state and log
 * directories, read access to the logs its checks read, the services' own units, the polkit rule,
 * Lifeguard's units (or cron file) and logrotate snippet, then daemon-reload, enable, verify.
 */
export function planInstall(config: LifeguardConfig, options: InstallOptions, facts: InstallFacts): InstallPlan {
  const header = headerLines(options.command, facts.version);
  const owner = options.user;
  const systemdServices = config.services.flatMap((service) => (service.runner.kind === "systemd" ? [{ name: service.name, runner: service.runner }] : []));
  const units = systemdServices.map((service) => service.runner.unit);
  const unknown = (options.services ?? []).filter((name) => !systemdServices.some((service) => service.name === name && service.runner.installUnit !== null));
  if (unknown.length > 0) throw new RangeError(`--service ${unknown.join(", ")}: no systemd service of that name has \`install-unit:\` in ${config.source}`);
  const ownUnits = systemdServices.flatMap(({ name, runner }) => (runner.installUnit !== null && (options.services === null || options.services.includes(name)) ? [{ name, unit: runner.unit, installUnit: runner.installUnit }] : []));
  const logFile = config.log.file;
  const logDir = logFile === null ? DEFAULT_LOG_DIR : dirname(logFile);
  // Without a log file the daemon and the timer's unit log to the journal: no log directory (cron's output needs one).
  const ownLogDir = logFile !== null || options.mode === "cron";
  const cronOutput = logFile === null ? CRON_OUTPUT : "/dev/null";
  const read = config.services.flatMap(checkedFiles);
  const journals = [...new Set(config.services.flatMap(checkedJournals))];
  const environmentFiles = environmentFilesOf(config.source);
  const run: LifeguardRun = {
    node: facts.node,
    bin: facts.bin,
    config: config.source,
    environmentFiles,
    user: owner,
    // Each must exist: systemd refuses to start a unit whose ReadWritePaths= names a missing path.
    writable: [config.state, ...(ownLogDir ? [logDir] : [])],
    protectHome: [...read, config.source].some((path) => HOMES.some((home) => path.startsWith(home))) ? "read-only" : "yes",
    // A private /tmp would hide what Lifeguard runs, reads or writes there (a bot's /tmp/bot.log).
    privateTmp: ![facts.node, facts.bin, config.source, config.state, ...read, ...(logFile === null ? [] : [logFile])].some((path) => TMPS.some((tmp) => path.startsWith(tmp))),
    supervises: config.services.some((service) => service.runner.kind === "process"),
    notifyAccess: !facts.addon && owner !== null ? "all" : "main",
    sudo: config.privilege === "sudo" && owner !== null,
  };
  const file = (path: string, content: string, what: string, mode = 0o644): Step => ({ kind: "file", path, content, mode, what });
  const checkArgv = [facts.node, facts.bin, "check", "-c", config.source];
  const lifeguardFiles: Step[] = options.mode === "daemon"
    ? [file(`${UNIT_DIR}/${DAEMON_UNIT}`, renderDaemonUnit(run, header), "Lifeguard's daemon unit")]
    : options.mode === "timer"
      ? [file(`${UNIT_DIR}/${CHECK_UNIT}`, renderCheckUnit(run, header), "Lifeguard's check unit"), file(`${UNIT_DIR}/${TIMER_UNIT}`, renderTimerUnit(header), "its timer")]
      : [file(CRON_FILE, renderCronFile({ user: owner ?? "root", argv: checkArgv, lock: `${config.state}/check.flock`, output: cronOutput, sudo: run.sudo }, header), "Lifeguard's cron job")];
  const runner = options.mode === "daemon" ? [DAEMON_UNIT] : options.mode === "timer" ? [TIMER_UNIT] : facts.cronUnit === null ? [] : [facts.cronUnit];
  const rotated = [...(logFile !== null && config.log.maxBytes === null ? [logFile] : []), ...(options.mode === "cron" && logFile === null ? [cronOutput] : [])];
  const steps: Step[] = [
    ...(owner === null ? [] : [{ kind: "user" as const, name: owner }]),
    ...(owner === null || journals.length === 0 ? [] : [{ kind: "group" as const, user: owner, group: JOURNAL_GROUP, units: journals }]),
    { kind: "dir", path: config.state, owner, mode: 0o750, purpose: "state", keeps: STATE_FILES },
    ...(ownLogDir ? [{ kind: "dir" as const, path: logDir, owner, mode: 0o750, purpose: "log" as const, keeps: [basename(logFile ?? CRON_OUTPUT)] }] : []),
    ...(owner === null ? [] : [
      ...[...new Set(read)].map((path): Step => ({ kind: "read-access", path, user: owner, rotated: true })),
      // Lifeguard reads its config as its user; under cron it loads the secrets itself too (units get them from systemd, as root).
      // Cron loads no environment file: `lifeguard check` reads the secrets' files that exist itself.
      ...[config.source, ...(options.mode === "cron" ? facts.environmentFiles : [])].map((path): Step => ({ kind: "read-access", path, user: owner, rotated: false })),
    ]),
    ...ownUnits.map((service) => file(`${UNIT_DIR}/${service.unit}`, renderServiceUnit(service.name, service.installUnit, header), `the unit of "${service.name}"`)),
    ...(owner === null || units.length === 0 ? [] : [rightsFile(owner, units, config.privilege, facts.systemctl, header)]),
    ...lifeguardFiles,
    ...(rotated.length === 0 ? [] : [file(LOGROTATE_FILE, renderLogrotate(rotated, { user: owner ?? "root", group: owner ?? "root" }, header), "logrotate's rules for Lifeguard's log")]),
    { kind: "daemon-reload" },
    ...ownUnits.map((service): Step => ({ kind: "enable", unit: service.unit })),
    // What runs Lifeguard, started now and at every boot: its daemon, its timer, or cron itself.
    ...runner.map((unit): Step => ({ kind: "enable", unit })),
    { kind: "verify", units: [...units, ...runner], firstRound: options.mode === "daemon" ? "daemon" : options.mode === "timer" ? "check-unit" : { command: checkArgv } },
  ];
  const problems = options.mode === "cron" && facts.cronUnit === null
    ? ["--cron: no cron daemon on this box (neither cron.service nor crond.service exists), so the job would never run: install cron (apt-get install cron), or use --timer, which needs none"]
    : [];
  return { steps, units, control: config.privilege === "sudo" ? "sudo" : owner === null ? "root" : "polkit", problems };
}

/**
 * What lets `user` control `units`, by `privilege`: the polkit rule; or the sudoers drop-in,
 * root's only (0440), which `visudo -c` must accept before it is put in place.
 */
function rightsFile(user: string, units: readonly string[], privilege: LifeguardConfig["privilege"], systemctl: string, header: readonly string[]): Step {
  const list = units.join(", ");
  if (privilege === "polkit") return { kind: "file", path: POLKIT_RULE_FILE, content: `${polkitRule(user, units, header).join("\n")}\n`, mode: 0o644, what: `the polkit rule that lets ${user} control ${list}` };
  return { kind: "file", path: SUDOERS_FILE, content: `${sudoersRule(user, units, systemctl, header).join("\n")}\n`, mode: 0o440, what: `the sudoers drop-in that lets ${user} control ${list} through sudo`, validate: VISUDO_CHECK };
}
