import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryLogger } from "../core/logger.js";
import { buildApp } from "../compose/build-app.js";
import { buildConfig } from "../testing/build-config.js";
import { queueLifecycleAlert } from "./lifecycle-alerts.js";

const CLAIM = { leaseMs: 60_000, limit: 20, owner: "1@test" };

/** An app with one webhook channel (never reached: these tests only queue), its store in a temp dir. */
function setUp(t: { after(fn: () => void): void }, alerting: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-lifecycle-"));
  const logger = createMemoryLogger();
  const config = buildConfig({
    state: join(dir, "state"),
    services: { bot: { systemd: "bot.service" } },
    alerts: { hook: { type: "webhook", url: "http://127.0.0.1:9/hook" } },
    alerting,
  });
  const app = buildApp(config, { logger });
  t.after(() => {
    app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = app.store;
  assert.ok(store !== null);
  return { app, store, logger };
}

test("Lifeguard's start is queued for every channel", (t) => {
  const { app, store } = setUp(t);
  queueLifecycleAlert(app, "lifeguard-started", 'Lifeguard started, watching "bot"');
  const [claimed] = store.claimDue("hook", Date.now(), CLAIM).claimed;
  assert.equal(claimed?.alert.kind, "lifeguard-started");
  assert.equal(claimed?.alert.message, 'Lifeguard started, watching "bot"');
});

test("with alerting.lifecycle off, nothing is queued", (t) => {
  const { app, store } = setUp(t, { lifecycle: false });
  queueLifecycleAlert(app, "lifeguard-stopped", "Lifeguard stopped on SIGTERM");
  assert.deepEqual(store.claimDue("hook", Date.now(), CLAIM).claimed, []);
});

test("a store that cannot take the alert is logged, and never stops Lifeguard", (t) => {
  const { app, store, logger } = setUp(t);
  store.enqueueAlerts = () => {
    throw new Error("database is locked");
  };
  assert.doesNotThrow(() => queueLifecycleAlert(app, "lifeguard-stopped", "Lifeguard stopped on SIGTERM"));
  assert.deepEqual(logger.entries.map((entry) => [entry.tag, entry.message]), [["ERROR", 'Cannot queue the "lifeguard-stopped" alert as database is locked']]);
});
