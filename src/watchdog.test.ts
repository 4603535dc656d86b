import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "./core/errors.js";
import { Watchdog } from "./watchdog.js";

test("the library refuses a supervised command in one round, as check does, before it starts anything", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-library-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = join(dir, "state");
  const watchdog = new Watchdog({ state, services: { bot: { command: [process.execPath, "-e", "setInterval(() => {}, 1000)"] } } }, { logger: { write() {} } });
  await assert.rejects(watchdog.runHealthCheck(), (error: unknown) => {
    assert.ok(error instanceof UsageError);
    assert.equal(error.message, 'Cannot check "bot" in one-shot mode as Lifeguard supervises its command itself: run "lifeguard run"');
    return true;
  });
  assert.equal(existsSync(state), false, "nothing was created");
});
