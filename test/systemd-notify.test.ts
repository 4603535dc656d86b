// Lifeguard's sd_notify adapter against real systemd (252 here) in a namespace sandbox: a
// Type=notify unit with WatchdogSec=2s and Restart=on-watchdog runs a small Node bot that uses
// the adapter, so every datagram comes from the bot's own process and NotifyAccess=main holds.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chownSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { readBotPids } from "../src/testing/bots.js";
import { notifyBotUnit, type NotifyBotUnitOptions } from "../src/testing/notify-bot.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { signalInside } from "./support/lab.js";

const support = sandboxSupport();
const WATCHDOG_SEC = 2;
const WATCHDOG_MS = WATCHDOG_SEC * 1000;
/** The user the bots that are not root run as. */
const NOBODY = 65534;
const STATUS = "watching 3 services, all healthy";
const CHILD_STATUS = "a child pretending to be the main process";
const PROPERTIES = ["ActiveState", "SubState", "StatusText", "MainPID", "NRestarts", "NotifyAccess", "WatchdogUSec"];

interface NotifyBot {
  unit: string;
  pidFile: string;
  log: string;
}

describe("the sd_notify adapter under real systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.stop();
  });

  const show = async (bot: NotifyBot): Promise<Record<string, string>> => {
    const result = await sandbox.exec(["systemctl", "show", `--property=${PROPERTIES.join(",")}`, bot.unit]);
    assert.ok(result.ok, result.stderr);
    return Object.fromEntries(result.stdout.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
  };
  const logOf = (bot: NotifyBot): string => (existsSync(bot.log) ? readFileSync(bot.log, "utf8").trim() : "(no log)");

  /** Installs and starts the bot's unit; `systemctl start` of a Type=notify unit returns once READY=1 arrived. */
  const startBot = async (name: string, options: Pick<NotifyBotUnitOptions, "notifyAccess" | "child" | "sender" | "user"> & { status?: string }): Promise<NotifyBot> => {
    const dir = join(sandbox.workdir, name);
    mkdirSync(dir, { recursive: true });
    if (options.user !== undefined) chownSync(dir, NOBODY, NOBODY);
    const bot = { unit: `${name}.service`, pidFile: join(dir, "bot.pid"), log: join(dir, "bot.log") };
    await sandbox.writeUnit(bot.unit, notifyBotUnit({ status: STATUS, ...options, watchdogSec: WATCHDOG_SEC, pidFile: bot.pidFile, log: bot.log }));
    await sandbox.daemonReload();
    const started = await sandbox.exec(["systemctl", "start", bot.unit]);
    assert.ok(started.ok, `${started.stderr}\n${logOf(bot)}`);
    return bot;
  };

  /** Freezes the bot's main process (by the MainPID systemd reports, inside the namespace); resolves with that pid. */
  const freeze = async (bot: NotifyBot): Promise<number> => {
    const pid = Number((await show(bot)).MainPID);
    assert.ok(pid > 0);
    await signalInside(sandbox, pid, "STOP");
    return pid;
  };

  /** Waits for the unit to run again under a new main process after `frozen`; resolves with the ms it took. */
  const awaitRestart = async (bot: NotifyBot, frozen: number, since: number): Promise<number> => {
    let last: Record<string, string> = {};
    const restarted = await waitFor(async () => {
      last = await show(bot);
      return last.MainPID !== String(frozen) && last.MainPID !== "0" && last.SubState === "running";
    }, { timeoutMs: 5 * WATCHDOG_MS, intervalMs: 50 });
    assert.ok(restarted, `not restarted: ${JSON.stringify(last)}\n${logOf(bot)}`);
    return Date.now() - since;
  };

  test("READY=1 and STATUS= reach systemd, and WATCHDOG=1 pings keep the unit alive", async () => {
    const bot = await startBot("alive", { notifyAccess: "main" });
    const { pid } = await readBotPids(bot.pidFile);
    const shown = await show(bot);
    assert.deepEqual(shown, {
      ActiveState: "active",
      SubState: "running",
      StatusText: STATUS,
      MainPID: String(pid),
      NRestarts: "0",
      NotifyAccess: "main",
      WatchdogUSec: `${WATCHDOG_SEC}s`,
    });
    assert.match(logOf(bot), new RegExp(`notify-bot ${pid}: ready, watchdog every ${WATCHDOG_MS / 2}ms`));

    // Over two and a half watchdog periods, only the pings stand between the bot and a restart.
    await delay(2.5 * WATCHDOG_MS);
    const later = await show(bot);
    assert.equal(later.NRestarts, "0", logOf(bot));
    assert.equal(later.MainPID, String(pid));
    assert.equal(later.SubState, "running");
  });

  test("RELOADING=1 holds the unit in reloading until READY=1", async () => {
    const bot = await startBot("reload", { notifyAccess: "main" });
    // The bot's SIGHUP, sent directly: no ExecReload= job runs, so "reloading" is the bot's word alone.
    // (On systemd 252 `ExecReload=kill -HUP $MAINPID` races: its job may end before RELOADING=1 arrives.)
    await signalInside(sandbox, Number((await show(bot)).MainPID), "HUP");
    assert.ok(await waitFor(async () => (await show(bot)).ActiveState === "reloading", { timeoutMs: 5000, intervalMs: 20 }), logOf(bot));
    assert.ok(await waitFor(async () => (await show(bot)).ActiveState === "active", { timeoutMs: 5000, intervalMs: 20 }), logOf(bot));
    const shown = await show(bot);
    assert.equal(shown.StatusText, `${STATUS} (reloaded)`);
    assert.equal(shown.NRestarts, "0");
  });

  test("a status longer than a notification may be is cut to fit, and systemd shows it", async () => {
    const bot = await startBot("long-status", { notifyAccess: "main", status: "x".repeat(5000) });
    const text = (await show(bot)).StatusText ?? "";
    // "STATUS=" and 4086 x's and "…" (3 bytes) make 4096 bytes, the most systemd accepts.
    assert.equal(text, `${"x".repeat(4086)}…`);
  });

  test("SIGSTOP: systemd restarts the frozen bot once WatchdogSec passes without a ping", async () => {
    const bot = await startBot("frozen", { notifyAccess: "main" });
    const since = Date.now();
    const frozen = await freeze(bot);
    const tookMs = await awaitRestart(bot, frozen, since);
    // The last ping came at most one interval (WatchdogSec/2) before the freeze.
    assert.ok(tookMs >= WATCHDOG_MS / 2, `restarted after ${tookMs}ms`);
    const shown = await show(bot);
    assert.equal(shown.NRestarts, "1", "Restart=on-watchdog: only a watchdog timeout restarts it");
    assert.equal(shown.StatusText, STATUS, "the new process said READY=1 and STATUS= again");
    assert.equal(sandbox.procStat(frozen), null, "the frozen process is gone");
    assert.equal((await readBotPids(bot.pidFile)).pid, Number(shown.MainPID));
  });

  test("NotifyAccess=main: a child's STATUS= and pings are ignored, so a frozen main process is still restarted", async () => {
    const bot = await startBot("main-only", { notifyAccess: "main", child: { status: CHILD_STATUS } });
    const { child } = await readBotPids(bot.pidFile);
    assert.ok(child !== null);
    const childFile = `${bot.pidFile}.child-${child}`;
    const childSent = (): number => (existsSync(childFile) ? (JSON.parse(readFileSync(childFile, "utf8")) as { sent: number }).sent : 0);
    assert.ok(await waitFor(() => childSent() >= 3, { timeoutMs: 10_000 }), logOf(bot));
    assert.equal((await show(bot)).StatusText, STATUS, "the child's STATUS= was ignored");

    const since = Date.now();
    const sentBeforeFreeze = childSent();
    const frozen = await freeze(bot);
    await awaitRestart(bot, frozen, since);
    assert.ok(childSent() - sentBeforeFreeze >= 3, "the child kept pinging while the main process was frozen");
    assert.equal((await show(bot)).NRestarts, "1");
  });

  test("NotifyAccess=all, by contrast, lets a child keep a frozen main process looking alive", async () => {
    const bot = await startBot("any-process", { notifyAccess: "all", child: { status: CHILD_STATUS } });
    assert.ok(await waitFor(async () => (await show(bot)).StatusText === CHILD_STATUS, { timeoutMs: 10_000 }), logOf(bot));
    const frozen = await freeze(bot);
    await delay(2.5 * WATCHDOG_MS);
    const shown = await show(bot);
    assert.equal(shown.NRestarts, "0");
    assert.equal(shown.MainPID, String(frozen));
    assert.equal(shown.SubState, "running", "systemd still believes the frozen process is fine");
    assert.ok((await sandbox.exec(["systemctl", "stop", bot.unit])).ok); // SIGTERM then SIGCONT: the frozen bot ends
  });
  // A Lifeguard whose native addon could not be built (no compiler on the box) sends through
  // systemd's own systemd-notify: the datagram then comes from the helper's process.
  for (const { who, user, notifyAccess } of [
    { who: "as root, NotifyAccess=main", user: undefined, notifyAccess: "main" },
    { who: "as another user, NotifyAccess=all", user: "nobody", notifyAccess: "all" },
  ] as const) {
    test(`through systemd-notify ${who}: READY=1 and STATUS= arrive, pings keep the unit alive, and a freeze is still caught`, async () => {
      const bot = await startBot(`helper-${notifyAccess}`, { notifyAccess, sender: "systemd-notify", ...(user === undefined ? {} : { user }) });
      const { pid } = await readBotPids(bot.pidFile);
      // start returns once READY=1 arrived; STATUS=, sent next by a helper of its own, may follow a moment later.
      assert.ok(await waitFor(async () => (await show(bot)).StatusText === STATUS, { timeoutMs: 10_000, intervalMs: 50 }), logOf(bot));
      const shown = await show(bot);
      assert.equal(shown.ActiveState, "active", logOf(bot));
      assert.equal(shown.StatusText, STATUS, logOf(bot));
      assert.equal(shown.MainPID, String(pid));
      await delay(2.5 * WATCHDOG_MS);
      assert.equal((await show(bot)).NRestarts, "0", logOf(bot));
      // Pings are sent from the bot's own loop: frozen, it starts no helper, and systemd restarts it.
      const since = Date.now();
      const frozen = await freeze(bot);
      await awaitRestart(bot, frozen, since);
      assert.equal((await show(bot)).NRestarts, "1");
    });
  }

  test("through systemd-notify as another user, NotifyAccess=main refuses the helper's READY=1: the start fails, as docs/deployment.md warns", async () => {
    const dir = join(sandbox.workdir, "helper-refused");
    mkdirSync(dir, { recursive: true });
    chownSync(dir, NOBODY, NOBODY);
    const unit = "helper-refused.service";
    await sandbox.writeUnit(unit, notifyBotUnit({ status: STATUS, notifyAccess: "main", sender: "systemd-notify", user: "nobody", watchdogSec: WATCHDOG_SEC, pidFile: join(dir, "bot.pid"), log: join(dir, "bot.log") }));
    await sandbox.daemonReload();
    const started = await sandbox.exec(["systemctl", "start", unit]);
    assert.equal(started.ok, false, "READY=1 from the helper must not be accepted under NotifyAccess=main");
    assert.notEqual((await sandbox.exec(["systemctl", "show", "-p", "ActiveState", "--value", unit])).stdout.trim(), "active");
  });
});
