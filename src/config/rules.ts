import { formatDuration } from "../core/duration.js";
import { quote } from "./messages.js";
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
  return problems;
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
  return problems;
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
