// bin/lifeguard.js as a user runs it: the code caches it leaves in dist/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandNames } from "../src/cli/main.js";
import { runCommand } from "../src/process/run-command.js";
import { BIN, REPO } from "./support/lab.js";

const DIST = join(REPO, "dist");
/** What other tests may write into dist/ meanwhile: the cache of a command, or of the program itself (--help, --version). */
const LEGITIMATE = new Set(["lifeguard-cli.cache", ...commandNames().map((name) => `lifeguard-cli.${name}.cache`)]);

function runCli(t: { after(fn: () => void): void }, args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), "lifeguard-launcher-"));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  return runCommand([process.execPath, BIN, ...args], { cwd, timeoutMs: 30_000, maxOutputBytes: 1024 * 1024 });
}

test("an unknown command exits 64 and writes no file into dist/ (needs the built dist/)", async (t) => {
  const before = new Set(readdirSync(DIST));
  const result = await runCli(t, ["frobnicate"]);
  assert.equal(result.exitCode, 64, result.stderr);
  assert.match(result.stderr, /unknown command 'frobnicate'/);
  // A cache or a temporary file of one, left by anything but another test's real command.
  assert.deepEqual(readdirSync(DIST).filter((file) => !before.has(file) && !LEGITIMATE.has(file)), []);
  assert.equal(existsSync(join(DIST, "lifeguard-cli.frobnicate.cache")), false);
});

test("a command's first run writes its code cache, which the next run reads (needs the built dist/)", async (t) => {
  const cache = join(DIST, "lifeguard-cli.schema.cache");
  rmSync(cache, { force: true });
  const first = await runCli(t, ["schema"]);
  assert.equal(first.exitCode, 0, first.stderr);
  assert.ok(existsSync(cache), "the first run wrote dist/lifeguard-cli.schema.cache");
  const second = await runCli(t, ["schema"]);
  assert.equal(second.exitCode, 0, second.stderr);
  assert.equal(second.stdout, first.stdout);
});

test("help read by a pipe that is already closed (`| head` gone) ends with exit 0 and no stack trace, in both bundles", async () => {
  for (const args of ["--help", "run --help"]) {
    // The reader exits before the help is written: the write meets EPIPE.
    const pipeline = `(sleep 0.3; ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args}) | true; echo "lifeguard exited \${PIPESTATUS[0]}" >&2`;
    const result = await runCommand(["bash", "-c", pipeline], { timeoutMs: 30_000 });
    assert.equal(result.stderr, "lifeguard exited 0\n", args);
  }
});
