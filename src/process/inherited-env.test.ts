import { test } from "node:test";
import assert from "node:assert/strict";
import { inheritedEnv } from "./inherited-env.js";

test("a program Lifeguard starts inherits its environment without Lifeguard's secrets and sockets", () => {
  const env = {
    PATH: "/usr/bin", HOME: "/root", LIFEGUARD_TOKEN: "t", DEADMAN_URL: "https://hc/ping/k", LIFEGUARD_PING_URL: "http://x/ping/trader",
    NOTIFY_SOCKET: "/run/systemd/notify", WATCHDOG_USEC: "30000000", WATCHDOG_PID: "1",
  };
  assert.deepEqual(inheritedEnv(env), { PATH: "/usr/bin", HOME: "/root" });
  assert.equal(env.LIFEGUARD_TOKEN, "t", "the given environment is left as it was");
});
