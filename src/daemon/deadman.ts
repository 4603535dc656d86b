import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { DeadmanConfig } from "../config/types.js";
import { sendRequest } from "../process/http-request.js";
import { requestDeadman, type SendRequest } from "./deadman-request.js";
import { INITIAL_DEADMAN_STATE, noteDeadmanRound, type DeadmanRound } from "./deadman-state.js";
import type { Health } from "./lifeguard-health.js";
import { originOf } from "../core/secret-url.js";

export interface DeadmanDeps {
  clock: Clock;
  logger: Logger;
  /** Whether Lifeguard is doing its job; only then is the URL requested. */
  health(): Health;
  /** The daemon's: its abort ends the switch at once, a request in flight included. */
  signal: AbortSignal;
  /** `sendRequest` by default. */
  send?: SendRequest;
  /** Called after every round, once its lines are logged (tests wait on it). */
  onRound?: (round: DeadmanRound) => void;
}

/** A running dead-man's switch. */
export interface Deadman {
  /** Resolves once the loop has ended (after `stop()` or the signal's abort); never rejects. */
  readonly done: Promise<void>;
  /** Ends the loop, a request in flight included, and resolves once it has ended. */
  stop(): Promise<void>;
}

/** A switch that is off: `deadman:` is not configured. */
const OFF: Deadman = { done: Promise.resolve(), stop: () => Promise.resolve() };

/**
 * The outbound dead-man's switch (off when `config` is null): requests the URL at once, then
 * every interval on the monotonic clock while Lifeguard is healthy, so an external monitor hears
 * when the box dies. Requests never overlap (a slow one delays the next, no catching up);
 * failures, recoveries and pauses are logged once each, showing the URL's origin only.
 */
export function startDeadman(config: DeadmanConfig | null, deps: DeadmanDeps): Deadman {
  if (config === null) return OFF;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(deps.signal.reason);
  deps.signal.addEventListener("abort", onAbort, { once: true });
  if (deps.signal.aborted) onAbort();
  const done = runLoop(config, deps, controller.signal).finally(() => deps.signal.removeEventListener("abort", onAbort));
  return {
    done,
    stop: () => {
      controller.abort(new DOMException("The dead-man's switch is stopping", "AbortError"));
      return done;
    },
  };
}

async function runLoop(config: DeadmanConfig, deps: DeadmanDeps, signal: AbortSignal): Promise<void> {
  const { clock, logger } = deps;
  const send = deps.send ?? sendRequest;
  const context = { origin: originOf(config.url), intervalMs: config.intervalMs };
  let state = INITIAL_DEADMAN_STATE;
  while (!signal.aborted) {
    const started = clock.monotonic();
    const health = checkHealth(deps);
    const round: DeadmanRound = health.ok
      ? { kind: "sent", outcome: await requestDeadman(config, { clock, send }, signal) }
      : { kind: "skipped", reason: health.summary };
    // A request cut short by shutdown says nothing about the monitor.
    if (signal.aborted) break;
    const next = noteDeadmanRound(state, round, context);
    state = next.state;
    for (const note of next.notes) logger.write({ at: clock.now(), tag: note.tag, message: note.message });
    deps.onRound?.(round);
    const wait = started + config.intervalMs - clock.monotonic();
    if (wait > 0) await clock.sleep(wait, signal).catch(() => undefined);
  }
}

/** The daemon's health; a health function that throws counts as unhealthy, and never ends the loop. */
function checkHealth(deps: DeadmanDeps): Health {
  try {
    return deps.health();
  } catch (error) {
    return { ok: false, summary: error instanceof Error ? error.message : String(error) };
  }
}
