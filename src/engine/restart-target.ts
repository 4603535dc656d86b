import type { Check } from "../core/check.js";
import type { Runner } from "../core/runner.js";

/** What a restart acts on and verifies: a service's runner and the checks that judge its new start. */
export interface RestartTarget {
  name: string;
  runner: Runner;
  checks: Check[];
}
