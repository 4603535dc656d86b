// The `memory` check under `lifeguard run` against real systemd units in the sandbox: a leaking bot
// is restarted before it reaches its unit's MemoryMax=, with the projection in the log; a healthy
// bot whose memory comes and goes is left alone; a bot over `max` is restarted.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { memoryBotArgv } from "../src/testing/bots.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { watchUnits } from "./support/watched-units.js";

const support = sandboxSupport();
const WAIT = { timeoutMs: 60_000, intervalMs: 200 };
const TREND = { "restart-before-oom": "2m", window: "8s", warmup: "1s" };

describe("memory under lifeguard run and systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  let logText: () => string = () => "";

  before(async () => {
    sandbox = await startSandbox();
    logText = await watchUnits(sandbox, "memory", {
      // 6 MiB more every second from 30 MiB: MemoryMax=300M is some 45 s away.
      leaker: { argv: memoryBotArgv({ hold: 30, leak: 6 }), extra: "MemoryMax=300M", check: { memory: TREND } },
      // 40 MiB taken and given back every other second: a sawtooth, no leak.
      bursty: { argv: memoryBotArgv({ hold: 30, burst: 40 }), extra: "MemoryMax=300M", check: { memory: TREND } },
      fat: { argv: memoryBotArgv({ hold: 80 }), check: { memory: { max: "50MiB" } } },
    });
  });
  after(async () => {
    await sandbox?.stop();
  });

  test("a leaking bot is restarted before it reaches MemoryMax=, with the slope and the projected time in the log", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] leaker: "leaker" restarted \(reason: memory\)/.test(logText()), WAIT), logText());
    assert.match(logText(), /"leaker" would reach its limit of 300MiB \(MemoryMax=\) in \d+[ms]\S* at \d+(\.\d)?MiB\/min \(\d+MiB RSS \(1 process\) now\); restart-before-oom is 2m/);
  });

  test("a bot over max is restarted, its size in the log", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] fat: Restarting "fat" \(1 of 3 in the last 1h\): "fat" uses \d+MiB RSS \(1 process\), over its max of 50MiB/.test(logText()), WAIT), logText());
  });

  test("a healthy bot whose memory comes and goes is never restarted", async () => {
    // By then the bursty bot's trend was read from two windows of samples, as the leaker's was from one.
    assert.ok(await waitFor(() => /\[RESTART\] leaker: "leaker" restarted/.test(logText()), WAIT));
    await delay(8000);
    assert.doesNotMatch(logText(), /\] bursty: /, "nothing was said of the bursty bot");
  });
});
