import { getEventListeners } from "node:events";
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Check } from "../core/check.js";
import { createMemoryLogger } from "../core/logger.js";
import { initialState, type ServiceState } from "../core/state.js";
import type { Observation } from "../core/outcome.js";
import { openStore } from "../store/index.js";
import { buildConfig } from "../testing/build-config.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { createFakeRunner } from "../testing/fake-runner.js";
import { FULL_ROUND_EVERY_MS, startScheduler } from "./scheduler.js";

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(t: { after(fn: () => void): void }, check: (clock: ReturnType<typeof createFakeClock>) => Check | Check[], stored?: (now: number) => ServiceState) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-scheduler-"));
  const config = buildConfig({ state: join(dir, "state"), services: { bot: { systemd: "bot.service", interval: "5s" } } });
  const clock = createFakeClock();
  const store = openStore(config.state, { retention: config.retention, now: clock.now });
  const controller = new AbortController();
  const logger = createMemoryLogger();
  t.after(() => {
    controller.abort();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  if (stored !== undefined) store.commitRound("bot", { state: stored(clock.now()), events: [], checkedAt: clock.now() });
  const made = check(clock);
  const parts = { config: config.services[0]!, runner: createFakeRunner(), checks: Array.isArray(made) ? made : [made] };
  const scheduler = startScheduler([parts], { store, clock, logger, signal: controller.signal });
  const rounds = (): number => scheduler.loops[0]?.rounds ?? 0;
  return { clock, scheduler, controller, logger, rounds };
}

const passing = (clock: { now(): number }, counter: { runs: number }, dueAt: () => number | null = () => null): Check => ({
  id: "probe",
  alertOnly: false,
  dueAt,
  run: async (): Promise<Observation> => {
    counter.runs += 1;
    return { check: "probe", ok: true, summary: "fine", evidence: {}, durationMs: 0, timedOut: false, at: clock.now(), alertOnly: false };
  },
});

test("the scheduler runs a round at start and then every interval on the monotonic clock", async (t) => {
  const counter = { runs: 0 };
  const { clock, scheduler, rounds } = setup(t, (c) => passing(c, counter));
  await settle();
  assert.equal(rounds(), 1);
  await clock.advance(4_999);
  assert.equal(rounds(), 1);
  await clock.advance(1);
  await settle();
  assert.equal(rounds(), 2);
  clock.jumpWallClock(3_600_000); // an NTP step moves no round
  await clock.advance(4_000);
  assert.equal(rounds(), 2);
  await clock.advance(1_000);
  await settle();
  assert.equal(rounds(), 3);
  assert.equal(scheduler.loops[0]?.rounds, 3);
});

test("a passing check's deadline runs the next round before the interval is up", async (t) => {
  const counter = { runs: 0 };
  let due: number | null = null;
  const { clock, rounds } = setup(t, (c) => {
    due = c.now() + 1_500;
    return passing(c, counter, () => due);
  });
  await settle();
  assert.equal(rounds(), 1);
  await clock.advance(1_499);
  assert.equal(rounds(), 1);
  due = null; // the next round finds nothing due: back to the interval
  await clock.advance(1);
  await settle();
  assert.equal(rounds(), 2, "the round ran at the deadline");
  await clock.advance(4_999);
  assert.equal(rounds(), 2);
  await clock.advance(1);
  await settle();
  assert.equal(rounds(), 3, "then again a whole interval later");
});

test("a failure within the startup grace is looked at again when the grace ends, not an interval later", async (t) => {
  const counter = { runs: 0 };
  const failing = (clock: { now(): number }): Check => ({
    id: "probe", alertOnly: false, dueAt: () => null,
    run: async (): Promise<Observation> => {
      counter.runs += 1;
      return { check: "probe", ok: false, summary: "stale", evidence: {}, durationMs: 0, timedOut: false, at: clock.now(), alertOnly: false };
    },
  });
  // Started 58s ago: the default 60s grace ends in 2s, the 5s interval later.
  const { clock, scheduler, rounds } = setup(t, failing, (now) => ({ ...initialState(), lastStartAt: now - 58_000 }));
  await settle();
  assert.equal(scheduler.loops[0]?.lastReport?.verdict.status, "grace");
  await clock.advance(1_999);
  assert.equal(rounds(), 1);
  await clock.advance(1);
  await settle();
  assert.equal(rounds(), 2);
  assert.equal(scheduler.loops[0]?.lastReport?.verdict.status, "failing", "counted from the grace's end");
});

test("wake() runs the next round at once", async (t) => {
  const counter = { runs: 0 };
  const { scheduler, rounds } = setup(t, (c) => passing(c, counter));
  await settle();
  scheduler.loops[0]?.wake();
  await settle();
  await settle();
  assert.equal(rounds(), 2);
});

test("record() takes a round run outside the loop as its latest, and the next round is due from it, not at once", async (t) => {
  const counter = { runs: 0 };
  const { clock, scheduler, rounds } = setup(t, (c) => passing(c, counter));
  await settle();
  const loop = scheduler.loops[0];
  assert.ok(loop?.lastReport != null);
  // A restart outside the loop, as a crash's answer: the default 60s grace ends in 2s, before the 5s interval.
  const answered = { ...loop.lastReport, state: { ...loop.lastReport.state, lastStartAt: clock.now() - 58_000 } };
  loop.record(answered);
  await settle();
  await settle();
  assert.equal(rounds(), 1, "no round at once");
  assert.equal(loop.lastReport, answered);
  await clock.advance(1_999);
  assert.equal(rounds(), 1);
  await clock.advance(1);
  await settle();
  assert.equal(rounds(), 2, "at the end of the grace the answer began");
});

test("record() counts as a round for the interval: the next one comes an interval after it", async (t) => {
  const counter = { runs: 0 };
  const { clock, scheduler, rounds } = setup(t, (c) => passing(c, counter));
  await settle();
  const loop = scheduler.loops[0];
  assert.ok(loop?.lastReport != null);
  await clock.advance(4_000);
  loop.record(loop.lastReport);
  await settle();
  await clock.advance(4_999);
  assert.equal(rounds(), 1, "not at the end of the interval the first round began");
  await clock.advance(1);
  await settle();
  assert.equal(rounds(), 2);
});

test("stop() ends each loop after its round and abort ends it at once", async (t) => {
  const counter = { runs: 0 };
  const { scheduler, controller, rounds } = setup(t, (c) => passing(c, counter));
  await settle();
  scheduler.stop();
  await scheduler.done;
  assert.equal(rounds(), 1);
  controller.abort();
});

test("twenty services put one listener on the daemon's signal, not one each (Node warns past ten), and its abort ends every loop at once", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-scheduler-"));
  const names = Array.from({ length: 20 }, (_, i) => `bot${i}`);
  const config = buildConfig({ state: join(dir, "state"), services: Object.fromEntries(names.map((name) => [name, { systemd: `${name}.service`, interval: "5s" }])) });
  const clock = createFakeClock();
  const store = openStore(config.state, { retention: config.retention, now: clock.now });
  const controller = new AbortController();
  t.after(() => {
    controller.abort();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const counter = { runs: 0 };
  const scheduler = startScheduler(config.services.map((service) => ({ config: service, runner: createFakeRunner(), checks: [passing(clock, counter)] })), { store, clock, logger: createMemoryLogger(), signal: controller.signal });
  await settle();
  assert.equal(getEventListeners(controller.signal, "abort").length, 1);
  const before = counter.runs;
  assert.ok(before >= 20, "every service had its first round");
  controller.abort();
  await scheduler.done;
  assert.equal(counter.runs, before, "no round after the abort");
  assert.equal(getEventListeners(controller.signal, "abort").length, 0);
});

test("a loop stuck in a round stops vouching for progress", async (t) => {
  const { clock, scheduler } = setup(t, () => ({ id: "hung", alertOnly: false, dueAt: () => null, run: () => new Promise<Observation>(() => undefined) }));
  await settle();
  assert.equal(scheduler.isProgressing(), true);
  await clock.advance(10 * 60_000);
  assert.equal(scheduler.isProgressing(), false);
});

/** A passing check that follows its subject, as log-fresh and a supervised running check do in the daemon. */
function followed(clock: { now(): number }, counter: { runs: number }, holds: { ms: number; change?: () => void; notice?: (message: string) => void }): Check {
  return {
    ...passing(clock, counter),
    follow: (onChange, notice) => {
      holds.change = onChange;
      holds.notice = notice;
      return () => void (holds.change = undefined);
    },
    holdsFor: () => holds.ms,
  };
}

test("a service whose findings all hold runs no round until the full round, and stays progressing", async (t) => {
  const counter = { runs: 0 };
  const holds = { ms: Number.POSITIVE_INFINITY };
  const { clock, scheduler, rounds } = setup(t, (c) => followed(c, counter, holds));
  await settle();
  assert.equal(rounds(), 1);
  const runs = counter.runs;
  await clock.advance(FULL_ROUND_EVERY_MS - 1);
  assert.equal(rounds(), 1, "no round has anything to judge: none runs, not even at the 5s interval");
  assert.equal(counter.runs, runs, "no check ran");
  assert.equal(scheduler.isProgressing(), true, "asleep on held findings is alive");
  assert.equal(scheduler.loops[0]?.holding(), true);
  await clock.advance(1);
  await settle();
  assert.equal(rounds(), 2, "the full round, the safety net under following");
});

test("a change heard by a followed check ends the hold: the next round comes at the interval, as if polled", async (t) => {
  const counter = { runs: 0 };
  const holds: { ms: number; change?: () => void } = { ms: Number.POSITIVE_INFINITY };
  const { clock, scheduler, rounds } = setup(t, (c) => followed(c, counter, holds));
  await settle();
  await clock.advance(21_000);
  assert.equal(rounds(), 1);
  holds.ms = 0;
  holds.change?.();
  assert.equal(scheduler.loops[0]?.holding(), false);
  // Not at once: a log renamed by logrotate is made again a moment later.
  await clock.advance(3_999);
  assert.equal(rounds(), 1);
  await clock.advance(1);
  await settle();
  assert.equal(rounds(), 2, "at the interval's tick, 25s after the first round");
  await clock.advance(5_000);
  await settle();
  assert.equal(rounds(), 3, "then every interval while the finding does not hold");
});

test("a held finding runs out at its deadline, which runs the next round", async (t) => {
  const counter = { runs: 0 };
  const holds = { ms: 1_500 };
  const { clock, rounds } = setup(t, (c) => followed(c, counter, holds));
  await settle();
  await clock.advance(1_499);
  assert.equal(rounds(), 1);
  await clock.advance(1);
  await settle();
  assert.equal(rounds(), 2);
});

test("a service with a check that cannot follow runs every interval, whatever the others hold", async (t) => {
  const counter = { runs: 0 };
  const { clock, scheduler, rounds } = setup(t, (c) => [followed(c, counter, { ms: Number.POSITIVE_INFINITY }), passing(c, counter)]);
  await settle();
  await clock.advance(5_000);
  await settle();
  assert.equal(rounds(), 2);
  assert.equal(scheduler.loops[0]?.holding(), false);
});

test("a round that changed something is followed by one at the interval, even when its findings hold", async (t) => {
  const counter = { runs: 0 };
  // Failing since 10s ago: the first round passes and says the service recovered.
  const { clock, scheduler, rounds } = setup(t, (c) => followed(c, counter, { ms: Number.POSITIVE_INFINITY }),
    (now) => ({ ...initialState(), health: { kind: "failing", since: now - 10_000, rounds: 1, reason: "stale" }, incidentSince: now - 10_000 }));
  await settle();
  assert.deepEqual(scheduler.loops[0]?.lastReport?.events.map((event) => event.kind), ["recovered"]);
  await clock.advance(5_000);
  await settle();
  assert.equal(rounds(), 2, "the interval's round confirms the change");
  await clock.advance(5_000);
  await settle();
  assert.equal(rounds(), 2, "then nothing is left to judge");
});

test("a check's notice that it cannot follow is logged once with the service's name", async (t) => {
  const counter = { runs: 0 };
  const holds: { ms: number; notice?: (message: string) => void } = { ms: 0 };
  const { logger } = setup(t, (c) => followed(c, counter, holds));
  await settle();
  holds.notice?.("its log is on nfs");
  assert.deepEqual(logger.entries.filter((entry) => entry.tag === "INFO").map((entry) => entry.message), ['Check "probe" of "bot": its log is on nfs']);
});

test("a round that failed is followed by one at the interval, even when the findings held before", async (t) => {
  const counter = { runs: 0 };
  const holds: { ms: number; change?: () => void } = { ms: Number.POSITIVE_INFINITY };
  let failNext = false;
  const { clock, logger } = setup(t, (c) => {
    const check = followed(c, counter, holds);
    const run = check.run;
    return { ...check, run: async (signal) => (failNext ? ((failNext = false), Promise.reject(new Error("disk gone"))) : run(signal)) };
  });
  await settle();
  failNext = true;
  holds.change?.();
  await clock.advance(5_000);
  await settle();
  assert.ok(logger.entries.some((entry) => entry.tag === "ERROR" && entry.message.includes("disk gone")));
  const runs = counter.runs;
  await clock.advance(5_000);
  await settle();
  assert.ok(counter.runs > runs, "looked at again an interval later, not at the full round");
});
