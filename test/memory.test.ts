// The `memory` check under `lifeguard run` against real systemd units in the sandbox: a leaking bot
// is restarted before it reaches its unit's MemoryMax=, with the projection in the log; a healthy
// bot whose memory comes and goes is left alone; a bot over `max` is restarted.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { stringify } from "yaml";
import { memoryBotArgv } from "../src/testing/bots.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN } from "./support/lab.js";

const support = sandboxSupport();
const WAIT = { timeoutMs: 60_000, intervalMs: 200 };
const UNITS = {
  // 6 MiB more every second from 30 MiB: MemoryMax=300M is some 45 s away.
  leaker: { bot: { hold: 30, leak: 6 }, extra: "MemoryMax=300M" },
  // 40 MiB taken and given back every other second: a sawtooth, no leak.
  bursty: { bot: { hold: 30, burst: 40 }, extra: "MemoryMax=300M" },
  fat: { bot: { hold: 80 }, extra: "" },
};

describe("memory under lifeguard run and systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  let watchdogLog: string;
  const logText = () => (existsSync(watchdogLog) ? readFileSync(watchdogLog, "utf8") : "");

  before(async () => {
    sandbox = await startSandbox();
    const dir = join(sandbox.workdir, "memory");
    mkdirSync(dir, { recursive: true });
    watchdogLog = join(dir, "watchdog.log");
    for (const [name, { bot, extra }] of Object.entries(UNITS)) {
      await sandbox.writeUnit(`${name}.service`, `[Service]\nExecStart=${memoryBotArgv(bot).join(" ")}\nRestart=no\n${extra}\n`);
    }
    const trend = { "restart-before-oom": "2m", window: "8s", warmup: "1s" };
    const service = (name: string, memory: Record<string, unknown>) => ({
      systemd: `${name}.service`,
      interval: "1s",
      checks: ["running", { memory }],
      "failure-threshold": 1,
      "startup-grace": "2s",
      restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "10s" },
    });
    const config = join(dir, "lifeguard.yaml");
    writeFileSync(config, stringify({
      state: join(dir, "state"),
      log: { file: watchdogLog },
      services: { leaker: service("leaker", trend), bursty: service("bursty", trend), fat: service("fat", { max: "50MiB" }) },
    }));
    await sandbox.writeUnit("lifeguard.service", `[Service]\nType=notify\nNotifyAccess=main\nExecStart=${process.execPath} ${BIN} run -c ${config}\n`);
    await sandbox.daemonReload();
    for (const name of [...Object.keys(UNITS), "lifeguard"]) {
      const started = await sandbox.exec(["systemctl", "start", `${name}.service`]);
      assert.ok(started.ok, started.stderr);
    }
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
