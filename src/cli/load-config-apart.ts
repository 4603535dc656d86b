import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LifeguardConfig } from "../config/types.js";
import { LifeguardError } from "../core/errors.js";
import { runCommand } from "../process/run-command.js";
import { errorOfReply, type ConfigReply, type ConfigRequest } from "./config-reply.js";
import type { CliIo } from "./io.js";

/** Loading a config takes a fraction of a second; this bounds a loader that hangs (e.g. on a FIFO named by -c). */
const LOAD_TIMEOUT_MS = 60_000;
/** A normalised config is a few KiB per service. */
const MAX_REPLY_BYTES = 64 * 1024 * 1024;

/**
 * Loads the config in a short-lived process (dist/lifeguard-config.cjs) and returns what it
 * normalised: the daemon stays small, as the schema, zod and the YAML parser (about 20 MiB
 * resident, which V8 would not give back) live and die with that process. Throws what loading
 * threw there: a ConfigError (exit 78), a UsageError (exit 64), or a LifeguardError when the
 * process itself failed.
 */
export async function loadConfigApart(request: ConfigRequest, io: CliIo): Promise<LifeguardConfig> {
  const result = await runCommand([process.execPath, configProcessPath()], {
    timeoutMs: LOAD_TIMEOUT_MS, maxOutputBytes: MAX_REPLY_BYTES, cwd: io.cwd, env: io.env, input: JSON.stringify(request),
  });
  let reply: ConfigReply;
  try {
    reply = JSON.parse(result.stdout) as ConfigReply;
  } catch {
    throw new LifeguardError(`Cannot load the configuration as its loader process failed: ${result.summary}${result.stderr === "" ? "" : `: ${result.stderr.trim()}`}`);
  }
  if (!reply.ok) throw errorOfReply(reply.error);
  return reply.config;
}

/** Beside this code in dist/ when bundled; from src/ or tsc's dist/cli/, two levels up, in dist/. */
function configProcessPath(): string {
  const here = typeof __dirname === "string" ? __dirname : join(dirname(fileURLToPath(import.meta.url)), "../../dist");
  return join(here, "lifeguard-config.cjs");
}
