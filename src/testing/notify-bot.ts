import { fileURLToPath } from "node:url";

/** The Type=notify bot (bots/notify-bot.ts); the sandbox sees the checkout at the same path. */
export const NOTIFY_BOT = fileURLToPath(new URL("./bots/notify-bot.ts", import.meta.url));
/** The checkout: the bot runs from here so that `--import tsx` resolves. */
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

export interface NotifyBotUnitOptions {
  notifyAccess: "main" | "all";
  watchdogSec: number;
  /** The bot's STATUS= line. */
  status: string;
  /** Where the bot writes {"pid", "child"} (and its child {"pid", "sent"} to "<pidFile>.child-<pid>"). */
  pidFile: string;
  /** The bot's stdout and stderr (failed sends), appended. */
  log: string;
  /** Send through systemd's `systemd-notify` instead of the native addon (default: the addon). */
  sender?: "native" | "systemd-notify";
  /** Run the bot as this user (default: root). */
  user?: string;
  /** Start a child process that sends STATUS=<status> and pings WATCHDOG=1 every 300ms. */
  child?: { status: string };
}

/**
 * A unit running the notify bot under the watchdog, as Lifeguard's own unit will run: `Type=notify`,
 * `WatchdogSec=`, and `Restart=on-watchdog`, so a restart happens only on a watchdog timeout.
 */
export function notifyBotUnit(options: NotifyBotUnitOptions): string {
  const environment = {
    NOTIFY_BOT_PID_FILE: options.pidFile,
    NOTIFY_BOT_STATUS: options.status,
    ...(options.child === undefined ? {} : { NOTIFY_BOT_CHILD: "1", NOTIFY_BOT_CHILD_STATUS: options.child.status }),
    ...(options.sender === "systemd-notify" ? { NOTIFY_BOT_SENDER: "systemd-notify" } : {}),
  };
  return `[Unit]
Description=Lifeguard notify test bot
StartLimitIntervalSec=0
[Service]
Type=notify
NotifyAccess=${options.notifyAccess}
WatchdogSec=${options.watchdogSec}s
Restart=on-watchdog
RestartSec=100ms
# systemd aborts a silent bot (SIGABRT): no core file may land in the real filesystem, and the
# abort goes to the bot alone (tsx's esbuild helper, a Go program, would dump its stacks): the
# rest of the unit gets SIGKILL.
LimitCORE=0
KillMode=mixed
WorkingDirectory=${REPO_ROOT}
${options.user === undefined ? "" : `User=${options.user}\nTimeoutStartSec=5s\n`}${Object.entries(environment).map(([name, value]) => `Environment="${name}=${unitValue(value)}"`).join("\n")}
StandardOutput=append:${options.log}
StandardError=inherit
ExecStart=${process.execPath} --import tsx ${NOTIFY_BOT}
`;
}

/** A value inside a quoted unit-file string: `%` starts a specifier, quotes and newlines would end it. */
function unitValue(value: string): string {
  if (/["\\\n]/.test(value)) throw new TypeError(`Cannot put ${JSON.stringify(value)} in a unit file as-is`);
  return value.replace(/%/g, "%%");
}
