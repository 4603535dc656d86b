import { formatDuration, formatSize, parseDuration, parseSize } from "../../core/duration.js";
import { UsageError } from "../../core/errors.js";
import { describePatternProblem } from "../../config/describe-pattern-problem.js";
import { serviceNameOf } from "../../config/quick-defaults.js";
import { SERVICE_NAME } from "../../config/schema.js";
import { toUnitName, unitNameProblem } from "../../config/unit-name.js";
import { askChannel, type ChannelContext } from "./ask-channel.js";
import { answer, checkYesNo, isYes, type Asker, type Choice } from "./questions.js";
import { FALLBACK_MAX_AGE } from "./propose-max-age.js";
import { secretsOf, type InitFlags, type InitPlan, type UnitPlan } from "./plan.js";
import type { LogCandidate } from "./recent-logs.js";
import type { LogProposals } from "./sample-log.js";
import type { UnitList } from "./systemd-facts.js";

/** What the dialogue learns from the machine; the command passes the real one, tests their own. */
export interface Discovery extends ChannelContext {
  listUnits(): Promise<UnitList>;
  logCandidates(service: InitPlan["service"]): Promise<LogCandidate[]>;
  /** A typed path, relative to the current directory, made absolute (the file's paths are relative to its own directory). */
  absolute(path: string): string;
  /** Why `path` cannot be read as a log, or null (also when it does not exist yet and `missingOk`). */
  logProblem(path: string, options?: { missingOk?: boolean }): string | null;
  propose(path: string, onWatch: (ms: number) => void): Promise<LogProposals>;
  /** Lifeguard's store, and where it captures a command's output (`<state>/<name>.out.log`). */
  state: string;
  outputFile(name: string): string;
  now: number;
}

/**
 * The questions of `lifeguard init`, in order: the service, its name, its log, the pattern and
 * max-age proposed from that log, the alert channel and its settings, and whether secrets go in
 * the file. Each is answered by its flag, else by the asker. Returns the plan the file is written from.
 */
export async function runDialogue(flags: InitFlags, asker: Asker, discovery: Discovery): Promise<InitPlan> {
  const service = await askService(flags, asker, discovery);
  const base = "systemd" in service ? service.systemd.replace(/\.service$/, "") : service.command[0] ?? "";
  const name = await answer(asker, { id: "name", text: "Name of the service in Lifeguard", flag: "--name NAME", default: serviceNameOf(base), check: (value) => (SERVICE_NAME.test(value) ? null : 'use letters, digits, "_", ".", "@" and "-", starting with a letter or digit') }, flags.name);
  const log = await askLog(flags, asker, discovery, service, name);
  const proposals = await proposeFor(log.path, asker, discovery);
  const match = await askMatch(flags, asker, proposals);
  const maxAge = await askMaxAge(flags, asker, proposals);
  const channel = await askChannel(flags, asker, discovery);
  const known = channel === null ? [] : secretsOf(channel.settings).filter((secret) => secret.value !== undefined);
  const literalSecrets = flags.literalSecrets === true || (asker.interactive && known.length > 0 && isYes(await asker.ask({ id: "literal-secrets", text: "Write the secret into the file itself instead of a ${VAR} reference (not recommended)? y/N", flag: "--literal-secrets", default: "n", check: checkYesNo })));
  return { name, service, log, match, maxAge, channel, literalSecrets, state: discovery.state };
}

async function askService(flags: InitFlags, asker: Asker, discovery: Discovery): Promise<InitPlan["service"]> {
  const check = (value: string) => unitNameProblem(value) ?? null;
  const unitFlags = (["runAs", "workdir", "memoryMax", "cpuQuota"] as const).filter((key) => flags[key] !== undefined);
  if (unitFlags.length > 0 && (flags.unit === undefined || flags.command === undefined)) {
    throw new UsageError(`Cannot use ${unitFlags.map((key) => UNIT_FLAGS[key]).join(", ")} without both --unit and --command: they describe the unit \`lifeguard install\` writes for the command`);
  }
  if (flags.unit !== undefined && flags.command !== undefined) {
    const systemd = toUnitName(await answer(asker, { id: "service", text: "", flag: "--unit NAME", check }, flags.unit));
    return { systemd, installUnit: unitPlan(flags, flags.command, discovery) };
  }
  if (flags.command !== undefined) return { command: flags.command };
  if (flags.unit !== undefined) return { systemd: toUnitName(await answer(asker, { id: "service", text: "", flag: "--unit NAME", check }, flags.unit)) };
  // Without a person to choose, a list is no use: the flags asker names --unit at once.
  const listed = asker.interactive ? await discovery.listUnits() : { units: [], problem: null };
  if (listed.problem !== null) asker.say(`${listed.problem}.`);
  else if (listed.units.length === 0 && asker.interactive) asker.say("No service is running under systemd.");
  const choices: Choice[] = listed.units.map((unit) => ({ value: unit, label: unit }));
  const text = choices.length > 0 ? "Which service should Lifeguard watch? (a number, or a unit's name)" : "Which systemd unit should Lifeguard watch? (its name)";
  const unit = await asker.ask({ id: "service", text, flag: "--unit NAME or --command CMD...", choices, check });
  return { systemd: toUnitName(unit) };
}

const UNIT_FLAGS = { runAs: "--run-as", workdir: "--workdir", memoryMax: "--memory-max", cpuQuota: "--cpu-quota" } as const;
const CPU_QUOTA = /^\d+(\.\d+)?%$/;

/** The unit install writes for `command` (--unit with --command), its values checked as the schema will. */
function unitPlan(flags: InitFlags, command: string[], discovery: Discovery): UnitPlan {
  if (command.length === 0 || command[0] === "") throw new UsageError("Cannot write a unit for an empty --command");
  if (flags.memoryMax !== undefined && (parseSize(flags.memoryMax) ?? 0) < 1024 * 1024) throw new UsageError(`Cannot read --memory-max "${flags.memoryMax}": expected a size of at least 1MiB, like "512MiB" or "1GiB"`);
  if (flags.cpuQuota !== undefined && (!CPU_QUOTA.test(flags.cpuQuota) || Number.parseFloat(flags.cpuQuota) <= 0)) throw new UsageError(`Cannot read --cpu-quota "${flags.cpuQuota}": expected a percentage of one CPU above 0, like "80%"`);
  return {
    execStart: command,
    user: flags.runAs ?? null,
    workingDirectory: flags.workdir === undefined ? null : discovery.absolute(flags.workdir),
    memoryMax: flags.memoryMax ?? null,
    cpuQuota: flags.cpuQuota ?? null,
  };
}

async function askLog(flags: InitFlags, asker: Asker, discovery: Discovery, service: InitPlan["service"], name: string): Promise<InitPlan["log"]> {
  const captured = "command" in service ? discovery.outputFile(name) : null;
  // A bot whose unit install is to write may not have run yet: its log may come with its first start.
  const missingOk = "installUnit" in service;
  const check = (path: string) => (path === captured ? null : discovery.logProblem(path, { missingOk }));
  if (flags.log !== undefined) return { path: discovery.absolute(await answer(asker, { id: "log", text: "", flag: "--log PATH", check: (path) => check(discovery.absolute(path)) }, flags.log)), why: "you named it (--log)" };
  const candidates = await discovery.logCandidates(service);
  const choices: Choice[] = [
    ...(captured === null ? [] : [{ value: captured, label: `${captured} (its output, as Lifeguard will capture it)` }]),
    ...candidates.map((c) => ({ value: c.path, label: `${c.path} (${c.from}; written ${formatDuration(Math.max(0, discovery.now - c.mtimeMs))} ago, ${formatSize(c.size)})` })),
  ];
  if (choices.length === 0) asker.say("No log file written in the last hour was found in the usual places.");
  const own = captured ?? candidates.find((candidate) => candidate.own)?.path;
  const path = discovery.absolute(await asker.ask({ id: "log", text: "Which log shows the service working? (a number, or a path)", flag: "--log PATH", choices, ...(own === undefined ? {} : { default: own }), check: (typed) => check(discovery.absolute(typed)) }));
  const found = candidates.find((candidate) => candidate.path === path);
  const why = path === captured ? "the command's output, which Lifeguard captures" : found === undefined ? "you named it" : `found in ${found.from}, written recently`;
  return { path, why };
}

async function proposeFor(path: string, asker: Asker, discovery: Discovery): Promise<LogProposals | null> {
  if (discovery.logProblem(path) !== null) {
    asker.say(`Nothing to read in ${path} yet, so there is no proposal from it.`);
    return null;
  }
  const proposals = await discovery.propose(path, (ms) => asker.say(`The log's lines carry no time: watching ${path} grow for ${formatDuration(ms)}...`));
  asker.say(`Read the last ${proposals.linesRead} lines of ${path}.`);
  return proposals;
}

async function askMatch(flags: InitFlags, asker: Asker, proposals: LogProposals | null): Promise<InitPlan["match"]> {
  const proposed = proposals?.match ?? { pattern: null, why: "there was no log to read" };
  if (flags.match === undefined) asker.say(proposed.pattern === null ? `No pattern proposed: ${proposed.why}.` : `Proposed pattern ${JSON.stringify(proposed.pattern)}: ${proposed.why}.`);
  const check = (value: string) => (value === "-" ? null : describePatternProblem(value) ?? null);
  const chosen = await answer(asker, { id: "match", text: "Pattern of a line that shows the service working (RE2 syntax; - for none)", flag: "--match REGEX", default: proposed.pattern ?? "-", check }, flags.match);
  const pattern = chosen === "-" ? null : chosen;
  if (pattern === proposed.pattern) return proposed;
  return { pattern, why: pattern === null ? "you chose none" : "you chose it" };
}

async function askMaxAge(flags: InitFlags, asker: Asker, proposals: LogProposals | null): Promise<InitPlan["maxAge"]> {
  const proposed = proposals?.maxAge ?? { ...FALLBACK_MAX_AGE, why: `there was no log to read, so this is the seed's ${FALLBACK_MAX_AGE.value}` };
  if (flags.maxAge === undefined) asker.say(`Proposed max-age ${proposed.value}: ${proposed.why}.`);
  const check = (value: string) => ((parseDuration(value) ?? 0) >= 1000 ? null : 'expected a duration of at least 1s, like "90s", "5m" or "1h"');
  const value = await answer(asker, { id: "max-age", text: "How long may the log stay unwritten before the service counts as frozen?", flag: "--max-age DURATION", default: proposed.value, check }, flags.maxAge);
  return value === proposed.value ? { value, why: proposed.why } : { value, why: "you chose it" };
}

