import { shellWord } from "../cli-command.js";
import { POLKIT_RULE_FILE, polkitRule } from "../polkit-rule.js";

/**
 * Who runs a fix: as root a command is printed bare, else with `sudo` in front, so that each
 * fix works as printed by the user who ran `doctor` (a box without sudo is run by root).
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

/** Installs the compilers node-gyp needs, then runs `rebuild` in Lifeguard's directory `root`. */
export function rebuildFix(root: string | null, rebuild: readonly string[], context: FixContext): string {
  const tools = adminCommand(["apt-get", "install", "-y", "build-essential", "python3"], context);
  return root === null ? allOf(tools, adminCommand(rebuild, context)) : allOf(tools, `cd ${shellWord(root)}`, adminCommand(rebuild, context));
}
