/**
 * The systemctl calls that change a unit, exactly as the systemd runner makes them: what polkit
 * (`polkit-rule.ts`) and sudoers (`sudoers-rule.ts`) must allow, and nothing more.
 */

/** What the systemd runner asks systemd to do to a unit; each is also a polkit `verb` of `manage-units`. */
export const UNIT_VERBS = ["start", "stop", "kill", "reset-failed"] as const;
export type UnitVerb = (typeof UNIT_VERBS)[number];

/** The options the runner gives each verb: a stop that does not wait (it polls), a kill of the whole cgroup. */
const VERB_OPTIONS: Record<UnitVerb, readonly string[]> = {
  start: [],
  stop: ["--no-block"],
  kill: ["--kill-whom=all", "--signal=SIGKILL"],
  "reset-failed": [],
};

/**
 * `systemctl`'s arguments for `verb` on `unit`, as the runner passes them: never a password
 * prompt, and `--` so that no unit name is read as an option. A sudoers rule matches these words
 * exactly, so this is the one place they are written.
 */
export function unitCommand(verb: UnitVerb, unit: string): string[] {
  return [verb, ...VERB_OPTIONS[verb], "--no-ask-password", "--", unit];
}

/** What a runner under `privilege: sudo` puts before `systemctl` for the calls that change a unit: sudo that never asks for a password. */
export const SUDO_PREFIX = ["sudo", "-n"] as const;
