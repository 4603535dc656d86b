import { mkdirSync } from "node:fs";
import { join } from "node:path";

/** The bot every soak service runs. */
export const SOAK_BOT = join(import.meta.dirname, "soak-bot.py");
const PYTHON = "/usr/bin/python3";
/** What a work line starts with: the log-activity checks match it. */
export const WORK_MATCH = "work n=";
/** Lifeguard's own rotation of the captured output: small, so that every burst rotates it several times. */
export const CAPTURED_MAX_BYTES = 128 * 1024;
const CAPTURED_KEEP = 3;

/** How a service's log is rotated during the soak. */
export type Rotation = "lifeguard" | "create" | "copytruncate" | "none";

/** One watched service of the soak and the files it leaves. */
export interface SoakService {
  name: string;
  rotation: Rotation;
  /** The log its checks read: the captured output, or the file the bot writes; null for the heartbeat bot. */
  log: string | null;
  /** The bot appends one line per start here. */
  starts: string;
  /** The bot's counts (lines, bytes, pings), JSON, in `<stats>.<pid>`: one file per start. */
  stats: string;
  /** `checks:` of the service, as YAML keys. */
  checks: Array<Record<string, unknown>>;
  botArgs: string[];
  output?: Record<string, unknown>;
}

/** Checks the scenario uses: running, a fresh log, and work in its last 100 lines. */
function logChecks(log: string): Array<Record<string, unknown>> {
  return [{ running: {} }, { "log-fresh": { path: log, "max-age": "5s" } }, { "log-activity": { path: log, lines: 100, match: WORK_MATCH, min: 1 } }];
}

/** The soak's four services, their directories created under `dir`. */
export function soakServices(dir: string): SoakService[] {
  const bots = join(dir, "bots");
  for (const sub of ["bots", "captured", "create", "copytruncate"]) mkdirSync(join(dir, sub), { recursive: true });
  const files = (name: string) => ({ starts: join(bots, `${name}.starts`), stats: join(bots, `${name}.stats`) });
  const captured = join(dir, "captured", "out.log");
  const create = join(dir, "create", "bot.log");
  const copytruncate = join(dir, "copytruncate", "bot.log");
  return [
    { name: "captured", rotation: "lifeguard", log: captured, ...files("captured"), checks: logChecks(captured), botArgs: [], output: { file: captured, "max-size": `${CAPTURED_MAX_BYTES}B`, keep: CAPTURED_KEEP } },
    { name: "create", rotation: "create", log: create, ...files("create"), checks: logChecks(create), botArgs: ["--log", create, "--mode", "reopen"] },
    { name: "copytruncate", rotation: "copytruncate", log: copytruncate, ...files("copytruncate"), checks: logChecks(copytruncate), botArgs: ["--log", copytruncate, "--mode", "append"] },
    { name: "heartbeat", rotation: "none", log: null, ...files("heartbeat"), checks: [{ running: {} }, { heartbeat: { "max-age": "10s" } }], botArgs: ["--ping", "--burst-lines", "0"] },
  ];
}

/**
 * The `services:` of the daemon's config. Every check runs every second and a single failing
 * round restarts (`failure-threshold: 1`), after a startup grace of 5 s: a false alarm cannot hide.
 * The restart limit is high so that every false restart happens and is counted, none given up on.
 */
export function soakServicesConfig(services: readonly SoakService[]): Record<string, unknown> {
  return Object.fromEntries(
    services.map((service) => [
      service.name,
      {
        command: [PYTHON, SOAK_BOT, "--starts", service.starts, "--stats", service.stats, ...service.botArgs],
        ...(service.output === undefined ? {} : { output: service.output }),
        interval: "1s",
        checks: service.checks,
        "failure-threshold": 1,
        "startup-grace": "5s",
        restart: { "stop-timeout": "2s", "kill-wait": "1s", "verify-timeout": "10s", limit: { max: 1000, per: "1h" }, backoff: { initial: "1s", max: "5s" } },
      },
    ]),
  );
}
