import { hostname } from "node:os";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { LifeguardConfig } from "../config/types.js";
import type { AlertDeps } from "../engine/round-alerts.js";
import type { Channel } from "../notify/channel.js";
import { createNotifier, type Notifier } from "../notify/notifier.js";
import { createChannel } from "../notify/registry.js";
import type { Store } from "../store/index.js";

/** The alerting parts of an app: what the engine queues with, and what delivers. */
export interface Alerting {
  /** Given to the engine; undefined when no channel is configured. */
  deps: AlertDeps | undefined;
  channels: Channel[];
  /** Null without channels or without a store. */
  notifier: Notifier | null;
}

export function buildAlerting(config: LifeguardConfig, store: Store | null, clock: Clock, logger: Logger): Alerting {
  const channels = config.channels.map((channel) => createChannel(channel, { clock }));
  if (channels.length === 0 || store === null) return { deps: undefined, channels, notifier: null };
  const host = hostname();
  const notifier = createNotifier({
    outbox: store,
    channels: config.channels.map((channelConfig, index) => ({ channel: channels[index] as Channel, config: channelConfig })),
    alerting: config.alerting,
    clock,
    logger,
    owner: `${process.pid}@${host}`,
    cliAddress: config.cliAddress,
  });
  return { deps: { host, alerting: config.alerting, queued: () => notifier.wake() }, channels, notifier };
}
