import { polkitFix, sudoersFix, type FixContext } from "./fixes.js";
import { fail, ok, warn, type Finding } from "./finding.js";
import type { LifeguardUser, RerunAsRoot } from "./judge-access.js";

/** Who lets Lifeguard's user control a unit: root always; another user through polkit, or sudo under `privilege: sudo`. */
export type UnitGrant =
  | { by: "root" }
  | { by: "polkit"; allowed: true }
  | { by: "polkit"; allowed: false; verb: string; answer: string }
  /** Why systemd cannot ask polkit: `polkit is not installed (no polkit.service)`. */
  | { by: "no-polkit"; why: string }
  | { by: "sudo"; allowed: true }
  /** The first command line sudoers does not allow, and the verb it is for. */
  | { by: "sudo"; allowed: false; verb: string; command: string }
  | { by: "no-sudo" }
  | { by: "untried"; reason: string };

export interface RightsContext extends FixContext {
  rerun: RerunAsRoot;
  /** Every unit of the configuration: what a rule or drop-in names, as it replaces the file. */
  ruleUnits: readonly string[];
  /** systemctl's absolute path as sudo finds it: what a sudoers rule names. */
  systemctl: string;
  /** The configuration file, for the way out through `privilege: sudo`. */
  source: string;
}

/**
 * Whether Lifeguard's user may start, stop, kill and reset `units` (one finding per unit), and the
 * one fix for all: polkit's rule, or under `privilege: sudo` the sudoers drop-in.
 */
export function judgeRights(units: ReadonlyArray<{ service: string; unit: string; grant: UnitGrant }>, user: LifeguardUser, context: RightsContext): Finding[] {
  const polkit = polkitFix(user.name, context.ruleUnits, { ...context, installPolkit: units.some(({ grant }) => grant.by === "no-polkit") });
  const sudo = sudoersFix(user.name, context.ruleUnits, context.systemctl, { ...context, installSudo: units.some(({ grant }) => grant.by === "no-sudo") }) ?? undefined;
  return units.map(({ service, unit, grant }) => {
    const who = `user ${user.name}`;
    const what = `${unit} ("${service}")`;
    switch (grant.by) {
      case "root":
        return ok("rights", `${who} may control ${what}: root may`);
      case "polkit":
        return grant.allowed
          ? ok("rights", `${who} may start, stop and kill ${what}: polkit grants it`)
          : fail("rights", `${who} may not ${grant.verb} ${what}: polkit refuses it (${grant.answer})`, polkit);
      case "no-polkit":
        return fail("rights", `${who} may not control ${what}: ${grant.why}, and systemd lets only root and whom polkit allows control units. ` +
          `Install polkit, or set \`privilege: sudo\` in ${context.source} to have Lifeguard run \`sudo -n systemctl\` (\`lifeguard install\` writes the sudoers drop-in)`, polkit);
      case "sudo":
        return grant.allowed
          ? ok("rights", `${who} may start, stop and kill ${what}: sudo allows each command line Lifeguard runs (privilege: sudo)`)
          : fail("rights", `${who} may not ${grant.verb} ${what}: sudo does not allow \`sudo -n ${grant.command}\` (privilege: sudo)`, sudo);
      case "no-sudo":
        return fail("rights", `${who} may not control ${what}: the configuration says \`privilege: sudo\`, but sudo is not installed`, sudo);
      case "untried":
        return warn("rights", `control of ${what} by ${who} was not tried: ${grant.reason}`, context.rerun);
    }
  });
}

/** The running daemon's process, as `/proc/PID/status` has it, under `privilege: sudo`. */
export interface DaemonPrivileges {
  unit: string;
  pid: number;
  noNewPrivs: boolean;
  /** CAP_SETUID and CAP_SETGID in its bounding set. */
  setuidCaps: boolean;
}

/**
 * Under `privilege: sudo`, sudo must be able to gain root from Lifeguard's own process: no
 * no_new_privs flag (NoNewPrivileges=, or a setting that implies it), SETUID and SETGID in its
 * bounding set. The fix is the unit `lifeguard install` writes for sudo.
 */
export function judgeDaemonPrivileges(daemon: DaemonPrivileges, user: LifeguardUser, context: FixContext & { install: string }): Finding {
  const where = `${daemon.unit} (pid ${daemon.pid})`;
  if (daemon.noNewPrivs) return fail("rights", `${where} runs with no_new_privs set (NoNewPrivileges=yes, or a setting that implies it): sudo cannot gain root there, so user ${user.name} can control no unit (privilege: sudo)`, context.install);
  if (!daemon.setuidCaps) return fail("rights", `${where} has no CAP_SETUID and CAP_SETGID in its bounding set (CapabilityBoundingSet=): sudo cannot become root there, so user ${user.name} can control no unit (privilege: sudo)`, context.install);
  return ok("rights", `${where} may gain root through sudo: no no_new_privs flag, CAP_SETUID and CAP_SETGID in its bounding set`);
}
