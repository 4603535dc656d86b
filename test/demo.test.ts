// `npm start`: the demo watchdog on its embedded defaults shows a freeze caught and recovered.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, REPO } from "./support/lab.js";

test("the demo bot freezes and Lifeguard restarts it, then stops cleanly", async (t) => {
  // A copy of demo/ (its state goes next to it), on a free port instead of 9473.
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-demo-"));
  cpSync(join(REPO, "demo"), join(dir, "demo"), { recursive: true });
  const config = join(dir, "demo", "lifeguard.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace('listen: "127.0.0.1:9473"', 'listen: "127.0.0.1:0"'));
  const child = spawn(process.execPath, [BIN, "run", "-c", config], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DEMO_FREEZE_AFTER_MS: "2000", DEMO_CRASH_CHANCE: "0" },
  });
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => void (text += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => void (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  assert.ok(await waitFor(() => /status at http:\/\/127\.0\.0\.1:\d+\/api\/status/.test(text), { timeoutMs: 20_000 }), text);
  assert.ok(await waitFor(() => /\[FAIL\] Log file is stale: last written \d+s ago \(max-age 3s\)/.test(text), { timeoutMs: 30_000 }), text);
  assert.ok(await waitFor(() => /\[RESTART\] "demo-bot" restarted \(reason: log-fresh/.test(text), { timeoutMs: 30_000 }), text);
  assert.ok(existsSync(join(dir, ".demo-state", "demo-bot.out.log")));
  process.kill(child.pid as number, "SIGTERM");
  assert.equal(await exited, 0, text);
});
