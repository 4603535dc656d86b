import { findConfigPath, loadConfig } from "../config/load.js";
import type { LifeguardConfig } from "../config/types.js";
import type { CliIo } from "./io.js";

/** Finds and loads the config named by `-c/--config`, or the default one. */
export function openConfig(options: { config?: string }, io: CliIo): Promise<LifeguardConfig> {
  return loadConfig(findConfigPath(options.config, { cwd: io.cwd }), io.env);
}
