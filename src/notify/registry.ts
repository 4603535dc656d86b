import type { Clock } from "../core/clock.js";
import type { ChannelConfig, ChannelConfigOf, ChannelType } from "../config/types.js";
import { createBoundedChannel } from "./bounded-channel.js";
import type { Channel, ChannelDeps, Sender, SenderFactory } from "./channel.js";
import { createAlertmanagerSender } from "./channels/alertmanager.js";
import { createEmailSender, emailSecrets } from "./channels/email.js";
import { createExecSender } from "./channels/exec.js";
import { createTelegramSender, telegramSecrets } from "./channels/telegram.js";
import { createWebhookSender, webhookSecrets } from "./channels/webhook.js";

/** A channel type: how its sender is made, and which of its settings are secrets (hidden from every result). */
interface ChannelKind<Config> {
  create: SenderFactory<Config>;
  secrets(config: Config): string[];
}

/**
 * One entry per channel type: adding a type is one file and one entry here. Typed over every
 * type of the config registry, so a type without its entry does not compile.
 */
const CHANNEL_SENDERS: { [Type in ChannelType]: ChannelKind<ChannelConfigOf<Type>> } = {
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
  const { sender, secrets } = createSender(config.type, config, deps);
  return createBoundedChannel(config, deps.clock, sender, secrets);
}

/** The sender of one type and its secrets; `type` apart from its config lets TypeScript pair the entry with its config type. */
function createSender<Type extends ChannelType>(type: Type, config: ChannelConfigOf<Type>, deps: ChannelDeps): { sender: Sender; secrets: string[] } {
  const kind = CHANNEL_SENDERS[type];
  return { sender: kind.create(config, deps), secrets: kind.secrets(config) };
}
