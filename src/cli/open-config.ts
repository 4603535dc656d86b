import { findConfigPath, loadConfig } from "../config/load.js";
import type { LifeguardConfig } from "../config/types.js";
import { configEnvironment } from "./config-environment.js";
import type { CliIo } from "./io.js";

/** Finds and loads the config named by `-c/--config`, or the default one, with the variables of its environment files. */
export function openConfig(options: { config?: string }, io: CliIo): Promise<LifeguardConfig> {
  const path = findConfigPath(options.config, { cwd: io.cwd });
  return loadConfig(path, configEnvironment(path, io));
}
