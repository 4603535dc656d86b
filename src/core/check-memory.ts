/**
 * What a check keeps between two runs of `lifeguard check` (the port; `src/store` implements it
 * with SQLite): an opaque text per check of a service, e.g. how far a log was read. The daemon
 * reads it once and keeps it in memory, writing nothing.
 */
export interface CheckMemory {
  /** The text last remembered for the check, or null. */
  recall(service: string, check: string): string | null;
  remember(service: string, check: string, value: string, at: number): void;
}

