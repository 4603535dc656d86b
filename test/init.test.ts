// `lifeguard init` as users run it: from flags without a terminal, and answering its questions
// in a real terminal (tmux), against real systemd in a sandbox: it lists the running bot, proposes
// its log, a pattern and a max-age from it, sends a test alert, and writes a file that validates.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shellWord } from "../src/core/cli-command.js";
import { runCommand } from "../src/process/run-command.js";
import { sandboxSupport, startSandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { startWebhookReceiver, TEST_WEBHOOK_PATH } from "../src/testing/webhook-receiver.js";
import { BIN, installBot, lifeguard } from "./support/lab.js";

const TMUX = "/usr/bin/tmux";
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
const noTmux = existsSync(TMUX) ? false : "tmux is not installed (Debian package `tmux`)";
const support = sandboxSupport();

function workspace(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-init-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "bot.log");
  // The seed's bot: a line every 20 to 35 seconds, the last one a minute ago.
  const start = Date.now() - 60_000 - 6 * 27_500;
  const stamp = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);
  writeFileSync(log, [0, 20, 55, 80, 115, 140, 165].map((s, i) => `${stamp(start + s * 1000)} INFO VIX 15.${i} Position ok Update ${i}\n`).join(""));
  const run = (args: string[], env: Record<string, string> = {}) =>
    runCommand([process.execPath, BIN, ...args], { timeoutMs: 60_000, cwd: dir, env: { ...process.env, ...env } });
  return { dir, log, config: join(dir, "lifeguard.yaml"), run };
}

test("init from flags, without a terminal: a commented file that validates, a test alert, no secret shown", async (t) => {
  const { dir, config, run } = workspace(t);
  const receiver = await startWebhookReceiver();
  t.after(() => receiver.close());
  const env = { WEBHOOK_URL: `${receiver.origin}${TEST_WEBHOOK_PATH}` };
  const flags = ["-c", config, "--unit", "gemini-trader", "--log", "bot.log", "--alert", "webhook", "--state", join(dir, "state")];
  const result = await run(["init", ...flags, "--test-alert"], env);
  assert.equal(result.exitCode, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^Proposed pattern "VIX\|Position\|Update": words the bot keeps writing/m);
  assert.match(result.stdout, /^Proposed max-age 2m: the log was written every 20s–35s \(7 lines with a time\): 3 × the largest gap \(35s\), rounded up\.$/m);
  assert.match(result.stdout, /^ok {4}webhook: /m);
  assert.match(result.stdout, /^The test alert was delivered\.$/m);
  assert.match(result.stdout, new RegExp(`^  lifeguard validate -c ${config}   # check the file$`, "m"));
  assert.equal(result.stdout.includes(TEST_WEBHOOK_PATH) || result.stderr.includes(TEST_WEBHOOK_PATH), false, "the webhook's secret URL is never shown");
  assert.equal(receiver.received.length, 1);
  const text = readFileSync(config, "utf8");
  assert.equal(statSync(config).mode & 0o777, 0o640);
  assert.equal(text.includes(TEST_WEBHOOK_PATH), false, "the secret stays a reference");
  assert.match(text, /^ {4}url: "\$\{WEBHOOK_URL\}"$/m);
  assert.match(text, /# .*max-age 2m: the log was written every 20s–35s/);
  const validated = await run(["validate", "-c", config], env);
  assert.equal(validated.exitCode, 0, validated.stderr);
  assert.equal(validated.stdout.trim(), `Configuration "${config}" is valid: 1 service: "gemini-trader" (running, log-fresh, log-activity); 1 alert channel: "webhook" (webhook)`);

  // An existing file: refused without --force (73), replaced with it.
  const again = await run(["init", ...flags, "--alert", "none"]);
  assert.equal(again.exitCode, 73);
  assert.equal(again.stderr, `lifeguard: Cannot write "${config}" as it exists already\nhint: Pass --force to replace it, or -c FILE to write another file.\n`);
  assert.equal(readFileSync(config, "utf8"), text);
  const forced = await run(["init", ...flags, "--alert", "none", "--force", "--max-age", "10m", "--match", "-"]);
  assert.equal(forced.exitCode, 0, forced.stderr);
  assert.equal((await run(["validate", "-c", config])).stdout.trim(), `Configuration "${config}" is valid: 1 service: "gemini-trader" (running, log-fresh); no alert channel`);
  assert.match(readFileSync(config, "utf8"), /max-age 10m: you chose it/);
});

test("init without a terminal and a required answer missing: a usage error naming the flag", async (t) => {
  const { dir, run } = workspace(t);
  const missing = await run(["init", "-c", join(dir, "x.yaml"), "--unit", "gemini-trader", "--log", "bot.log"]);
  assert.equal(missing.exitCode, 64);
  assert.equal(missing.stderr, 'lifeguard: Cannot write the configuration without --alert KIND: stdin is not a terminal, so "Where should alerts go?" cannot be asked\nhint: Run `lifeguard init` on a terminal to be asked, or see `lifeguard init --help` for the flags.\n');
  const noService = await run(["init", "-c", join(dir, "x.yaml"), "--alert", "none"]);
  assert.equal(noService.exitCode, 64);
  assert.match(noService.stderr, /^lifeguard: Cannot write the configuration without --unit NAME or --command CMD\.\.\./);
  assert.equal(existsSync(join(dir, "x.yaml")), false);
});

test("init --help: an example on several lines pastes as one command, each line but its last ending in a backslash", async (t) => {
  const { run } = workspace(t);
  const help = await run(["init", "--help"]);
  assert.equal(help.exitCode, 0, help.stderr);
  const lines = help.stdout.slice(help.stdout.indexOf("\nExamples:\n")).split("\n");
  const continued = lines.flatMap((line, at) => (/^ {6}--/.test(lines[at + 1] ?? "") ? [line] : []));
  assert.ok(continued.length >= 3, help.stdout);
  assert.deepEqual(continued.filter((line) => !line.endsWith(" \\")), []);
  assert.doesNotMatch(help.stdout, /\S {3,}--/, "no continuation swallowed into one line");
});

/** A tmux server of the test's own (its own socket) running `command` in a shell that then says its exit code. */
function terminal(t: { after(fn: () => void): void }, command: string[]) {
  const socket = `lifeguard-init-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...args: string[]) => spawnSync(TMUX, ["-L", socket, ...args], { encoding: "utf8", env: { ...process.env, TERM: "xterm-256color" } });
  const line = `${command.map(shellWord).join(" ")}; echo "init-exit=$?"; sleep 600`;
  const started = tmux("new-session", "-d", "-s", "init", "-x", "220", "-y", "50", line);
  assert.equal(started.status, 0, started.stderr);
  t.after(() => void tmux("kill-server"));
  const screen = () => tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "init").stdout;
  return {
    screen,
    /** Waits for `pattern` on the screen (history included), then types `keys` and Enter. */
    async answer(pattern: RegExp, keys: string) {
      assert.ok(await waitFor(() => pattern.test(screen()), WAIT), `waited for ${pattern}:\n${screen()}`);
      if (keys !== "") tmux("send-keys", "-t", "init", "-l", keys);
      tmux("send-keys", "-t", "init", "Enter");
    },
    exitCode: async () => {
      assert.ok(await waitFor(() => /init-exit=\d+/.test(screen()), WAIT), screen());
      return Number(/init-exit=(\d+)/.exec(screen())?.[1]);
    },
  };
}

test("init in a terminal, against real systemd: lists the running bot, proposes its log, sends a test alert", { skip: noTmux || (support.ok ? false : support.reason) }, async (t) => {
  const sandbox = await startSandbox();
  t.after(() => sandbox.stop());
  const dir = join(sandbox.workdir, "trader");
  const bot = await installBot(sandbox, "trader", { everyMs: 1000, unitExtra: `WorkingDirectory=${dir}` });
  assert.ok(await waitFor(() => readFileSync(bot.log, "utf8").split("\n").length > 3, WAIT));
  const pageMe = join(sandbox.workdir, "page-me");
  writeFileSync(pageMe, `#!/bin/sh\ncat > ${join(sandbox.workdir, "alert.json")}\n`);
  chmodSync(pageMe, 0o755);
  const config = join(sandbox.workdir, "lifeguard.yaml");
  const view = terminal(t, [...sandbox.nsenterArgs, process.execPath, BIN, "init", "-c", config, "--state", join(sandbox.workdir, "state")]);

  await view.answer(/Which service should Lifeguard watch\? \(a number, or a unit's name\): $/m, "");
  const number = /^ +(\d+)\) trader\.service$/m.exec(view.screen())?.[1];
  assert.ok(number !== undefined, view.screen());
  await view.answer(/an answer is needed/, number);
  await view.answer(/^Name of the service in Lifeguard \[trader\]: $/m, "");
  await view.answer(new RegExp(`^ +1\\) ${bot.log} \\(the unit's (ExecStart|WorkingDirectory)=; written \\d+m?s ago, \\d+B\\)$[^]*^Which log shows the service working\\? \\(a number, or a path\\) \\[1\\]: $`, "m"), "");
  await view.answer(/^Proposed pattern "VIX\|Position\|Update": [^]*RE2 syntax; - for none\) \[VIX\|Position\|Update\]: $/m, "");
  await view.answer(/^Proposed max-age 1m: the log was written every 1s [^]*counts as frozen\? \[1m\]: $/m, "");
  await view.answer(/^ +5\) exec: a program of yours, run for each alert$[^]*^Where should alerts go\?: $/m, "5");
  await view.answer(/^The program to run for each alert \(its absolute path\): $/m, pageMe);
  await view.answer(/^Send a test alert now\? Y\/n: $/m, "");
  assert.equal(await view.exitCode(), 0, view.screen());
  assert.match(view.screen(), /^ok {4}exec: /m);
  assert.match(view.screen(), new RegExp(`^  lifeguard check --dry-run -c ${config}   # one round`, "m"));
  assert.ok(existsSync(join(sandbox.workdir, "alert.json")), "the test alert ran the program");

  const text = readFileSync(config, "utf8");
  assert.match(text, /^ {4}systemd: "trader\.service"$/m);
  assert.match(text, new RegExp(`- log-activity: \\{ path: "${bot.log}", lines: 100, match: "VIX\\|Position\\|Update", min: 1 \\}`));
  const validated = await lifeguard(sandbox, ["validate", "-c", config]);
  assert.equal(validated.exitCode, 0, validated.stderr);
  const dryRun = await lifeguard(sandbox, ["check", "--dry-run", "-c", config]);
  assert.equal(dryRun.exitCode, 0, dryRun.stdout + dryRun.stderr);
});

test("init in a terminal asks before replacing a file, and No (the default) leaves it", { skip: noTmux }, async (t) => {
  const { config } = workspace(t);
  writeFileSync(config, "# mine\n");
  const view = terminal(t, [process.execPath, BIN, "init", "-c", config]);
  await view.answer(new RegExp(`^${config} exists already\\. Replace it\\? y/N: $`, "m"), "");
  assert.equal(await view.exitCode(), 73);
  assert.match(view.screen(), new RegExp(`^lifeguard: Left "${config}" as it is$`, "m"));
  assert.equal(readFileSync(config, "utf8"), "# mine\n");
});
