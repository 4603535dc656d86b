import { test } from "node:test";
import assert from "node:assert/strict";
import { SERVICE_NAME } from "./schema.js";
import { defaultStateDir, serviceNameOf } from "./quick-defaults.js";

test("serviceNameOf names a command after its program's file name, as a valid service name", () => {
  const cases: Array<[string, string]> = [
    ["/usr/bin/python3", "python3"],
    ["./bot.py", "bot.py"],
    ["node", "node"],
    ["my bot", "my-bot"],
    ["/opt/.hidden-tool", "hidden-tool"],
    ["~trader@v2", "trader@v2"],
    ["bot (copy)", "bot-copy-"],
    ["ünïcode", "n-code"],
    ["", "command"],
    ["---", "command"],
    ["/", "command"],
  ];
  for (const [program, name] of cases) {
    assert.equal(serviceNameOf(program), name, program);
    assert.match(name, SERVICE_NAME);
  }
});

test("defaultStateDir: $LIFEGUARD_STATE, else root's /var/lib/lifeguard, else the XDG state home", () => {
  assert.deepEqual(defaultStateDir({ LIFEGUARD_STATE: "/data/lg", HOME: "/root" }, true), { value: "/data/lg", from: "$LIFEGUARD_STATE" });
  assert.deepEqual(defaultStateDir({ HOME: "/root", XDG_STATE_HOME: "/x" }, true), { value: "/var/lib/lifeguard", from: "--state" });
  assert.deepEqual(defaultStateDir({ HOME: "/home/bot", XDG_STATE_HOME: "/home/bot/.st" }, false), { value: "/home/bot/.st/lifeguard", from: "$XDG_STATE_HOME" });
  assert.deepEqual(defaultStateDir({ HOME: "/home/bot" }, false), { value: "/home/bot/.local/state/lifeguard", from: "$HOME" });
  // The XDG rule: an empty or relative $XDG_STATE_HOME is ignored.
  assert.deepEqual(defaultStateDir({ HOME: "/home/bot", XDG_STATE_HOME: "" }, false)?.value, "/home/bot/.local/state/lifeguard");
  assert.deepEqual(defaultStateDir({ HOME: "/home/bot", XDG_STATE_HOME: "rel" }, false)?.value, "/home/bot/.local/state/lifeguard");
  assert.equal(defaultStateDir({ LIFEGUARD_STATE: "" }, false), null);
});
