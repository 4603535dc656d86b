// The files the docs tell users to copy stay valid.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkCommandLine } from "../src/cli/main.js";
import type { CliIo } from "../src/cli/io.js";
import { validateConfig } from "../src/config/validate.js";
import { runCommand } from "../src/process/run-command.js";
import { commandLinesIn } from "./support/doc-commands.js";
import { REPO } from "./support/lab.js";

const UNITS = join(REPO, "examples", "systemd");
const ANALYZE = "/usr/bin/systemd-analyze";

test("examples/lifeguard.yaml is a valid configuration", () => {
  const path = join(REPO, "examples", "lifeguard.yaml");
  const result = validateConfig(readFileSync(path, "utf8"), { source: path, baseDir: join(REPO, "examples"), env: {} });
  assert.deepEqual(result.ok ? [] : result.issues, []);
});

test("the example units pass systemd-analyze verify (but for binaries not installed here)", { skip: existsSync(ANALYZE) ? false : `${ANALYZE} is missing (Debian package "systemd")` }, async () => {
  const units = readdirSync(UNITS).map((name) => join(UNITS, name));
  assert.ok(units.length >= 4);
  const result = await runCommand([ANALYZE, "verify", ...units], { timeoutMs: 30_000 });
  const complaints = `${result.stdout}${result.stderr}`.split("\n").filter((line) => line.trim() !== "" && !/Command \/usr\/(local\/)?bin\/\S+ is not executable/.test(line));
  assert.deepEqual(complaints, []);
});

/** 0, or 64 with commander's first line: `lifeguard ARGV` names a command, options and arguments the CLI has. */
async function usage(argv: string[]): Promise<string | null> {
  let said = "";
  const io: CliIo = { stdout: () => {}, stderr: (text) => void (said += text), env: {}, cwd: REPO };
  return (await checkCommandLine(argv, io)) === 0 ? null : said.trim().split("\n")[0] ?? "";
}

test("every lifeguard command line the docs print is one the CLI accepts: its command, options and arguments exist (deployment.md's inline ones too)", async () => {
  // The check itself tells a wrong line from a right one.
  assert.match(await usage(["install", "--crno"]) ?? "", /unknown option '--crno'/);
  assert.match(await usage(["reset"]) ?? "", /missing required argument/);
  assert.equal(await usage(["init", "--unit", "gemini-trader", "--max-age", "5m"]), null);
  const docs = ["README.md", ...readdirSync(join(REPO, "docs"), { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".md")).map((name) => join("docs", name))];
  const wrong: string[] = [];
  const deployment: string[][] = [];
  for (const doc of docs) {
    // Inline spans elsewhere include usage synopses (`lifeguard reset NAME [--state DIR]`): only deployment.md's are all commands.
    const lines = commandLinesIn(readFileSync(join(REPO, doc), "utf8"), { spans: doc === join("docs", "deployment.md") });
    if (doc === join("docs", "deployment.md")) deployment.push(...lines);
    for (const argv of lines) {
      const problem = await usage(argv);
      if (problem !== null) wrong.push(`${doc}: lifeguard ${argv.join(" ")}: ${problem}`);
    }
  }
  assert.deepEqual(wrong, []);
  const commands = new Set(deployment.map((argv) => argv[0]));
  for (const command of ["init", "install", "uninstall", "doctor", "test-alert", "status", "history", "reset", "logs", "check"]) assert.ok(commands.has(command), `docs/deployment.md shows lifeguard ${command}`);
  assert.ok(deployment.length >= 30, `${deployment.length} command lines in docs/deployment.md`);
});
