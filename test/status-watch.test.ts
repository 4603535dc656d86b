// `lifeguard status` never shows a state as current while nothing watches: the daemon records
// itself as the watcher of its services, and a status read after it is killed or stopped says so.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, sleeperCommand, startDaemon, type DaemonFiles } from "./support/daemon.js";
import { BIN, REPO } from "./support/lab.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 50 };

function status(files: DaemonFiles, json = false): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, "status", ...(json ? ["--json"] : []), "-c", join(files.dir, "lifeguard.yaml")], { cwd: REPO, encoding: "utf8", timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function watchOf(files: DaemonFiles): { kind: string; why?: string; pid?: number } {
  const result = status(files, true);
  return (JSON.parse(result.stdout) as { services: Array<{ watch: { kind: string; why?: string; pid?: number } }> }).services[0]?.watch ?? { kind: "none" };
}

test("status says who watches; after a kill -9 of the daemon it shows the bot as not supervised with its last known state, never healthy, and exits 1", async (t) => {
  const files = daemonFiles("lifeguard-watch-");
  const { pidFile, bot } = botFiles(files);
  const config = daemonConfig(files, { services: { bot: { command: sleeperCommand(pidFile), interval: "1s" } } });
  const daemon = startDaemon(t, files, config, [bot]);
  assert.ok(await waitFor(() => status(files).code === 0, WAIT), daemon.log());
  const watched = status(files);
  // Its first minute is its startup grace: status says so, and when judgement is whole again.
  assert.match(watched.stdout, new RegExp(`^Watched by lifeguard run \\(PID ${daemon.pid}\\) since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d; last sign of life \\d+m?s ago\\n\\nSERVICE .*\\nbot\\s+/bin/sh -c .*\\s+healthy; in startup grace until \\d\\d:\\d\\d:\\d\\d \\(started \\d+m?s ago\\)\\s`));
  assert.deepEqual(watchOf(files).pid, daemon.pid);

  process.kill(-daemon.pid, "SIGKILL");
  await daemon.exited;
  const after = status(files);
  assert.equal(after.code, 1, after.stderr);
  assert.match(after.stdout, new RegExp(`^NOT WATCHED since \\d+m?s ago: Lifeguard \\(PID ${daemon.pid}\\) is gone without stopping \\(killed, or the machine restarted\\); the states below are the last known, not current\\n`));
  assert.match(after.stdout, /\nbot\s+\/bin\/sh -c .*\s+not supervised since \d+m?s ago \(last known: healthy\)\s/);
  assert.doesNotMatch(after.stdout, /\s healthy\s/);
  const watch = watchOf(files);
  assert.deepEqual([watch.kind, watch.why], ["unwatched", `Lifeguard (PID ${daemon.pid}) is gone without stopping (killed, or the machine restarted)`]);
});

test("a daemon that stops on SIGTERM leaves its services unwatched, and status says it stopped", async (t) => {
  const files = daemonFiles("lifeguard-watch-stop-");
  const { pidFile, bot } = botFiles(files);
  const daemon = startDaemon(t, files, daemonConfig(files, { services: { bot: { command: sleeperCommand(pidFile), interval: "1s" } } }), [bot]);
  assert.ok(await waitFor(() => status(files).code === 0, WAIT), daemon.log());
  process.kill(daemon.pid, "SIGTERM");
  assert.equal(await daemon.exited, 0);
  const stopped = status(files);
  assert.equal(stopped.code, 1);
  assert.match(stopped.stdout, new RegExp(`^NOT WATCHED since \\d+m?s ago: Lifeguard \\(PID ${daemon.pid}\\) stopped on SIGTERM; the states below are the last known, not current\\n`));
});
