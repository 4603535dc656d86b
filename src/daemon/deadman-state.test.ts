import { test } from "node:test";
import assert from "node:assert/strict";
import type { Outcome } from "../core/outcome.js";
import { INITIAL_DEADMAN_STATE, noteDeadmanRound, type DeadmanRound, type DeadmanState } from "./deadman-state.js";

const CONTEXT = { origin: "https://hc-ping.example", intervalMs: 60_000 };
const outcome = (ok: boolean): Outcome => ({
  ok, summary: ok ? "answered 200 OK" : 'Cannot reach the dead-man\'s switch at "https://hc-ping.example" as the connection was refused (ECONNREFUSED)',
  evidence: {}, durationMs: 5, timedOut: false,
});
const ROUNDS: Record<string, DeadmanRound> = {
  ok: { kind: "sent", outcome: outcome(true) },
  fail: { kind: "sent", outcome: outcome(false) },
  skip: { kind: "skipped", reason: "the store does not answer" },
};
const FIRST = 'INFO Dead-man\'s switch reaches "https://hc-ping.example": one request every 1m while Lifeguard is healthy';
const FAILING = 'ERROR Cannot reach the dead-man\'s switch at "https://hc-ping.example" as the connection was refused (ECONNREFUSED); trying again every 1m, logged again once it works';
const AGAIN = 'INFO Dead-man\'s switch reaches "https://hc-ping.example" again';
const PAUSED = 'WARN Dead-man\'s switch paused as Lifeguard is unhealthy: the store does not answer; "https://hc-ping.example" hears nothing until it recovers';
const RESUMED = "INFO Dead-man's switch resumed: Lifeguard is healthy again";

/** The lines logged over a sequence of rounds, from the initial state. */
function linesOf(...rounds: Array<keyof typeof ROUNDS>): string[] {
  let state: DeadmanState = INITIAL_DEADMAN_STATE;
  return rounds.flatMap((name) => {
    const next = noteDeadmanRound(state, ROUNDS[name] as DeadmanRound, CONTEXT);
    state = next.state;
    return next.notes.map((note) => `${note.tag} ${note.message}`);
  });
}

test("each change is logged once, never a steady state", () => {
  const cases: Array<[Array<keyof typeof ROUNDS>, string[]]> = [
    [["ok", "ok", "ok"], [FIRST]],
    [["fail", "fail", "fail"], [FAILING]],
    [["ok", "fail", "fail", "ok", "ok"], [FIRST, FAILING, AGAIN]],
    [["fail", "ok", "fail", "ok"], [FAILING, AGAIN, FAILING, AGAIN]],
    [["ok", "skip", "skip", "ok"], [FIRST, PAUSED, RESUMED]],
    [["skip", "skip", "ok"], [PAUSED, RESUMED, FIRST]],
    [["fail", "skip", "fail", "ok"], [FAILING, PAUSED, RESUMED, AGAIN]],
    [["ok", "skip", "fail"], [FIRST, PAUSED, RESUMED, FAILING]],
  ];
  for (const [rounds, expected] of cases) assert.deepEqual(linesOf(...rounds), expected, rounds.join(", "));
});
