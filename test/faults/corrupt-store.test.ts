// Fault: the store's file is garbage (a torn write, a bad SD card sector). Lifeguard must not
// stay down over it: the file is moved aside (kept, never deleted), a fresh store started, the
// bot started, and a human told.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../../src/testing/wait-for.js";
import { startWebhookReceiver, TEST_WEBHOOK_PATH } from "../../src/testing/webhook-receiver.js";
import { botFiles, daemonConfig, daemonFiles, sleeperCommand, startDaemon } from "../support/daemon.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
const GARBAGE = "this is not a SQLite database\n".repeat(200);

test("a store file that is not SQLite is moved aside and kept, a fresh one started, the bot started and a human told", async (t) => {
  const hook = await startWebhookReceiver();
  t.after(() => hook.close());
  const files = daemonFiles("lifeguard-corrupt-store-");
  mkdirSync(files.state, { recursive: true });
  writeFileSync(join(files.state, "lifeguard.db"), GARBAGE);
  const { pidFile, bot } = botFiles(files);
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    services: { bot: { command: sleeperCommand(pidFile), interval: "30s" } },
    alerts: { hook: { type: "webhook", url: `${hook.origin}${TEST_WEBHOOK_PATH}` } },
  }), [bot]);

  assert.ok(await waitFor(() => bot.current() !== null && /Lifeguard started/.test(lifeguard.log()), WAIT), lifeguard.log());
  const aside = readdirSync(files.state).filter((name) => /^lifeguard\.db\.corrupt-\d{8}T\d{6}Z$/.test(name));
  assert.equal(aside.length, 1, readdirSync(files.state).join(", "));
  assert.equal(readFileSync(join(files.state, aside[0] as string), "utf8"), GARBAGE, "the old file is kept as it was");
  const moved = new RegExp(`\\[ERROR\\] Moved the corrupt store ".*lifeguard\\.db" aside to ".*${aside[0]}" as the file is not a database \\(SQLITE_NOTADB\\); started a fresh one`);
  assert.equal(lifeguard.count(moved), 1, lifeguard.log());
  const titles = (): string[] => hook.received.flatMap((request) => (request.body as { alerts: Array<{ title: string }> }).alerts.map((alert) => alert.title));
  assert.ok(await waitFor(() => titles().some((title) => title.startsWith("Corrupt store replaced")), WAIT), JSON.stringify(titles()));

  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
  assert.deepEqual(bot.survivors(), []);
});
