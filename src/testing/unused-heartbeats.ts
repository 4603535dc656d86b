import type { HeartbeatStore } from "../core/heartbeat.js";

/** Heartbeats for checks that never read one (every kind but an HTTP `heartbeat`): a look fails the test. */
export const unusedHeartbeats: HeartbeatStore = {
  lookUpHeartbeat: () => {
    throw new Error("not used");
  },
};
