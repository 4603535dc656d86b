import type { CHANNEL_KINDS } from "./channel-kinds.js";
import type { CHECK_KINDS } from "./check-kinds.js";
import type { normalise } from "./normalise.js";
import type { RUNNER_KINDS } from "./runner-kinds.js";

/**
 * The normalised configuration's types, inferred from what produces the values: each kind's
 * normaliser (config/check-*.ts, channel-*.ts, runner-*.ts, listed in the registries) and
 * `normalise` (normalise.ts). Their doc comments live there, on the fields as they are made.
 * Type-only: the daemon imports these names without loading zod or the schema.
 */

export type { UnreadableAction } from "./on-unreadable.js";

/** A validated, normalised configuration: every default applied, every duration in ms. */
export type LifeguardConfig = ReturnType<typeof normalise>;
export type LogConfig = LifeguardConfig["log"];
export type RetentionConfig = LifeguardConfig["retention"];
/** Lifeguard's HTTP server in daemon mode. */
export type HttpConfig = LifeguardConfig["http"];
/** The outbound dead-man's switch: `lifeguard run` requests `url` every interval while it is healthy. */
export type DeadmanConfig = NonNullable<LifeguardConfig["deadman"]>;
/** How the outbox delivers: retries, expiry and noise control (`alerting:`). */
export type AlertingConfig = LifeguardConfig["alerting"];
export type ServiceConfig = LifeguardConfig["services"][number];
export type RestartConfig = ServiceConfig["restart"];

/** A check's normalised config: one type per kind of the registry (check-kinds.ts). */
export type CheckConfig = ServiceConfig["checks"][number];
export type CheckKind = (typeof CHECK_KINDS)[number]["kind"];
/** The config of one check kind: what its probe (src/checks/) is built from. */
export type CheckConfigOf<Kind extends CheckKind> = Extract<CheckConfig, { kind: Kind }>;
/** Options every check kind accepts. */
export type CheckCommon = Pick<CheckConfig, "id" | "timeoutMs" | "alertOnly">;
export type RunningCheckConfig = CheckConfigOf<"running">;
export type LogFreshCheckConfig = CheckConfigOf<"log-fresh">;
export type LogActivityCheckConfig = CheckConfigOf<"log-activity">;
/** The service proves it is alive: by pinging Lifeguard over HTTP, or by touching a file. */
export type HeartbeatCheckConfig = CheckConfigOf<"heartbeat">;
/** A request that must answer with an expected status (and body). */
export type HttpCheckConfig = CheckConfigOf<"http">;
/** A TCP connection that must open. */
export type TcpCheckConfig = CheckConfigOf<"tcp">;
/** A program whose exit status says the service is healthy. */
export type ExecCheckConfig = CheckConfigOf<"exec">;
/** The memory of the service's processes against `max` and its limit (issue 15). */
export type MemoryCheckConfig = CheckConfigOf<"memory">;
/** The CPU, threads and open files of the service's processes (issue 15). */
export type CpuCheckConfig = CheckConfigOf<"cpu">;
/** The service holds a TCP connection to a peer, whose queues move. */
export type ConnectionCheckConfig = CheckConfigOf<"connection">;

/** How a service is controlled: one type per kind of the registry (runner-kinds.ts); `kind` picks the runner (src/compose/build-app.ts). */
export type RunnerConfig = ServiceConfig["runner"];
export type RunnerKind = (typeof RUNNER_KINDS)[number]["kind"];
/** The config of one runner kind: what its runner (src/runners/) is built from. */
export type RunnerConfigOf<Kind extends RunnerKind> = Extract<RunnerConfig, { kind: Kind }>;
export type SystemdRunnerConfig = RunnerConfigOf<"systemd">;
/** Supervisor mode: Lifeguard spawns the command itself, in its own process group. */
export type ProcessRunnerConfig = RunnerConfigOf<"process">;
/** Where a supervised command's stdout and stderr go, rotated by size. */
export type OutputConfig = ProcessRunnerConfig["output"];

/** An alert channel's normalised config: one type per type of the registry (channel-kinds.ts). */
export type ChannelConfig = LifeguardConfig["channels"][number];
export type ChannelType = (typeof CHANNEL_KINDS)[number]["type"];
/** The config of one channel type: what its sender (src/notify/channels/) is built from. */
export type ChannelConfigOf<Type extends ChannelType> = Extract<ChannelConfig, { type: Type }>;
/** Options every alert channel has. */
export type ChannelCommon = Pick<ChannelConfig, "name" | "timeoutMs" | "failover" | "failoverAfterMs">;
export type EmailChannelConfig = ChannelConfigOf<"email">;
/** SMTP: nodemailer's transport. */
export type SmtpTransportConfig = Extract<EmailChannelConfig["transport"], { kind: "smtp" }>;
/** The local sendmail program. */
export type SendmailTransportConfig = Extract<EmailChannelConfig["transport"], { kind: "sendmail" }>;
/** Telegram's Bot API `sendMessage`. */
export type TelegramChannelConfig = ChannelConfigOf<"telegram">;
/** A JSON POST to `url`; `preset` shapes the body for a known receiver. */
export type WebhookChannelConfig = ChannelConfigOf<"webhook">;
/** Alertmanager's v2 API: firing and resolved alerts, one per service incident. */
export type AlertmanagerChannelConfig = ChannelConfigOf<"alertmanager">;
/** A program run with the alert in its environment and as JSON on its standard input; argv, never a shell. */
export type ExecChannelConfig = ChannelConfigOf<"exec">;
