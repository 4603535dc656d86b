import { formatDuration } from "../core/duration.js";
import { quote } from "./messages.js";
import type { Problem } from "./problem.js";
import type { ParsedConfig, ParsedService } from "./schema.js";
import { toUnitName } from "./unit-name.js";

/** Rules that span fields, checked once every field is valid on its own. */
export function checkRules(config: ParsedConfig): Problem[] {
  const problems: Problem[] = [];
  if (config.log["max-size"] !== null && config.log.file === null) {
    problems.push({ path: ["log", "max-size"], message: "expected a log file to rotate, got none (set log.file, or remove max-size: standard output is not rotated)" });
  }
  const watchedBy = new Map<string, string>();
  for (const [name, service] of Object.entries(config.services)) {
    problems.push(...checkService(name, service));
    const unit = toUnitName(service.systemd);
    const other = watchedBy.get(unit);
    if (other === undefined) watchedBy.set(unit, name);
    else problems.push({ path: ["services", name, "systemd"], message: `expected a unit no other service watches, got ${quote(unit)} (already watched by service ${quote(other)})` });
  }
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
