import { readFile } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import { readProcStat } from "../proc-stat.js";
import { runCommand } from "../run-command.js";
import { asUser, PROBE_TIMEOUT_MS, type Account } from "./run-as-user.js";

/** What polkit answered for one unit: allowed for every verb, or the first verb it refused and its words. */
export type PolkitAnswer = { allowed: true } | { allowed: false; verb: string; answer: string } | { error: string };

const POLL_MS = 20;
/** pkcheck's exit codes (pkcheck(1)): 1 not authorised, 2 only after authentication (which a daemon cannot give). */
const REFUSALS: Record<number, string> = { 1: "not authorized", 2: "authentication required, which a daemon cannot give" };

/**
 * Asks polkit, without acting, whether `account` may do each of `verbs` to each unit: `pkcheck`
 * for systemd's `manage-units` action with the details systemd itself passes (`unit`, `verb`),
 * about a helper process (`sleep`) that runs as the account, as systemd would ask about
 * Lifeguard's systemctl. Needs root (to start the helper and to pass details).
 */
export async function askPolkit(account: Account, action: string, units: readonly string[], verbs: readonly string[]): Promise<Map<string, PolkitAnswer>> {
  const answers = new Map<string, PolkitAnswer>();
  const helperArgv = asUser(account, ["sleep", String(PROBE_TIMEOUT_MS / 1000)]);
  if (helperArgv === null) throw new Error(`Cannot act as user ${account.name}`);
  const stop = new AbortController();
  let pid: number | null = null;
  const helper = runCommand(helperArgv, { timeoutMs: PROBE_TIMEOUT_MS, signal: stop.signal, killGraceMs: 100, onSpawn: (spawned) => void (pid = spawned) });
  try {
    const subject = await waitForUid(() => pid, account.uid);
    for (const unit of units) answers.set(unit, subject === null ? { error: "the helper process as the user did not start" } : await askUnit(action, subject, unit, verbs));
  } finally {
    stop.abort();
    await helper;
  }
  return answers;
}

async function askUnit(action: string, subject: string, unit: string, verbs: readonly string[]): Promise<PolkitAnswer> {
  for (const verb of verbs) {
    const result = await runCommand(["pkcheck", "--action-id", action, "--process", subject, "--detail", "unit", unit, "--detail", "verb", verb], { timeoutMs: PROBE_TIMEOUT_MS });
    if (result.exitCode === 0) continue;
    const refusal = result.exitCode === null ? undefined : REFUSALS[result.exitCode];
    if (refusal === undefined) return { error: result.cause === undefined ? result.summary : `${result.summary}: ${result.cause}` };
    return { allowed: false, verb, answer: refusal };
  }
  return { allowed: true };
}

/** `pid,start-time,uid` of the helper once it runs as `uid` (setpriv switches before it execs sleep); null if it never does. */
async function waitForUid(pidOf: () => number | null, uid: number): Promise<string | null> {
  for (const end = Date.now() + PROBE_TIMEOUT_MS; Date.now() < end; await delay(POLL_MS)) {
    const pid = pidOf();
    if (pid === null) continue;
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    const startTime = readProcStat(pid)?.startTime;
    if (/^Uid:\s+(\d+)/m.exec(status)?.[1] === String(uid) && startTime !== undefined) return `${pid},${startTime},${uid}`;
  }
  return null;
}
