// notify-bot: a Type=notify service for Lifeguard's tests, built on Lifeguard's own notifier.
//
// Run as `node --import tsx notify-bot.ts` (the unit's working directory is the checkout).
// Main role: sends READY=1 and STATUS=$NOTIFY_BOT_STATUS, pings WATCHDOG=1 from a setInterval
// loop at the interval systemd asks for (so SIGSTOP silences it), reloads on SIGHUP (RELOADING=1,
// then STATUS="<status> (reloaded)" and READY=1), sends STOPPING=1 on SIGTERM.
// With NOTIFY_BOT_CHILD=1 it also starts itself in the child role: a second process of the unit
// that sends STATUS=$NOTIFY_BOT_CHILD_STATUS and pings WATCHDOG=1 every 300ms, as a supervised
// child could. Writes {"pid", "child"} to $NOTIFY_BOT_PID_FILE once running, and the child writes
// {"pid", "sent"} to "$NOTIFY_BOT_PID_FILE.child-<its pid>" after each send (each file is replaced
// whole, never seen half-written). Failed sends go to stderr. With NOTIFY_BOT_SENDER=systemd-notify
// the bot sends through systemd's `systemd-notify`, as a Lifeguard without its native addon does.
import { spawn, type ChildProcess } from "node:child_process";
import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Outcome } from "../../core/outcome.js";
import { createSystemdNotifier, type SystemdNotifier } from "../../process/sd-notify.js";
import { systemdNotifyCommand } from "../../process/systemd-notify-command.js";

const CHILD_EVERY_MS = 300;
/** How long a reload (SIGHUP) takes: RELOADING=1, then this long later STATUS= and READY=1. */
const RELOAD_MS = 1000;
const env = process.env;
const pidFile = env.NOTIFY_BOT_PID_FILE;
const report = (outcome: Outcome): void => {
  if (!outcome.ok) console.error(outcome.summary);
};
const writeJson = (path: string, value: unknown): void => {
  writeFileSync(`${path}.tmp`, JSON.stringify(value));
  renameSync(`${path}.tmp`, path);
};

function runMain(notifier: SystemdNotifier): void {
  const every = notifier.watchdogIntervalMs();
  if (every !== null) setInterval(() => report(notifier.watchdog()), every);
  report(notifier.ready());
  report(notifier.status(env.NOTIFY_BOT_STATUS ?? "running"));
  let child: ChildProcess | null = null;
  if (env.NOTIFY_BOT_CHILD === "1") {
    child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "child"], { stdio: "inherit" });
  }
  console.log(`notify-bot ${process.pid}: ready, watchdog ${every === null ? "off" : `every ${every}ms`}`);
  if (pidFile !== undefined) writeJson(pidFile, { pid: process.pid, child: child?.pid ?? null });
  process.on("SIGHUP", () => {
    report(notifier.reloading());
    setTimeout(() => {
      report(notifier.status(`${env.NOTIFY_BOT_STATUS ?? "running"} (reloaded)`));
      report(notifier.ready());
    }, RELOAD_MS);
  });
  process.on("SIGTERM", () => {
    report(notifier.stopping());
    child?.kill("SIGTERM");
    process.exit(0);
  });
}

function runChild(notifier: SystemdNotifier): void {
  let sent = 0;
  const send = (outcome: Outcome): void => {
    report(outcome);
    sent += outcome.ok ? 1 : 0;
    if (pidFile !== undefined) writeJson(`${pidFile}.child-${process.pid}`, { pid: process.pid, sent });
  };
  send(notifier.status(env.NOTIFY_BOT_CHILD_STATUS ?? "child"));
  setInterval(() => send(notifier.watchdog()), CHILD_EVERY_MS);
}

const helper = systemdNotifyCommand((error) => {
  if (error !== null) console.error(`systemd-notify: ${error.reason}`);
});
const notifier = createSystemdNotifier(process.env, env.NOTIFY_BOT_SENDER === "systemd-notify" ? { send: helper } : {});
if (notifier === null) {
  console.error("notify-bot: NOTIFY_SOCKET is not set (run it as a Type=notify unit)");
  process.exit(2);
}
if (process.argv[2] === "child") runChild(notifier);
else runMain(notifier);
