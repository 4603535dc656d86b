// With a config file that is not a default path, the advice Lifeguard prints carries `-c` and the
// file's absolute path: the Lifeguard-started alert and log line of a service that stays gave-up,
// run as printed from another directory, re-arm it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { initialState } from "../src/core/state.js";
import { openStore } from "../src/store/index.js";
import { startWebhookReceiver, TEST_WEBHOOK_PATH } from "../src/testing/webhook-receiver.js";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, sleeperCommand, startDaemon } from "./support/daemon.js";
import { quickLab } from "./support/quick-daemon.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
const REASON = 'Cannot restart "bot" as the restart limit is reached: 3 restarts in the last 1h (max 3)';

test("a daemon started over a gave-up service says so in its log and its started alert, with a re-arm command that works as printed", async (t) => {
  const hook = await startWebhookReceiver();
  t.after(() => hook.close());
  const lab = quickLab(t);
  const files = daemonFiles("lifeguard-advice-file-");
  const { pidFile, bot } = botFiles(files);
  // The store as a previous Lifeguard left it: "bot" gave up 11 minutes ago.
  const store = openStore(files.state, { retention: { maxAgeMs: 86_400_000, maxBytes: 1 << 26 } });
  const since = Date.now() - 11 * 60_000;
  store.commitRound("bot", { state: { ...initialState(), health: { kind: "gave-up", since, reason: REASON }, restarts: [since - 2, since - 1, since] }, events: [], checkedAt: since });
  store.close();
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    services: { bot: { command: sleeperCommand(pidFile), interval: "30s" } },
    alerts: { hook: { type: "webhook", url: `${hook.origin}${TEST_WEBHOOK_PATH}` } },
  }), [bot]);
  const configFile = join(files.dir, "lifeguard.yaml");
  const advice = `lifeguard reset bot -c ${configFile}`;
  /** The sentence, with how long ago it gave up as the message gives it (11m, or a few seconds more by now). */
  const stays = (ago: string) => `"bot" gave up ${ago} ago and stays gave-up after this start: no automatic restart until "${advice}" re-arms it (${REASON})`;

  const started = () => hook.received.flatMap((request) => (request.body as { alerts: Array<{ kind: string; message: string }> }).alerts).find((alert) => alert.kind === "lifeguard-started");
  assert.ok(await waitFor(() => started() !== undefined, WAIT), lifeguard.log());
  const message = started()?.message ?? "";
  const ago = /gave up (\S+) ago/.exec(message)?.[1] ?? "";
  assert.match(ago, /^11m(\d+s)?$/);
  assert.equal(message, `Lifeguard started, watching "bot"; ${stays(ago)}`);
  const warning = /\[WARN\] ("bot" gave up (\S+) ago [^\n]*)\n/.exec(lifeguard.log());
  assert.equal(warning?.[1], stays(warning?.[2] ?? ""), lifeguard.log());
  assert.equal(lifeguard.count(/stays gave-up after this start/), 1, "said once");

  const reset = await lab.shell(advice);
  assert.equal(reset.exitCode, 0, reset.stderr);
  assert.match(reset.stdout, /^Reset "bot": automatic restarts re-armed, restart window \(3 restarts\) and backoff cleared$/m);
  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
  assert.deepEqual(bot.survivors(), []);
});
