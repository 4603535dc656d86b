// The CLI as a user meets it, without systemd: exit codes, messages, read-only commands.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatSize } from "../src/core/duration.js";
import { runCommand } from "../src/process/run-command.js";
import { initialState } from "../src/core/state.js";
import type { ServiceEvent } from "../src/core/policy.js";
import { formatLocalTime } from "../src/process/local-time.js";
import { draftAlerts } from "../src/core/alert-drafts.js";
import { openStore, type HistoryEntry } from "../src/store/index.js";
import { DEFAULT_ALERTING, sampleAlert } from "../src/testing/alerts.js";
import { BIN, REPO } from "./support/lab.js";

function workspace(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, "lifeguard.yaml");
  const write = (text: string) => writeFileSync(config, text);
  /** The workspace's one-service config, with extra top-level lines such as a `log:` section. */
  const standard = (extra = "") => `state: ${join(dir, "state")}
${extra}services:
  trader:
    systemd: gemini-trader
    checks:
      - log-fresh: { path: ${join(dir, "bot.log")}, max-age: 5m }
`;
  write(standard());
  const run = (args: string[], env: Record<string, string> = {}) =>
    // The JSON Schema passed 64 KiB (runCommand's default cap) with the http, tcp, exec and connection kinds.
    runCommand([process.execPath, BIN, ...args], { timeoutMs: 30_000, cwd: dir, env: { ...process.env, ...env }, maxOutputBytes: 1024 * 1024 });
  return { dir, config, write, standard, run };
}

test("validate accepts a good file and names its services", async (t) => {
  const { run, config } = workspace(t);
  const result = await run(["validate", "-c", config]);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout.trim(), `Configuration "${config}" is valid: 1 service: "trader" (running, log-fresh); no alert channel`);
});

test("validate finds ./lifeguard.yaml without -c", async (t) => {
  const { run } = workspace(t);
  assert.equal((await run(["validate"])).exitCode, 0);
});

test("validate warns of a pattern that would hang a backtracking engine, and accepts it", async (t) => {
  const { run, config, write, dir } = workspace(t);
  write(`services:
  trader:
    systemd: gemini-trader
    checks:
      - log-activity: { path: ${join(dir, "bot.log")}, match: "(a+)+$", forbid: "(\\\\w|\\\\d)+!" }
      - log-activity: { path: ${join(dir, "bot.log")}, match: "VIX|Position|Update" }
`);
  const result = await run(["validate", "-c", config]);
  assert.equal(result.exitCode, 0, result.stderr);
  const engines = "Lifeguard matches it in linear time (RE2), but a backtracking engine (grep -P, Python's re, JavaScript's RegExp) can take exponential time on a line that almost matches";
  assert.equal(result.stderr, [
    `warning: ${config}: service "trader", check "log-activity", option "match": the pattern "(a+)+$" repeats a repetition ("(a+)+"): ${engines}`,
    `warning: ${config}: service "trader", check "log-activity", option "forbid": the pattern "(\\\\w|\\\\d)+!" repeats alternatives that match the same text ("(\\\\w|\\\\d)+"): ${engines}`,
    "",
  ].join("\n"));
  assert.match(result.stdout, /is valid: 1 service: "trader" \(running, log-activity, log-activity#2\)/);
});

test("a pattern with a backreference exits 78 naming file, line, field and the unsupported construct", async (t) => {
  const { run, config, write, dir } = workspace(t);
  write(`services:\n  trader:\n    systemd: x\n    checks:\n      - log-activity: { path: ${join(dir, "bot.log")}, match: '(\\w+) \\1' }\n`);
  const result = await run(["check", "-c", config]);
  assert.equal(result.exitCode, 78, result.stderr);
  assert.match(result.stderr, /lifeguard\.yaml:5:\d+: services\.trader\.checks\[0\]\.match: expected a regular expression \(RE2 syntax\), got "\(\\\\w\+\) \\\\1" \(backreference "\\1" is not supported: Lifeguard matches in linear time \(RE2\), which rules out backreferences and lookaround\)/);
});

test("an invalid config exits 78 naming file, line, column and field", async (t) => {
  const { run, config, write } = workspace(t);
  write("services:\n  trader:\n    systemd: x\n    checks:\n      - log-fresh: { path: /x, max_age: 5m }\n");
  const result = await run(["check", "-c", config]);
  assert.equal(result.exitCode, 78);
  assert.match(result.stderr, new RegExp(`${config}:5:\\d+: services\\.trader\\.checks\\[0\\]\\.max_age: unknown key "max_age"; did you mean "max-age"\\?`));
  assert.match(result.stderr, /hint: /);
});

test("a missing config file exits 78 and says so", async (t) => {
  const { run, dir } = workspace(t);
  const result = await run(["status", "-c", join(dir, "nope.yaml")]);
  assert.equal(result.exitCode, 78);
  assert.match(result.stderr, /nope\.yaml: cannot read the configuration file as it does not exist/);
});

test("a generated 10 MB config of 700 000 keys is refused before parsing, with exit 78", async (t) => {
  const { run, write, config, standard } = workspace(t);
  const keys = Array.from({ length: 700_000 }, (_, index) => `  k${index}: ${index}`).join("\n");
  write(`${standard()}generated:\n${keys}\n`);
  const result = await run(["validate", "-c", config]);
  assert.equal(result.exitCode, 78, result.stderr);
  const size = formatSize(statSync(config).size);
  assert.equal(result.stderr, `lifeguard: Invalid configuration:\n  ${config}: cannot load the configuration file as it is ${size}: a Lifeguard configuration is at most 1MiB\nhint: A Lifeguard configuration is a few KiB: check that -c/--config names the right file.\n`);
});

test("a YAML bomb is refused with exit 78, not expanded", async (t) => {
  const { run, write, config, standard } = workspace(t);
  const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (const [index, name] of [..."bcdefghi"].entries()) levels.push(`${name}: &${name} [${Array(10).fill(`*${"abcdefghi"[index]}`).join(", ")}]`);
  write(`${standard()}${levels.join("\n")}\n`);
  const result = await run(["validate", "-c", config]);
  assert.equal(result.exitCode, 78, result.stderr);
  assert.match(result.stderr, /invalid YAML: its aliases \(\*name\) expand to far more data than the file holds, as a YAML bomb does/);
});

test("schema prints the JSON Schema", async (t) => {
  const { run } = workspace(t);
  const result = await run(["schema"]);
  assert.equal(result.exitCode, 0);
  const schema = JSON.parse(result.stdout) as { $id: string; properties: Record<string, unknown> };
  assert.equal(schema.$id, "urn:lifeguard:config");
  assert.ok("services" in schema.properties);
});

test("a corrupt code cache is rejected by V8 and rewritten; the CLI works all the same", async (t) => {
  const { run } = workspace(t);
  const cache = join(REPO, "dist", "lifeguard-cli.schema.cache");
  writeFileSync(cache, "not a V8 code cache");
  const result = await run(["schema"]);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.ok(JSON.parse(result.stdout));
  assert.notEqual(readFileSync(cache, "utf8"), "not a V8 code cache");
});

test("usage errors exit 64; --help and --version exit 0", async (t) => {
  const { run, config } = workspace(t);
  assert.equal((await run(["frobnicate"])).exitCode, 64);
  assert.equal((await run(["check", "--no-such-flag"])).exitCode, 64);
  assert.equal((await run(["reset", "nobody-here", "-c", config])).exitCode, 64);
  assert.equal((await run(["history", "--since", "soon", "-c", config])).exitCode, 64);
  const help = await run(["--help"]);
  assert.equal(help.exitCode, 0);
  assert.match(help.stdout, /check \[options\]\s+run every check once/);
  const version = await run(["--version"]);
  assert.equal(version.exitCode, 0);
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version);
});

test("status, history and check --dry-run read without creating the store", async (t) => {
  const { run, config, dir } = workspace(t);
  // Nothing ever watched it: not healthy as far as anyone knows (exit 1), and never shown as such.
  const status = await run(["status", "-c", config]);
  assert.equal(status.exitCode, 1, status.stderr);
  assert.match(status.stdout, /^NOT WATCHED: no Lifeguard has watched it yet \(`lifeguard run`, or `lifeguard check` from cron, watches it\)\n\nSERVICE\s+TARGET\s+STATE\s+LAST CHECK\s+RESTARTS\s+LAST RESTART\ntrader\s+gemini-trader\.service\s+unknown \(last known: never checked\)\s+never\s+0 of 3 in 1h\s+-\n$/);
  const history = await run(["history", "-c", config]);
  assert.equal(history.stdout.trim(), "No history yet.");
  const dryRun = await run(["check", "--dry-run", "-c", config]);
  assert.equal(dryRun.exitCode, 2);
  assert.match(dryRun.stdout, /=== Watchdog check started \(dry run\) ===/);
  assert.match(dryRun.stdout, /\[FAIL\] Log file ".*bot\.log" does not exist/);
  assert.match(dryRun.stdout, /Would do nothing: 1 of 2 failing rounds/);
  assert.equal(existsSync(join(dir, "state")), false);
});

test("history lists the same entries as text and as --json, restarts, events and alerts at equal times included", async (t) => {
  const { run, config, dir } = workspace(t);
  const store = openStore(join(dir, "state"), { retention: { maxAgeMs: 86_400_000, maxBytes: 64 * 1024 ** 2 } });
  const at = Date.now() - 3_600_000;
  for (let i = 0; i < 30; i++) {
    // One moment per restart: the decision, the record, the outcome and its alert all at `now`.
    const now = at + Math.floor(i / 3) * 1000;
    const event = (kind: ServiceEvent["kind"]): ServiceEvent => ({ kind, at: now, message: `${kind} ${i}`, data: {} });
    store.commitRound("trader", { state: initialState(), events: [event("failing"), event("restart")], checkedAt: now });
    const restart = { service: "trader", startedAt: now, finishedAt: now, reason: "log-fresh", attempt: 1, max: 3, ok: i % 2 === 0, summary: `restart ${i}`, evidence: [], steps: [] };
    store.commitRound("trader", { state: initialState(), events: [event(i % 2 === 0 ? "restarted" : "restart-failed")], restart, checkedAt: now });
    const { id: _id, ...alert } = sampleAlert({ at: now, message: `alert ${i}`, service: "trader" });
    store.enqueueAlerts(draftAlerts([alert], ["phone"], { ...DEFAULT_ALERTING, dedupeMs: 0 }));
  }
  const alerts = store.history({ limit: 1000 }).filter((entry) => entry.type === "alert").length;
  assert.ok(alerts > 0);
  store.close();
  for (const limit of ["50", "1000"]) {
    const text = await run(["history", "--limit", limit, "-c", config]);
    assert.equal(text.exitCode, 0, text.stderr);
    const rows = text.stdout.trim().split("\n").slice(1).map((line) => /^(\S+ \S+) +(\S+) +(\S+) +/.exec(line)?.slice(1, 4));
    const json = JSON.parse((await run(["history", "--json", "--limit", limit, "-c", config])).stdout) as { entries: HistoryEntry[] };
    const what = (entry: HistoryEntry): string => (entry.type === "restart" ? "restart-outcome" : entry.type === "alert" ? "alert" : entry.event.kind);
    assert.equal(json.entries.length, Math.min(Number(limit), 120 + alerts), "30 restarts, 90 events and the alerts, up to the limit");
    assert.deepEqual(rows, json.entries.map((entry) => [formatLocalTime(entry.at), entry.service ?? "-", what(entry)]));
  }
});

test("check writes the JSON log to a file when configured", async (t) => {
  const { run, config, dir, write, standard } = workspace(t);
  writeFileSync(join(dir, "bot.log"), "VIX 1\n");
  write(standard(`log: { file: ${join(dir, "watchdog.log")}, format: json }\n`));
  const result = await run(["check", "-c", config]);
  assert.equal(result.stdout, "");
  const lines = readFileSync(join(dir, "watchdog.log"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { tag: string; message: string; service?: string });
  assert.equal(lines[0]?.message, "=== Watchdog check started ===");
  assert.ok(lines.some((line) => line.tag === "OK" && line.service === "trader" && /^Log file is fresh/.test(line.message)));
});

test("check refuses a supervised command in one-shot mode, before touching the store; status shows its command line", async (t) => {
  const { run, config, dir, write } = workspace(t);
  write(`state: ${join(dir, "state")}
services:
  trader:
    systemd: gemini-trader
  bot:
    command: [python3, main.py]
`);
  // The advice carries the -c it came with, so that it works wherever it is run.
  const refusal = `lifeguard: Cannot check "bot" in one-shot mode as Lifeguard supervises its command itself: run "lifeguard run -c ${config}"\n`;
  for (const args of [["check"], ["check", "--dry-run"], ["check", "--service", "bot"]]) {
    const result = await run([...args, "-c", config]);
    assert.equal(result.exitCode, 64, args.join(" "));
    assert.equal(result.stdout, "");
    assert.ok(result.stderr.startsWith(refusal), result.stderr);
  }
  const hinted = (await run(["check", "-c", config])).stderr;
  assert.ok(hinted.endsWith(`\nhint: Check the others once with: lifeguard check --service trader -c ${config}\n`), hinted);
  assert.equal(existsSync(join(dir, "state")), false);
  const others = await run(["check", "--dry-run", "--service", "trader", "-c", config]);
  assert.equal(others.exitCode, 2, others.stderr);
  const status = await run(["status", "-c", config]);
  assert.equal(status.exitCode, 1, status.stderr);
  assert.match(status.stdout, /\ntrader\s+gemini-trader\.service\s+unknown \(last known: never checked\)\s.*\nbot\s+python3 main\.py\s+not supervised \(last known: never checked\)\s+never\s+0 of 3 in 1h\s+-\n$/);
});

test("a heartbeat by ping: check --dry-run judges the store's last ping without writing, status shows it", async (t) => {
  const { run, config, dir, write } = workspace(t);
  write(`state: ${join(dir, "state")}
http: { token: cli-test-token-0123456789 }
services:
  trader:
    systemd: gemini-trader
    checks:
      - heartbeat: { max-age: 2m }
`);
  const fresh = await run(["check", "--dry-run", "-c", config]);
  assert.match(fresh.stdout, /\[OK\] Waiting for the first heartbeat since Lifeguard began watching \d+m?s ago \(max-age 2m\)\n/, fresh.stdout);
  assert.equal(existsSync(join(dir, "state")), false, "a dry run creates no store");

  const store = openStore(join(dir, "state"), { retention: { maxAgeMs: 86_400_000, maxBytes: 64 * 1024 ** 2 } });
  const pingedAt = Date.now() - 12_000;
  store.recordPing("trader", { kind: "fail" }, pingedAt);
  store.close();
  const failed = await run(["check", "--dry-run", "-c", config]);
  assert.match(failed.stdout, /\[FAIL\] "trader" reported failure at \S+Z \([\dms]+ ago\)\n/, failed.stdout);
  const status = await run(["status", "-c", config]);
  assert.equal(status.exitCode, 1, status.stderr);
  assert.match(status.stdout, /^NOT WATCHED: no Lifeguard has watched it yet \(`lifeguard run`, or `lifeguard check` from cron, watches it\)\n\nSERVICE\s+TARGET\s+STATE\s+LAST CHECK\s+RESTARTS\s+LAST RESTART\s+LAST PING\ntrader\s+gemini-trader\.service\s+unknown \(last known: never checked\)\s+never\s+0 of 3 in 1h\s+-\s+[\dms]+ ago \(fail\)\n$/);
  const json = JSON.parse((await run(["status", "--json", "-c", config])).stdout) as { services: Array<{ lastPing: unknown }> };
  assert.deepEqual(json.services[0]?.lastPing, { at: pingedAt, signal: { kind: "fail" } });
});
