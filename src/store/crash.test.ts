import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { setTimeout as sleep } from "node:timers/promises";
import { makeTempDir, openTestStore, spawnFixture, type Cleanup } from "./fixtures/helpers.js";

const KILLS = 6;

/** What a killed crash-writer left: every round it committed is whole. */
function readRounds(t: Cleanup, dir: string): { state: number; restarts: number; maxAttempt: number; events: number; maxEventRound: number } {
  const store = openTestStore(t, dir);
  assert.deepEqual(store.checkIntegrity(), []);
  const state = store.loadState("svc").backoffStep;
  store.close();
  const db = new Database(store.file, { readonly: true });
  const restarts = db.prepare("SELECT count(*) AS n, coalesce(max(attempt), 0) AS max FROM restarts WHERE service = 'svc'").get() as { n: number; max: number };
  const events = db.prepare("SELECT count(*) AS n, coalesce(max(data ->> '$.round'), 0) AS max FROM events WHERE service = 'svc'").get() as { n: number; max: number };
  db.close();
  return { state, restarts: restarts.n, maxAttempt: restarts.max, events: events.n, maxEventRound: events.max };
}

/** Runs the writer, kills it -9 at a random moment (by pid), KILLS times; checks the store after each. */
async function killRepeatedly(t: Cleanup, mode: string[], check: (rounds: ReturnType<typeof readRounds>) => void): Promise<void> {
  const dir = makeTempDir(t);
  let before = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    const writer = spawnFixture(t, "crash-writer.ts", [dir, ...mode]);
    await writer.waitForLine("round");
    await sleep(Math.random() * 150);
    await writer.kill();
    const rounds = readRounds(t, dir);
    check(rounds);
    assert.ok(rounds.state > before, `the writer made progress (${before} → ${rounds.state})`);
    before = rounds.state;
  }
}

test("a kill -9 at any moment leaves every committed round whole", async (t) => {
  await killRepeatedly(t, [], (rounds) => {
    assert.deepEqual(rounds, { state: rounds.state, restarts: rounds.state, maxAttempt: rounds.state, events: rounds.state, maxEventRound: rounds.state });
  });
});

test("a kill -9 during pruning and vacuuming leaves the newest round whole", async (t) => {
  await killRepeatedly(t, ["prune"], (rounds) => {
    assert.equal(rounds.maxAttempt, rounds.state);
    assert.equal(rounds.maxEventRound, rounds.state);
    assert.ok(rounds.restarts <= rounds.state && rounds.events <= rounds.state);
  });
});
