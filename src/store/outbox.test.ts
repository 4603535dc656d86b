import { test } from "node:test";
import assert from "node:assert/strict";
import type { AlertDraft } from "../core/outbox.js";
import { initialState } from "../core/state.js";
import { sampleAlert } from "../testing/alerts.js";
import { makeTempDir, openTestStore, T0 } from "./fixtures/helpers.js";

const MIN = 60_000;
const CLAIM = { leaseMs: MIN, limit: 20, owner: "1@test" };

/** A draft of `trader` restarting at `at`, to `channels`, with the message `message`. */
function draft(at: number, overrides: Partial<AlertDraft> & { message?: string; service?: string | null } = {}): AlertDraft {
  const { message = `"trader" restarted at ${at}`, service = "trader", ...rest } = overrides;
  const { id: _id, ...body } = sampleAlert({ at, message, service });
  return {
    alert: body, channels: ["phone"], dedupeKey: `${service}|restarted|${message}`, dedupeMs: 10 * MIN,
    flapping: { max: 4, perMs: 15 * MIN }, expiresAt: at + 24 * 60 * MIN, ...rest,
  };
}

test("an alert committed with its round waits in the outbox for each of its channels", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const committed = store.commitRound("trader", { state: initialState(), events: [], alerts: [draft(T0, { channels: ["phone", "mail"] })], checkedAt: T0 });
  assert.equal(committed.alerts[0]?.outcome, "queued");
  for (const channel of ["phone", "mail"]) {
    const { claimed } = store.claimDue(channel, T0, CLAIM);
    assert.equal(claimed.length, 1);
    assert.equal(claimed[0]?.alert.message, `"trader" restarted at ${T0}`);
    assert.match(claimed[0]?.alert.id ?? "", /^lifeguard-testhost-\d+-[0-9a-z]+$/);
  }
  assert.deepEqual(store.claimDue("other", T0, CLAIM).claimed, []);
});

test("pending alerts survive closing and reopening the store, with the same ids", (t) => {
  const dir = makeTempDir(t);
  const first = openTestStore(t, dir);
  first.enqueueAlerts([draft(T0)]);
  const id = first.claimDue("phone", T0, CLAIM).claimed[0]?.alert.id;
  first.close();
  const second = openTestStore(t, dir);
  // The first claim was never settled: once its lease runs out, the alert is claimed again.
  assert.deepEqual(second.claimDue("phone", T0 + 1000, CLAIM).claimed, []);
  assert.equal(second.claimDue("phone", T0 + MIN, CLAIM).claimed[0]?.alert.id, id);
});

test("a claimed alert is not claimed again until settled or its lease runs out; a sent one never", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.enqueueAlerts([draft(T0)]);
  const [claimed] = store.claimDue("phone", T0, CLAIM).claimed;
  assert.ok(claimed !== undefined);
  assert.deepEqual(store.claimDue("phone", T0, { ...CLAIM, owner: "2@test" }).claimed, []);
  store.settle("phone", [claimed.rowId], { outcome: "sent" }, T0 + 10, CLAIM.owner);
  assert.deepEqual(store.claimDue("phone", T0 + 2 * MIN, CLAIM).claimed, []);
  assert.equal(store.nextDueAt(["phone"]), null);
  const [health] = store.channelHealth(["phone"]);
  assert.deepEqual(health, { channel: "phone", pending: 0, oldestPendingAt: null, failures: 0, retryAt: null, lastOkAt: T0 + 10, lastError: null, lastErrorAt: null });
});

test("only the owner of a claim settles it", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.enqueueAlerts([draft(T0)]);
  const [claimed] = store.claimDue("phone", T0, CLAIM).claimed;
  store.settle("phone", [claimed?.rowId ?? 0], { outcome: "sent" }, T0, "2@test");
  assert.equal(store.channelHealth(["phone"])[0]?.pending, 1);
});

test("a failed attempt makes the whole channel wait, so what piles up goes out together", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.enqueueAlerts([draft(T0)]);
  const [first] = store.claimDue("phone", T0, CLAIM).claimed;
  store.settle("phone", [first?.rowId ?? 0], { outcome: "retry", error: "Cannot send: ECONNREFUSED", retryAt: T0 + MIN }, T0, CLAIM.owner);
  store.enqueueAlerts([draft(T0 + 1000, { message: "second" }), draft(T0 + 2000, { message: "third" })]);
  assert.deepEqual(store.claimDue("phone", T0 + 30_000, CLAIM).claimed, []);
  assert.equal(store.nextDueAt(["phone"]), T0 + MIN);
  const health = store.channelHealth(["phone"])[0];
  assert.equal(health?.failures, 1);
  assert.equal(health?.lastError, "Cannot send: ECONNREFUSED");
  assert.equal(health?.pending, 3);
  const after = store.claimDue("phone", T0 + MIN, CLAIM).claimed;
  assert.deepEqual(after.map((item) => item.alert.message), [`"trader" restarted at ${T0}`, "second", "third"]);
  assert.deepEqual(after.map((item) => [item.attempts, item.firstFailedAt]), [[1, T0], [0, null], [0, null]]);
});

test("claims take the oldest first, at most the limit", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.enqueueAlerts([3, 1, 2].map((n) => draft(T0 + n * 1000, { message: `alert ${n}`, service: `s${n}` })));
  const claimed = store.claimDue("phone", T0 + 5000, { ...CLAIM, limit: 2 }).claimed;
  assert.deepEqual(claimed.map((item) => item.alert.message), ["alert 1", "alert 2"]);
});

test("an identical alert within the dedupe window is folded into the first one", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const [first] = store.enqueueAlerts([draft(T0, { message: "same" })]);
  const [second] = store.enqueueAlerts([draft(T0 + 5 * MIN, { message: "same" })]);
  assert.equal(first?.outcome, "queued");
  assert.deepEqual(second, { outcome: "deduplicated", alertId: first?.outcome === "queued" ? first.alertId : -1 });
  const claimed = store.claimDue("phone", T0 + 5 * MIN, CLAIM).claimed;
  assert.equal(claimed.length, 1);
  assert.equal(claimed[0]?.repeats, 1);
  // After the window, the same alert is news again; with dedupe 0 it always is.
  assert.equal(store.enqueueAlerts([draft(T0 + 11 * MIN, { message: "same" })])[0]?.outcome, "queued");
  assert.equal(store.enqueueAlerts([draft(T0 + 11 * MIN, { message: "same", dedupeMs: 0 })])[0]?.outcome, "queued");
});

test("a flapping service's alerts past the limit wait, with its other pending ones, for a quiet window", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const flapping = { max: 2, perMs: 15 * MIN };
  const results = store.enqueueAlerts([1, 2, 3].map((n) => draft(T0 + n * MIN, { message: `flap ${n}`, flapping })));
  assert.deepEqual(results.map((result) => result.outcome === "queued" && result.held), [false, false, true]);
  // All three wait until the window after the third: one digest, not a storm.
  assert.deepEqual(store.claimDue("phone", T0 + 10 * MIN, CLAIM).claimed, []);
  assert.equal(store.nextDueAt(["phone"]), T0 + 3 * MIN + 15 * MIN);
  assert.equal(store.claimDue("phone", T0 + 18 * MIN, CLAIM).claimed.length, 3);
  // Another service is not held back by this one.
  assert.equal(store.enqueueAlerts([draft(T0 + 4 * MIN, { service: "other", flapping })])[0]?.outcome, "queued");
});

test("a service that never stops flapping still gets its summary once per window", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const flapping = { max: 2, perMs: 15 * MIN };
  const sentAt: number[] = [];
  for (let minute = 0; minute < 60; minute += 3) {
    const at = T0 + minute * MIN;
    store.enqueueAlerts([draft(at, { message: `flap at ${minute}`, flapping })]);
    const { claimed } = store.claimDue("phone", at, CLAIM);
    if (claimed.length > 0) sentAt.push(minute);
    store.settle("phone", claimed.map((item) => item.rowId), { outcome: "sent" }, at, CLAIM.owner);
  }
  // The first two go at once; then each digest goes 15 minutes after the first alert it holds
  // (held at 6, sent at 21; the next held at 24, sent at 39...), however long it flaps.
  assert.deepEqual(sentAt, [0, 3, 21, 39, 57]);
});

test("an alert not delivered before it expires is marked expired and returned once", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.enqueueAlerts([draft(T0, { expiresAt: T0 + MIN })]);
  const late = store.claimDue("phone", T0 + MIN, CLAIM);
  assert.deepEqual(late.claimed, []);
  assert.equal(late.expired.length, 1);
  assert.equal(late.expired[0]?.message, `"trader" restarted at ${T0}`);
  assert.deepEqual(store.claimDue("phone", T0 + 2 * MIN, CLAIM).expired, []);
  assert.equal(store.nextDueAt(["phone"]), null);
});

test("a permanent failure ends the delivery on that channel; a hand-over queues it on the failover channel", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.enqueueAlerts([draft(T0, { message: "one" }), draft(T0, { message: "two", service: "other" })]);
  const [one, two] = store.claimDue("phone", T0, CLAIM).claimed;
  store.settle("phone", [one?.rowId ?? 0], { outcome: "failed", error: "401 Unauthorized" }, T0, CLAIM.owner);
  store.settle("phone", [two?.rowId ?? 0], { outcome: "handed-over", error: "timed out", to: "mail" }, T0, CLAIM.owner);
  assert.equal(store.channelHealth(["phone"])[0]?.pending, 0);
  // A permanent failure does not make the channel wait: it is about the alert, or the config.
  assert.equal(store.channelHealth(["phone"])[0]?.retryAt, null);
  const mail = store.claimDue("mail", T0, CLAIM).claimed;
  assert.deepEqual(mail.map((item) => item.alert.message), ["two"]);
});

test("a reminder is due after the last gave-up or reminder alert of the service", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  assert.equal(store.lastAlertAt("trader", ["gave-up", "reminder"]), null);
  const { id: _id, ...gaveUp } = sampleAlert({ kind: "gave-up", at: T0 });
  store.enqueueAlerts([{ ...draft(T0), alert: gaveUp }]);
  assert.equal(store.lastAlertAt("trader", ["gave-up", "reminder"]), T0);
  assert.equal(store.lastAlertAt("trader", ["reminder"]), null);
});

test("an alert with no channel is not stored", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  assert.deepEqual(store.enqueueAlerts([draft(T0, { channels: [] })]), [{ outcome: "unrouted" }]);
  assert.equal(store.nextDueAt(["phone"]), null);
});

test("pruning by age keeps the alerts still waiting to be sent", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.enqueueAlerts([draft(T0, { message: "sent", expiresAt: T0 + 1000 * 24 * 60 * MIN }), draft(T0, { message: "pending", service: "other", expiresAt: T0 + 1000 * 24 * 60 * MIN })]);
  const [sent] = store.claimDue("phone", T0, { ...CLAIM, limit: 1 }).claimed;
  store.settle("phone", [sent?.rowId ?? 0], { outcome: "sent" }, T0, CLAIM.owner);
  const result = store.prune({ now: T0 + 365 * 24 * 60 * MIN, force: true });
  assert.equal(result.deletedByAge, 1);
  assert.equal(store.channelHealth(["phone"])[0]?.pending, 1);
});

test("an alert left pending for a channel no longer configured is pruned by age once it expired", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.enqueueAlerts([draft(T0, { channels: ["removed"], expiresAt: T0 + 24 * 60 * MIN })]);
  assert.equal(store.prune({ now: T0 + 365 * 24 * 60 * MIN, force: true }).deletedByAge, 1);
  assert.equal(store.channelHealth(["removed"])[0]?.pending, 0);
});

test("pruning by size takes the oldest settled alerts with the history, never one still to be sent", (t) => {
  const store = openTestStore(t, makeTempDir(t), { retention: { maxAgeMs: 365 * 24 * 60 * MIN, maxBytes: 128 * 1024 } });
  const big = "log line ".repeat(200);
  const drafts = Array.from({ length: 600 }, (_, i) => draft(T0 + i, { message: `alert ${i} ${big}`, service: `s${i}`, expiresAt: T0 + 1000 * MIN }));
  store.enqueueAlerts(drafts);
  store.enqueueAlerts([draft(T0 - 1, { message: "still pending", channels: ["mail"], expiresAt: T0 + 1000 * MIN })]);
  for (let claimed = store.claimDue("phone", T0 + 1000, CLAIM).claimed; claimed.length > 0; claimed = store.claimDue("phone", T0 + 1000, CLAIM).claimed) {
    store.settle("phone", claimed.map((item) => item.rowId), { outcome: "sent" }, T0 + 1000, CLAIM.owner);
  }
  const result = store.prune({ now: T0 + 2000, force: true });
  assert.ok(result.deletedBySize > 300, `deleted ${result.deletedBySize}`);
  assert.ok(result.bytesAfter <= 128 * 1024, `in use ${result.bytesAfter}`);
  assert.equal(store.claimDue("mail", T0 + 2000, CLAIM).claimed[0]?.alert.message, "still pending", "the oldest alert, but not yet sent: kept");
});

test("the history shows each alert with its delivery on each channel", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.enqueueAlerts([draft(T0, { channels: ["phone", "mail"] })]);
  store.enqueueAlerts([draft(T0 + 1000, { message: "Lifeguard started", service: null, channels: ["phone"] })]);
  const claimed = store.claimDue("phone", T0 + 2000, CLAIM).claimed;
  store.settle("phone", claimed.map((item) => item.rowId), { outcome: "sent" }, T0 + 2000, CLAIM.owner);
  const [mail] = store.claimDue("mail", T0 + 2000, CLAIM).claimed;
  store.settle("mail", [mail?.rowId ?? 0], { outcome: "retry", error: "Cannot send email via smtp:587 as the connection was refused", retryAt: T0 + 60_000 }, T0 + 2000, CLAIM.owner);
  const alerts = store.history().flatMap((entry) => (entry.type === "alert" ? [{ service: entry.service, at: entry.at, alert: entry.alert }] : []));
  assert.deepEqual(alerts, [
    { service: null, at: T0 + 1000, alert: { kind: "restarted", title: 'Restarted "trader" on testhost', repeats: 0, deliveries: [{ channel: "phone", status: "sent", attempts: 1, finishedAt: T0 + 2000, lastError: null }] } },
    {
      service: "trader", at: T0, alert: {
        kind: "restarted", title: 'Restarted "trader" on testhost', repeats: 0, deliveries: [
          { channel: "mail", status: "pending", attempts: 1, finishedAt: null, lastError: "Cannot send email via smtp:587 as the connection was refused" },
          { channel: "phone", status: "sent", attempts: 1, finishedAt: T0 + 2000, lastError: null },
        ],
      },
    },
  ]);
  assert.deepEqual(store.history({ service: "trader" }).filter((entry) => entry.type === "alert").length, 1);
});
