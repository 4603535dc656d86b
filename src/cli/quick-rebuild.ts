import { quickConfig } from "../config/quick-config.js";
import type { LifeguardConfig } from "../config/types.js";
import type { QuickRecord } from "./quick-record.js";

/**
 * A stand-in for the token a quick-mode Lifeguard read from `$LIFEGUARD_TOKEN`, which its record
 * never holds: the rules see a token where the daemon had one (a heartbeat by ping needs it), and
 * the config handed back has none, as nothing built from it serves HTTP.
 */
const WITHHELD_TOKEN = "withheld-token-never-stored";

/**
 * The configuration a quick-mode Lifeguard runs with, built again from its record by the same
 * code that built it at its start (config/quick-config.ts): same flags, working directory and
 * variables, so the same defaults, checks and store. Only the token is missing (null).
 */
export function rebuildQuickConfig(record: QuickRecord): LifeguardConfig {
  const env = { ...record.env, ...(record.token ? { LIFEGUARD_TOKEN: WITHHELD_TOKEN } : {}) };
  const config = quickConfig(record.command, record.flags, { env, cwd: record.cwd, isRoot: record.isRoot });
  return { ...config, http: { ...config.http, token: null } };
}
