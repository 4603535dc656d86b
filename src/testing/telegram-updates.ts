import { behaviourQueue } from "./http-receiver.js";
import { waitFor } from "./wait-for.js";

/**
 * How the fake Bot API answers the next `getUpdates`: as Telegram does (`serve`), or with an error
 * (`fail`: 409 Conflict, 401, 502...).
 */
export type PollBehaviour = { kind: "serve" } | { kind: "fail"; status: number; description: string };

type Answer = (status: number, body: unknown) => void;

/** A message update as Telegram sends it, for a test to change (or break) before it is queued. */
export interface TextUpdate {
  chatId: number;
  text: string;
  from?: { id: number; username?: string };
  /** Unix seconds; now by default. */
  date?: number;
}

/**
 * `getUpdates` with Telegram's semantics: updates wait in a queue until a request's `offset`
 * confirms them; a request finds them at once, or is held up to its `timeout` (s) until one is
 * queued; a second request ends a held one with 409 Conflict, as Telegram does when two programs read one bot.
 */
export function createUpdateQueue(firstUpdateId = 500) {
  let nextId = firstUpdateId;
  let pending: Array<{ update_id: number } & Record<string, unknown>> = [];
  const confirmed: typeof pending = [];
  const offsets: Array<number | undefined> = [];
  const behaviours = behaviourQueue<PollBehaviour>({ kind: "serve" });
  let held: { answer: Answer; limit: number; timer: ReturnType<typeof setTimeout> } | null = null;

  const release = (): void => {
    if (held === null || pending.length === 0) return;
    const { answer, limit, timer } = held;
    held = null;
    clearTimeout(timer);
    answer(200, { ok: true, result: pending.slice(0, limit) });
  };
  return {
    /** The offsets the requests sent, in order (undefined: none). */
    offsets,
    /** Queues an update as it is (a test's malformed one too); a held request gets it at once. Returns its update_id. */
    push(update: Record<string, unknown>): number {
      const id = typeof update.update_id === "number" ? update.update_id : nextId++;
      pending.push({ ...update, update_id: id });
      release();
      return id;
    },
    /** Queues an update without an update_id (Telegram never sends one): no offset ever confirms it. */
    pushWithoutId(update: Record<string, unknown>): void {
      pending.push(update as (typeof pending)[number]);
      release();
    },
    /** Queues a text message from `chatId`. */
    pushText(message: TextUpdate, messageId = nextId): number {
      const from = message.from ?? { id: message.chatId, username: "ops" };
      return this.push({
        message: {
          message_id: messageId, date: message.date ?? Math.floor(Date.now() / 1000), text: message.text,
          chat: { id: message.chatId, type: message.chatId < 0 ? "supergroup" : "private" }, from: { is_bot: false, first_name: "Ops", ...from },
        },
      });
    },
    /** Puts back what was confirmed: as if the request that confirmed it never reached Telegram (a Lifeguard killed first). */
    forgetConfirmations(): void {
      pending = [...confirmed.splice(0), ...pending].sort((a, b) => a.update_id - b.update_id);
    },
    /** Sets how the next requests are answered: each takes the next behaviour, the last one stays. */
    behave: (...next: PollBehaviour[]) => behaviours.set(next),
    /** Resolves once no update waits (all confirmed); rejects after `timeoutMs`. */
    async waitConfirmed(timeoutMs = 10_000): Promise<void> {
      if (!(await waitFor(() => pending.length === 0, { timeoutMs, intervalMs: 10 }))) throw new Error(`updates ${pending.map((u) => u.update_id).join(", ")} were not confirmed within ${timeoutMs}ms`);
    },
    getUpdates(body: unknown, answer: Answer): void {
      const options = (typeof body === "object" && body !== null ? body : {}) as { offset?: unknown; timeout?: unknown; limit?: unknown };
      const offset = typeof options.offset === "number" ? options.offset : undefined;
      offsets.push(offset);
      if (held !== null) {
        clearTimeout(held.timer);
        held.answer(409, { ok: false, error_code: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" });
        held = null;
      }
      const behaviour = behaviours.next();
      if (behaviour.kind === "fail") return answer(behaviour.status, { ok: false, error_code: behaviour.status, description: behaviour.description });
      if (offset !== undefined) {
        confirmed.push(...pending.filter((update) => update.update_id < offset));
        pending = pending.filter((update) => update.update_id >= offset);
      }
      const limit = typeof options.limit === "number" ? options.limit : 100;
      const timeoutS = typeof options.timeout === "number" ? options.timeout : 0;
      if (pending.length > 0 || timeoutS === 0) return answer(200, { ok: true, result: pending.slice(0, limit) });
      const timer = setTimeout(() => {
        held = null;
        answer(200, { ok: true, result: [] });
      }, timeoutS * 1000);
      held = { answer, limit, timer };
    },
    /** Ends a held request's timer (the server closes its connections). */
    close(): void {
      if (held !== null) clearTimeout(held.timer);
      held = null;
    },
  };
}

export type UpdateQueue = ReturnType<typeof createUpdateQueue>;
