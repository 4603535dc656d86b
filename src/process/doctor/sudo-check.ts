import { SUDO_PREFIX, unitCommand, type UnitVerb } from "../../core/unit-commands.js";
import { runCommand } from "../run-command.js";
import { PROBE_TIMEOUT_MS, type Account } from "./run-as-user.js";

/** What sudo answered for one unit: every command line allowed, or the first one it refuses; or why it gave no answer. */
export type SudoAnswer = { allowed: true } | { allowed: false; verb: UnitVerb; command: string } | { error: string };

/**
 * Asks sudo, without running anything, whether `account` may run each of the runner's command
 * lines (`systemctl` and `unitCommand`) for each of `verbs` on each unit: `sudo -n -l -U USER
 * systemctl ARGS...` as root, `sudo -n -l systemctl ARGS...` as the user itself (sudo -l exits 0
 * and prints the command when it is allowed, 1 when not). Null when this process is neither.
 */
export async function askSudo(account: Account, units: readonly string[], verbs: readonly UnitVerb[]): Promise<Map<string, SudoAnswer> | null> {
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0 && uid !== account.uid) return null;
  const list = uid === 0 && account.uid !== 0 ? [...SUDO_PREFIX, "-l", "-U", account.name] : [...SUDO_PREFIX, "-l"];
  const answers = new Map<string, SudoAnswer>();
  for (const unit of units) answers.set(unit, await askUnit(list, unit, verbs));
  return answers;
}

async function askUnit(list: readonly string[], unit: string, verbs: readonly UnitVerb[]): Promise<SudoAnswer> {
  for (const verb of verbs) {
    const command = ["systemctl", ...unitCommand(verb, unit)];
    const result = await runCommand([...list, ...command], { timeoutMs: PROBE_TIMEOUT_MS });
    if (result.exitCode === 0) continue;
    // 1 and nothing said, or sudo's own "a password is required" (a user with no rule asking for itself): refused.
    if (result.exitCode === 1 && (result.stderr.trim() === "" || /password is required/.test(result.stderr))) return { allowed: false, verb, command: command.join(" ") };
    return { error: result.cause === undefined ? result.summary : `${result.summary}: ${result.cause}` };
  }
  return { allowed: true };
}
