import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lifeguardCommand, shellWord } from "./cli-command.js";

test("shellWord leaves safe words bare and single-quotes the rest", () => {
  assert.equal(shellWord("/srv/bot/lifeguard.yaml"), "/srv/bot/lifeguard.yaml");
  assert.equal(shellWord("trader@2"), "trader@2");
  assert.equal(shellWord("/srv/my bots/lifeguard.yaml"), "'/srv/my bots/lifeguard.yaml'");
  assert.equal(shellWord("it's"), "'it'\\''s'");
  assert.equal(shellWord("$HOME"), "'$HOME'");
  assert.equal(shellWord("~/state"), "'~/state'");
  assert.equal(shellWord(""), "''");
});

test("lifeguardCommand writes a command line that a shell reads back word for word", () => {
  assert.equal(lifeguardCommand(["reset", "trader"]), "lifeguard reset trader");
  const args = ["reset", "bot", "-c", "/srv/my bots/it's $HOME/lifeguard.yaml", "--state", "~/x", ""];
  const line = lifeguardCommand(args);
  assert.equal(line, "lifeguard reset bot -c '/srv/my bots/it'\\''s $HOME/lifeguard.yaml' --state '~/x' ''");
  // The shell's own reading of the line: the words Lifeguard meant, none expanded.
  const words = execFileSync("/bin/sh", ["-c", `set -- ${line}; for word in "$@"; do printf '%s\\0' "$word"; done`], { encoding: "utf8" });
  assert.deepEqual(words.split("\0").slice(0, -1), ["lifeguard", ...args]);
});
