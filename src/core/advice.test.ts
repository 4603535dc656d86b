import { test } from "node:test";
import assert from "node:assert/strict";
import { alertOfEvent, reminderAlert } from "./alert-compose.js";
import { decide } from "./decide.js";
import type { Observation } from "./outcome.js";
import { initialState } from "./state.js";
import { M, POLICY, S, T, H } from "../testing/policy-fixtures.js";

// Every command the policy advises carries the options that find the configuration
// (PolicySettings.cliAddress), shell-quoted, so that it works as printed from any directory.

const FAILING: Observation[] = [{ check: "running", ok: false, summary: 'Service "trader" is not active: "failed"', evidence: {}, durationMs: 1, timedOut: false, at: T, alertOnly: false }];
const ADDRESS = ["-c", "/srv/my bots/lifeguard.yaml"];
const ADVICE = "lifeguard reset trader -c '/srv/my bots/lifeguard.yaml'";

test("every re-arm command an event, alert, verdict or reminder gives carries the options that find the configuration", () => {
  const policy = { ...POLICY, cliAddress: ADDRESS };
  const spent = { ...initialState(), restarts: [T - 40 * M, T - 30 * M, T - 20 * M] };
  const first = decide(spent, FAILING, T, policy, "trader");
  const gaveUp = decide(first.state, FAILING, T + 30 * S, policy, "trader");
  const event = gaveUp.actions.flatMap((action) => (action.type === "event" && action.event.kind === "gave-up" ? [action.event] : []))[0];
  assert.ok(event !== undefined, "gave up");
  assert.equal(event.data.resetCommand, ADVICE);
  const alert = alertOfEvent(event, { service: "trader", host: "pi", observations: FAILING, state: gaveUp.state, policy });
  assert.equal(alert?.details.at(-1), `Manual intervention needed: fix the cause, then run "${ADVICE}" to re-arm automatic restarts`);
  assert.ok(decide(gaveUp.state, FAILING, T + M, policy, "trader").verdict.why.endsWith(` run "${ADVICE}" once fixed`));
  assert.deepEqual(reminderAlert("trader", "pi", T + H, gaveUp.state, ["--state", "/srv/state"])?.details, ["Run: lifeguard reset trader --state /srv/state"]);
});
