// Quick mode's command line as a user meets it: usage errors exit 64 before anything starts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../src/process/run-command.js";
import { BIN, REPO } from "./support/lab.js";

function workspace(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-quick-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env: Record<string, string | undefined> = { ...process.env, LIFEGUARD_STATE: join(dir, "state") };
  delete env.LIFEGUARD_TOKEN;
  const run = (args: string[]) => runCommand([process.execPath, BIN, ...args], { timeoutMs: 30_000, cwd: dir, env });
  return { dir, run };
}

const HINT = "hint: Run `lifeguard run --help` for the flags of quick mode.\n";

test("quick mode refuses flags it cannot read with exit 64, naming the flag, and starts nothing", async (t) => {
  const { dir, run } = workspace(t);
  const cases: Array<[string[], string]> = [
    [["--max-age", "5 minutes"], 'lifeguard: Cannot read --max-age: expected a duration like "90s", "5m" or "1h", got "5 minutes"\n'],
    [["--match", "Update("], 'lifeguard: Cannot read --match: expected a regular expression (RE2 syntax), got "Update(" (missing closing ")" in "Update(")\n'],
    [["--interval", "0.5s"], 'lifeguard: Cannot read --interval: expected at least "1s", got "0.5s"\n'],
  ];
  for (const [flags, message] of cases) {
    const result = await run(["run", ...flags, "--", "sleep", "60"]);
    assert.equal(result.exitCode, 64, result.stderr);
    assert.equal(result.stderr, message + HINT);
    assert.equal(result.stdout, "");
  }
  assert.equal(existsSync(join(dir, "state")), false, "no store was created");
});

test("run refuses -c together with a command, and quick-mode flags without one", async (t) => {
  const { run } = workspace(t);
  const both = await run(["run", "-c", "lifeguard.yaml", "--", "python3", "main.py"]);
  assert.equal(both.exitCode, 64);
  assert.equal(both.stderr, 'lifeguard: Cannot use -c/--config with a command after "--": quick mode takes no configuration file\n' +
    "hint: Leave out -c, or put the command in the file as `command: [CMD, ARGS...]`.\n");
  const flagOnly = await run(["run", "--max-age", "5m"]);
  assert.equal(flagOnly.exitCode, 64);
  assert.equal(flagOnly.stderr, 'lifeguard: Cannot use --max-age without a command: quick mode supervises the command after "--"\nhint: Write: lifeguard run [flags] -- CMD ARGS...\n');
  const noDashes = await run(["run", "lifeguard.yaml"]);
  assert.equal(noDashes.exitCode, 64);
  assert.match(noDashes.stderr, /^lifeguard: Cannot run "lifeguard\.yaml" without "--" before it: quick mode's command follows "--"\n/);
});

test("run with neither a command nor a config searches for the config file as before", async (t) => {
  const { dir, run } = workspace(t);
  const result = await run(["run"]);
  assert.equal(result.exitCode, 78);
  assert.match(result.stderr, new RegExp(`cannot find a configuration file: neither "${join(dir, "lifeguard.yaml")}" nor "/etc/lifeguard/lifeguard.yaml" exists`));
});

test("run --help shows quick mode's flags, its exit code for usage errors and an example", async (t) => {
  const { run } = workspace(t);
  const help = await run(["run", "--help"]);
  assert.equal(help.exitCode, 0);
  assert.match(help.stdout, /^Usage: lifeguard run \[-c FILE\] {2}\| {2}\[quick-mode options\] -- CMD ARGS\.\.\.\n/);
  for (const flag of ["--max-age <duration>", "--match <regex>", "--heartbeat <duration>", "--name <name>", "--interval <duration>", "--state <dir>", "--output <file>", "--output-max-size <size>", "--listen <host:port>", "--log-format <format>"]) {
    assert.ok(help.stdout.includes(flag), flag);
  }
  assert.match(help.stdout, /exits 64 \(usage error\)/);
  assert.match(help.stdout, /\n {2}lifeguard run --max-age 5m --match "VIX\|Position\|Update" --name trader -- python3 -u main\.py --live\n/);
  // The README's section names every flag the help lists.
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Quick mode (no config file)"), readme.indexOf("## Configuration"));
  const flags = [...help.stdout.matchAll(/^ {2}(--[a-z-]+) </gm)].map((match) => match[1]);
  assert.equal(flags.length, 10);
  for (const flag of flags) assert.ok(section.includes(`[${flag} `), `README's quick mode shows ${flag}`);
});
