import { z } from "zod";
import { alerting } from "./alerting.js";
import { channelName, channelSchema } from "./channel-kinds.js";
import { checkItem } from "./check-kinds.js";
import { deadman } from "./deadman.js";
import { duration, filePath, integer, secret, size } from "./fields.js";
import { forensics } from "./forensics.js";
import { listenAddress } from "./listen-address.js";
import { describeValue } from "./messages.js";
import { RUNNER_KINDS } from "./runner-kinds.js";
import { windows } from "./schedule.js";
import { processRunner } from "./runner-process.js";
import { systemdRunner } from "./runner-systemd.js";

/**
 * The configuration file as users write it (kebab-case keys). The one source of validation,
 * defaults, the JSON Schema (`lifeguard schema`) and docs/configuration.md.
 * Parsing gives durations in milliseconds and sizes in bytes; `normalise` shapes the result.
 */

/** Service names: used in messages, the store and URLs. */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]*$/;

const serviceName = z.string().regex(SERVICE_NAME, {
  error: (issue) => `expected a service name of letters, digits, "_", ".", "@" and "-", starting with a letter or digit, got ${describeValue(issue.input)}`,
});

const limit = z
  .strictObject({
    max: integer(1).default(3).describe("At most this many restarts in any window of `per`."),
    per: duration({ min: 1 }).prefault("1h").describe("The sliding window of the restart limit."),
  })
  .prefault({})
  .describe("Restart intensity: past the limit Lifeguard gives up (no more automatic restarts) and alerts a human.");

const backoff = z
  .strictObject({
    initial: duration().prefault("10s").describe("Wait before the second restart in a row; the first restart after a stable period is never delayed."),
    max: duration().prefault("5m").describe("The delay doubles with each restart in a row, up to this; must be at least `initial`."),
    "reset-after": duration().prefault("10m").describe("A service healthy for this long is stable again: the delay starts over."),
  })
  .prefault({})
  .describe("Delay between consecutive restarts.");

const restart = z
  .strictObject({
    "stop-timeout": duration({ min: 1 }).prefault("10s").describe("How long a graceful stop may take before the service's processes are killed."),
    "kill-wait": duration().prefault("2s").describe("How long to wait for killed processes to go."),
    "verify-timeout": duration({ min: 1 }).prefault("30s").describe("How long the service has to come up after a start before the restart counts as failed."),
    limit,
    backoff,
    "rearm-after": duration({ min: 1 }).nullable().prefault(null).describe("Re-arm a service that gave up after this long; empty: only `lifeguard reset NAME` re-arms it."),
  })
  .prefault({})
  .describe("How a service is restarted, and how often at most.");

/** Minimum length of the HTTP token: short enough to type, too long to guess. */
const TOKEN_MIN_LENGTH = 16;

// A service has the keys of every runner kind; `checkRunnerKeys` sees that it uses those of exactly one.
const service = z
  .strictObject({
    ...systemdRunner.shape,
    ...processRunner.shape,
    interval: duration({ min: 1000 }).prefault("30s").describe("Time between check rounds in daemon mode (`lifeguard run`); at least `1s`. A round with nothing to judge is skipped: while each check follows what it looks at (`log-fresh` its log, `running` a supervised process) and nothing changed, the service is looked at in full every `interval` or 60 s, whichever is longer, and at its interval again once a change is heard."),
    active: windows("When the service is judged at all (market hours): a list of windows, `[{ cron: \"* 9-16 * * 1-5\", timezone: America/New_York, holidays: [2026-12-25] }]`. Outside every one of them its checks do not run and nothing is restarted; empty: always."),
    quiet: windows("When no automatic restart happens (the broker's nightly maintenance): a list of windows of the same shape. Inside one, failures are still checked, recorded and alerted, but a restart they call for is held back until the window ends; empty: never."),
    checks: z.array(checkItem).prefault([]).describe("Probes run every round. Every service gets a `running` check first, listed or not."),
    "failure-threshold": integer(1).default(2).describe("Consecutive failing rounds before Lifeguard acts."),
    "startup-grace": duration().prefault("60s").describe("After a (re)start, failures do not count for this long."),
    restart,
    forensics,
    alerts: z
      .array(channelName)
      .nullable()
      .prefault(null)
      .describe("The alert channels (names under the top-level `alerts:`) this service's alerts go to; `[]`: none. Empty: every channel."),
  })
  .meta({ oneOf: RUNNER_KINDS.map((spec) => ({ required: [spec.key] })) })
  .describe("One watched service: a systemd unit (`systemd`), or a command Lifeguard runs itself (`command`).");

const services = z
  .record(serviceName, service, { error: (issue) => (issue.input === undefined ? 'missing required key; expected a map of services, e.g. "trader: { systemd: gemini-trader.service }"' : undefined) })
  .check((context) => {
    if (Object.keys(context.value).length === 0) context.issues.push({ code: "custom", input: context.value, message: "expected at least one service, got none" });
  })
  .meta({ minProperties: 1 })
  .describe("The watched services, by name (letters, digits, `_`, `.`, `@`, `-`).");

const log = z
  .strictObject({
    file: filePath().nullable().default(null).describe("The watchdog log file; relative to the config file's directory. Empty: standard output."),
    format: z.enum(["text", "json"]).default("text").describe("`text`: one line per fact, `[time] [TAG] message`; `json`: one JSON object per line."),
    "max-size": size().nullable().prefault(null).describe("Rotate the log file to `<file>.1` beyond this size. Empty: never (leave it to logrotate)."),
    keep: integer(0).default(3).describe("Rotated files kept: `<file>.1` ... `<file>.<keep>`."),
  })
  .prefault({})
  .describe("The watchdog log: what Lifeguard saw and did.");

const retention = z
  .strictObject({
    "max-age": duration({ min: 1 }).prefault("90d").describe("History and events older than this are pruned, and what a check kept between `check` runs (a log's read position) when not written for as long."),
    "max-size": size().prefault("64MiB").describe("The store is pruned, oldest first, to stay under this size."),
  })
  .prefault({})
  .describe("How much history the store keeps.");

const http = z
  .strictObject({
    listen: listenAddress()
      .prefault("127.0.0.1:9473")
      .describe('Where the HTTP server listens: `host:port`, or `"[ipv6]:port"` in quotes (YAML would read an unquoted `[` as a list); port 0 to 65535.'),
    token: secret({ minLength: TOKEN_MIN_LENGTH })
      .nullable()
      .default(null)
      .describe(`The secret HTTP clients must present (\`Authorization: Bearer ...\`); at least ${TOKEN_MIN_LENGTH} characters. Write \`\${LIFEGUARD_TOKEN}\` to keep it out of the file. Needed for pings and for what shows a service's output or evidence (\`/api/history\`, the whole \`/api/status\`). Empty: no token, so those are refused (403) until one is set, and \`/api/status\` names each service and its health only.`),
  })
  .prefault({})
  .describe("Lifeguard's HTTP server in daemon mode (`lifeguard run`): health, metrics and the API.");

/** The whole configuration file. */
export const configSchema = z
  .strictObject({
    state: filePath().default("/var/lib/lifeguard").describe("Directory of the SQLite store; relative to the config file's directory."),
    log,
    retention,
    http,
    deadman,
    services,
    privilege: z
      .enum(["polkit", "sudo"])
      .default("polkit")
      .describe("How Lifeguard controls its units when it runs as a user other than root. `polkit`: it asks systemd's manager itself (over the system bus, or through `systemctl`: the same methods), and systemd asks polkit, whose rule (written by `lifeguard install`) lets it start, stop and kill exactly these units. `sudo`, for a box without polkit: each call that changes a unit runs as `sudo -n systemctl ...`, exactly the command lines the sudoers drop-in written by `lifeguard install` allows (docs/deployment.md); questions (`systemctl show`) never go through sudo."),
    alerts: z
      .record(channelName, channelSchema)
      .prefault({})
      .describe("The alert channels, by name (letters, digits, `_`, `.`, `-`): where a human hears what Lifeguard did or could not do. A service without `alerts:` goes to every channel."),
    alerting,
  })
  .describe("Lifeguard configuration.");

/** The file as parsed by the schema: kebab-case keys, defaults applied, durations in ms, sizes in bytes. */
export type ParsedConfig = z.output<typeof configSchema>;
/** One service as parsed. */
export type ParsedService = ParsedConfig["services"][string];
