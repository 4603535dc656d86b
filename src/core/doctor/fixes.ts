import { shellWord } from "../cli-command.js";
import { POLKIT_RULE_FILE, polkitRule } from "../polkit-rule.js";
import { SUDOERS_FILE, sudoersRule } from "../sudoers-rule.js";

/**
 * Who runs a fix: in a root shell a command is printed bare, else with `sudo` in front (also when
 * doctor itself ran under sudo, typed in a user's shell), so that each fix works as printed where
 * `doctor` was typed (a box without sudo is run by root).
 */
export interface FixContext {
  root: boolean;
}

/** `argv` as a shell line run with the administrator's rights: `sudo setfacl -m u:lifeguard:r /var/log/bot.log`. */
export function adminCommand(argv: readonly string[], context: FixContext): string {
  return [...(context.root ? [] : ["sudo"]), ...argv].map(shellWord).join(" ");
}

/** A shell line that writes `lines` into `path` (as the administrator): `printf '%s\n' ... | sudo tee PATH >/dev/null`. */
export function writeFileCommand(path: string, lines: readonly string[], context: FixContext): string {
  return `printf '%s\\n' ${lines.map(shellWord).join(" ")} | ${adminCommand(["tee", path], context)} >/dev/null`;
}

/** Commands run one after the other, each only when the one before succeeded. */
export function allOf(...commands: string[]): string {
  return commands.join(" && ");
}

export { MANAGE_UNITS_ACTION, POLKIT_RULE_FILE, UNIT_VERBS, polkitRule } from "../polkit-rule.js";

/** The fix that lets `user` control `units` through polkit (installing polkit first where it is missing). */
export function polkitFix(user: string, units: readonly string[], context: FixContext & { installPolkit: boolean }): string {
  const write = writeFileCommand(POLKIT_RULE_FILE, polkitRule(user, units), context);
  return context.installPolkit ? allOf(adminCommand(["apt-get", "install", "-y", "polkitd"], context), write) : write;
}

/**
 * The fix that lets `user` run the runner's command lines for `units` through sudo (installing
 * sudo first where it is missing): the drop-in is written under a name sudo skips (it has a "."),
 * checked by visudo, and only then moved in place: a broken sudoers file would lock out every
 * sudo on the box. Null when the user's name cannot be written in a sudoers rule.
 */
export function sudoersFix(user: string, units: readonly string[], systemctl: string, context: FixContext & { installSudo: boolean }): string | null {
  let lines: string[];
  try {
    lines = sudoersRule(user, units, systemctl);
  } catch {
    return null;
  }
  const draft = `${SUDOERS_FILE}.new`;
  const steps = [
    writeFileCommand(draft, lines, context),
    adminCommand(["chmod", "0440", draft], context),
    adminCommand(["visudo", "-c", "-f", draft], context),
    adminCommand(["mv", draft, SUDOERS_FILE], context),
  ];
  return context.installSudo ? allOf(adminCommand(["apt-get", "install", "-y", "sudo"], context), ...steps) : allOf(...steps);
}

/** Installs the compilers node-gyp needs, then runs `rebuild` in Lifeguard's directory `root`. */
export function rebuildFix(root: string | null, rebuild: readonly string[], context: FixContext): string {
  const tools = adminCommand(["apt-get", "install", "-y", "build-essential", "python3"], context);
  return root === null ? allOf(tools, adminCommand(rebuild, context)) : allOf(tools, `cd ${shellWord(root)}`, adminCommand(rebuild, context));
}
