import { SYSTEMD_NOTIFY_VARIABLES } from "./sd-notify.js";

/** Where a supervised service finds its own ping URL (set per service; Lifeguard's own must not leak). */
export const PING_URL_VARIABLE = "LIFEGUARD_PING_URL";

/**
 * Lifeguard's variables no program it starts may see: systemd's notify socket and a ping URL
 * (a child pinging either could keep a hung Lifeguard looking alive), Lifeguard's token and the
 * dead-man's switch URL the docs suggest (`${DEADMAN_URL}`), for the same reasons.
 */
export const PRIVATE_VARIABLES: readonly string[] = [...SYSTEMD_NOTIFY_VARIABLES, PING_URL_VARIABLE, "LIFEGUARD_TOKEN", "DEADMAN_URL"];

/** What a program Lifeguard starts (a supervised service, an alert program) inherits: `env` without PRIVATE_VARIABLES. */
export function inheritedEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const inherited = { ...env };
  for (const name of PRIVATE_VARIABLES) delete inherited[name];
  return inherited;
}
