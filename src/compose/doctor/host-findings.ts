import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { LifeguardConfig } from "../../config/types.js";
import { rebuildFix, type FixContext } from "../../core/doctor/fixes.js";
import { judgeState, type LifeguardUser } from "../../core/doctor/judge-access.js";
import { judgeAlerts } from "../../core/doctor/judge-alerts.js";
import { judgeClock, judgeOwnLog, judgeStateFileSystem } from "../../core/doctor/judge-host.js";
import { ok, warn, type Finding } from "../../core/doctor/finding.js";
import { readClock } from "../../process/doctor/clock-sync.js";
import { fileSystemType } from "../../process/doctor/file-system-type.js";
import { findAddon, loadAddon } from "../../process/native-addon.js";
import { DB_FILE_NAME, readTestAlerts, sqliteProblem } from "../../store/index.js";
import { groupOf } from "./lifeguard-user.js";
import { tryWrite } from "./probe-files.js";

type Context = FixContext & { rerun: string };

/** The state directory: writable by Lifeguard's user, on a file system that keeps the store safe and across reboots. */
export async function stateFindings(config: LifeguardConfig, user: LifeguardUser, context: Context): Promise<Finding[]> {
  const { attempt, exists } = await tryWrite(user, config.state, DB_FILE_NAME);
  const access = judgeState({ dir: config.state, attempt, exists, group: await groupOf(user) }, user, context);
  const fs = await fileSystemType(exists ? config.state : "/");
  if ("error" in fs) return [access, warn("state", `cannot tell the file system of ${config.state}: ${fs.error}`)];
  const moveState = `set state: to a directory on a local disk (e.g. /var/lib/lifeguard) in ${config.source}`;
  return [access, judgeStateFileSystem(config.state, fs.type, moveState) ?? ok("state", `${config.state} is on a local file system (${fs.type})`)];
}

/** The clock: synchronised by NTP, and whether the box keeps time across a power cut. */
export async function clockFindings(context: FixContext): Promise<Finding[]> {
  return judgeClock(await readClock(), context);
}

/** Lifeguard's own log has a bound: its own rotation, or a logrotate snippet naming it. */
export async function rotationFinding(config: LifeguardConfig, context: FixContext): Promise<Finding> {
  const { file, maxBytes } = config.log;
  return judgeOwnLog({ file, maxBytes, logrotate: file === null || maxBytes !== null ? null : await findLogrotate(file) }, context);
}

const LOGROTATE_DIR = "/etc/logrotate.d";

async function findLogrotate(file: string): Promise<string | null> {
  const names = await readdir(LOGROTATE_DIR).catch(() => []);
  for (const name of names.sort()) {
    const text = await readFile(join(LOGROTATE_DIR, name), "utf8").catch(() => "");
    if (text.includes(file)) return join(LOGROTATE_DIR, name);
  }
  return null;
}

/** The native parts: the sd-notify addon and better-sqlite3's binding; `rebuild` builds the addon. */
export function nativeFindings(root: string | null, context: FixContext): { findings: Finding[]; addon: boolean; rebuild: string } {
  const rebuild = rebuildFix(root, ["npm", "run", "build:native"], context);
  const loaded = loadAddon<unknown>(findAddon());
  const sqlite = sqliteProblem();
  const findings = [
    "addon" in loaded ? ok("native", "the sd-notify addon is built and loads") : warn("native", `the sd-notify addon cannot be used: ${loaded.reason}`, rebuild),
    sqlite === null ? ok("native", "better-sqlite3 loads") : warn("native", `better-sqlite3 cannot be loaded: ${sqlite}`, rebuildFix(root, ["npm", "rebuild", "better-sqlite3", "--build-from-source"], context)),
  ];
  return { findings, addon: "addon" in loaded, rebuild };
}

/** The alert channels, and each one's last `test-alert` result from the store. */
export function alertFindings(config: LifeguardConfig, now: number): Finding[] {
  const tests = readTestAlerts(config.state);
  const context = { now, cliAddress: config.cliAddress, source: config.source };
  const findings = judgeAlerts(config.channels.map(({ name, type }) => ({ name, type })), "error" in tests ? new Map() : tests, context);
  return "error" in tests ? [...findings, warn("alerts", `cannot read the test-alert results in ${config.state}: ${tests.error}`)] : findings;
}
