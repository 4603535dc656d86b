// `lifeguard logs` without -f, as a user runs it (the built CLI): which log, how many lines, across
// rotation, and what it says when it cannot show one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { createOutputLog } from "../src/runners/process/output-log.js";
import { createLogger } from "../src/log/create-logger.js";
import { BIN } from "./support/lab.js";
import { logsWorkspace } from "./support/logs-lab.js";

const numbered = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, index) => `line ${from + index}`);
const NOBODY = 65534;

test("logs NAME shows a command's captured output, its last -n lines reaching into <file>.1 after Lifeguard rotated it", async (t) => {
  const lab = logsWorkspace(t, { bot: { command: ["python3", "bot.py"], output: { file: "bot.out" } } });
  // Lifeguard's own output log, rotating at 1 KiB: lines 1..60 go over two rotations.
  const output = createOutputLog({ file: lab.path("bot.out"), maxBytes: 1024, keep: 3 }, (error) => assert.fail(String(error)));
  for (const line of numbered(1, 60)) output.write(Buffer.from(`${line}\n`));
  writeFileSync(lab.path("bot.out"), "line 61\n", { flag: "a" });
  const result = await lab.run(["bot", "-n", "20"]);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout, `${numbered(42, 61).join("\n")}\n`);
  assert.equal(result.stderr, "");
  const byDefault = await lab.run(["bot"]);
  assert.equal(byDefault.stdout, `${numbered(1, 61).slice(-50).join("\n")}\n`, "50 lines by default, across two rotations' files");
});

test("logs shows nothing, and exits 0, for an empty file; -n 0 shows nothing either", async (t) => {
  const lab = logsWorkspace(t, { bot: { command: ["true"], output: { file: "bot.out" } } });
  writeFileSync(lab.path("bot.out"), "");
  const empty = await lab.run(["bot"]);
  assert.deepEqual([empty.exitCode, empty.stdout, empty.stderr], [0, "", ""]);
  writeFileSync(lab.path("bot.out"), "one\n");
  const none = await lab.run(["bot", "-n", "0"]);
  assert.deepEqual([none.exitCode, none.stdout, none.stderr], [0, "", ""]);
});

test("logs NAME of a systemd service shows the log file its checks watch; with several, each line is prefixed", async (t) => {
  const lab = logsWorkspace(t, {
    trader: { systemd: "gemini-trader", checks: [{ "log-fresh": { path: "gemini_trader.log", "max-age": "5m" } }, { "log-activity": { path: "gemini_trader.log", match: "VIX" } }] },
    pair: { systemd: "pair", checks: [{ "log-fresh": { path: "a/bot.log", "max-age": "5m" } }, { "log-fresh": { path: "b/bot.log", "max-age": "5m" } }] },
  });
  writeFileSync(lab.path("gemini_trader.log"), "[2024-11-30 21:00:01] VIX 17.2\n[2024-11-30 21:00:31] Position opened\n");
  const trader = await lab.run(["trader", "-n", "1"]);
  assert.equal(trader.exitCode, 0, trader.stderr);
  assert.equal(trader.stdout, "[2024-11-30 21:00:31] Position opened\n");
  for (const sub of ["a", "b"]) {
    mkdirSync(lab.path(sub));
    writeFileSync(lab.path(`${sub}/bot.log`), `${sub} one\n${sub} two\n`);
  }
  const pair = await lab.run(["pair", "-n", "1"]);
  assert.equal(pair.stdout, `${lab.path("a/bot.log")} | a two\n${lab.path("b/bot.log")} | b two\n`, "same base names: prefixed by path");
});

test("logs without NAME shows Lifeguard's own log, across its rotation", async (t) => {
  const lab = logsWorkspace(t, { bot: { command: ["true"] } }, { log: { file: "watchdog.log", "max-size": "1KiB", keep: 1 } });
  const logger = createLogger({ file: lab.path("watchdog.log"), format: "json", maxBytes: 1024, keep: 1 });
  for (let index = 1; index <= 30; index += 1) logger.write({ at: 0, tag: "OK", message: `round ${index}` });
  const result = await lab.run(["-n", "12"]);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.deepEqual(result.stdout.trimEnd().split("\n").map((line) => (JSON.parse(line) as { message: string }).message), Array.from({ length: 12 }, (_, index) => `round ${19 + index}`));
});

test("logs without NAME, when Lifeguard logs to stdout, exits 1 and gives the journalctl commands that show it", async (t) => {
  const lab = logsWorkspace(t, { bot: { command: ["true"] } });
  const result = await lab.run(["-n", "20"]);
  assert.equal(result.exitCode, 1);
  assert.equal(result.stdout, "");
  assert.equal(result.stderr, `lifeguard: Cannot show Lifeguard's log as "${lab.config}" sets no log file: Lifeguard writes its log to standard output\n` +
    `hint: Under systemd that is the journal: "journalctl -u lifeguard -n 20" for the daemon (lifeguard.service), "journalctl -u lifeguard-check -n 20" ` +
    "for the timer (lifeguard-check.service); the cron job of `lifeguard install --cron` appends it to /var/log/lifeguard/lifeguard.log (another cron line: cron mails it). " +
    "To keep it in a file, set `log: { file: /var/log/lifeguard/lifeguard.log }`.\n");
});

test("logs of an unknown service exits 64 with the services and a did-you-mean; a bad -n and conflicting flags exit 64", async (t) => {
  const lab = logsWorkspace(t, { trader: { systemd: "gemini-trader" }, bot: { command: ["true"] } });
  const unknown = await lab.run(["tradr"]);
  assert.equal(unknown.exitCode, 64);
  assert.equal(unknown.stderr, 'lifeguard: Cannot show the logs of "tradr" as the configuration has no such service: "trader", "bot"; did you mean "trader"?\n');
  const badCount = await lab.run(["bot", "-n", "-3"]);
  assert.equal(badCount.exitCode, 64);
  assert.equal(badCount.stderr, 'lifeguard: Cannot read -n "-3": expected a whole number of lines from 0 to 100000\n');
  assert.equal((await lab.run(["trader", "--journal", "--check-log"])).exitCode, 64);
  const journalOfCommand = await lab.run(["bot", "--journal"]);
  assert.deepEqual([journalOfCommand.exitCode, journalOfCommand.stderr], [64, 'lifeguard: Cannot use --journal for "bot" as it is not a systemd: service\nhint: "lifeguard logs bot" shows the output Lifeguard captured from it.\n']);
  const noCheckLog = await lab.run(["trader", "--check-log"]);
  assert.deepEqual([noCheckLog.exitCode, noCheckLog.stderr], [64, 'lifeguard: Cannot use --check-log for "trader" as none of its checks watches a log file\nhint: "lifeguard logs trader" shows its unit\'s journal.\n']);
});

test("logs of a file that does not exist exits 1 and says -f would wait for it", async (t) => {
  const lab = logsWorkspace(t, { bot: { command: ["true"], output: { file: "bot.out" } } });
  const result = await lab.run(["bot"]);
  assert.equal(result.exitCode, 1);
  assert.equal(result.stderr, `lifeguard: Output file "${lab.path("bot.out")}" does not exist\nhint: With -f, Lifeguard waits for it to be created.\n`);
});

test("logs says where the earlier lines are when the rotated file is compressed", async (t) => {
  const lab = logsWorkspace(t, { bot: { command: ["true"], output: { file: "bot.out" } } });
  writeFileSync(lab.path("bot.out"), "after rotation\n");
  writeFileSync(lab.path("bot.out.1.gz"), "gzip bytes");
  const result = await lab.run(["bot", "-n", "5"]);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout, "after rotation\n");
  assert.equal(result.stderr, `lifeguard: Showing 1 of the last 5 lines of "${lab.path("bot.out")}": the earlier ones are in "${lab.path("bot.out.1.gz")}", which is compressed (zcat it to read them)\n`);
});

test("logs run as a user who may not read the file exits 1 with the fix the checks give", { skip: process.getuid?.() === 0 ? false : "needs root: the file must belong to another user" }, async (t) => {
  const lab = logsWorkspace(t, { bot: { command: ["true"], output: { file: "bot.out" } } });
  writeFileSync(lab.path("bot.out"), "secret\n", { mode: 0o600 });
  chmodSync(lab.path("bot.out"), 0o600);
  const failure = await promisify(execFile)(process.execPath, [BIN, "logs", "bot", "-c", lab.config], { cwd: lab.dir, uid: NOBODY, gid: NOBODY, timeout: 30_000 })
    .then(() => assert.fail("nobody must not read a 0600 file of root's"), (error: { code: number; stdout: string; stderr: string }) => error);
  assert.equal(failure.code, 1);
  assert.equal(failure.stdout, "");
  const path = lab.path("bot.out");
  assert.equal(failure.stderr, `lifeguard: Cannot read output file "${path}" as permission was denied\n` +
    `hint: Let user "nobody" read the log file "${path}": run "setfacl -m u:nobody:r ${path}"; it is owned by "root:root" with mode 0600\n`);
});

test("logs of a systemd service without a watched file runs journalctl as argv and passes its exit code through", async (t) => {
  const lab = logsWorkspace(t, { unit: { systemd: "gemini-trader" }, trader: { systemd: "trader", checks: [{ "log-fresh": { path: "t.log", "max-age": "5m" } }] } });
  // A stand-in journalctl first in PATH: it prints its argv, one per line, and fails as journalctl can.
  const bin = lab.path("bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "journalctl"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\nexit 3\n", { mode: 0o755 });
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` };
  const result = await lab.run(["unit", "-n", "7"], env);
  assert.equal(result.exitCode, 3);
  assert.equal(result.stdout, ["-u", "gemini-trader.service", "-n", "7", "--no-pager", "-o", "short-iso", ""].join("\n"));
  const journal = await lab.run(["trader", "--journal", "-f"], env);
  assert.equal(journal.stdout, ["-u", "trader.service", "-n", "50", "-f", "--no-pager", "-o", "short-iso", ""].join("\n"));
  const missing = await lab.run(["trader", "--journal"], { ...process.env, PATH: bin.replace(/bin$/, "nowhere") });
  assert.equal(missing.exitCode, 1);
  assert.equal(missing.stderr, 'lifeguard: Cannot show the journal of unit "trader.service" as "journalctl" was not found\n' +
    'hint: Install systemd\'s journalctl (Debian package "systemd") or "lifeguard logs trader --check-log" for the log file its checks watch.\n');
});
