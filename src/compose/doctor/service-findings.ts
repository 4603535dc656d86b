import type { LifeguardConfig } from "../../config/types.js";
import { checkedFiles } from "../../config/checked-files.js";
import { MANAGE_UNITS_ACTION, UNIT_VERBS, type FixContext } from "../../core/doctor/fixes.js";
import { judgeLog, type LifeguardUser } from "../../core/doctor/judge-access.js";
import { judgeRights, type UnitGrant } from "../../core/doctor/judge-rights.js";
import { SUDO_SECURE_PATH } from "../../core/sudoers-rule.js";
import { judgeServiceUnit } from "../../core/doctor/judge-units.js";
import { fail, type Finding } from "../../core/doctor/finding.js";
import { askPolkit } from "../../process/doctor/polkit-check.js";
import { polkitAbsence } from "../../process/doctor/polkit-present.js";
import { askSudo } from "../../process/doctor/sudo-check.js";
import { findProgram, pathDirs } from "../../process/find-program.js";
import { cannotActAs } from "../../process/doctor/run-as-user.js";
import { showUnit } from "../../process/doctor/systemctl-show.js";
import { tryRead } from "./probe-files.js";

type Context = FixContext & { rerun: string; install: string };

/**
 * Every file a check of each service reads (a check's `path`, a heartbeat's `file`), each tried as
 * Lifeguard's user. `startedBy`: the command that starts the `command:` services while nothing runs them.
 */
export async function logFindings(config: LifeguardConfig, user: LifeguardUser, context: Context, startedBy: string | null = null): Promise<Finding[]> {
  const logs = config.services.flatMap((service) => checkedFiles(service).map((path) => ({
    service: service.name, path, unit: service.runner.kind === "systemd" ? service.runner.unit : null, ownUnit: service.runner.kind === "systemd" && service.runner.installUnit !== null,
    startedBy: service.runner.kind === "process" ? startedBy : null,
  })));
  const unique = logs.filter((log, index) => logs.findIndex((other) => other.service === log.service && other.path === log.path) === index);
  return Promise.all(unique.map(async ({ ownUnit, ...log }) => {
    const attempt = await tryRead(user, log.path);
    // A missing log of a service whose unit install is to write: is that unit there yet?
    const unwritten = attempt.kind === "missing" && ownUnit && log.unit !== null && !isLoaded(await showUnit(log.unit, ["LoadState"]));
    return judgeLog({ ...log, unitWrittenBy: unwritten ? context.install : null }, user, attempt, context);
  }));
}

const isLoaded = (shown: Awaited<ReturnType<typeof showUnit>>): boolean => !("error" in shown) && shown.LoadState === "loaded";


/** Each unit a service names: it exists and is enabled; then whether Lifeguard's user may control it, and which mechanism says so. */
export async function unitFindings(config: LifeguardConfig, user: LifeguardUser, context: Context): Promise<Finding[]> {
  const units = config.services.flatMap((service) => (service.runner.kind === "systemd" ? [{ service: service.name, unit: service.runner.unit, ownUnit: service.runner.installUnit !== null }] : []));
  const shown = await Promise.all(units.map(async (entry) => ({ ...entry, properties: await showUnit(entry.unit, ["LoadState", "UnitFileState", "ActiveState"]) })));
  const findings = shown.map(({ service, unit, ownUnit, properties }) =>
    ("error" in properties ? fail("unit", `${unit} of "${service}" cannot be asked about: ${properties.error}`) : judgeServiceUnit(service, unit, properties, context, ownUnit ? context.install : null)));
  const loaded = shown.filter(({ properties }) => !("error" in properties) && properties.LoadState === "loaded");
  const names = loaded.map(({ unit }) => unit);
  const grants = config.privilege === "sudo" ? await sudoGrants(user, names) : await polkitGrants(user, names);
  const rights = { ...context, ruleUnits: units.map(({ unit }) => unit), systemctl: findProgram("systemctl", SUDO_SECURE_PATH) ?? "/usr/bin/systemctl", source: config.source };
  return [...findings, ...judgeRights(loaded.map(({ service, unit }) => ({ service, unit, grant: grants.get(unit) ?? { by: "untried", reason: "not asked" } })), user, rights)];
}

const every = (units: readonly string[], grant: UnitGrant): Map<string, UnitGrant> => new Map(units.map((unit) => [unit, grant]));

/** Who grants `user` control of each unit: root itself, else polkit (asked with pkcheck), else nobody. */
async function polkitGrants(user: LifeguardUser, units: readonly string[]): Promise<Map<string, UnitGrant>> {
  if (units.length === 0) return new Map();
  if (user.uid === 0) return every(units, { by: "root" });
  const absence = await polkitAbsence();
  if (absence !== null) return every(units, { by: "no-polkit", why: absence });
  if (findProgram("pkcheck") === null) return every(units, { by: "untried", reason: "polkit runs, but pkcheck, which asks it, is not installed" });
  const untried = cannotActAs(user);
  if (untried !== null) return every(units, { by: "untried", reason: untried });
  const answers = await askPolkit(user, MANAGE_UNITS_ACTION, units, UNIT_VERBS);
  return new Map(units.map((unit): [string, UnitGrant] => {
    const answer = answers.get(unit) ?? { error: "not asked" };
    if ("error" in answer) return [unit, { by: "untried", reason: `pkcheck gave no answer: ${answer.error}` }];
    return [unit, answer.allowed ? { by: "polkit", allowed: true } : { by: "polkit", allowed: false, verb: answer.verb, answer: answer.answer }];
  }));
}

/** Under `privilege: sudo`, what sudo answers for each of the runner's command lines (`sudo -n -l`), as the runner runs them: root too goes through sudo. */
async function sudoGrants(user: LifeguardUser, units: readonly string[]): Promise<Map<string, UnitGrant>> {
  if (units.length === 0) return new Map();
  if (findProgram("sudo", [...pathDirs(), ...SUDO_SECURE_PATH]) === null) return every(units, { by: "no-sudo" });
  const answers = await askSudo(user, units, UNIT_VERBS);
  if (answers === null) return every(units, { by: "untried", reason: cannotActAs(user) ?? `only root or user ${user.name} may ask sudo what ${user.name} may run` });
  return new Map(units.map((unit): [string, UnitGrant] => {
    const answer = answers.get(unit) ?? { error: "not asked" };
    if ("error" in answer) return [unit, { by: "untried", reason: `sudo -l gave no answer: ${answer.error}` }];
    return [unit, answer.allowed ? { by: "sudo", allowed: true } : { by: "sudo", allowed: false, verb: answer.verb, command: answer.command }];
  }));
}
