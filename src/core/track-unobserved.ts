import { eventAction } from "./decision-parts.js";
import { elapsedSince } from "./elapsed.js";
import type { Observation } from "./outcome.js";
import { observedMessage, unobservedMessage } from "./policy-messages.js";
import type { Action } from "./policy.js";
import type { UnobservedCheck } from "./state.js";

export interface UnobservedRound {
  /** The checks that cannot observe now, check id → since when and why. */
  unobserved: Record<string, UnobservedCheck>;
  /** `unobserved` for each check that began (or needs another fix), `observed` for each that sees again. */
  actions: Action[];
  /** This round's observations that could not look. */
  checks: Observation[];
}

/**
 * Follows the checks that cannot observe their service (a log Lifeguard may not read): such a
 * check is no evidence either way, so it is announced, with its fix, when it begins and when it
 * observes again, not every round. A new fix (the directory was opened, now the file itself is
 * denied) is announced again. A check that no longer reports (removed from the config) is
 * forgotten quietly.
 */
export function trackUnobserved(
  previous: Readonly<Record<string, UnobservedCheck>>, observations: readonly Observation[], now: number, service: string,
): UnobservedRound {
  const prior = (check: string): UnobservedCheck | undefined => (Object.hasOwn(previous, check) ? previous[check] : undefined);
  const unobserved: Record<string, UnobservedCheck> = {};
  const actions: Action[] = [];
  const checks = observations.filter((o) => o.unobservable === true);
  for (const observation of checks) {
    const before = prior(observation.check);
    const entry: UnobservedCheck = { since: before?.since ?? now, reason: observation.summary, ...(observation.hint === undefined ? {} : { hint: observation.hint }) };
    unobserved[observation.check] = entry;
    if (before === undefined || before.hint !== entry.hint) {
      actions.push(eventAction("unobserved", now, unobservedMessage(service, observation), {
        check: observation.check, since: entry.since, summary: observation.summary, ...(entry.hint === undefined ? {} : { hint: entry.hint }),
      }));
    }
  }
  for (const observation of observations) {
    const before = prior(observation.check);
    if (observation.unobservable === true || before === undefined) continue;
    const durationMs = elapsedSince(before.since, now);
    actions.push(eventAction("observed", now, observedMessage(service, observation, durationMs), {
      check: observation.check, since: before.since, durationMs, ok: observation.ok, summary: observation.summary,
    }));
  }
  return { unobserved, actions, checks };
}
