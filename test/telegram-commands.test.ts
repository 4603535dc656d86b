// Telegram that answers, as users run it: `lifeguard run` reads the commands of allow-listed chats
// from a local server with the Bot API's semantics (getUpdates long polling), carries each out
// through the daemon (its effect in the store, with the chat that asked), and replies in that chat.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { startTelegramReceiver, TEST_BOT_TOKEN, type TelegramReceiver } from "../src/testing/telegram-receiver.js";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, sleeperCommand, startDaemon, type DaemonFiles } from "./support/daemon.js";
import { BIN, REPO } from "./support/lab.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 50 };
const BY = "telegram chat 42 (@ops)";

function cli(files: DaemonFiles, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args, "-c", join(files.dir, "lifeguard.yaml")], { cwd: REPO, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Each event of `service` as `kind by who`, newest first. */
function events(files: DaemonFiles, service: string): string[] {
  const { entries } = JSON.parse(cli(files, ["history", "--json"]).stdout) as { entries: Array<{ type: string; service: string; event?: { kind: string; data: { by?: string } } }> };
  return entries.flatMap((entry) => (entry.type === "event" && entry.service === service && entry.event !== undefined ? [`${entry.event.kind} by ${entry.event.data.by ?? "-"}`] : []));
}

function statusOf(files: DaemonFiles, service: string): { health: { kind: string }; control?: { kind: string; by: string; reason: string | null }; acknowledged?: { by: string } } {
  const { services } = JSON.parse(cli(files, ["status", "--json"]).stdout) as { services: Array<{ service: string; health: { kind: string } }> };
  const found = services.find((entry) => entry.service === service);
  assert.ok(found !== undefined, service);
  return found;
}

/** The replies (not the alerts) the bot sent, as texts, in order. */
const replies = (server: TelegramReceiver): string[] => server.received.filter((message) => message.body.reply_parameters !== undefined).map((message) => message.text);

/** Sends `text` from chat 42 (@ops) and resolves with the reply to it. */
async function ask(server: TelegramReceiver, text: string, chatId = 42): Promise<string> {
  const count = replies(server).length;
  const id = server.updates.pushText({ chatId, text, from: { id: 7, username: "ops" } });
  assert.ok(await waitFor(() => replies(server).length > count, WAIT), `no reply to ${text}`);
  const reply = server.received.find((message) => (message.body.reply_parameters as { message_id?: number } | undefined)?.message_id === id);
  assert.ok(reply !== undefined, `the reply to ${text} is a reply to its message`);
  return reply.text;
}

function config(files: DaemonFiles, server: TelegramReceiver, services: Record<string, unknown>): Record<string, unknown> {
  return daemonConfig(files, {
    services,
    alerts: { phone: { type: "telegram", token: TEST_BOT_TOKEN, chat: 42, api: server.api, commands: { chats: [42, -100456] } } },
    alerting: { lifecycle: false },
  });
}

function keptOffset(files: DaemonFiles): number | null {
  const db = new Database(join(files.state, "lifeguard.db"), { readonly: true });
  try {
    return (db.prepare("SELECT next_offset FROM update_offsets").pluck().get() as number | undefined) ?? null;
  } finally {
    db.close();
  }
}

test("each command changes the store through the daemon, with the chat that asked, and is answered in its chat; other chats get nothing", async (t) => {
  const server = await startTelegramReceiver({ chats: ["42", "-100456", "43"] });
  t.after(() => server.close());
  const files = daemonFiles("lifeguard-telegram-");
  const { pidFile, bot } = botFiles(files);
  const daemon = startDaemon(t, files, config(files, server, { bot: { command: sleeperCommand(pidFile), interval: "1s", "startup-grace": "0s" } }), [bot]);
  assert.ok(await waitFor(() => bot.current() !== null && /Taking commands from Telegram chats 42, -100456 through the bot @lifeguard_test_bot/.test(daemon.log()), WAIT), daemon.log());
  const first = bot.current();

  assert.equal(await ask(server, "/restart bot"), `Restarted "bot" at the request of ${BY}`);
  assert.ok(await waitFor(() => bot.current() !== null && bot.current() !== first, WAIT));
  assert.deepEqual(events(files, "bot"), [`restarted by ${BY}`]);

  // A chat not on the list: no answer, nothing done, its id (never its text) in the log once.
  const restarted = bot.current();
  server.updates.pushText({ chatId: 43, text: "/restart bot by-a-stranger" });
  server.updates.pushText({ chatId: 43, text: "/pause bot 1h" });
  const broken = server.updates.push({ message: { message_id: 5, chat: { id: 42 }, date: 1, text: { not: "text" } } });
  assert.match(await ask(server, "/status"), /^Lifeguard on .+: 1 service\nbot: healthy$/);
  assert.equal(bot.current(), restarted);
  assert.equal(daemon.count(/from Telegram chat 43, which is not allowed to send commands/), 1);
  assert.equal(daemon.count(/by-a-stranger/), 0);
  assert.equal(daemon.count(new RegExp(`Skipped Telegram update ${broken} of channel "phone": its message's text is not a string`)), 1);
  assert.deepEqual(replies(server).filter((text) => text.includes("stranger")), []);

  assert.equal(await ask(server, "/pause bot 1h deploy"), `Paused "bot" for 1h at the request of ${BY} (deploy): its checks go on, nothing is restarted`);
  const paused = statusOf(files, "bot").control;
  assert.deepEqual([paused?.kind, paused?.by, paused?.reason], ["paused", BY, "deploy"]);
  assert.equal(await ask(server, "/pause bot soon"), 'Cannot pause "bot": expected a duration after the name such as 30m, 2h or 1d, got "soon"; e.g. /pause bot 1h deploy');
  assert.equal(await ask(server, "/restart bots"), 'Cannot restart "bots" as Lifeguard has no such service: "bot"');
  assert.match(await ask(server, "/frobnicate"), /^Unknown command "\/frobnicate"\. Commands: \/status, /);
  assert.match(await ask(server, "/resume@lifeguard_test_bot bot"), new RegExp(`^Resumed "bot" at the request of telegram chat 42 \\(@ops\\), paused since \\d+m?s: it is judged again$`));
  assert.equal(statusOf(files, "bot").control, undefined);
  assert.match(await ask(server, "/history bot"), /^The last 3 events of "bot":\n.* restarted: Restarted "bot" at the request of telegram chat 42 \(@ops\)\n.* paused: .*\n.* resumed: /);
  assert.deepEqual(events(files, "bot"), [`resumed by ${BY}`, `paused by ${BY}`, `restarted by ${BY}`], "a refused command changed nothing");
  assert.match(await ask(server, "/status", -100456), /^Lifeguard on /, "an allowed group is answered in the group");
  await server.updates.waitConfirmed();
  const last = server.received.at(-1);
  assert.equal(keptOffset(files), (last?.body.reply_parameters as { message_id: number }).message_id + 1, "the offset is past the last update");

  process.kill(daemon.pid, "SIGTERM");
  assert.equal(await daemon.exited, 0, "the held request does not hold up the stop");
  assert.ok(!daemon.log().includes(TEST_BOT_TOKEN), "no token in the log");
});

test("/ack acknowledges the incident of a service that gave up (its reminders stop); /reset re-arms it", async (t) => {
  const server = await startTelegramReceiver({ chats: ["42"] });
  t.after(() => server.close());
  const files = daemonFiles("lifeguard-telegram-ack-");
  const crashing = { command: ["/bin/sh", "-c", "exit 3"], interval: "1s", "startup-grace": "0s", restart: { limit: { max: 1, per: "1h" }, backoff: { initial: "0s", max: "0s" }, "verify-timeout": "1s" } };
  const daemon = startDaemon(t, files, config(files, server, { crash: crashing }));
  assert.ok(await waitFor(() => /Taking commands/.test(daemon.log()) && statusOf(files, "crash").health.kind === "gave-up", WAIT), daemon.log());
  assert.match(await ask(server, "/ack"), /^Acknowledged the incident of "crash" \(open for \d+m?s, gave-up\) at the request of telegram chat 42 \(@ops\): no reminders of it until it ends$/);
  assert.equal(statusOf(files, "crash").acknowledged?.by, BY);
  assert.equal(await ask(server, "/ack"), "Nothing to acknowledge: no service has an open incident that is not acknowledged already");
  assert.match(await ask(server, "/ack crash"), new RegExp(`^The incident of "crash" is acknowledged already, by telegram chat 42 \\(@ops\\) \\d+m?s ago$`));
  assert.match(await ask(server, "/status"), /\ncrash: gave-up \d+m?s ago: needs `lifeguard reset crash -c \S+\/lifeguard\.yaml`; acknowledged by telegram chat 42 \(@ops\) \d+m?s ago; restarts: 1 of 1 in 1h$/);
  assert.match(await ask(server, "/reset crash"), /^Reset "crash"/);
  assert.deepEqual(events(files, "crash").filter((entry) => !entry.endsWith("by -")), [`reset by ${BY}`, `acknowledged by ${BY}`]);
  process.kill(daemon.pid, "SIGTERM");
  assert.equal(await daemon.exited, 0);
});

test("a restart of Lifeguard carries out no command twice; the network down and back is said once each way", async (t) => {
  const server = await startTelegramReceiver({ chats: ["42"] });
  t.after(() => server.close());
  const files = daemonFiles("lifeguard-telegram-again-");
  const { pidFile, bot } = botFiles(files);
  const settings = config(files, server, { bot: { command: sleeperCommand(pidFile), interval: "1s" } });
  const first = startDaemon(t, files, settings, [bot]);
  assert.ok(await waitFor(() => /Taking commands/.test(first.log()), WAIT), first.log());
  assert.match(await ask(server, "/restart bot"), /^Restarted "bot"/);
  process.kill(first.pid, "SIGTERM");
  assert.equal(await first.exited, 0);
  // As if Lifeguard had been killed before its next request told Telegram the command was taken.
  server.updates.forgetConfirmations();

  const second = startDaemon(t, files, settings, [bot]);
  assert.match(await ask(server, "/status"), /^Lifeguard on /);
  assert.deepEqual(events(files, "bot").filter((entry) => entry.startsWith("restarted")), [`restarted by ${BY}`], "the restart was not carried out again");
  // Both Lifeguards write one log: the first took the restart, the second only the status.
  assert.deepEqual(second.log().match(/Telegram command from .*/g), [`Telegram command from ${BY}: /restart bot`, `Telegram command from ${BY}: /status`]);

  const port = Number(new URL(server.api).port);
  await server.close();
  // The held request is cut (reset), then connections are refused: one outage, said once.
  assert.ok(await waitFor(() => /\[WARN\] Cannot read the commands of Telegram channel "phone" at "http:\/\/127\.0\.0\.1:\d+" as the connection was (reset \(ECONNRESET\)|refused \(ECONNREFUSED\)); trying again/.test(second.log()), WAIT), second.log());
  const back = await startTelegramReceiver({ chats: ["42"], port, firstUpdateId: 1000 });
  t.after(() => back.close());
  assert.match(await ask(back, "/status"), /^Lifeguard on /);
  assert.equal(second.count(/Cannot read the commands/), 1, "said once, however often it was tried");
  assert.equal(second.count(/Reading the commands of Telegram channel "phone" at "http:\/\/127\.0\.0\.1:\d+" again, after \d+m?s of failures/), 1);
  process.kill(second.pid, "SIGTERM");
  assert.equal(await second.exited, 0);
});
