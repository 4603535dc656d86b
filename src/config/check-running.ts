import { defineCheckKind } from "./check-kind.js";

/** `running`: the unit is active, or the supervised command's process is alive. Every service has it, listed or not. */
export const runningCheck = defineCheckKind({
  kind: "running",
  description: "The service is running (for systemd: the unit is active; for a command: its process is alive). Added first to every service even when not listed; list it to change its options.",
  defaultTimeout: "10s",
  shape: {},
  normalise: () => ({}),
});
