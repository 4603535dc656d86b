import { lifeguardCommand } from "../cli-command.js";
import { formatDuration } from "../duration.js";
import { fail, ok, warn, type Finding } from "./finding.js";

/** The last `lifeguard test-alert` on one channel, as the store keeps it. */
export interface TestAlertResult {
  channel: string;
  at: number;
  ok: boolean;
  /** What the channel answered; never a secret (the senders never return one). */
  summary: string;
}

/**
 * At least one channel, so that a human hears of a service that gave up; each with a passing
 * `test-alert` on record. `cliAddress` is the config's `-c FILE`, for the fix.
 */
export function judgeAlerts(
  channels: ReadonlyArray<{ name: string; type: string }>,
  tests: ReadonlyMap<string, TestAlertResult>,
  context: { now: number; cliAddress: readonly string[]; source: string },
): Finding[] {
  if (channels.length === 0) {
    return [fail("alerts", `no alert channel is configured in ${context.source}: nobody hears when a service gives up`,
      `add one under alerts: (docs/alerts/), then run ${lifeguardCommand(["test-alert", ...context.cliAddress])}`)];
  }
  return channels.map(({ name, type }) => {
    const fix = lifeguardCommand(["test-alert", name, ...context.cliAddress]);
    const test = tests.get(name);
    const what = `"${name}" (${type})`;
    if (test === undefined) return warn("alerts", `${what} has never been tested: no test-alert result is recorded`, fix);
    const ago = `${formatDuration(Math.max(0, context.now - test.at))} ago`;
    return test.ok ? ok("alerts", `${what} delivered the last test alert (${ago})`) : warn("alerts", `${what} failed the last test alert (${ago}): ${test.summary}`, fix);
  });
}
