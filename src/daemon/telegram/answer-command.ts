import { formatDuration, parseDuration } from "../../core/duration.js";
import type { ServiceStatus } from "../../compose/service-status.js";
import type { ControlRequest } from "../../engine/control-service.js";
import type { HistoryEntry } from "../../store/index.js";
import { noSuchService, type Controller } from "../controller.js";
import { renderHistoryReply } from "./history-reply.js";
import type { ParsedCommand } from "./parse-command.js";
import { renderStatusReply } from "./status-reply.js";
import { fitLine, fitReply } from "./fit-reply.js";

/**
 * A command that changes something and waited longer than this (Lifeguard was down, or commands
 * were off) is not carried out: whoever sent it may have moved on. What only reads is answered.
 */
export const STALE_AFTER_MS = 10 * 60_000;
/** A pause's reason goes into the state and the history: a sentence, not a paste. */
const REASON_LIMIT = 200;

/** What the commands read and act through: the daemon's controller, the status and the history. */
export interface CommandDeps {
  controller: Pick<Controller, "control" | "services">;
  /** Every service as `lifeguard status` shows it now. */
  statuses(): ServiceStatus[];
  /** The service's history, newest first. */
  history(service: string): HistoryEntry[];
  /** The services with an open incident that nobody acknowledged. */
  unacknowledged(): string[];
  host: string;
  now(): number;
}

/** A command from an allowed chat: who sent it (`telegram chat 42 (@jakub)`) and when Telegram got it (ms; null: unknown). */
export interface AskedCommand {
  command: ParsedCommand;
  by: string;
  sentAt: number | null;
}

interface CommandSpec {
  usage: string;
  about: string;
  /** Changes something: refused when stale. */
  acts: boolean;
  run(args: string[], asked: AskedCommand, deps: CommandDeps): Promise<string> | string;
}

/** The answer to a command, plain text within Telegram's limit; every change goes through the controller, with who asked. */
export async function answerCommand(asked: AskedCommand, deps: CommandDeps): Promise<string> {
  const { name, args } = asked.command;
  const spec = COMMANDS[name];
  if (spec === undefined) return fitReply(`Unknown command ${JSON.stringify(fitLine(`/${name}`, 40))}. ${listCommands()}`);
  const waited = asked.sentAt === null ? 0 : deps.now() - asked.sentAt;
  if (spec.acts && waited > STALE_AFTER_MS) {
    return `Not done: "/${name}" was sent ${formatDuration(waited)} ago, while Lifeguard was not reading commands; send it again if it still stands`;
  }
  return fitReply(await spec.run(args, asked, deps));
}

const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  status: { usage: "/status", about: "every service's state", acts: false, run: (_args, _asked, deps) => renderStatusReply(deps.statuses(), deps.host, deps.now()) },
  history: {
    usage: "/history NAME", about: "the last events of a service", acts: false,
    run: (args, _asked, deps) => withService("show the history of", "history", args, deps, (service) => renderHistoryReply(service, deps.history(service))),
  },
  ack: { usage: "/ack [NAME]", about: "no more reminders of the open incident (of every service, without NAME)", acts: true, run: acknowledge },
  pause: { usage: "/pause NAME DURATION [REASON]", about: "no restarts for a while, e.g. /pause bot 1h deploy", acts: true, run: pause },
  resume: { usage: "/resume NAME", about: "end a pause", acts: true, run: (args, asked, deps) => control("resume", args, asked, deps) },
  restart: { usage: "/restart NAME", about: "restart a service now", acts: true, run: (args, asked, deps) => control("restart", args, asked, deps) },
  reset: { usage: "/reset NAME", about: "re-arm a service that gave up", acts: true, run: (args, asked, deps) => control("reset", args, asked, deps) },
  help: { usage: "/help", about: "this list", acts: false, run: (_args, _asked, deps) => help(deps) },
  // What Telegram sends when someone opens a chat with the bot.
  start: { usage: "/start", about: "this list", acts: false, run: (_args, _asked, deps) => help(deps) },
};

function help(deps: CommandDeps): string {
  const lines = Object.entries(COMMANDS).filter(([name]) => name !== "start").map(([, spec]) => `${spec.usage}: ${spec.about}`);
  return [`Lifeguard on ${deps.host} answers:`, ...lines, `Services: ${quoteAll(deps.controller.services)}`].join("\n");
}

function listCommands(): string {
  return `Commands: ${Object.entries(COMMANDS).filter(([name]) => name !== "start").map(([, spec]) => spec.usage).join(", ")}`;
}

async function control(action: "resume" | "restart" | "reset", args: string[], asked: AskedCommand, deps: CommandDeps): Promise<string> {
  return withService(action, action, args, deps, async (service) => (await deps.controller.control(service, { action, by: asked.by })).summary);
}

async function pause(args: string[], asked: AskedCommand, deps: CommandDeps): Promise<string> {
  const [name, duration, ...reason] = args;
  if (name === undefined) return missingName("pause", "pause", deps);
  if (!deps.controller.services.includes(name)) return noSuchService("pause", name, deps.controller.services);
  const forMs = duration === undefined ? undefined : parseDuration(duration);
  if (forMs === undefined || forMs <= 0) {
    const got = duration === undefined ? "nothing" : JSON.stringify(fitLine(duration, 40));
    return `Cannot pause "${name}": expected a duration after the name such as 30m, 2h or 1d, got ${got}; e.g. /pause ${name} 1h deploy`;
  }
  const text = reason.join(" ");
  const request: ControlRequest = { action: "pause", by: asked.by, forMs, reason: text === "" ? null : fitLine(text, REASON_LIMIT) };
  return (await deps.controller.control(name, request)).summary;
}

/** `/ack NAME`, or `/ack` for every service with an open incident nobody acknowledged: one line each. */
async function acknowledge(args: string[], asked: AskedCommand, deps: CommandDeps): Promise<string> {
  if (args.length > 1) return tooMany("acknowledge", args, "ack");
  const services = args[0] === undefined ? deps.unacknowledged() : [args[0]];
  if (services.length === 0) return "Nothing to acknowledge: no service has an open incident that is not acknowledged already";
  const answers: string[] = [];
  for (const service of services) answers.push((await deps.controller.control(service, { action: "acknowledge", by: asked.by })).summary);
  return answers.join("\n");
}

/** Runs `act` on the one service `args` names; else says what is missing or wrong. */
async function withService(action: string, command: string, args: string[], deps: CommandDeps, act: (service: string) => Promise<string> | string): Promise<string> {
  const [name] = args;
  if (name === undefined) return missingName(action, command, deps);
  if (args.length > 1) return tooMany(action, args, command);
  if (!deps.controller.services.includes(name)) return noSuchService(action, name, deps.controller.services);
  return act(name);
}

function missingName(action: string, command: string, deps: CommandDeps): string {
  const example = deps.controller.services[0] ?? "NAME";
  return `Cannot ${action}: name the service, e.g. /${command} ${example} (services: ${quoteAll(deps.controller.services)})`;
}

function tooMany(action: string, args: string[], command: string): string {
  return `Cannot ${action} "${fitLine(args[0] ?? "", 40)}": expected one service name, got ${args.length} words; e.g. /${command} ${fitLine(args[0] ?? "", 40)}`;
}

const quoteAll = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(", ");
