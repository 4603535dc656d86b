import type { Clock } from "../core/clock.js";
import type { ChannelConfig, ChannelType } from "../config/types.js";
import { createBoundedChannel } from "./bounded-channel.js";
import type { Channel, SenderFactory } from "./channel.js";
import { createAlertmanagerSender } from "./channels/alertmanager.js";
import { createEmailSender, emailSecrets } from "./channels/email.js";
import { createExecSender } from "./channels/exec.js";
import { createTelegramSender, telegramSecrets } from "./channels/telegram.js";
import { createWebhookSender, webhookSecrets } from "./channels/webhook.js";

type ConfigOf<T extends ChannelType> = Extract<ChannelConfig, { type: T }>;

/** A channel type: how its sender is made, and which of its settings are secrets (hidden from every result). */
interface ChannelKind<Config> {
  create: SenderFactory<Config>;
  secrets(config: Config): string[];
}

/** One entry per channel type: adding a type is one file and one entry here. */
const CHANNEL_KINDS: { [T in ChannelType]: ChannelKind<ConfigOf<T>> } = {
  email: { create: createEmailSender, secrets: emailSecrets },
  telegram: { create: createTelegramSender, secrets: telegramSecrets },
  webhook: { create: createWebhookSender, secrets: webhookSecrets },
  alertmanager: { create: createAlertmanagerSender, secrets: (config) => Object.values(config.headers) },
  // The program's `env` holds its keys (a pager's token); a failing program may echo one on stderr.
  exec: { create: createExecSender, secrets: (config) => Object.values(config.env) },
};

/**
 * Builds the channel a config describes. Every type gets the same wrapper: bounded by its
 * `timeoutMs` and the caller's signal, never throwing, its secrets hidden from its results.
 */
export function createChannel(config: ChannelConfig, deps: { clock: Clock }): Channel {
  // The map pairs each type with its own config type; TypeScript cannot follow that through a union.
  const kind = CHANNEL_KINDS[config.type] as ChannelKind<ChannelConfig>;
  return createBoundedChannel(config, deps.clock, kind.create(config, deps), kind.secrets(config));
}
