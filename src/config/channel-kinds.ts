import { z } from "zod";
import { alertmanagerChannel } from "./channel-alertmanager.js";
import { emailChannel } from "./channel-email.js";
import { execChannel } from "./channel-exec.js";
import type { ChannelContext, CommonChannelOptions } from "./channel-kind.js";
import { telegramChannel } from "./channel-telegram.js";
import { webhookChannel } from "./channel-webhook.js";
import { describeValue, didYouMean, joinOr, quote } from "./messages.js";

/** The registry of channel types, in the order the docs list them. A secret `url` comes before a plain one (`schemaAt` takes the first). */
export const CHANNEL_KINDS = [emailChannel, telegramChannel, webhookChannel, alertmanagerChannel, execChannel] as const;

const TYPES = CHANNEL_KINDS.map((spec) => spec.type);

/** Alert channel names: used in routes, `failover`, messages and `test-alert NAME`. */
export const CHANNEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const channelName = z.string().regex(CHANNEL_NAME, {
  error: (issue) => `expected a channel name of letters, digits, "_", "." and "-", starting with a letter or digit, got ${describeValue(issue.input)}`,
});

// Written as a first and the rest, the list of options is the non-empty tuple a union needs.
const [firstKind, ...otherKinds] = CHANNEL_KINDS;

/** One channel under `alerts:`: a map whose `type` picks its options. */
export const channelSchema = z
  .discriminatedUnion("type", [firstKind.options, ...otherKinds.map((spec) => spec.options)], {
    error: (issue) => (issue.code === "invalid_union" ? unknownType(issue.input) : undefined),
  })
  .describe(`An alert channel: a map with \`type\` (${TYPES.join(", ")}) and that type's options.`);

function unknownType(input: unknown): string {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return `expected a channel like "{ type: telegram, token: ..., chat: ... }", got ${describeValue(input)}`;
  const type = (input as { type?: unknown }).type;
  const types = joinOr(TYPES.map(quote));
  if (type === undefined) return `missing required key "type"; expected ${types}`;
  return `expected "type" to be ${types}, got ${describeValue(type)}${typeof type === "string" ? didYouMean(type, TYPES) : ""}`;
}

/** The normalised channel of a parsed one. */
export function normaliseChannel(options: CommonChannelOptions, context: ChannelContext) {
  const spec = CHANNEL_KINDS.find((candidate) => candidate.type === options.type);
  if (spec === undefined) throw new Error(`A validated channel has no known type: ${options.type}`);
  return spec.normalise(options, context);
}
