import type { Observation } from "../core/outcome.js";
import type { PolicySettings } from "../core/policy.js";

/** Times for the policy's tests, as plain numbers: the policy takes `now` as an input. */
export const T = 1_732_998_000_000; // 2024-11-30 21:00:00 UTC
export const S = 1000;
export const M = 60 * S;
export const H = 60 * M;

/** DESIGN.md's example policy: threshold 2, grace 60s, 3 restarts per 1h, backoff 10s..5m. */
export const POLICY: PolicySettings = {
  failureThreshold: 2,
  startupGraceMs: 60 * S,
  limit: { max: 3, perMs: H },
  backoff: { initialMs: 10 * S, maxMs: 5 * M, resetAfterMs: 10 * M, minUptimeMs: null },
  rearmAfterMs: null,
  cliAddress: [],
};

/** An observation as a check would make it at time T. */
export const observe = (check: string, ok: boolean, summary: string, alertOnly = false): Observation =>
  ({ check, ok, summary, evidence: { seen: summary }, durationMs: 1, timedOut: false, at: T, alertOnly });
