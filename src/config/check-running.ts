import { defineCheckKind } from "./check-kind.js";

/** `running`: the unit is active. Every systemd service has it, listed or not. */
export const runningCheck = defineCheckKind({
  kind: "running",
  description: "The service is running (for systemd: the unit is active). Added first to every systemd service even when not listed; list it to change its options.",
  defaultTimeout: "10s",
  shape: {},
  normalise: () => ({}),
});
