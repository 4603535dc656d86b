import { isSecret, secretsOf, type ChannelPlan, type InitPlan, type Setting, type UnitPlan } from "./plan.js";

/** How many of the last lines log-activity looks at, and how many must match (the seed's). */
export const ACTIVITY_LINES = 100;
export const ACTIVITY_MIN = 1;
export const FAILURE_THRESHOLD = 2;
export const RESTART_LIMIT = { max: 3, per: "1h" } as const;
const WIDTH = 100;

/** Lines above the document: where it came from and how to check it. */
export interface RenderContext {
  /** `lifeguard validate -c /etc/...`: the command that checks this file, as printed. */
  validateCommand: string;
  /** Where to put the secrets' variables (an environment file), for their comments. */
  envFile: string;
}

/**
 * The YAML text of the plan, with a comment on each key saying what it does and why this value
 * was chosen. Literal strings have `$` written `$$`, so only the secrets' `${VAR}` are
 * interpolated. Pure.
 */
export function renderConfig(plan: InitPlan, context: RenderContext): string {
  const out: string[] = [];
  const comment = (indent: number, text: string) => out.push(...wrap(text, WIDTH - indent - 2).map((line) => `${" ".repeat(indent)}# ${line}`));
  comment(0, "Lifeguard's configuration, written by `lifeguard init`. Every key: docs/configuration.md.");
  comment(0, `After a change, check it with \`${context.validateCommand}\`.`);
  out.push("");
  comment(0, "Lifeguard's store (SQLite): each service's state, restart history, events and the alert outbox.");
  out.push(`state: ${text(plan.state)}`);
  out.push("services:", `  ${plan.name}:`);
  if ("systemd" in plan.service) {
    comment(4, "The systemd unit Lifeguard watches and restarts: a graceful stop, a kill of the unit's own processes only, a start.");
    out.push(`    systemd: ${text(plan.service.systemd)}`);
    if (plan.service.installUnit !== undefined) renderInstallUnit(plan.service.installUnit, out, comment);
  } else {
    comment(4, "The command Lifeguard starts and supervises itself (only `lifeguard run` does): a list, never a shell line.");
    out.push(`    command: ${list(plan.service.command)}`);
  }
  out.push("    checks:");
  comment(6, `\`running\` is always checked first. The log: ${plan.log.why}.`);
  comment(6, `log-fresh: the log must have been written within max-age, or the service counts as frozen. max-age ${plan.maxAge.value}: ${plan.maxAge.why}.`);
  out.push(`      - log-fresh: { path: ${text(plan.log.path)}, max-age: ${/^[\w.]+$/.test(plan.maxAge.value) ? plan.maxAge.value : text(plan.maxAge.value)} }`);
  if (plan.match.pattern === null) {
    comment(6, `No log-activity check: ${plan.match.why}.`);
  } else {
    comment(6, `log-activity: at least ${ACTIVITY_MIN} of the last ${ACTIVITY_LINES} lines must match, or the service runs but does no work. match ${JSON.stringify(plan.match.pattern)}: ${plan.match.why}.`);
    out.push(`      - log-activity: { path: ${text(plan.log.path)}, lines: ${ACTIVITY_LINES}, match: ${text(plan.match.pattern)}, min: ${ACTIVITY_MIN} }`);
  }
  comment(4, `Act after ${FAILURE_THRESHOLD} failing rounds in a row: one slow moment is no freeze (a crash is answered at once).`);
  out.push(`    failure-threshold: ${FAILURE_THRESHOLD}`);
  comment(4, `At most ${RESTART_LIMIT.max} restarts in any ${RESTART_LIMIT.per}; then Lifeguard gives up, tells you, and waits for \`lifeguard reset ${plan.name}\`.`);
  out.push("    restart:", `      limit: { max: ${RESTART_LIMIT.max}, per: ${RESTART_LIMIT.per} }`);
  out.push(...renderAlerts(plan, context, comment));
  return `${out.join("\n")}\n`;
}

/** `install-unit:`: the bot's own unit, which `lifeguard install` writes and enables at boot. */
function renderInstallUnit(unit: UnitPlan, out: string[], comment: (indent: number, text: string) => void): void {
  comment(4, "The bot has no unit yet: `lifeguard install` writes this one (Restart=on-failure, started at boot) from these keys. More keys: docs/configuration.md.");
  out.push("    install-unit:");
  comment(6, "The program and its arguments, a list (never a shell line): ExecStart=.");
  out.push(`      exec-start: ${list(unit.execStart)}`);
  if (unit.user !== null) out.push(`      user: ${text(unit.user)}`);
  if (unit.workingDirectory !== null) out.push(`      working-directory: ${text(unit.workingDirectory)}`);
  if (unit.memoryMax !== null) {
    comment(6, "MemoryMax=: past it the kernel kills the bot, and systemd restarts it.");
    out.push(`      memory-max: ${text(unit.memoryMax)}`);
  }
  if (unit.cpuQuota !== null) {
    comment(6, "CPUQuota=: at most this share of one CPU.");
    out.push(`      cpu-quota: ${text(unit.cpuQuota)}`);
  }
}

function renderAlerts(plan: InitPlan, context: RenderContext, comment: (indent: number, text: string) => void): string[] {
  const out: string[] = [];
  const { channel } = plan;
  if (channel === null) {
    comment(0, "No alert channel yet: add one under `alerts:` (docs/alerts/), then run `lifeguard test-alert`.");
    return [];
  }
  comment(0, `Where a human hears of restarts, give-ups and recoveries. Every service without \`alerts:\` goes to every channel. ${channel.about}`);
  return [...out, "alerts:", `  ${channel.name}:`, `    type: ${channel.type}`, ...renderSettings(channel, plan.literalSecrets, context, 4)];
}

/** Each setting on its own line (a map's keys below it), with its comment above it. */
function renderSettings(channel: Pick<ChannelPlan, "settings" | "comments">, literal: boolean, context: RenderContext, indent: number): string[] {
  const pad = " ".repeat(indent);
  return Object.entries(channel.settings).flatMap(([key, value]) => {
    const lines: string[] = [];
    const note = channel.comments[key] ?? secretNote(value, literal, context);
    if (note !== undefined) lines.push(...wrap(note, WIDTH - indent - 2).map((line) => `${pad}# ${line}`));
    if (typeof value === "object" && !Array.isArray(value) && !isSecret(value)) {
      lines.push(`${pad}${key}:`, ...renderSettings({ settings: value, comments: {} }, literal, context, indent + 2));
    } else {
      lines.push(`${pad}${key}: ${scalar(value, literal)}`);
    }
    return lines;
  });
}

function secretNote(value: Setting, literal: boolean, context: RenderContext): string | undefined {
  if (!isSecret(value)) return undefined;
  if (literal && value.value !== undefined) return "A secret, written here as you asked: this file is readable by its owner only (mode 0600).";
  return `A secret, kept out of this file: put ${value.secret}=... in ${context.envFile} (mode 0600), for Lifeguard's unit to load (EnvironmentFile=).`;
}

function scalar(value: Setting, literal: boolean): string {
  if (isSecret(value)) return literal && value.value !== undefined ? text(value.value) : `"\${${value.secret}}"`;
  if (Array.isArray(value)) return list(value);
  return typeof value === "string" ? text(value) : String(value);
}

/** The secrets that stay references (`${VAR}`) in the written file. */
export function referencedSecrets(plan: InitPlan): string[] {
  if (plan.channel === null) return [];
  return secretsOf(plan.channel.settings).filter((secret) => !plan.literalSecrets || secret.value === undefined).map((secret) => secret.secret);
}

/** A string as YAML takes it literally: double-quoted (JSON's escapes are YAML's), `$` doubled against interpolation. */
export function text(value: string): string {
  // A function: in a replacement string, "$$" itself means one "$".
  return JSON.stringify(value.replaceAll("$", () => "$$"));
}

function list(values: readonly string[]): string {
  return `[${values.map(text).join(", ")}]`;
}

/** Words of `line` in lines of at most `width` characters (a longer word stands alone). */
export function wrap(line: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of line.split(" ")) {
    if (current !== "" && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === "" ? word : `${current} ${word}`;
    }
  }
  return [...lines, current];
}
