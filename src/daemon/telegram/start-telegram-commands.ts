import { hostname } from "node:os";
import type { LifeguardConfig, TelegramChannelConfig } from "../../config/types.js";
import { isAcknowledged } from "../../core/acknowledge.js";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import { collectStatus } from "../../compose/service-status.js";
import type { Store } from "../../store/index.js";
import type { Controller } from "../controller.js";
import { answerCommand, type CommandDeps } from "./answer-command.js";
import { HISTORY_EVENTS } from "./history-reply.js";
import { startCommandPoller, type Poller } from "./poll-commands.js";

export interface TelegramCommandsDeps {
  config: LifeguardConfig;
  store: Store;
  controller: Controller;
  logger: Logger;
  clock: Clock;
  /** Lifeguard stops: every reader lets go at once. */
  signal: AbortSignal;
}

/**
 * Starts a reader of commands for each telegram channel with `commands:` (`lifeguard run` only: a
 * one-shot `check` answers nobody). Each command goes through the daemon's controller, as the
 * CLI's and HTTP's requests do. Resolves nothing; `stop()` ends every reader.
 */
export function startTelegramCommands(deps: TelegramCommandsDeps): { stop(): Promise<void> } {
  const readers = deps.config.channels.filter(takesCommands);
  if (readers.length === 0) return { stop: async () => undefined };
  const { config, store, controller, clock } = deps;
  const commands: CommandDeps = {
    controller,
    statuses: () => collectStatus(config, store, clock.now()),
    // Restarts and alerts share the history's rows: enough of them that the last events are among them.
    history: (service) => store.history({ service, limit: 5 * HISTORY_EVENTS }),
    unacknowledged: () => controller.services.filter((service) => {
      const state = store.loadState(service);
      return state.incidentSince !== null && !isAcknowledged(state);
    }),
    host: hostname(),
    now: clock.now,
  };
  const pollers: Poller[] = readers.map((channel) => startCommandPoller({
    channel, offsets: store, logger: deps.logger, clock, signal: deps.signal, answer: (asked) => answerCommand(asked, commands),
  }));
  return { stop: async () => void (await Promise.all(pollers.map((poller) => poller.stop()))) };
}

function takesCommands(channel: LifeguardConfig["channels"][number]): channel is TelegramChannelConfig & { commands: { chats: number[] } } {
  return channel.type === "telegram" && channel.commands !== null;
}
