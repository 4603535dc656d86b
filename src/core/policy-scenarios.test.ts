import { test } from "node:test";
import assert from "node:assert/strict";
import { decide } from "./decide.js";
import type { Observation } from "./outcome.js";
import type { EventKind, PolicySettings, ServiceEvent } from "./policy.js";
import { resetService } from "./reset-service.js";
import { settleRestart } from "./settle-restart.js";
import { initialState, type ServiceState } from "./state.js";
import { T, S, M, H, POLICY } from "../testing/policy-fixtures.js";

// Whole stories told with a fake clock that is just a number: rounds, restarts and a service
// that a "killer" stops. No test waits for real time.

/** The DESIGN.md example: threshold 2, grace 60s, at most 3 per 1h, backoff 10s..5m. */
const DESIGN = POLICY;
/** The seed's own watchdog: acts on the first failing round, no grace, max 3 restarts an hour. */
const SEED: PolicySettings = { ...DESIGN, failureThreshold: 1, startupGraceMs: 0 };

const observe = (ok: boolean): Observation => ({
  check: "running", ok, summary: ok ? 'Service "gemini-trader" is active' : 'Service "gemini-trader" is "inactive"',
  evidence: {}, durationMs: 1, timedOut: false, at: 0, alertOnly: false,
});

/** A service, Lifeguard's state about it, and what happened. */
interface World {
  up: boolean;
  upSince: number;
  state: ServiceState;
  events: ServiceEvent[];
  restartsAt: number[];
}

interface Story {
  policy: PolicySettings;
  from: number;
  until: number;
  everyMs: number;
  /** Called before each round: the place to kill the service or run `lifeguard reset`. */
  before?: (world: World, now: number) => void;
  /** The service dies again right after each restart (a crash loop). */
  crashLoop?: boolean;
  restartTakesMs?: number;
}

function tell(story: Story, world: World = { up: true, upSince: story.from - H, state: initialState(), events: [], restartsAt: [] }): World {
  for (let now = story.from; now <= story.until; now += story.everyMs) {
    story.before?.(world, now);
    const decision = decide(world.state, [observe(world.up)], now, story.policy, "trader");
    world.state = decision.state;
    world.events.push(...decision.actions.flatMap((a) => (a.type === "event" ? [a.event] : [])));
    if (!decision.actions.some((a) => a.type === "restart")) continue;
    world.restartsAt.push(now);
    const finished = now + (story.restartTakesMs ?? 3 * S);
    const settled = settleRestart(world.state, { ok: true, summary: "active" }, finished, story.policy, "trader");
    world.state = settled.state;
    world.events.push(...settled.actions.flatMap((a) => (a.type === "event" ? [a.event] : [])));
    world.up = !story.crashLoop;
    world.upSince = finished;
  }
  return world;
}

const count = (world: World, kind: EventKind): number => world.events.filter((e) => e.kind === kind).length;
const gaps = (times: number[]): number[] => times.slice(1).map((at, i) => at - (times[i] as number));

test("the seed's rate-limit test: killed 5 times, restarted 3 times in the hour, then one gave-up alert", () => {
  // `for i in {1..5}; do systemctl stop gemini-trader; sleep 70; done`, a cron round every minute.
  const stops = [0, 70, 140, 210, 280].map((s) => T + s * S + 1);
  const world = tell({
    policy: SEED, from: T, until: T + 24 * H, everyMs: M,
    before: (w, now) => {
      while (stops.length > 0 && (stops[0] as number) <= now) {
        stops.shift();
        w.up = false;
      }
    },
  });
  assert.deepEqual(world.restartsAt, [T + M, T + 2 * M, T + 3 * M]);
  assert.equal(count(world, "restarted"), 3);
  assert.equal(count(world, "gave-up"), 1, "a human is alerted once, not every round of the next 24h");
  assert.deepEqual(world.events.find((e) => e.kind === "gave-up")?.message,
    'Cannot restart "trader" as the restart limit is reached: 3 restarts in the last 1h (max 3)');
  assert.equal(world.state.health.kind, "gave-up");
});

test("with the DESIGN policy a bot killed after every restart gets exactly 3 restarts, then gave-up for good", () => {
  let kills = 0;
  const world = tell({
    policy: DESIGN, from: T, until: T + 24 * H, everyMs: 30 * S,
    before: (w, now) => {
      // Killed once it has run 70s after a (re)start, five times in all.
      if (w.up && kills < 5 && now - w.upSince >= 70 * S) {
        kills += 1;
        w.up = false;
      }
    },
  });
  assert.equal(world.restartsAt.length, 3);
  assert.equal(kills, 4, "the fifth kill finds the bot already down: Lifeguard gave up");
  assert.equal(count(world, "gave-up"), 1);
  assert.deepEqual(world.events.filter((e) => e.kind === "restarted").map((e) => e.message), [
    '"trader" restarted (reason: running), 1 of 3 in the last 1h',
    '"trader" restarted (reason: running), 2 of 3 in the last 1h',
    '"trader" restarted (reason: running), 3 of 3 in the last 1h',
  ]);
});

test("the window slides: a 4th restart is allowed once the first falls out of the hour", () => {
  const crashAt = new Set([0, 10 * M, 20 * M, 60 * M].map((offset) => T + offset));
  const crashes = (w: World, now: number) => void (crashAt.has(now) && (w.up = false));
  const world = tell({ policy: SEED, from: T, until: T + 2 * H, everyMs: M, before: crashes });
  assert.deepEqual(world.restartsAt, [T, T + 10 * M, T + 20 * M, T + 60 * M]);
  assert.equal(count(world, "gave-up"), 0);
  assert.deepEqual(world.state.restarts, [T + 10 * M, T + 20 * M, T + 60 * M], "the window is pruned when a restart is recorded");

  // One millisecond earlier, the first restart is still inside the window.
  const crash = (w: World) => void (w.up = false);
  const tooSoon = tell({ policy: SEED, from: T, until: T + 20 * M, everyMs: 10 * M, before: crash });
  tell({ policy: SEED, from: T + 60 * M - 1, until: T + 2 * H, everyMs: M, before: crash }, tooSoon);
  assert.deepEqual(tooSoon.restartsAt, [T, T + 10 * M, T + 20 * M]);
  assert.equal(count(tooSoon, "gave-up"), 1);
});

test("the backoff doubles between restarts in a row, capped at max, and never delays the first", () => {
  const policy = { ...SEED, limit: { max: 100, perMs: H } };
  const world = tell({ policy, from: T, until: T + 30 * M, everyMs: S, crashLoop: true, restartTakesMs: 0, before: (w, now) => void (now === T && (w.up = false)) });
  assert.equal(world.restartsAt[0], T, "the first crash is answered in its own round");
  assert.deepEqual(gaps(world.restartsAt).slice(0, 8), [10, 20, 40, 80, 160, 300, 300, 300].map((s) => s * S));
  const last = world.restartsAt.at(-1) as number;
  assert.equal(world.events.filter((e) => e.kind === "backoff" && e.at < last).length, world.restartsAt.length - 1, "one backoff event per wait");
});

test("a stable period resets the backoff: the next crash is restarted at once", () => {
  // The third step's delay (20m) outlasts the stable period (10m), so only the reset explains an immediate restart.
  const policy: PolicySettings = { ...SEED, limit: { max: 100, perMs: H }, backoff: { initialMs: 5 * M, maxMs: H, resetAfterMs: 10 * M, minUptimeMs: null } };
  const last = T + 15 * M;
  // Three restarts in a row (a crash loop), then the service runs for `upFor` and crashes once more.
  const crashAfter = (upFor: number): World => {
    const world: World = { up: true, upSince: T - H, state: initialState(), events: [], restartsAt: [] };
    tell({ policy, from: T, until: last, everyMs: S, crashLoop: true, restartTakesMs: 0, before: (w, now) => void (now === T && (w.up = false)) }, world);
    assert.deepEqual(world.restartsAt, [T, T + 5 * M, last]);
    world.up = true;
    world.upSince = last;
    return tell({ policy, from: last + S, until: last + H, everyMs: S, restartTakesMs: 0, before: (w, now) => void (now === last + upFor && (w.up = false)) }, world);
  };

  const stable = crashAfter(11 * M);
  assert.equal(stable.restartsAt[3], last + 11 * M, "restarted in the round that saw the crash");
  assert.equal(count(stable, "backoff"), 2, "only the two waits of the crash loop");

  const unstable = crashAfter(5 * M);
  assert.equal(unstable.restartsAt[3], last + 20 * M, "without a stable period it waits the third step's 20m after the last restart");
  assert.equal(count(unstable, "backoff"), 3);
});

test("rearm-after ends gave-up by itself once, with a fresh window", () => {
  const policy = { ...SEED, rearmAfterMs: 6 * H };
  const world = tell({ policy, from: T, until: T + 7 * H, everyMs: M, crashLoop: true, before: (w, now) => void (now === T && (w.up = false)) });
  assert.equal(count(world, "gave-up"), 2);
  assert.equal(count(world, "rearmed"), 1);
  assert.equal(world.restartsAt.length, 6);
  const gaveUpAt = world.events.find((e) => e.kind === "gave-up")?.at as number;
  const rearmed = world.events.find((e) => e.kind === "rearmed");
  assert.equal(rearmed?.at, gaveUpAt + 6 * H);
  assert.equal(rearmed?.message, 'Re-armed automatic restarts of "trader" as 6h (rearm-after) have passed since it gave up');
  assert.equal(world.restartsAt[3], gaveUpAt + 6 * H, "at threshold 1 the round that re-arms restarts, without backoff");
});

test("lifeguard reset re-arms a gave-up service and restarts resume", () => {
  const world = tell({ policy: SEED, from: T, until: T + H, everyMs: M, crashLoop: true, before: (w, now) => void (now === T && (w.up = false)) });
  assert.equal(world.state.health.kind, "gave-up");
  const reset = resetService(world.state, T + H + 30 * S, "trader");
  world.state = reset.state;
  tell({ policy: SEED, from: T + H + M, until: T + 2 * H, everyMs: M, crashLoop: true }, world);
  assert.equal(world.restartsAt.length, 6);
  assert.equal(world.restartsAt[3], T + H + M, "the first restart after a reset is immediate");
  assert.equal(count(world, "gave-up"), 2);
});
