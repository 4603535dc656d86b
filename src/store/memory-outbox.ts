import type { Alert } from "../core/alert.js";
import type { AlertDraft, ChannelHealth, ClaimedAlert, Enqueued, Outbox, Settlement } from "../core/outbox.js";
import type { AlertDelivery } from "./types.js";

/** An alert the store could not write, and its delivery on each channel. */
export interface MemoryAlert {
  /** Negative, so it never meets a row id of the SQLite outbox. */
  id: number;
  draft: AlertDraft;
  repeats: number;
  deliveries: Map<string, MemoryDelivery>;
}

interface MemoryDelivery {
  status: AlertDelivery["status"];
  attempts: number;
  dueAt: number;
  claimedUntil: number;
  firstFailedAt: number | null;
  finishedAt: number | null;
  lastError: string | null;
}

/** The outbox in memory, while the store cannot be written: alerts are still sent, and retried. */
export interface MemoryOutbox extends Outbox {
  /** Every alert kept, oldest first, for writing to the store when it can be written again. */
  alerts(): MemoryAlert[];
  /** Forgets the alerts written to the store. */
  remove(ids: readonly number[]): void;
}

/**
 * An outbox of at most `limit` alerts (the oldest finished, then the oldest, go first; `onDrop`
 * counts them). It keeps `Outbox`'s semantics but for flapping, which only the store holds back:
 * an alert kept here goes out at once. `host` names the alerts' ids.
 */
export function createMemoryOutbox(limit: number, host: string, onDrop: (count: number) => void): MemoryOutbox {
  const kept = new Map<number, MemoryAlert>();
  const retryAt = new Map<string, number>();
  let nextId = -1;
  const pendingOn = (channel: string): Array<[MemoryAlert, MemoryDelivery]> =>
    [...kept.values()].flatMap((alert) => {
      const delivery = alert.deliveries.get(channel);
      return delivery?.status === "pending" ? [[alert, delivery] as [MemoryAlert, MemoryDelivery]] : [];
    });
  const makeRoom = (): void => {
    if (kept.size < limit) return;
    const all = [...kept.values()];
    const finished = all.find((alert) => [...alert.deliveries.values()].every((d) => d.status !== "pending"));
    const victim = finished ?? all[0];
    if (victim !== undefined) kept.delete(victim.id);
    onDrop(1);
  };
  const enqueue = (draft: AlertDraft): Enqueued => {
    if (draft.channels.length === 0) return { outcome: "unrouted" };
    const at = Math.trunc(draft.alert.at);
    const twin = draft.dedupeMs > 0 ? [...kept.values()].reverse().find((alert) => alert.draft.dedupeKey === draft.dedupeKey && alert.draft.alert.at > at - draft.dedupeMs) : undefined;
    if (twin !== undefined) {
      twin.repeats += 1;
      return { outcome: "deduplicated", alertId: twin.id };
    }
    makeRoom();
    const id = nextId--;
    const delivery = (): MemoryDelivery => ({ status: "pending", attempts: 0, dueAt: at, claimedUntil: 0, firstFailedAt: null, finishedAt: null, lastError: null });
    kept.set(id, { id, draft, repeats: 0, deliveries: new Map([...new Set(draft.channels)].map((channel) => [channel, delivery()])) });
    return { outcome: "queued", alertId: id, dueAt: at, held: false };
  };
  const alertOf = (alert: MemoryAlert): Alert => ({ ...alert.draft.alert, id: `lifeguard-${host}-m${-alert.id}-${Math.trunc(alert.draft.alert.at).toString(36)}` });
  return {
    enqueueAlerts: (drafts) => drafts.map(enqueue),
    claimDue: (channel, now, options) => {
      const expired: Alert[] = [];
      for (const [alert, delivery] of pendingOn(channel)) {
        if (alert.draft.expiresAt > now) continue;
        Object.assign(delivery, { status: "expired", finishedAt: now });
        expired.push(alertOf(alert));
      }
      if ((retryAt.get(channel) ?? 0) > now) return { claimed: [], expired };
      const due = pendingOn(channel).filter(([, delivery]) => delivery.dueAt <= now && delivery.claimedUntil <= now).slice(0, options.limit);
      const claimed = due.map(([alert, delivery]): ClaimedAlert => {
        delivery.claimedUntil = now + options.leaseMs;
        return { rowId: alert.id, alert: alertOf(alert), repeats: alert.repeats, attempts: delivery.attempts, firstFailedAt: delivery.firstFailedAt, expiresAt: alert.draft.expiresAt };
      });
      return { claimed, expired };
    },
    settle: (channel, ids, settlement, now) => {
      for (const id of ids) {
        const alert = kept.get(id);
        const delivery = alert?.deliveries.get(channel);
        if (alert === undefined || delivery?.status !== "pending") continue;
        settleDelivery(alert, delivery, settlement, now);
      }
      if (settlement.outcome === "retry") retryAt.set(channel, settlement.retryAt);
      else if (settlement.outcome === "sent") retryAt.delete(channel);
    },
    nextDueAt: (channels) => {
      const times = channels.flatMap((channel) => pendingOn(channel).map(([, d]) => Math.max(d.dueAt, d.claimedUntil, retryAt.get(channel) ?? 0)));
      return times.length === 0 ? null : Math.min(...times);
    },
    lastAlertAt: (service, kinds) => {
      const times = [...kept.values()].filter((a) => a.draft.alert.service === service && kinds.includes(a.draft.alert.kind)).map((a) => a.draft.alert.at);
      return times.length === 0 ? null : Math.max(...times);
    },
    channelHealth: (channels) => channels.map((channel): ChannelHealth => {
      const pending = pendingOn(channel);
      return {
        channel, pending: pending.length, oldestPendingAt: pending.length === 0 ? null : Math.min(...pending.map(([alert]) => alert.draft.alert.at)),
        failures: 0, retryAt: retryAt.get(channel) ?? null, lastOkAt: null, lastError: null, lastErrorAt: null,
      };
    }),
    alerts: () => [...kept.values()],
    remove: (ids) => ids.forEach((id) => kept.delete(id)),
  };
}

function settleDelivery(alert: MemoryAlert, delivery: MemoryDelivery, settlement: Settlement, now: number): void {
  delivery.attempts += 1;
  delivery.claimedUntil = 0;
  if (settlement.outcome === "sent") {
    Object.assign(delivery, { status: "sent", finishedAt: now });
    return;
  }
  Object.assign(delivery, { lastError: settlement.error, firstFailedAt: delivery.firstFailedAt ?? now });
  if (settlement.outcome === "retry") return;
  Object.assign(delivery, { status: settlement.outcome === "failed" ? "failed" : "handed-over", finishedAt: now });
  if (settlement.outcome === "handed-over" && !alert.deliveries.has(settlement.to)) {
    alert.deliveries.set(settlement.to, { status: "pending", attempts: 0, dueAt: now, claimedUntil: 0, firstFailedAt: null, finishedAt: null, lastError: null });
  }
}
