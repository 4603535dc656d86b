import { z } from "zod";
import { duration } from "./fields.js";
import type { Flatten } from "./flatten-type.js";
import { describeValue } from "./messages.js";

/** What a channel kind's normaliser may use; kinds never see the file system. */
export interface ChannelContext {
  /** The channel's name under `alerts:`. */
  name: string;
  /** Resolves a path from the file against the config file's directory. */
  resolvePath(path: string): string;
}

/** The options every channel accepts, with the type's own default timeout. */
function commonShape<Type extends string>(type: Type, defaultTimeout: string) {
  return {
    type: z.literal(type).describe("The channel's type."),
    timeout: duration({ min: 1 }).prefault(defaultTimeout).describe("Bound on one delivery attempt; a slower attempt counts as failed and is retried."),
    failover: z.string().min(1).nullable().default(null).describe("Another channel (by name) that takes over an alert this one keeps failing to deliver for `failover-after`, or refuses for good. Empty: none."),
    "failover-after": duration().prefault("10m").describe("How long this channel may keep failing an alert before `failover` takes it."),
  };
}

/** The options every channel accepts, as parsed. */
export type CommonChannelOptions = z.output<z.ZodObject<ReturnType<typeof commonShape<string>>>>;

/** The settings every channel has, from the options every type accepts. */
function commonSettings<Type extends string>(type: Type, options: CommonChannelOptions, context: ChannelContext) {
  return {
    type,
    /** The channel's name under `alerts:`, used by routes, `failover` and `test-alert NAME`. */
    name: context.name,
    /** Bound on one delivery attempt; a channel that takes longer failed this attempt. */
    timeoutMs: options.timeout,
    /** The channel that takes over an alert this one keeps failing to deliver; null: none. */
    failover: options.failover,
    /** How long this channel may keep failing an alert before `failover` takes it. */
    failoverAfterMs: options["failover-after"],
  };
}

/** One channel type as the config knows it: its options (kebab-case, with defaults) and how they normalise into `Config`. */
export interface ChannelKindSpec<Type extends string, Config, Options extends z.ZodType> {
  type: Type;
  options: Options;
  normalise(options: CommonChannelOptions, context: ChannelContext): Config;
}

/** Declares a channel type; `type`, `timeout`, `failover` and `failover-after` are added to its options, and their settings to its config. */
export function defineChannelKind<Type extends string, Shape extends z.ZodRawShape, Body extends object>(spec: {
  type: Type;
  description: string;
  defaultTimeout: string;
  shape: Shape;
  /** Rules across the type's own keys: each problem's path is relative to the channel. */
  rules?: (options: z.output<z.ZodObject<Shape>>) => Array<{ path: string[]; message: string }>;
  /** The type's own settings; their doc comments are the normalised config's. */
  normalise: (options: z.output<z.ZodObject<Shape>>, context: ChannelContext) => Body;
}) {
  type Config = Flatten<Body & ReturnType<typeof commonSettings<Type>>>;
  const notAMap = (issue: z.core.$ZodRawIssue) => (issue.code === "invalid_type" ? `expected a map of ${spec.type} channel options, got ${describeValue(issue.input)}` : undefined);
  const { rules } = spec;
  const object = z.strictObject({ ...commonShape(spec.type, spec.defaultTimeout), ...spec.shape }, { error: notAMap });
  const options = (rules === undefined
    ? object
    : object.check((context) => {
      for (const problem of rules(context.value as z.output<z.ZodObject<Shape>>)) context.issues.push({ code: "custom", input: context.value, path: problem.path, message: problem.message });
    })).describe(spec.description);
  const kind: ChannelKindSpec<Type, Config, typeof options> = {
    type: spec.type,
    options,
    normalise: (parsed, context) => ({
      // The discriminated union (channel-kinds.ts) parsed these options with this type's own schema; only their type was lost there.
      ...spec.normalise(parsed as unknown as z.output<z.ZodObject<Shape>>, context),
      ...commonSettings(spec.type, parsed, context),
    }),
  };
  return kind;
}
