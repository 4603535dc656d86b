import { staysGaveUpMessage } from "../core/policy-messages.js";
import type { ServiceStore } from "../core/store.js";
import type { ServiceParts } from "../engine/check-service.js";

/**
 * The services the store holds gave-up from before this start of the daemon, each with the
 * sentence that says so and how to re-arm it. A start keeps gave-up (docs/policy.md): Lifeguard
 * watches such a service, and starts a supervised one, but restarts it only once a human re-arms it.
 */
export function staysGaveUp(services: readonly ServiceParts[], store: ServiceStore, now: number): Array<{ service: string; message: string }> {
  return services.flatMap(({ config }) => {
    const { health } = store.loadState(config.name);
    if (health.kind !== "gave-up") return [];
    return [{ service: config.name, message: staysGaveUpMessage(config.name, Math.max(0, now - health.since), health.reason, config.policy) }];
  });
}
