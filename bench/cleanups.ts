/**
 * What a benchmark must undo, run last first, each step whatever the others did: a bench that
 * fails halfway still ends every process it started.
 */
export class Cleanups {
  readonly #steps: Array<() => unknown> = [];

  defer(step: () => unknown): void {
    this.#steps.push(step);
  }

  /** Runs every step; throws the first failure after all have run. */
  async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}
