// kill -9 of Lifeguard in the middle of a restart, against real systemd: the store stays
// consistent, the lock is taken over, and the next check settles the interrupted restart.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, REPO, installBot, lifeguard, writeConfig } from "./support/lab.js";

const support = sandboxSupport();

describe("a Lifeguard killed mid-restart", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.stop();
  });

  test("leaves a consistent store, and the next check settles the restart and carries on", async () => {
    // A bot that hangs and ignores SIGTERM: the graceful stop takes the whole stop-timeout.
    const bot = await installBot(sandbox, "crash", { ignoreTerm: true, hangAfter: 2 });
    const watchdogLog = join(bot.dir, "watchdog.log");
    const config = writeConfig(
      bot,
      {
        checks: [{ "log-fresh": { path: bot.log, "max-age": "1s" } }],
        "failure-threshold": 1,
        "startup-grace": "0s",
        restart: { "stop-timeout": "20s", "kill-wait": "2s", "verify-timeout": "10s", backoff: { initial: "0s", max: "0s" } },
      },
      { log: { file: watchdogLog } },
    );
    assert.ok(await waitFor(() => existsSync(bot.log) && Date.now() - statSync(bot.log).mtimeMs > 1500, { timeoutMs: 15_000 }));

    const [program, ...args] = [...sandbox.nsenterArgs, process.execPath, BIN, "check", "-c", config];
    const victim = spawn(program as string, args, { detached: true, stdio: "ignore", cwd: REPO });
    const exited = new Promise<void>((resolve) => victim.once("exit", () => resolve()));
    try {
      assert.ok(await waitFor(() => existsSync(watchdogLog) && readFileSync(watchdogLog, "utf8").includes("[RESTART] Restarting"), { timeoutMs: 20_000 }), "the restart began");
    } finally {
      process.kill(-(victim.pid as number), "SIGKILL");
      await exited;
    }

    const next = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(next.exitCode, 1, `${next.stdout}${next.stderr}\n${readFileSync(watchdogLog, "utf8")}`);
    const history = JSON.parse((await lifeguard(sandbox, ["history", "--json", "-c", config])).stdout) as {
      entries: Array<{ type: string; event?: { kind: string; message: string }; restart?: { ok: boolean } }>;
    };
    const interrupted = history.entries.filter((e) => e.event?.kind === "restart-failed");
    assert.equal(interrupted.length, 1);
    assert.equal(interrupted[0]?.event?.message.startsWith('Cannot tell whether "bot" restarted as Lifeguard stopped before the restart finished'), true);
    assert.deepEqual(history.entries.filter((e) => e.type === "restart").map((e) => e.restart?.ok), [true]);
    const status = JSON.parse((await lifeguard(sandbox, ["status", "--json", "-c", config])).stdout) as { services: Array<{ health: { kind: string }; restartsInWindow: number }> };
    assert.equal(status.services[0]?.health.kind, "healthy");
    assert.equal(status.services[0]?.restartsInWindow, 2, "the interrupted attempt still counts against the limit");
  });
});
