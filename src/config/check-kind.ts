import { z } from "zod";
import { duration } from "./fields.js";
import { describeValue } from "./messages.js";
import type { CheckConfig, CheckKind } from "./types.js";

/** What a check kind's normaliser may use; kinds never see the file system. */
export interface CheckContext {
  /** Resolves a path from the file against the config file's directory. */
  resolvePath(path: string): string;
}

/** A check's normalised config before `normalise` gives it an id. */
export type CheckSettings = CheckConfig extends infer C ? (C extends CheckConfig ? Omit<C, "id"> : never) : never;

/** The options every kind accepts, as parsed. */
export interface CommonOptions {
  timeout: number;
  "alert-only": boolean;
}

/** One check kind as the config knows it: its options (kebab-case, with defaults) and how they normalise. */
export interface CheckKindSpec {
  kind: CheckKind;
  options: z.ZodType<CommonOptions>;
  normalise(options: CommonOptions, context: CheckContext): CheckSettings;
  /** The check's log patterns, by option name, for `validate`'s warnings; none for most kinds. */
  patterns(check: CheckConfig): Array<{ option: string; source: string }>;
}

type Body<K extends CheckKind> = Omit<Extract<CheckConfig, { kind: K }>, "id" | "kind" | "timeoutMs" | "alertOnly">;

/** Declares a check kind; `timeout` and `alert-only` are added to its options. */
export function defineCheckKind<K extends CheckKind, Shape extends z.ZodRawShape>(spec: {
  kind: K;
  description: string;
  defaultTimeout: string;
  shape: Shape;
  normalise: (options: z.output<z.ZodObject<Shape>>, context: CheckContext) => Body<K>;
  /** The regular expressions of a normalised check, by option name (null: not set). */
  patterns?: (check: Extract<CheckConfig, { kind: K }>) => Record<string, string | null>;
}): CheckKindSpec {
  const notAMap = (issue: z.core.$ZodRawIssue) => (issue.code === "invalid_type" ? `expected a map of ${spec.kind} options, got ${describeValue(issue.input)}` : undefined);
  const common = {
    timeout: duration({ min: 1 }).prefault(spec.defaultTimeout).describe("Bound on one run of the check; a run that takes longer counts as failed."),
    "alert-only": z.boolean().default(false).describe("Report failures of this check but never restart because of them."),
  };
  const options = z.strictObject({ ...common, ...spec.shape }, { error: notAMap }).describe(spec.description);
  return {
    kind: spec.kind,
    options: options as unknown as z.ZodType<CommonOptions>,
    normalise: (parsed, context) => ({
      kind: spec.kind,
      timeoutMs: parsed.timeout,
      alertOnly: parsed["alert-only"],
      ...spec.normalise(parsed as unknown as z.output<z.ZodObject<Shape>>, context),
    }) as CheckSettings,
    patterns: (check) =>
      Object.entries(spec.patterns?.(check as Extract<CheckConfig, { kind: K }>) ?? {}).flatMap(([option, source]) => (source === null ? [] : [{ option, source }])),
  };
}
