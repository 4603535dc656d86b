// status, history and reset without a config file, as a quick-mode user runs them: they find the
// quick-mode Lifeguard by --name, by the service named, or as the only one; every failure names
// what exists and the exact command to pick it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initialState } from "../src/core/state.js";
import { runCommand } from "../src/process/run-command.js";
import { openStore } from "../src/store/index.js";
import { writeQuickRecord } from "../src/cli/quick-record.js";
import { BIN } from "./support/lab.js";

function workspace(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-quick-commands-"));
  chmodSync(dir, 0o755);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, "state");
  const elsewhere = join(dir, "elsewhere");
  mkdirSync(elsewhere);
  const env: Record<string, string | undefined> = { ...process.env, LIFEGUARD_STATE: root };
  delete env.LIFEGUARD_TOKEN;
  const run = (args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}) =>
    runCommand([process.execPath, BIN, ...args], { timeoutMs: 30_000, cwd: options.cwd ?? elsewhere, env: options.env ?? env });
  /** A stopped quick-mode Lifeguard named `name` (no process: PID 1's start time never matches), gave-up in its store. */
  const instance = (name: string, command = ["python3", `${name}.py`]) => {
    const instanceDir = join(root, `quick-${name}`);
    writeQuickRecord(instanceDir, { command, flags: { name }, cwd: dir, env: { LIFEGUARD_STATE: root }, isRoot: true, token: false, pid: 1, pidStartTime: -1, bootId: null, startedAt: Date.now() });
    const store = openStore(instanceDir, { retention: { maxAgeMs: 86_400_000, maxBytes: 64 * 1024 * 1024 } });
    const now = Date.now();
    const reason = `Cannot restart "${name}" as the restart limit is reached: 3 restarts in the last 1h (max 3)`;
    store.commitRound(name, { state: { ...initialState(), health: { kind: "gave-up", since: now, reason }, restarts: [now - 3, now - 2, now - 1] }, events: [], checkedAt: now });
    store.close();
    return instanceDir;
  };
  return { dir, root, elsewhere, env, run, instance };
}

test("with one quick-mode Lifeguard under the state root, status, history and reset NAME find it from any directory", async (t) => {
  const { run, instance } = workspace(t);
  instance("trader");
  // No Lifeguard runs it (its record names a process long gone): not supervised, exit 1, the last known state and its advice beside.
  const status = await run(["status"]);
  assert.equal(status.exitCode, 1, status.stderr);
  assert.match(status.stdout, /^trader +python3 trader\.py +not supervised \(last known: gave-up \d+m?s ago: needs `lifeguard reset trader --state \S+`\) /m);
  const json = await run(["status", "--json"]);
  assert.deepEqual((JSON.parse(json.stdout) as { services: Array<{ service: string }> }).services.map((s) => s.service), ["trader"]);
  assert.equal((await run(["history"])).exitCode, 0);
  const reset = await run(["reset", "trader"]);
  assert.equal(reset.exitCode, 0, reset.stderr);
  assert.match(reset.stdout, /Reset "trader": automatic restarts re-armed, restart window \(3 restarts\) and backoff cleared/);
  assert.match((await run(["status"])).stdout, /^trader +python3 trader\.py +not supervised \(last known: healthy\) /m);
});

test("--name picks one of several; without it the choice is refused (exit 64) listing each with the command that picks it", async (t) => {
  const { run, instance, root } = workspace(t);
  instance("bot-a");
  instance("bot-b", ["node", "b.js"]);
  const none = await run(["status"]);
  assert.equal(none.exitCode, 64);
  assert.equal(none.stderr, `lifeguard: Cannot choose a quick-mode Lifeguard as "${root}" holds 2: "bot-a" (stopped: python3 bot-a.py), "bot-b" (stopped: node b.js)\n` +
    "hint: Name one:\n  lifeguard status --name bot-a\n  lifeguard status --name bot-b\n");
  const withState = await run(["history", "--state", root], { env: { ...process.env, LIFEGUARD_STATE: undefined } });
  assert.equal(withState.exitCode, 64);
  assert.match(withState.stderr, new RegExp(`\\n {2}lifeguard history --name bot-b --state ${root}\\n$`), "--state as given, for any directory");
  const picked = await run(["status", "--name", "bot-b"]);
  assert.equal(picked.exitCode, 1, picked.stderr);
  assert.match(picked.stdout, /^bot-b +node b\.js /m);
  assert.doesNotMatch(picked.stdout, /bot-a/);
  assert.equal((await run(["reset", "bot-a"])).exitCode, 0, "reset NAME names the instance too");
});

test("--name of a quick-mode Lifeguard that does not exist is refused (exit 64), naming those that do", async (t) => {
  const { run, instance, root } = workspace(t);
  const empty = await run(["status", "--name", "trader"]);
  assert.equal(empty.exitCode, 64);
  assert.equal(empty.stderr, `lifeguard: Cannot find the quick-mode Lifeguard "trader" in "${root}": it holds none\n` +
    "hint: Pass -c FILE for a configuration file, --state DIR where the quick-mode Lifeguard keeps its store, or start one with `lifeguard run [flags] -- CMD ARGS...`.\n");
  instance("bot");
  const reset = await run(["reset", "trader"]);
  assert.equal(reset.exitCode, 64);
  assert.equal(reset.stderr, `lifeguard: Cannot find the quick-mode Lifeguard "trader" in "${root}": it holds "bot" (stopped: python3 bot.py)\n` +
    "hint: Name one:\n  lifeguard reset bot\n");
});

test("a quick-mode Lifeguard whose record is missing or corrupt is named with the record's path and what is wrong (exit 78)", async (t) => {
  const { run, instance } = workspace(t);
  const dir = instance("trader");
  writeFileSync(join(dir, "quick.json"), "{ half a reco");
  const corrupt = await run(["history", "--name", "trader"]);
  assert.equal(corrupt.exitCode, 78);
  assert.match(corrupt.stderr, new RegExp(`^lifeguard: Cannot read the quick-mode Lifeguard "trader" as its record "${join(dir, "quick.json")}" is not a record: `));
  assert.match(corrupt.stderr, new RegExp(`\nhint: Start it again \\(lifeguard run --name trader \\[flags\\] -- CMD ARGS\\.\\.\\.\\): each start writes its record anew\\. Its store stays in "${dir}"\\.\n$`));
  rmSync(join(dir, "quick.json"));
  const missing = await run(["reset", "trader"]);
  assert.equal(missing.exitCode, 78);
  assert.match(missing.stderr, new RegExp(`^lifeguard: Cannot read the quick-mode Lifeguard "trader" as its record "${join(dir, "quick.json")}" does not exist\n`));
});

test("a state root that cannot be listed says so (exit 78) instead of finding nothing", (t) => {
  const { root, instance, elsewhere } = workspace(t);
  instance("trader");
  chmodSync(root, 0o700);
  // Root reads any directory: ask a child running as "nobody".
  const result = spawnSync(process.execPath, [BIN, "status", "--state", root], { uid: 65534, gid: 65534, cwd: elsewhere, encoding: "utf8", env: { PATH: process.env.PATH } });
  assert.equal(result.status, 78, result.stderr);
  assert.equal(result.stderr, `lifeguard: Cannot look for quick-mode Lifeguards in "${root}" as permission is denied\n` +
    "hint: Run this as the user that runs that Lifeguard (root's store is under /var/lib/lifeguard), or pass --state DIR.\n");
});

test("with neither a config file nor a quick-mode Lifeguard, status says both and how to start one (exit 78)", async (t) => {
  const { run, root } = workspace(t);
  const result = await run(["status"]);
  assert.equal(result.exitCode, 78);
  // The missing file's message, as before, then how quick mode would have been found.
  const [head, issue, hint] = result.stderr.split("\n");
  assert.equal(head, "lifeguard: Invalid configuration:");
  assert.match(issue ?? "", / cannot find a configuration file: neither "[^"]+" nor "\/etc\/lifeguard\/lifeguard\.yaml" exists$/);
  assert.equal(hint, `hint: Pass the configuration file with -c/--config FILE; no quick-mode Lifeguard keeps its store in "${root}" either: start one with \`lifeguard run [flags] -- CMD ARGS...\`, or pass --state DIR where one does.`);
  const state = await run(["status", "--state", root]);
  assert.equal(state.exitCode, 64);
  assert.match(state.stderr, new RegExp(`^lifeguard: Cannot find a quick-mode Lifeguard in "${root}": it holds none\n`));
});

test("-c picks a config file and refuses --name and --state; a config file found by default yields to reset NAME of a quick-mode Lifeguard", async (t) => {
  const { run, instance, dir, elsewhere } = workspace(t);
  const both = await run(["status", "-c", "lifeguard.yaml", "--name", "trader"]);
  assert.equal(both.exitCode, 64);
  assert.equal(both.stderr, "lifeguard: Cannot use --name with -c/--config: it picks a quick-mode Lifeguard, which has no configuration file\n");
  instance("trader");
  writeFileSync(join(elsewhere, "lifeguard.yaml"), `state: ${join(dir, "file-state")}\nservices:\n  web:\n    systemd: web.service\n`);
  // status finds ./lifeguard.yaml, as before quick mode had commands of its own.
  assert.match((await run(["status"])).stdout, /^web +web\.service /m);
  // reset trader: the file has no "trader", the state root has: that one, as its give-up message advised.
  const reset = await run(["reset", "trader"]);
  assert.equal(reset.exitCode, 0, reset.stderr);
  assert.match(reset.stdout, /Reset "trader": automatic restarts re-armed/);
  const unknown = await run(["reset", "nobody"]);
  assert.equal(unknown.exitCode, 64);
  assert.match(unknown.stderr, /^lifeguard: Cannot reset "nobody" as the configuration has no such service: "web"\n/);
});
