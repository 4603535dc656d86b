import { Cancelled } from "./bus-calls.js";

/** How many ends of other clients' jobs are kept while an action waits for its own. */
const MAX_JOB_ENDS = 64;

/**
 * The ends of systemd's jobs (JobRemoved), matched to the actions that wait for them. A job may
 * end before the reply that names it is read: while an action is under way, the ends heard are
 * kept (the latest few) for a wait that comes after them.
 */
export class JobEnds {
  readonly #ended = new Map<string, string>();
  readonly #waiting = new Map<string, (result: string) => void>();
  #acting = 0;

  /** A JobRemoved signal's body: `[id, job path, unit, result]`. */
  heard(body: unknown): void {
    if (!Array.isArray(body) || typeof body[1] !== "string" || typeof body[3] !== "string") return;
    const waiter = this.#waiting.get(body[1]);
    if (waiter !== undefined) return waiter(body[3]);
    if (this.#acting === 0) return;
    this.#ended.set(body[1], body[3]);
    // Other clients' jobs end meanwhile too: only the latest are worth keeping.
    if (this.#ended.size > MAX_JOB_ENDS) this.#ended.delete(this.#ended.keys().next().value as string);
  }

  /** An action begins: the ends heard from now on are kept until the last one ends. */
  begin(): void {
    this.#acting += 1;
  }

  end(): void {
    this.#acting -= 1;
    if (this.#acting === 0) this.#ended.clear();
  }

  /** How job `path` ended, or null when it had not within `timeoutMs`; `signal` rejects with Cancelled, `gone` with `goneError()`. */
  wait(path: string, timeoutMs: number, signal: AbortSignal, gone: AbortSignal, goneError: () => Error): Promise<string | null> {
    const heard = this.#ended.get(path);
    if (heard !== undefined) {
      this.#ended.delete(path);
      return Promise.resolve(heard);
    }
    return new Promise<string | null>((resolve, reject) => {
      const timer = setTimeout(() => settle(() => resolve(null)), timeoutMs);
      const onAbort = (): void => settle(() => reject(gone.aborted ? goneError() : new Cancelled()));
      const settle = (then: () => void): void => {
        clearTimeout(timer);
        this.#waiting.delete(path);
        signal.removeEventListener("abort", onAbort);
        gone.removeEventListener("abort", onAbort);
        then();
      };
      this.#waiting.set(path, (result) => settle(() => resolve(result)));
      signal.addEventListener("abort", onAbort);
      gone.addEventListener("abort", onAbort);
      if (signal.aborted) onAbort();
    });
  }
}
