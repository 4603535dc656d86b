import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, EXIT, LifeguardError, UsageError } from "../core/errors.js";
import { answerConfigRequest } from "./answer-config-request.js";
import { errorOfReply, replyOfError } from "./config-reply.js";
import type { CliIo } from "./io.js";
import { loadConfigApart } from "./load-config-apart.js";
import { openConfig } from "./open-config.js";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function ioIn(text: string): CliIo {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-apart-"));
  dirs.push(dir);
  writeFileSync(join(dir, "lifeguard.yaml"), text);
  return { stdout: () => {}, stderr: () => {}, env: { PATH: process.env["PATH"], STATE_DIR: join(dir, "state") }, cwd: dir };
}

const VALID = "state: ${STATE_DIR}\nservices:\n  bot:\n    command: [/bin/sleep, '1000']\n    checks: [running]\n";

test("loadConfigApart returns the config loading it in this process would return (needs the built dist/)", async () => {
  const io = ioIn(VALID);
  assert.deepEqual(await loadConfigApart({ kind: "file" }, io), await openConfig({}, io));
});

test("loadConfigApart throws the ConfigError of an invalid file, with its issues and exit code", async () => {
  const io = ioIn("services:\n  bot:\n    command: [/bin/sleep]\n    interval: soon\n");
  const expected = await answerConfigRequest({ kind: "file" }, io);
  assert.equal(expected.ok, false);
  await assert.rejects(loadConfigApart({ kind: "file" }, io), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.exitCode, EXIT.config);
    assert.deepEqual(error.issues, expected.ok ? [] : expected.error.issues);
    return true;
  });
});

test("a reply carries each error as the same class, message, hint and exit code", () => {
  const errors = [
    new ConfigError([{ file: "a.yaml", line: 3, column: 5, path: "services.bot.interval", message: "expected a duration" }], "a hint"),
    new UsageError("Cannot read --max-age", "Write 5m"),
    new LifeguardError("The store could not be opened", { exitCode: EXIT.software }),
  ];
  for (const error of errors) {
    const reply = JSON.parse(JSON.stringify(replyOfError(error)));
    assert.equal(reply.ok, false);
    const again = errorOfReply(reply.error);
    assert.equal(again.constructor, error.constructor);
    assert.deepEqual([again.message, again.hint, again.exitCode], [error.message, error.hint, error.exitCode]);
  }
});

test("an unexpected error is a reply with its stack and exit 70", () => {
  const reply = replyOfError(new TypeError("x is undefined"));
  assert.equal(reply.ok, false);
  if (!reply.ok) assert.match(reply.error.message, /^Cannot load the configuration: unexpected error: TypeError: x is undefined\n/);
  if (!reply.ok) assert.equal(reply.error.exitCode, EXIT.software);
});

test("a loader process that cannot run is a LifeguardError naming what it said, not a crash", async () => {
  const io = ioIn(VALID);
  const broken = { ...io, env: { ...io.env, NODE_OPTIONS: "--no-such-node-flag" } };
  await assert.rejects(loadConfigApart({ kind: "file" }, broken), (error: unknown) => {
    assert.ok(error instanceof LifeguardError && !(error instanceof ConfigError));
    assert.equal(error.exitCode, EXIT.software);
    assert.match(error.message, /^Cannot load the configuration as its loader process failed: .*--no-such-node-flag/s);
    return true;
  });
});
