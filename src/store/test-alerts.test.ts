import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTestAlerts, recordTestAlerts, sqliteProblem } from "./test-alerts.js";

test("test-alert results are kept per channel, the newest replacing the one before, and read without writing", () => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-test-alerts-"));
  try {
    assert.deepEqual(readTestAlerts(join(dir, "none")), new Map(), "no store: no result, and none made");
    recordTestAlerts(dir, [{ channel: "phone", at: 1000, ok: false, summary: "Cannot send: refused" }, { channel: "mail", at: 1000, ok: true, summary: "Sent" }]);
    recordTestAlerts(dir, [{ channel: "phone", at: 2000, ok: true, summary: "Sent to chat" }]);
    assert.deepEqual(readTestAlerts(dir), new Map([
      ["mail", { channel: "mail", at: 1000, ok: true, summary: "Sent" }],
      ["phone", { channel: "phone", at: 2000, ok: true, summary: "Sent to chat" }],
    ]));
    assert.equal(sqliteProblem(), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
