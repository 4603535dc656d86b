// What `npm pack` would ship: the built dist/ (npm test builds it first) and the package's `files`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "../src/process/run-command.js";
import { REPO } from "./support/lab.js";

/** Test code and its helpers: tests, contract suites, fixtures, src/testing. */
const TEST_ONLY = /(^|\/)(testing|fixtures)\/|\.test\.|\.contract\./;
/** Code caches are written where the package is installed, by its own runs: never shipped. */
const LOCAL_ONLY = /\.cache$|\.tmp$/;

test("the built dist/ holds no test file, contract suite or fixture (needs the built dist/)", () => {
  const files = readdirSync(join(REPO, "dist"), { recursive: true }).map(String);
  assert.ok(files.includes("index.js") && files.includes("lifeguard-cli.cjs"), "dist/ is built");
  assert.deepEqual(files.filter((file) => TEST_ONLY.test(file)), []);
});

test("npm pack ships no test file, fixture or code cache, and ships the launcher and the bundles", async () => {
  // --ignore-scripts: `prepare` would build dist/ again under the other tests' feet.
  const result = await runCommand(["npm", "pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO, timeoutMs: 120_000, maxOutputBytes: 16 * 1024 * 1024 });
  assert.equal(result.exitCode, 0, result.stderr);
  const [pack] = JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>;
  const paths = (pack?.files ?? []).map((file) => file.path);
  for (const shipped of ["bin/lifeguard.js", "dist/index.js", "dist/lifeguard-cli.cjs", "dist/lifeguard-run.cjs", "dist/lifeguard-config.cjs", "dist/lifeguard-page.cjs"]) assert.ok(paths.includes(shipped), shipped);
  assert.deepEqual(paths.filter((path) => TEST_ONLY.test(path) || LOCAL_ONLY.test(path)), []);
});
