import { stringify } from "yaml";
import { validateConfig } from "../config/validate.js";
import type { LifeguardConfig } from "../config/types.js";

/** A validated config from a YAML-shaped object, through the real schema; throws on any issue. */
export function buildConfig(input: Record<string, unknown>, baseDir = process.cwd()): LifeguardConfig {
  const result = validateConfig(stringify(input), { source: "<test>", baseDir, env: {} });
  if (!result.ok) throw new Error(`Invalid test config:\n${result.issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n")}`);
  return result.config;
}
