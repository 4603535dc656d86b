import { test } from "node:test";
import assert from "node:assert/strict";
import { lifeguardHealth } from "./lifeguard-health.js";

const loops = [{ service: "trader" }] as Parameters<typeof lifeguardHealth>[0]["loops"];

test("Lifeguard is healthy while its loops make progress and the store answers", () => {
  const asked: string[] = [];
  const store = {
    lockOwner: (service: string) => {
      asked.push(service);
      return null;
    },
  };
  assert.deepEqual(lifeguardHealth({ isProgressing: () => true, loops }, store)(), { ok: true });
  assert.deepEqual(asked, ["trader"]);
});

test("a loop without progress or a store that does not answer is unhealthy, and says why", () => {
  const answering = { lockOwner: () => null };
  assert.deepEqual(lifeguardHealth({ isProgressing: () => false, loops }, answering)(), {
    ok: false, summary: "a service's loop has made no progress within its interval and the longest round",
  });
  const failing = { lockOwner: () => { throw new Error('Cannot read the store "/var/lib/lifeguard/lifeguard.db" as the file is corrupt'); } };
  assert.deepEqual(lifeguardHealth({ isProgressing: () => true, loops }, failing)(), {
    ok: false, summary: 'the store does not answer: Cannot read the store "/var/lib/lifeguard/lifeguard.db" as the file is corrupt',
  });
});
