import * as z from "zod/mini";
import { en } from "zod/locales";
import { initialState, type ServiceState } from "../core/state.js";

// zod/mini (a few KiB where classic zod is most of a MiB: the daemon keeps this resident) brings no
// messages of its own: the English ones say what a stored field holds instead.
z.config(en());

const time = z.number();
const count = z.int().check(z.nonnegative());
const problem = { since: time, reason: z.string() };

// Loose objects: fields this code does not know (from a newer Lifeguard) are kept, not dropped.
const HealthSchema = z.discriminatedUnion("kind", [
  z.looseObject({ kind: z.literal("healthy") }),
  z.looseObject({ kind: z.literal("failing"), rounds: count, backoffUntil: z.optional(time), ...problem }),
  z.looseObject({ kind: z.literal("restarting"), ...problem }),
  z.looseObject({ kind: z.literal("gave-up"), ...problem }),
]);

const StateSchema = z.looseObject({
  health: HealthSchema,
  restarts: z.array(time),
  lastStartAt: z.nullable(time),
  backoffStep: count,
  healthySince: z.nullable(time),
  incidentSince: z.nullable(time),
  alertOnlySince: z.optional(z.record(z.string(), time)),
  unobserved: z.optional(z.record(z.string(), z.looseObject({ since: time, reason: z.string(), hint: z.optional(z.string()) }))),
  control: z.optional(z.discriminatedUnion("kind", [
    z.looseObject({ kind: z.literal("stopped"), since: time, by: z.string() }),
    z.looseObject({ kind: z.literal("paused"), since: time, until: z.nullable(time), by: z.string(), reason: z.nullable(z.string()) }),
  ])),
  acknowledged: z.optional(z.looseObject({ incidentSince: time, at: time, by: z.string() })),
});

// Fails to compile when ServiceState gains a required field this schema does not check.
const _fitsServiceState = (parsed: z.infer<typeof StateSchema>): ServiceState => parsed;

/** A stored state read back: the state to use and, when the stored text was unusable, why. */
export type ParsedState = { state: ServiceState; problem: null } | { state: ServiceState; problem: string; detail?: string };

/**
 * Reads a stored ServiceState. Fields missing from an older file take their initial values;
 * a shape that still does not fit falls back to the initial state, with the reason, so one bad
 * row never stops Lifeguard.
 */
export function parseState(text: string): ParsedState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { state: initialState(), problem: "it is not JSON" };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return { state: initialState(), problem: "it is not an object" };
  const result = StateSchema.safeParse({ ...initialState(), ...raw });
  if (result.success) return { state: result.data, problem: null };
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? "it" : `its field "${issue.path.join(".")}"`;
  return { state: initialState(), problem: `${where} does not fit`, detail: issue?.message ?? "unknown shape" };
}
