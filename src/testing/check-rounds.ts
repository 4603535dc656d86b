import { setTimeout as delay } from "node:timers/promises";
import type { Check } from "../core/check.js";
import type { Observation } from "../core/outcome.js";
import type { ProcessRunner } from "../runners/process.js";
import type { ProcessLab } from "./process-lab.js";

const forever = (): AbortSignal => new AbortController().signal;

/** Runs `check` every `everyMs`, as the daemon's rounds would, until it fails or `rounds` ran; the last observation. */
export async function runRounds(check: Check, rounds: number, everyMs: number): Promise<Observation> {
  for (let round = 1; ; round += 1) {
    const observation = await check.run(forever());
    if (!observation.ok || round === rounds) return observation;
    await delay(everyMs);
  }
}

/** A runner of `lab` for `command`, started, after `settleMs` for the bot to take its shape (its memory, its threads). */
export async function startSupervised(lab: ProcessLab, command: string[], settleMs = 300): Promise<ProcessRunner> {
  const runner = lab.runner({ command });
  const start = await runner.start(10_000, forever());
  if (!start.ok) throw new Error(`${start.summary}: ${start.cause ?? ""}`);
  await delay(settleMs);
  return runner;
}
