import { test } from "node:test";
import assert from "node:assert/strict";
import type { AlertingConfig } from "../config/types.js";
import { initialState, type ServiceState } from "../core/state.js";
import { makeTempDir, openTestStore } from "../store/fixtures/helpers.js";
import { buildConfig } from "../testing/build-config.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { queueReminders } from "./remind.js";

const H = 3_600_000;
const CLAIM = { leaseMs: 60_000, limit: 20, owner: "1@test" };

function setUp(t: { after(fn: () => void): void }, remindMs: number | null) {
  const clock = createFakeClock();
  const store = openTestStore(t, makeTempDir(t), { now: clock.now });
  const config = buildConfig({
    services: { trader: { systemd: "trader" }, quiet: { systemd: "quiet", alerts: [] }, backup: { systemd: "backup" } },
    alerts: { phone: { type: "telegram", token: "123:abc", chat: "1" } },
    alerting: { remind: remindMs === null ? null : `${remindMs / H}h` },
  });
  let queued = 0;
  const deps = { host: "pi", alerting: config.alerting as AlertingConfig, queued: () => void (queued += 1) };
  const gaveUp = (service: string, since: number): void => {
    const state: ServiceState = { ...initialState(), health: { kind: "gave-up", since, reason: `Cannot restart "${service}" as the restart limit is reached` }, incidentSince: since - H };
    store.commitRound(service, { state, events: [], checkedAt: since });
  };
  const remind = (): void => queueReminders(config.services, store, clock, deps);
  /** What is due on the channel now, then marked sent. */
  const reminders = () => {
    const { claimed } = store.claimDue("phone", clock.now(), CLAIM);
    store.settle("phone", claimed.map((item) => item.rowId), { outcome: "sent" }, clock.now(), CLAIM.owner);
    return claimed.map((item) => item.alert);
  };
  return { clock, store, gaveUp, remind, reminders, queued: () => queued };
}

test("a service that stays gave-up is reminded once per interval, counted from the last reminder", async (t) => {
  const { clock, gaveUp, remind, reminders, queued } = setUp(t, 6 * H);
  gaveUp("trader", clock.now());
  remind();
  assert.deepEqual(reminders(), [], "not before the interval has passed since it gave up");
  await clock.advance(6 * H);
  remind();
  remind();
  const [reminder, ...more] = reminders();
  assert.deepEqual(more, [], "one reminder, however often the check runs");
  assert.equal(reminder?.kind, "reminder");
  assert.equal(reminder?.title, 'Still gave up on "trader" on pi: manual intervention needed');
  assert.match(reminder?.message ?? "", /^"trader" has had no automatic restart for 6h: Cannot restart "trader"/);
  assert.deepEqual(reminder?.details, ["Run: lifeguard reset trader"]);
  assert.equal(queued(), 1);
  await clock.advance(5 * H);
  remind();
  assert.deepEqual(reminders(), []);
  await clock.advance(H);
  remind();
  assert.equal(reminders().length, 1);
});

test("no reminder for a healthy service, a service routed to no channel, or without alerting.remind", async (t) => {
  const { clock, gaveUp, remind, reminders } = setUp(t, 6 * H);
  gaveUp("quiet", clock.now());
  await clock.advance(7 * H);
  remind();
  assert.deepEqual(reminders(), []);

  const off = setUp(t, null);
  off.gaveUp("trader", off.clock.now());
  await off.clock.advance(100 * H);
  off.remind();
  assert.deepEqual(off.reminders(), []);
});

test("an acknowledged incident is not reminded of; a new incident of the same service is", async (t) => {
  const { clock, store, gaveUp, remind, reminders } = setUp(t, 6 * H);
  gaveUp("trader", clock.now());
  const state = store.loadState("trader");
  store.commitRound("trader", { state: { ...state, acknowledged: { incidentSince: state.incidentSince ?? 0, at: clock.now(), by: "telegram chat 42" } }, events: [], checkedAt: clock.now() });
  await clock.advance(7 * H);
  remind();
  assert.deepEqual(reminders(), [], "acknowledged: no reminder");
  // Later the service gives up in a new incident: the old acknowledgement does not cover it.
  const acked = store.loadState("trader");
  store.commitRound("trader", { state: { ...acked, health: { kind: "gave-up", since: clock.now(), reason: "again" }, incidentSince: clock.now() }, events: [], checkedAt: clock.now() });
  await clock.advance(6 * H);
  remind();
  assert.deepEqual(reminders().map((alert) => alert.kind), ["reminder"]);
});
