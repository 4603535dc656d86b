import { UNIT_VERBS } from "./unit-commands.js";

export { UNIT_VERBS } from "./unit-commands.js";

/** The polkit action systemd checks for each of UNIT_VERBS, with the details `unit` and `verb`. */
export const MANAGE_UNITS_ACTION = "org.freedesktop.systemd1.manage-units";

/** polkit's own unit: systemd asks polkit over D-Bus, which starts this unit; without it (not installed, masked) only root controls units. */
export const POLKIT_UNIT = "polkit.service";

/** Where `doctor`'s polkit rule goes: rules there are read at once by polkitd. */
export const POLKIT_RULE_FILE = "/etc/polkit-1/rules.d/50-lifeguard.rules";

/**
 * The polkit rule (JavaScript rules, polkit 0.106 on) that lets `user` do to `units` exactly what
 * the runner does, nothing else; `heading` are its first comment lines (who wrote it).
 */
export function polkitRule(user: string, units: readonly string[], heading: readonly string[] = ["Written by lifeguard doctor"]): string[] {
  const list = (items: readonly string[]): string => `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;
  return [
    ...heading.map((line) => `// ${line}`),
    `// User ${JSON.stringify(user)} may start, stop, kill and reset the units Lifeguard watches, and no other unit.`,
    "polkit.addRule(function (action, subject) {",
    `  if (action.id == ${JSON.stringify(MANAGE_UNITS_ACTION)} && subject.user == ${JSON.stringify(user)} &&`,
    `      ${list(units)}.indexOf(action.lookup("unit")) >= 0 &&`,
    `      ${list(UNIT_VERBS)}.indexOf(action.lookup("verb")) >= 0) return polkit.Result.YES;`,
    "});",
  ];
}
