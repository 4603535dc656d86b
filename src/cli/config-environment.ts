import { resolve } from "node:path";
import { environmentFilesOf, parseEnvironmentFile } from "../config/environment-file.js";
import type { Env } from "../config/interpolate.js";
import { readFileUpTo } from "../config/read-bounded.js";
import type { CliIo } from "./io.js";

/**
 * The environment a configuration file is read with: this process's, and for each variable it
 * does not set, the environment files Lifeguard's units load (`/etc/lifeguard/env`, the
 * `lifeguard.env` beside the file), so that `${TELEGRAM_BOT_TOKEN}` resolves for a command typed
 * by hand as it does for the daemon. A file that does not exist or cannot be read is passed over.
 */
export function configEnvironment(configPath: string, io: Pick<CliIo, "env" | "cwd">): Env {
  const files = environmentFilesOf(resolve(io.cwd, configPath)).map(readVariables);
  return Object.assign({}, ...files, io.env) as Env;
}

function readVariables(path: string): Record<string, string> {
  try {
    return parseEnvironmentFile(readFileUpTo(path));
  } catch {
    return {};
  }
}
