import { shellWord } from "../cli-command.js";

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

/** What the systemd runner asks systemd to do to a unit (runners/systemd.ts), each a polkit `verb` of `manage-units`. */
export const UNIT_VERBS = ["start", "stop", "kill", "reset-failed"] as const;

/** The polkit action systemd checks for each of UNIT_VERBS, with the details `unit` and `verb`. */
export const MANAGE_UNITS_ACTION = "org.freedesktop.systemd1.manage-units";

/** Where `doctor`'s polkit rule goes: rules there are read at once by polkitd. */
export const POLKIT_RULE_FILE = "/etc/polkit-1/rules.d/50-lifeguard.rules";

/** The polkit rule that lets `user` do to `units` exactly what the runner does, nothing else. */
export function polkitRule(user: string, units: readonly string[]): string[] {
  const list = (items: readonly string[]): string => `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;
  return [
    `// Written by lifeguard doctor: user ${JSON.stringify(user)} may start, stop, kill and reset the units Lifeguard watches.`,
    "polkit.addRule(function (action, subject) {",
    `  if (action.id == ${JSON.stringify(MANAGE_UNITS_ACTION)} && subject.user == ${JSON.stringify(user)} &&`,
    `      ${list(units)}.indexOf(action.lookup("unit")) >= 0 &&`,
    `      ${list(UNIT_VERBS)}.indexOf(action.lookup("verb")) >= 0) return polkit.Result.YES;`,
    "});",
  ];
}

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
