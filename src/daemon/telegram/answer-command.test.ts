import { test } from "node:test";
import assert from "node:assert/strict";
import type { ServiceStatus } from "../../compose/service-status.js";
import type { ControlRequest } from "../../engine/control-service.js";
import type { HistoryEntry } from "../../store/index.js";
import { TELEGRAM_TEXT_LIMIT } from "../../notify/channels/telegram.js";
import { noSuchService } from "../controller.js";
import { answerCommand, STALE_AFTER_MS, type CommandDeps } from "./answer-command.js";

const NOW = 1_800_000_000_000;
const BY = "telegram chat 42 (@ops)";

function status(service: string, overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    service, target: `${service}.service`, supervised: false, heldBack: null, health: { kind: "healthy" }, lastCheckAt: NOW - 5000, lastChangeAt: NOW - 60_000,
    watch: { kind: "watched", by: "lifeguard run", pid: 1, since: NOW - 3_600_000, lastBeatAt: NOW - 1000, url: null },
    restartsInWindow: 0, limit: { max: 3, perMs: 3_600_000 }, lastRestart: null,
    advice: { reset: `lifeguard reset ${service}`, start: `lifeguard start ${service}` }, ...overrides,
  };
}

function setUp(statuses: ServiceStatus[] = [status("bot"), status("trader")], history: HistoryEntry[] = []) {
  const asked: Array<[string, ControlRequest]> = [];
  const services = statuses.map((entry) => entry.service);
  const deps: CommandDeps = {
    controller: {
      services,
      control: async (service, request) => {
        if (!services.includes(service)) return { ok: false, unknown: true, summary: noSuchService(request.action, service, services) };
        asked.push([service, request]);
        return { ok: true, summary: `did ${request.action} of "${service}"` };
      },
    },
    statuses: () => statuses,
    history: () => history,
    unacknowledged: () => ["trader"],
    host: "pi",
    now: () => NOW,
  };
  const ask = (text: string, sentAt: number | null = NOW - 1000) => {
    const [head = "", ...args] = text.split(" ");
    return answerCommand({ command: { name: head.slice(1), args }, by: BY, sentAt }, deps);
  };
  return { ask, asked };
}

test("each command that acts goes through the controller with who asked, and answers its outcome", async () => {
  const { ask, asked } = setUp();
  assert.equal(await ask("/restart bot"), 'did restart of "bot"');
  assert.equal(await ask("/reset trader"), 'did reset of "trader"');
  assert.equal(await ask("/resume bot"), 'did resume of "bot"');
  assert.equal(await ask("/pause bot 90m deploy of v2"), 'did pause of "bot"');
  assert.equal(await ask("/pause trader 2h"), 'did pause of "trader"');
  assert.equal(await ask("/ack bot"), 'did acknowledge of "bot"');
  assert.equal(await ask("/ack"), 'did acknowledge of "trader"', "every service with an incident nobody acknowledged");
  assert.deepEqual(asked, [
    ["bot", { action: "restart", by: BY }],
    ["trader", { action: "reset", by: BY }],
    ["bot", { action: "resume", by: BY }],
    ["bot", { action: "pause", by: BY, forMs: 5_400_000, reason: "deploy of v2" }],
    ["trader", { action: "pause", by: BY, forMs: 7_200_000, reason: null }],
    ["bot", { action: "acknowledge", by: BY }],
    ["trader", { action: "acknowledge", by: BY }],
  ]);
});

test("bad input gets a short answer naming what is valid, and nothing is asked of the controller", async () => {
  const { ask, asked } = setUp();
  const answers = [
    ["/restart bots", 'Cannot restart "bots" as Lifeguard has no such service: "bot", "trader"'],
    ["/restart", 'Cannot restart: name the service, e.g. /restart bot (services: "bot", "trader")'],
    ["/restart bot trader", 'Cannot restart "bot": expected one service name, got 2 words; e.g. /restart bot'],
    ["/history nope", 'Cannot show the history of "nope" as Lifeguard has no such service: "bot", "trader"'],
    ["/pause bot", 'Cannot pause "bot": expected a duration after the name such as 30m, 2h or 1d, got nothing; e.g. /pause bot 1h deploy'],
    ["/pause bot 1x deploy", 'Cannot pause "bot": expected a duration after the name such as 30m, 2h or 1d, got "1x"; e.g. /pause bot 1h deploy'],
    ["/pause bot 0s", 'Cannot pause "bot": expected a duration after the name such as 30m, 2h or 1d, got "0s"; e.g. /pause bot 1h deploy'],
    ["/pause nope 1h", 'Cannot pause "nope" as Lifeguard has no such service: "bot", "trader"'],
    ["/ack bot trader", 'Cannot acknowledge "bot": expected one service name, got 2 words; e.g. /ack bot'],
    ["/stop bot", 'Unknown command "/stop". Commands: /status, /history NAME, /ack [NAME], /pause NAME DURATION [REASON], /resume NAME, /restart NAME, /reset NAME, /help'],
  ];
  for (const [text, answer] of answers) assert.equal(await ask(text as string), answer, text);
  assert.deepEqual(asked, []);
  // An unknown name for /ack is the controller's to refuse, in the same words.
  assert.equal(await ask("/ack nope"), 'Cannot acknowledge "nope" as Lifeguard has no such service: "bot", "trader"');
});

test("a command that acts is not carried out when it waited too long; one that reads is answered", async () => {
  const { ask, asked } = setUp();
  assert.equal(await ask("/restart bot", NOW - STALE_AFTER_MS - 3 * 3_600_000), 'Not done: "/restart" was sent 3h10m ago, while Lifeguard was not reading commands; send it again if it still stands');
  assert.deepEqual(asked, []);
  assert.match(await ask("/status", NOW - 5 * 3_600_000), /^Lifeguard on pi: 2 services\n/);
  assert.equal(await ask("/restart bot", null), 'did restart of "bot"', "an update without a date is taken as fresh");
});

test("/status shows each service in the words of lifeguard status; /help lists the commands and services", async () => {
  const { ask } = setUp([
    status("bot"),
    status("trader", { health: { kind: "gave-up", since: NOW - 300_000, reason: "limit" }, restartsInWindow: 3, acknowledged: { incidentSince: NOW - 900_000, at: NOW - 60_000, by: BY } }),
    status("scanner", { control: { kind: "paused", since: NOW - 1000, until: null, by: "root (cli)", reason: "deploy" } }),
  ]);
  assert.equal(await ask("/status"), [
    "Lifeguard on pi: 3 services",
    "bot: healthy",
    "trader: gave-up 5m ago: needs `lifeguard reset trader`; acknowledged by telegram chat 42 (@ops) 1m ago; restarts: 3 of 3 in 1h",
    "scanner: healthy; paused by root (cli) until resumed (deploy)",
  ].join("\n"));
  const help = await ask("/help");
  assert.match(help, /^Lifeguard on pi answers:\n\/status: every service's state\n\/history NAME: /);
  assert.match(help, /\nServices: "bot", "trader", "scanner"$/);
  assert.equal(await ask("/start"), help);
});

test("/history shows the last events oldest first; a reply never exceeds Telegram's limit", async () => {
  const event = (id: number, kind: string, message: string): HistoryEntry => ({ type: "event", id, at: NOW - id * 60_000, service: "bot", event: { kind: kind as never, at: NOW - id * 60_000, message, data: {} } });
  const entries = [event(1, "restarted", 'Restarted "bot" at the request of telegram chat 42 (@ops)'), event(2, "paused", `Paused "bot" ${"very ".repeat(200)}long`)];
  const { ask } = setUp([status("bot")], entries);
  const history = await ask("/history bot");
  const lines = history.split("\n");
  assert.equal(lines[0], 'The last 2 events of "bot":');
  assert.match(lines[1] ?? "", /^\d\d-\d\d \d\d:\d\d:\d\d paused: Paused "bot" very very .*…$/);
  assert.equal((lines[1] ?? "").length <= 300, true, "one line each, cut short");
  assert.match(lines[2] ?? "", /restarted: Restarted "bot" at the request of telegram chat 42 \(@ops\)$/);
  assert.equal(await setUp([status("bot")]).ask("/history bot"), 'No history of "bot" yet');

  const many = Array.from({ length: 300 }, (_, index) => status(`service-${index}-${"x".repeat(20)}`));
  const long = await setUp(many).ask("/status");
  assert.ok(long.length <= TELEGRAM_TEXT_LIMIT, `${long.length} characters`);
  assert.match(long, /\n… \(cut: \d+ more characters\)$/);
});

test("a pause's reason stays one line of at most 200 characters, whatever was sent", async () => {
  const { ask, asked } = setUp();
  await ask(`/pause bot 1h deploy\u001b[31m ${"x".repeat(300)}`);
  const reason = asked[0]?.[1].action === "pause" ? asked[0][1].reason : null;
  assert.match(reason ?? "", /^deploy \[31m x+…$/);
  assert.equal(reason?.length, 200);
});
