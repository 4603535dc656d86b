import { test } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inotifyBlindness } from "./inotify-blind.js";

test("inotifyBlindness trusts a local file system and says why it cannot tell for a missing directory", async () => {
  assert.deepEqual(await inotifyBlindness(tmpdir()), { blind: null });
  assert.deepEqual(await inotifyBlindness(join(tmpdir(), "lifeguard-no-such-directory", "logs")), { error: "ENOENT" });
});
