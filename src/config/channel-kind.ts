import { z } from "zod";
import { duration } from "./fields.js";
import { describeValue } from "./messages.js";
import type { ChannelConfig, ChannelType } from "./types.js";

/** What a channel kind's normaliser may use; kinds never see the file system. */
export interface ChannelContext {
  /** The channel's name under `alerts:`. */
  name: string;
  /** Resolves a path from the file against the config file's directory. */
  resolvePath(path: string): string;
}

/** The options every channel accepts, as parsed. */
export interface CommonChannelOptions {
  type: ChannelType;
  timeout: number;
  failover: string | null;
  "failover-after": number;
}

/** One channel type as the config knows it: its options (kebab-case, with defaults) and how they normalise. */
export interface ChannelKindSpec {
  type: ChannelType;
  options: z.ZodObject;
  normalise(options: CommonChannelOptions, context: ChannelContext): ChannelConfig;
}

type Body<T extends ChannelType> = Omit<Extract<ChannelConfig, { type: T }>, "type" | "name" | "timeoutMs" | "failover" | "failoverAfterMs">;

/** Declares a channel type; `type`, `timeout`, `failover` and `failover-after` are added to its options. */
export function defineChannelKind<T extends ChannelType, Shape extends z.ZodRawShape>(spec: {
  type: T;
  description: string;
  defaultTimeout: string;
  shape: Shape;
  /** Rules across the type's own keys: each problem's path is relative to the channel. */
  rules?: (options: z.output<z.ZodObject<Shape>>) => Array<{ path: string[]; message: string }>;
  normalise: (options: z.output<z.ZodObject<Shape>>, context: ChannelContext) => Body<T>;
}): ChannelKindSpec {
  const notAMap = (issue: z.core.$ZodRawIssue) => (issue.code === "invalid_type" ? `expected a map of ${spec.type} channel options, got ${describeValue(issue.input)}` : undefined);
  const common = {
    type: z.literal(spec.type).describe("The channel's type."),
    timeout: duration({ min: 1 }).prefault(spec.defaultTimeout).describe("Bound on one delivery attempt; a slower attempt counts as failed and is retried."),
    failover: z.string().min(1).nullable().default(null).describe("Another channel (by name) that takes over an alert this one keeps failing to deliver for `failover-after`, or refuses for good. Empty: none."),
    "failover-after": duration().prefault("10m").describe("How long this channel may keep failing an alert before `failover` takes it."),
  };
  const { rules } = spec;
  const object = z.strictObject({ ...common, ...spec.shape }, { error: notAMap });
  const options = (rules === undefined
    ? object
    : object.check((context) => {
      for (const problem of rules(context.value as z.output<z.ZodObject<Shape>>)) context.issues.push({ code: "custom", input: context.value, path: problem.path, message: problem.message });
    })).describe(spec.description);
  return {
    type: spec.type,
    options,
    normalise: (parsed, context) => ({
      ...spec.normalise(parsed as unknown as z.output<z.ZodObject<Shape>>, context),
      type: spec.type,
      name: context.name,
      timeoutMs: parsed.timeout,
      failover: parsed.failover,
      failoverAfterMs: parsed["failover-after"],
    }) as unknown as ChannelConfig,
  };
}
