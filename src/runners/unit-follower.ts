import { setTimeout as delay } from "node:timers/promises";
import type { SystemdBus, UnitWatch } from "../process/systemd-bus.js";

/**
 * One unit followed over the bus, for its runner: each change systemd reports is counted (a read
 * older than the last one is stale), ends the waits for the next change, and reaches the daemon's
 * listener unless the runner itself is changing the unit.
 */
export class UnitFollower {
  readonly #bus: SystemdBus | undefined;
  readonly #unit: string;
  readonly #isActing: () => boolean;
  #watch: UnitWatch | null = null;
  #listener: (() => void) | null = null;
  /** Waits that end at the unit's next change (a stop or kill waiting for it to go down). */
  readonly #waiters = new Set<() => void>();
  /** How many changes systemd reported. */
  changes = 0;

  constructor(bus: SystemdBus | undefined, unit: string, isActing: () => boolean) {
    this.#bus = bus;
    this.#unit = unit;
    this.#isActing = isActing;
  }

  /** Whether every change of the unit is heard now (see `UnitWatch.live`). */
  get live(): boolean {
    return this.#watch?.live === true;
  }

  /** The daemon's listener of the unit's changes; null without a bus. */
  watchChanges(listener: () => void): UnitWatch | null {
    const watch = this.#follow();
    if (watch === null) return null;
    this.#listener = listener;
    return { ready: watch.ready, stop: () => this.#unfollow(), get live() { return watch.live; } };
  }

  /**
   * Waits `ms`, or less when systemd reports the unit changed (over the bus: a stop or kill then
   * looks again at once instead of at its next poll); false when `signal` aborted.
   */
  async nextChange(ms: number, signal: AbortSignal): Promise<boolean> {
    if (this.#follow() === null || this.#bus?.down !== null) {
      try {
        await delay(ms, undefined, { signal });
        return true;
      } catch {
        return false;
      }
    }
    return new Promise<boolean>((resolve) => {
      const end = (result: boolean): void => {
        clearTimeout(timer);
        this.#waiters.delete(changed);
        signal.removeEventListener("abort", aborted);
        resolve(result);
      };
      const changed = (): void => end(true);
      const aborted = (): void => end(false);
      const timer = setTimeout(changed, ms);
      this.#waiters.add(changed);
      signal.addEventListener("abort", aborted);
      if (signal.aborted) aborted();
    });
  }

  /** Follows the unit over the bus, once. */
  #follow(): UnitWatch | null {
    if (this.#bus === undefined) return null;
    this.#watch ??= this.#bus.watchUnit(this.#unit, () => {
      this.changes += 1;
      for (const wake of this.#waiters) wake();
      if (!this.#isActing()) this.#listener?.();
    });
    return this.#watch;
  }

  #unfollow(): void {
    this.#listener = null;
    this.#watch?.stop();
    this.#watch = null;
  }
}
