import type { PolicySettings } from "../core/policy.js";
import type { UnreadableAction } from "./on-unreadable.js";

export type { UnreadableAction };

/** Options every check kind accepts. */
export interface CheckCommon {
  /** Unique within the service: the kind, with `#2`, `#3`... for repeats (`log-activity#2`). */
  id: string;
  /** Bound on one run of the check; a check that takes longer is a failed observation. */
  timeoutMs: number;
  /** Report failures but never restart because of them. */
  alertOnly: boolean;
}

export interface RunningCheckConfig extends CheckCommon {
  kind: "running";
}

export interface LogFreshCheckConfig extends CheckCommon {
  kind: "log-fresh";
  path: string;
  maxAgeMs: number;
  /** A file Lifeguard cannot read: absent (`alert`) the check is unobserved, never a restart; `restart` counts it as a failure. */
  onUnreadable?: UnreadableAction;
}

export interface LogActivityCheckConfig extends CheckCommon {
  kind: "log-activity";
  path: string;
  /** How many lines from the end of the file to look at. */
  lines: number;
  /** Regular expression (RE2 syntax, matched in linear time) a line must match to count as activity. */
  match: string;
  /** At least this many matching lines in the tail. */
  min: number;
  /** Regular expression that fails the check when any tail line matches it, e.g. `Traceback`. */
  forbid: string | null;
  ignoreCase: boolean;
  /** A file Lifeguard cannot read: absent (`alert`) the check is unobserved, never a restart; `restart` counts it as a failure. */
  onUnreadable?: UnreadableAction;
}

/** The service proves it is alive: by pinging Lifeguard over HTTP, or by touching a file. */
export interface HeartbeatCheckConfig extends CheckCommon {
  kind: "heartbeat";
  /** Fail when the last ping (or touch) is older than this. */
  maxAgeMs: number;
  /** A file the service touches, absolute; null: pings to `/ping/NAME` (at most one such check per service). */
  file: string | null;
  /** A file Lifeguard cannot read: absent (`alert`) the check is unobserved, never a restart; `restart` counts it as a failure. */
  onUnreadable?: UnreadableAction;
}

export type CheckConfig = RunningCheckConfig | LogFreshCheckConfig | LogActivityCheckConfig | HeartbeatCheckConfig;
export type CheckKind = CheckConfig["kind"];

export interface SystemdRunnerConfig {
  kind: "systemd";
  /** Full unit name, `.service` added when no suffix was given. */
  unit: string;
  /** Bound on every systemctl call that has no step timeout of its own. */
  commandTimeoutMs: number;
}

/** Where a supervised command's stdout and stderr go, rotated by size. */
export interface OutputConfig {
  file: string;
  /** The file never grows beyond this: it is rotated to `<file>.1` first. */
  maxBytes: number;
  /** Rotated files kept: `<file>.1` ... `<file>.<keep>`. */
  keep: number;
}

/** Supervisor mode: Lifeguard spawns the command itself, in its own process group. */
export interface ProcessRunnerConfig {
  kind: "process";
  /** argv: the program and its arguments, never a shell line. */
  command: string[];
  /** Working directory, absolute; null: Lifeguard's own. */
  cwd: string | null;
  /** Added to the environment the command inherits from Lifeguard (they win over it). */
  env: Record<string, string>;
  /** Run as this user (name or uid); null: Lifeguard's own user. */
  user: string | null;
  output: OutputConfig;
  /** A start counts as stable once the command has run this long. */
  minUptimeMs: number;
}

/** How a service is controlled; `kind` picks the runner (src/compose/build-app.ts). */
export type RunnerConfig = SystemdRunnerConfig | ProcessRunnerConfig;

export interface RestartConfig {
  stopTimeoutMs: number;
  killWaitMs: number;
  verifyTimeoutMs: number;
}

export interface ServiceConfig {
  name: string;
  /** What the service controls, for people: the unit name, or the command line (shortened). */
  target: string;
  runner: RunnerConfig;
  intervalMs: number;
  /** Always starts with the implicit `running` check. */
  checks: CheckConfig[];
  restart: RestartConfig;
  policy: PolicySettings;
  /** Names of the channels its alerts go to (every channel unless the service lists some); may be empty. */
  alerts: string[];
}

export interface LogConfig {
  /** null: standard output. */
  file: string | null;
  format: "text" | "json";
  /** Rotate the watchdog log to `<file>.1` beyond this size; null: never (leave it to logrotate). */
  maxBytes: number | null;
  /** Rotated files kept: `<file>.1` ... `<file>.<keep>`. */
  keep: number;
}

export interface RetentionConfig {
  /** History and events older than this are pruned. */
  maxAgeMs: number;
  /** The store is pruned, oldest first, to stay under this size. */
  maxBytes: number;
}

/** Lifeguard's HTTP server in daemon mode. */
export interface HttpConfig {
  /** A host name or an IP address; an IPv6 address without brackets. */
  host: string;
  /** 0 to 65535; 0: the system picks a free port. */
  port: number;
  /** The secret clients must present; null: none set, so ping and mutating endpoints are refused. Never put it in a message or a log. */
  token: string | null;
}

/** The outbound dead-man's switch: `lifeguard run` requests `url` every interval while it is healthy. */
export interface DeadmanConfig {
  /** A secret (a push URL holds the monitor's key): never in a message, a log or the status; show its origin at most. */
  url: string;
  intervalMs: number;
  /** Bound on one request; a slow request delays the next, requests never overlap. */
  timeoutMs: number;
  method: "GET" | "POST";
}

/** A validated, normalised configuration: every default applied, every duration in ms. */
export interface LifeguardConfig {
  /** Where it came from, for messages: a file path or `<inline>`. */
  source: string;
  /** Directory holding the SQLite store. */
  state: string;
  log: LogConfig;
  retention: RetentionConfig;
  http: HttpConfig;
  /** null: no dead-man's switch. */
  deadman: DeadmanConfig | null;
  services: ServiceConfig[];
  /** The alert channels, in file order. */
  channels: ChannelConfig[];
  alerting: AlertingConfig;
}

/** How the outbox delivers: retries, expiry and noise control (`alerting:`). */
export interface AlertingConfig {
  retry: { initialMs: number; maxMs: number };
  /** An alert not delivered this long after its event is dropped. */
  expireMs: number;
  /** An identical alert (service, kind, reason) within this window is not sent again; 0: never deduplicated. */
  dedupeMs: number;
  /** More than `max` alerts for one service within `perMs`: the rest are held for `perMs` and go out together as one digest. */
  flapping: { max: number; perMs: number };
  /** Remind a gave-up service's channels this often; null: never. */
  remindMs: number | null;
  /** Alert every channel when `lifeguard run` starts and stops. */
  lifecycle: boolean;
}

/** Options every alert channel has. */
export interface ChannelCommon {
  /** The channel's name under `alerts:`, used by routes, `failover` and `test-alert NAME`. */
  name: string;
  /** Bound on one delivery attempt; a channel that takes longer failed this attempt. */
  timeoutMs: number;
  /** The channel that takes over an alert this one keeps failing to deliver; null: none. */
  failover: string | null;
  /** How long this channel may keep failing an alert before `failover` takes it. */
  failoverAfterMs: number;
}

/** SMTP: nodemailer's transport. Port 465 usually means `secure`, 587 STARTTLS, 25 a local relay. */
export interface SmtpTransportConfig {
  kind: "smtp";
  host: string;
  port: number;
  /** Implicit TLS from the first byte (port 465). */
  secure: boolean;
  /** Without `secure`: `required` refuses a server that does not offer STARTTLS, `auto` upgrades when offered, `off` never does. */
  starttls: "required" | "auto" | "off";
  /** null: no authentication. */
  user: string | null;
  /** A secret. */
  pass: string | null;
  /** A PEM file of certificate authorities to trust besides the system's (a self-signed server); absolute; null: the system's only. */
  ca: string | null;
}

/** The local sendmail program (`sendmail -i -t`, message on stdin), e.g. Debian's postfix or msmtp. */
export interface SendmailTransportConfig {
  kind: "sendmail";
  /** Absolute path of the program. */
  path: string;
}

export interface EmailChannelConfig extends ChannelCommon {
  type: "email";
  to: string[];
  from: string;
  transport: SmtpTransportConfig | SendmailTransportConfig;
}

/** Telegram's Bot API `sendMessage`. */
export interface TelegramChannelConfig extends ChannelCommon {
  type: "telegram";
  /** The bot's token (a secret: it is part of every request URL). */
  token: string;
  /** Chat id (`123456789`, `-100...` for a group) or `@channelname`. */
  chat: string;
  /** Base URL of the Bot API, without a trailing slash: `https://api.telegram.org` or a self-hosted server. */
  api: string;
}

/** A JSON POST to `url`; `preset` shapes the body for a known receiver. */
export interface WebhookChannelConfig extends ChannelCommon {
  type: "webhook";
  /** A secret (incoming-webhook URLs hold their key). */
  url: string;
  preset: "generic" | "slack" | "discord" | "ntfy";
  /** Sent with every request; values are secrets (an Authorization header). */
  headers: Record<string, string>;
}

/** Alertmanager's v2 API: firing and resolved alerts, one per service incident. */
export interface AlertmanagerChannelConfig extends ChannelCommon {
  type: "alertmanager";
  /** Base URL of Alertmanager, without a trailing slash: `http://127.0.0.1:9093`. */
  url: string;
  /** Added to every alert's labels (`env: prod`); Lifeguard's own labels win. */
  labels: Record<string, string>;
  /** Sent with every request (a proxy's Authorization); values are secrets. */
  headers: Record<string, string>;
}

/** A program run with the alert in its environment and as JSON on its standard input; argv, never a shell. */
export interface ExecChannelConfig extends ChannelCommon {
  type: "exec";
  command: string[];
  /** Added to the environment the program inherits from Lifeguard. */
  env: Record<string, string>;
}

export type ChannelConfig = EmailChannelConfig | TelegramChannelConfig | WebhookChannelConfig | AlertmanagerChannelConfig | ExecChannelConfig;
export type ChannelType = ChannelConfig["type"];
