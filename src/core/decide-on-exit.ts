import { decide } from "./decide.js";
import type { Observation } from "./outcome.js";
import type { Decision, PolicySettings } from "./policy.js";
import type { ServiceState } from "./state.js";

/**
 * The policy's answer to a supervised process's exit, from the one observation that tells of it
 * (its `running` check: conclusive, so no other check could turn a restart into a wait): `decide`
 * with that check alone. The other checks did not report, which is no news about them: what the
 * state says of them (an alert-only problem, a check that cannot look) is kept as it was, where
 * `decide` would forget a check that stopped reporting; their next round carries it on.
 */
export function decideOnExit(state: ServiceState, exit: Observation, now: number, policy: PolicySettings, service: string): Decision {
  const decision = decide(state, [exit], now, policy, service);
  const others = <T>(entries: Record<string, T> | undefined): Record<string, T> =>
    Object.fromEntries(Object.entries(entries ?? {}).filter(([check]) => check !== exit.check));
  const { alertOnlySince, unobserved, ...rest } = decision.state;
  const keptAlertOnly = { ...others(state.alertOnlySince), ...alertOnlySince };
  const keptUnobserved = { ...others(state.unobserved), ...unobserved };
  return {
    ...decision,
    state: {
      ...rest,
      ...(Object.keys(keptAlertOnly).length === 0 ? {} : { alertOnlySince: keptAlertOnly }),
      ...(Object.keys(keptUnobserved).length === 0 ? {} : { unobserved: keptUnobserved }),
    },
  };
}
