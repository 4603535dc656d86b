// The files the docs tell users to copy stay valid.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateConfig } from "../src/config/validate.js";
import { runCommand } from "../src/process/run-command.js";
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
