import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
import type { LifeguardConfig, ServiceConfig } from "../config/types.js";
import { validateConfig, type ValidateOptions } from "../config/validate.js";

/** Validators for config tests: `valid(text)` fails the test with the formatted issues; `onlyService(text)` also expects one service. */
export function configValidators(options: Omit<ValidateOptions, "env">) {
  const valid = (text: string, env: Record<string, string> = {}): LifeguardConfig => {
    const result = validateConfig(text, { ...options, env });
    if (!result.ok) assert.fail(result.issues.map(formatConfigIssue).join("\n"));
    return result.config;
  };
  const onlyService = (text: string, env: Record<string, string> = {}): ServiceConfig => {
    const services = valid(text, env).services;
    assert.equal(services.length, 1);
    return services[0] as ServiceConfig;
  };
  return { valid, onlyService };
}
