import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCommand } from "./parse-command.js";

test("a command is its lower-cased name and the words after it", () => {
  assert.deepEqual(parseCommand("/status", "lg_bot"), { name: "status", args: [] });
  assert.deepEqual(parseCommand("  /Pause   trader 1h  deploy of v2 ", "lg_bot"), { name: "pause", args: ["trader", "1h", "deploy", "of", "v2"] });
  assert.deepEqual(parseCommand("/restart\ntrader", null), { name: "restart", args: ["trader"] });
});

test("/cmd@bot is ours when it names this bot (any case), or when the bot's name is not known", () => {
  assert.deepEqual(parseCommand("/status@LG_Bot", "lg_bot"), { name: "status", args: [] });
  assert.deepEqual(parseCommand("/restart@lg_bot trader", "lg_bot"), { name: "restart", args: ["trader"] });
  assert.equal(parseCommand("/restart@other_bot trader", "lg_bot"), null, "another Lifeguard's bot in the same group");
  assert.deepEqual(parseCommand("/status@other_bot", null), { name: "status", args: [] });
});

test("text that does not start with a slash is no command; a malformed head is kept, to be answered as unknown", () => {
  assert.equal(parseCommand("restart trader please", "lg_bot"), null);
  assert.equal(parseCommand("", "lg_bot"), null);
  assert.equal(parseCommand("hello /status", "lg_bot"), null);
  assert.deepEqual(parseCommand("/", "lg_bot"), { name: "", args: [] });
  assert.deepEqual(parseCommand("/what?", "lg_bot"), { name: "what?", args: [] });
});
