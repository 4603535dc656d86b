import { formatDuration } from "../core/duration.js";
import { didYouMean, quote } from "./messages.js";
import type { Problem } from "./problem.js";
import { pathResolver } from "./resolve-path.js";
import { outputFile } from "./runner-process.js";
import type { ParsedConfig, ParsedService } from "./schema.js";
import { toUnitName } from "./unit-name.js";

/** Rules that span fields, checked once every field is valid on its own. */
export function checkRules(config: ParsedConfig, origin: { baseDir: string }): Problem[] {
  const problems: Problem[] = [];
  if (config.log["max-size"] !== null && config.log.file === null) {
    problems.push({ path: ["log", "max-size"], message: "expected a log file to rotate, got none (set log.file, or remove max-size: standard output is not rotated)" });
  }
  const watchedBy = new Map<string, string>();
  for (const [name, service] of Object.entries(config.services)) {
    problems.push(...checkService(name, service));
    if (service.systemd === undefined) continue;
    const unit = toUnitName(service.systemd);
    const other = watchedBy.get(unit);
    if (other === undefined) watchedBy.set(unit, name);
    else problems.push({ path: ["services", name, "systemd"], message: `expected a unit no other service watches, got ${quote(unit)} (already watched by service ${quote(other)})` });
  }
  problems.push(...checkOutputFiles(config, pathResolver(origin.baseDir)));
  problems.push(...checkPingHeartbeats(config));
  problems.push(...checkAlertRoutes(config));
  problems.push(...checkCommandReaders(config));
  return problems;
}

/**
 * Telegram gives a bot's updates to one reader at a time (`getUpdates` answers 409 to the other):
 * two channels of the same bot that both take commands would take turns failing.
 */
function checkCommandReaders(config: ParsedConfig): Problem[] {
  const problems: Problem[] = [];
  const readerOf = new Map<string, string>();
  for (const [name, channel] of Object.entries(config.alerts)) {
    if (channel.type !== "telegram" || channel.commands === false) continue;
    const first = readerOf.get(channel.token);
    if (first === undefined) readerOf.set(channel.token, name);
    // The token is a secret: the message names the channel that has it, never the token.
    else problems.push({ path: ["alerts", name, "commands"], message: `expected one channel per bot to take commands, got a second: channel ${quote(first)} takes this bot's commands already (Telegram gives its updates to one reader); list every chat in its commands: { chats: [...] }` });
  }
  return problems;
}

/** Routes and failovers name channels that exist; a failover chain never comes back to where it began. */
function checkAlertRoutes(config: ParsedConfig): Problem[] {
  const problems: Problem[] = [];
  const names = Object.keys(config.alerts);
  const known = (name: string): string => (names.length === 0 ? "none is configured under alerts:" : `known: ${names.map(quote).join(", ")}${didYouMean(name, names)}`);
  for (const [service, settings] of Object.entries(config.services)) {
    (settings.alerts ?? []).forEach((name, index) => {
      if (!names.includes(name)) problems.push({ path: ["services", service, "alerts", index], message: `expected the name of a channel under alerts:, got ${quote(name)} (${known(name)})` });
    });
  }
  for (const [name, channel] of Object.entries(config.alerts)) {
    const { failover } = channel;
    if (failover === null) continue;
    const path = ["alerts", name, "failover"];
    if (!names.includes(failover)) problems.push({ path, message: `expected the name of another channel, got ${quote(failover)} (${known(failover)})` });
    else if (failover === name) problems.push({ path, message: `expected another channel, got the channel itself (${quote(name)})` });
    else {
      const loop = failoverLoop(config, name);
      if (loop !== null) problems.push({ path, message: `expected a failover chain that ends, got a loop: ${loop.map(quote).join(" → ")}` });
    }
  }
  return problems;
}

/** The chain from `start` when it comes back to `start`; null when it ends (or loops elsewhere, reported there). */
function failoverLoop(config: ParsedConfig, start: string): string[] | null {
  const chain = [start];
  let next = config.alerts[start]?.failover ?? null;
  while (next !== null && !chain.includes(next)) {
    chain.push(next);
    next = config.alerts[next]?.failover ?? null;
  }
  return next === start ? [...chain, start] : null;
}

function checkService(name: string, service: ParsedService): Problem[] {
  const problems: Problem[] = [];
  const { initial, max } = service.restart.backoff;
  if (max < initial) {
    problems.push({ path: ["services", name, "restart", "backoff", "max"], message: `expected at least backoff.initial (${quote(formatDuration(initial))}), got ${quote(formatDuration(max))}` });
  }
  const running = service.checks.flatMap((item, index) => ("running" in item ? [index] : []));
  for (const index of running.slice(1)) {
    problems.push({ path: ["services", name, "checks", index], message: `expected one "running" check per service, got another (first at checks[${running[0]}])` });
  }
  // A dump signal without the file it writes would be sent for nothing; a file without a signal is never written.
  const { signal, file } = service.forensics;
  if (signal !== null && file === null) problems.push({ path: ["services", name, "forensics", "signal"], message: `expected the file the bot writes its dump to on ${signal} (forensics.file), got none` });
  if (file !== null && signal === null) problems.push({ path: ["services", name, "forensics", "file"], message: "expected the signal that makes the bot write this file (forensics.signal), got none" });
  return problems;
}

/**
 * A service has one ping URL, so at most one heartbeat check that takes pings (one without
 * `file`); and pings need `http.token`: without it every ping is refused and the heartbeat
 * could only ever go stale.
 */
function checkPingHeartbeats(config: ParsedConfig): Problem[] {
  const problems: Problem[] = [];
  for (const [name, service] of Object.entries(config.services)) {
    const pinged = service.checks.flatMap((item, index) => (isPingHeartbeat(item) ? [index] : []));
    for (const index of pinged.slice(1)) {
      problems.push({ path: ["services", name, "checks", index], message: `expected one "heartbeat" check without "file" per service (it has one ping URL), got another (first at checks[${pinged[0]}])` });
    }
    if (pinged[0] === undefined) continue;
    if (config.http.token === null) {
      problems.push({ path: ["services", name, "checks", pinged[0]], message: 'expected http.token to be set for a heartbeat by ping, got none (pings without it are refused, so the heartbeat could only go stale); set http.token, e.g. "token: ${LIFEGUARD_TOKEN}", or give the heartbeat a "file"' });
    }
    if (readsAsPingSuffix(name)) {
      problems.push({ path: ["services", name], message: `expected a service name other than "start", "fail" or 0-255 for a heartbeat by ping, got ${quote(name)} (its ping URL /ping/KEY/${name} would read as a signal); rename the service` });
    }
  }
  return problems;
}

/** `start`, `fail` and 0-255 end a ping path as its signal (src/http/ping-path.ts). */
function readsAsPingSuffix(name: string): boolean {
  return name === "start" || name === "fail" || (/^(?:0|[1-9]\d{0,2})$/.test(name) && Number(name) <= 255);
}

function isPingHeartbeat(item: ParsedService["checks"][number]): boolean {
  const options = item.heartbeat as { file?: string | null } | undefined;
  return options !== undefined && (options.file ?? null) === null;
}

/** Each supervised command writes its output to a file of its own: two writers would rotate each other's lines away. */
function checkOutputFiles(config: ParsedConfig, resolvePath: (path: string) => string): Problem[] {
  const problems: Problem[] = [];
  const state = resolvePath(config.state);
  const writtenBy = new Map<string, string>();
  if (config.log.file !== null) writtenBy.set(resolvePath(config.log.file), "log.file");
  for (const [name, service] of Object.entries(config.services)) {
    if (service.command === undefined || service.systemd !== undefined) continue;
    const file = outputFile(service.output.file, { name, state, resolvePath });
    const other = writtenBy.get(file);
    if (other === undefined) writtenBy.set(file, `service ${quote(name)}`);
    else problems.push({ path: ["services", name, "output", "file"], message: `expected a file nothing else writes, got ${quote(file)} (already written by ${other})` });
  }
  return problems;
}
