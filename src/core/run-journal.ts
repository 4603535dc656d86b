/**
 * One run of a supervised command as the store keeps it while it may be alive, so that a
 * Lifeguard started after the previous one was killed (`kill -9`, the OOM killer) finds what that
 * one left running, and never starts a second copy beside it.
 */
export interface SupervisedRun {
  service: string;
  /** The random token every process of the run carries in its environment. */
  token: string;
  /** `/proc/sys/kernel/random/boot_id` at the spawn: a run of another boot is over. */
  bootId: string | null;
  /** The leader (its pid is the run's process group id) and its start time in clock ticks after boot; null until spawned. */
  pid: number | null;
  startTime: number | null;
  /** Wall-clock ms since the epoch. */
  startedAt: number;
  /** The Lifeguard that started it, and that process's start time: while it lives, the run is its own, not a survivor. */
  ownerPid: number;
  ownerStartTime: number | null;
}

/**
 * Where supervised runs are recorded (the store). A run is recorded before its spawn (by its
 * token alone), again once spawned (with its pid), and forgotten once none of its processes is
 * left. Callers treat a failing write as a warning: supervision never depends on the disk.
 */
export interface RunJournal {
  recordRun(run: SupervisedRun): void;
  forgetRun(token: string): void;
  runsOf(service: string): SupervisedRun[];
}
