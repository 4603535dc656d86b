import type { Alert } from "../core/alert.js";
import type { AlertingConfig } from "../config/types.js";

/** A realistic alert for channel and renderer tests: `trader` restarted because its log went stale. */
export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: "lifeguard-testhost-1",
    kind: "restarted",
    severity: "warning",
    service: "trader",
    host: "testhost",
    at: Date.UTC(2026, 10, 28, 3, 0, 1),
    title: 'Restarted "trader" on testhost',
    message: '"trader" restarted (reason: log-fresh), 1 of 3 in the last 1h',
    details: ["Reason: log-fresh", "Restarts: 1 of 3 in the last 1h"],
    evidence: [
      { check: "running", ok: true, summary: 'Service "trader" is active', lines: [] },
      { check: "log-fresh", ok: false, summary: "Log file is stale (6m 12s old, max 5m)", lines: ["Last write: 2026-11-28 02:53:49"] },
      { check: "log-activity", ok: false, summary: "No recent activity: 0 lines matching VIX|Position in last 100", lines: ["[02:53:49] Update: VIX 14.2"] },
    ],
    incident: { id: "trader@1795748049000", since: 1795748049000 },
    ...overrides,
  };
}

/** `alerting:` with every default (docs/configuration.md), for tests of the notifier's parts. */
export const DEFAULT_ALERTING: AlertingConfig = {
  retry: { initialMs: 30_000, maxMs: 900_000 },
  expireMs: 86_400_000,
  dedupeMs: 600_000,
  flapping: { max: 4, perMs: 900_000 },
  remindMs: null,
  lifecycle: true,
};
