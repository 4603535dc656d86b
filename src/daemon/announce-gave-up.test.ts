import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initialState } from "../core/state.js";
import { openStore } from "../store/index.js";
import { buildConfig } from "../testing/build-config.js";
import { createFakeRunner } from "../testing/fake-runner.js";
import { staysGaveUp } from "./announce-gave-up.js";

const REASON = 'Cannot restart "bot" as the restart limit is reached: 3 restarts in the last 1h (max 3)';

test("a start names each service that stays gave-up, how long ago it gave up, why, and the command that re-arms it", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-gave-up-"));
  const store = openStore(join(dir, "state"), { retention: { maxAgeMs: 86_400_000, maxBytes: 1 << 26 } });
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const config = buildConfig({
    services: {
      bot: { systemd: "bot.service" },
      web: { systemd: "web.service", restart: { "rearm-after": "1h" } },
      fine: { systemd: "fine.service" },
    },
  });
  // The config's advice as loading it from a file gives it (config/load.ts).
  const services = config.services.map((service) => ({ config: { ...service, policy: { ...service.policy, cliAddress: ["-c", "/srv/my bots/lifeguard.yaml"] } }, runner: createFakeRunner(), checks: [] }));
  const now = 1_733_000_000_000;
  const gaveUp = (since: number, reason: string) => ({ ...initialState(), health: { kind: "gave-up" as const, since, reason } });
  store.commitRound("bot", { state: gaveUp(now - 11 * 60_000, REASON), events: [], checkedAt: now });
  store.commitRound("web", { state: gaveUp(now - 20 * 60_000, "web's reason"), events: [], checkedAt: now });
  assert.deepEqual(staysGaveUp(services, store, now), [
    {
      service: "bot",
      message: `"bot" gave up 11m ago and stays gave-up after this start: no automatic restart until "lifeguard reset bot -c '/srv/my bots/lifeguard.yaml'" re-arms it (${REASON})`,
    },
    {
      service: "web",
      message: `"web" gave up 20m ago and stays gave-up after this start: no automatic restart until "lifeguard reset web -c '/srv/my bots/lifeguard.yaml'" re-arms it, or rearm-after does in 40m (web's reason)`,
    },
  ]);
});
