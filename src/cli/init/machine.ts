import { accessSync, constants, statSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { Discovery } from "./dialogue.js";
import type { InitPlan } from "./plan.js";
import { findRecentLogs, type LogSource } from "./recent-logs.js";
import { proposeForLog } from "./sample-log.js";
import { listRunningUnits, unitLogHints } from "./systemd-facts.js";

/** The places every service's log may be in besides its own. */
const SYSTEM_LOG_DIR = "/var/log";

/** The real machine behind the dialogue: systemctl (argv `systemctl`), the file system, the clock. */
export function machineDiscovery(options: { systemctl: readonly string[]; env: Readonly<Record<string, string | undefined>>; cwd: string; state: string }): Discovery {
  const { systemctl, cwd, state } = options;
  return {
    env: options.env,
    hostname: hostname(),
    now: Date.now(),
    state,
    outputFile: (name) => join(state, `${name}.out.log`),
    absolute: (path) => resolve(cwd, path),
    listUnits: () => listRunningUnits(systemctl),
    logCandidates: async (service) => findRecentLogs(await sourcesOf(service, systemctl, cwd), Date.now()),
    logProblem,
    propose: (path, onWatch) => proposeForLog(path, { onWatch }),
  };
}

/** Where a service's log may be: the unit's own files and directory (or the current one for a command), then /var/log. */
async function sourcesOf(service: InitPlan["service"], systemctl: readonly string[], cwd: string): Promise<LogSource[]> {
  const system: LogSource = { path: SYSTEM_LOG_DIR, kind: "dir", from: SYSTEM_LOG_DIR, own: false };
  if ("command" in service) return [{ path: cwd, kind: "dir", from: "the current directory", own: true }, system];
  const hints = await unitLogHints(systemctl, service.systemd);
  return [
    ...hints.outputFiles.map((path): LogSource => ({ path, kind: "file", from: "the unit's StandardOutput=", own: true })),
    ...hints.arguments.map((path): LogSource => ({ path, kind: "file", from: "the unit's ExecStart=", own: true })),
    ...(hints.workingDirectory === null ? [] : [{ path: hints.workingDirectory, kind: "dir", from: "the unit's WorkingDirectory=", own: true } satisfies LogSource]),
    system,
  ];
}

/** Why `path` cannot be read as a log, or null (also when it does not exist yet and `missingOk`). */
function logProblem(path: string, options: { missingOk?: boolean } = {}): string | null {
  try {
    if (!statSync(path).isFile()) return "it is not a regular file";
    accessSync(path, constants.R_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && options.missingOk === true) return null;
    return code === "ENOENT" ? "it does not exist" : code === "EACCES" ? "permission is denied" : (error as Error).message;
  }
}
