// `lifeguard run` alerting end to end: a real Alertmanager sees the service's incident fire and
// resolve; a webhook hears Lifeguard start and stop.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { alertmanagerSkipReason, startAlertmanagerLab } from "../src/testing/alertmanager-lab.js";
import { startWebhookReceiver, TEST_WEBHOOK_PATH } from "../src/testing/webhook-receiver.js";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, sleeperCommand, startDaemon } from "./support/daemon.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 100 };

test("Alertmanager sees the incident of a restarted service fire, then resolve when it recovered", { skip: alertmanagerSkipReason() }, async (t) => {
  const alertmanager = await startAlertmanagerLab();
  t.after(() => alertmanager.stop());
  const files = daemonFiles("lifeguard-am-");
  const { pidFile, bot } = botFiles(files);
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    services: {
      bot: {
        command: sleeperCommand(pidFile, join(files.dir, "failed-once")),
        interval: "1s",
        "startup-grace": "2s",
        restart: { "stop-timeout": "2s", "kill-wait": "1s", "verify-timeout": "5s" },
      },
    },
    alerts: { fleet: { type: "alertmanager", url: alertmanager.url, labels: { env: "test" } } },
    alerting: { lifecycle: false },
  }), [bot]);
  const problems = async () => (await alertmanager.alerts()).filter((alert) => alert.labels.alertname === "LifeguardServiceProblem" && alert.labels.service === "bot");

  assert.ok(await waitFor(async () => (await problems()).length > 0, WAIT), lifeguard.log());
  const [firing] = await problems();
  assert.equal(firing?.status.state, "active");
  assert.equal(firing?.labels.env, "test");
  assert.equal(firing?.labels.severity, "warning");
  assert.equal(firing?.annotations.lifeguard_kind, "restarted");

  assert.ok(await waitFor(() => /\[OK\] "bot" is healthy again after/.test(lifeguard.log()), WAIT), lifeguard.log());
  assert.ok(await waitFor(async () => (await problems()).length === 0, WAIT), "the recovered incident is resolved in Alertmanager");
  assert.match(lifeguard.log(), /Sent alert ""bot" recovered on .*" to "fleet"/);
  bot.current();
  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
  assert.deepEqual(bot.survivors(), []);
});

test("a webhook hears Lifeguard start and stop, the stop before the process exits; a reload is no start and brings its channels", async (t) => {
  const hook = await startWebhookReceiver();
  t.after(() => hook.close());
  const files = daemonFiles("lifeguard-lifecycle-");
  const { pidFile, bot } = botFiles(files);
  const config = (channel: string) => daemonConfig(files, {
    services: { bot: { command: sleeperCommand(pidFile), interval: "30s" } },
    alerts: { [channel]: { type: "webhook", url: `${hook.origin}${TEST_WEBHOOK_PATH}` } },
  });
  const lifeguard = startDaemon(t, files, config("hook"), [bot]);
  const kinds = () => hook.received.flatMap((request) => (request.body as { alerts: Array<{ kind: string; message: string }> }).alerts.map((alert) => alert.kind));
  assert.ok(await waitFor(() => kinds().includes("lifeguard-started"), WAIT), lifeguard.log());
  const started = (hook.received[0]?.body as { alerts: Array<{ message: string }> }).alerts[0];
  assert.equal(started?.message, 'Lifeguard started, watching "bot"');
  assert.ok(await waitFor(() => bot.current() !== null, WAIT));
  lifeguard.writeConfig(config("relay"));
  process.kill(lifeguard.pid, "SIGHUP");
  assert.ok(await waitFor(() => /Reloaded the configuration/.test(lifeguard.log()), WAIT), lifeguard.log());
  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
  assert.deepEqual(bot.survivors(), []);
  assert.deepEqual(kinds(), ["lifeguard-started", "lifeguard-stopped"]);
  assert.match(lifeguard.log(), /Sent alert "Lifeguard stopped on .*" to "relay"/);
});
