import { z } from "zod";
import { connectionCheck } from "./check-connection.js";
import { execCheck } from "./check-exec.js";
import { heartbeatCheck } from "./check-heartbeat.js";
import { httpCheck } from "./check-http.js";
import { logActivityCheck } from "./check-log-activity.js";
import { logFreshCheck } from "./check-log-fresh.js";
import { memoryCheck } from "./check-memory.js";
import { cpuCheck } from "./check-cpu.js";
import { runningCheck } from "./check-running.js";
import { tcpCheck } from "./check-tcp.js";
import { describeValue, quote } from "./messages.js";

const EXAMPLE = `${quote("running")} or ${quote("log-fresh: {...}")}`;

/** The registry of check kinds, in the order the docs and messages list them. */
export const CHECK_KINDS = [runningCheck, logFreshCheck, logActivityCheck, heartbeatCheck, httpCheck, tcpCheck, execCheck, memoryCheck, cpuCheck, connectionCheck] as const;

/** A check's normalised config before `normalise` gives it an id: one type per kind. */
export type CheckSettings = ReturnType<(typeof CHECK_KINDS)[number]["normalise"]>;

/** The kinds that may be written as a bare string (`- running`): those whose options all have defaults. */
export const BARE_CHECK_KINDS: readonly string[] = CHECK_KINDS.filter((spec) => spec.options.safeParse({}).success).map((spec) => spec.kind);

/** The one-key map `kind: {options}`; its keys are check kinds (messages say "unknown check kind"). */
export const checkKindMap = z
  .strictObject(Object.fromEntries(CHECK_KINDS.map((spec) => [spec.kind, spec.options.optional()])), {
    error: (issue) => (issue.code === "invalid_type" ? `expected a check like ${EXAMPLE}, got ${describeValue(issue.input)}` : undefined),
  })
  .meta({ minProperties: 1, maxProperties: 1 });

/** One item of a service's `checks:` list: `- log-fresh: { ... }`, or a bare `- running`. */
export const checkItem = z
  .preprocess(toKindMap, checkKindMap)
  .describe("A check: a one-key map `kind: {options}`, or just the kind's name when its options all have defaults (`- running`).");

/** A list item as parsed: one key, the kind, holding its options. */
export type CheckItem = z.output<typeof checkItem>;

/** `running` becomes `{ running: {} }`; a map must have exactly one key, the kind. */
function toKindMap(value: unknown, context: { issues: z.core.$ZodRawIssue[] }): unknown {
  if (typeof value === "string") return { [value]: {} };
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 0) {
    context.issues.push({ code: "custom", input: value, message: `expected a check like ${EXAMPLE}, got an empty map` });
  } else if (keys.length > 1) {
    context.issues.push({ code: "custom", input: value, message: `expected one check kind per list item, got ${keys.length} (${keys.map(quote).join(", ")}); start each check with "- "` });
  }
  return value;
}
