import { chmodSync, chownSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { stringify } from "yaml";
import assert from "node:assert/strict";
import { LOG_BOT, logBotArgv } from "../../src/testing/bots.js";
import { LAB_ROOT, startSandbox, type Sandbox } from "../../src/testing/systemd-sandbox.js";
import { waitFor } from "../../src/testing/wait-for.js";
import type { CommandResult } from "../../src/process/run-command.js";
import { BIN, signalInside } from "./lab.js";

const NOBODY = 65534;
/** The HTTP token the box's config refers to as `${LAB_HTTP_TOKEN}`, kept in its lifeguard.env. */
export const LAB_HTTP_TOKEN = "lab-token-0123456789abcdef";
/** The bot's unit, written by `lifeguard install` from the config's `install-unit:`. */
export const BOT_UNIT = "lg-bot.service";

/**
 * A box for `lifeguard install`: a real systemd in a sandbox with an /etc of its own (an overlay:
 * users, polkit rules, cron and logrotate files never reach the host) booted into
 * multi-user.target, and a directory on the real disk holding a Python bot's files and a config
 * whose `install-unit:` describes the bot (readable by root alone, with a secret in the
 * lifeguard.env beside it, as `lifeguard init` leaves them). Both outlive the sandbox: `reboot()` stops it (as
 * pulling the plug does: SIGKILL to its systemd) and boots a fresh one on the same files.
 */
export interface InstallLab {
  readonly sandbox: Sandbox;
  /** The box's files: the bot's directory, Lifeguard's config, state and log. */
  readonly box: string;
  readonly botDir: string;
  /** The log bot's script, a copy `nobody` may read. */
  readonly script: string;
  readonly config: string;
  /** `lifeguard ARGS -c CONFIG` inside the box, as root. */
  lifeguard(args: string[]): Promise<CommandResult>;
  /** `systemctl show` of `properties`, as a record. */
  show(unit: string, properties: string[]): Promise<Record<string, string>>;
  /** Freezes the bot (SIGSTOP to its main process) and resolves once systemd runs a new one. */
  freezeBotAndWaitForRestart(timeoutMs: number): Promise<void>;
  reboot(): Promise<void>;
  /** Stops the sandbox, removes the box and the overlay. */
  close(): Promise<void>;
}

/** `extra`: top-level keys added to the config (an `alerts:` section, say). */
export async function startInstallLab(name: string, extra: Record<string, unknown> = {}): Promise<InstallLab> {
  const id = `${name}-${process.pid}-${randomBytes(4).toString("hex")}`;
  const overlay = join(LAB_ROOT, `etc-${id}`);
  const box = join(LAB_ROOT, `box-${id}`);
  mkdirSync(box, { recursive: true, mode: 0o755 });
  chmodSync(box, 0o755);
  const boot = () => startSandbox({ etcOverlay: overlay, bootTarget: "multi-user.target", journal: true });
  let sandbox: Sandbox;
  try {
    sandbox = await boot();
  } catch (error) {
    rmSync(overlay, { recursive: true, force: true });
    rmSync(box, { recursive: true, force: true });
    throw error;
  }
  const botDir = join(box, "bot");
  mkdirSync(botDir, { recursive: true, mode: 0o755 });
  chownSync(botDir, NOBODY, NOBODY);
  const script = join(box, "log-bot.py");
  copyFileSync(LOG_BOT, script);
  chmodSync(script, 0o755);
  const config = join(box, "lifeguard.yaml");
  const log = join(botDir, "bot.log");
  // As `lifeguard init` leaves them: the config readable by root alone, its secret in the
  // lifeguard.env beside it (mode 0600), which Lifeguard's units load and every command reads.
  writeFileSync(join(box, "lifeguard.env"), `LAB_HTTP_TOKEN=${LAB_HTTP_TOKEN}\n`, { mode: 0o600 });
  writeFileSync(config, stringify({
    ...extra,
    state: join(box, "state"),
    log: { file: join(box, "log", "lifeguard.log") },
    http: { listen: "127.0.0.1:9473", token: "${LAB_HTTP_TOKEN}" },
    services: {
      bot: {
        systemd: BOT_UNIT,
        // umask 077: the bot's log is its owner's alone, so install must grant Lifeguard's user read access.
        "install-unit": { "exec-start": ["/bin/sh", "-c", `umask 077 && exec "$@"`, "sh", ...logBotArgv(log, { everyMs: 200, script, pidFile: join(botDir, "bot.pid") })], user: "nobody", "memory-max": "256MiB", "cpu-quota": "50%" },
        interval: "1s",
        checks: [{ "log-fresh": { path: log, "max-age": "2s" } }],
        "failure-threshold": 1,
        "startup-grace": "3s",
        restart: { "stop-timeout": "2s", "verify-timeout": "10s", backoff: { initial: "1s" } },
      },
    },
  }), { mode: 0o640 });
  const show: InstallLab["show"] = async (unit, properties) => {
    const shown = await sandbox.exec(["systemctl", "show", ...properties.map((property) => `--property=${property}`), unit]);
    return Object.fromEntries(shown.stdout.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
  };
  const lab: InstallLab = {
    get sandbox() {
      return sandbox;
    },
    box,
    botDir,
    script,
    config,
    // Every command reads the secrets from the lifeguard.env beside the config itself.
    lifeguard: (args) => sandbox.exec([process.execPath, BIN, ...args, "-c", config], { timeoutMs: 240_000, cwd: "/" }),
    show,
    async freezeBotAndWaitForRestart(timeoutMs) {
      const mainPid = Number((await show(BOT_UNIT, ["MainPID"])).MainPID);
      assert.ok(mainPid > 0, `${BOT_UNIT} has no main process`);
      await signalInside(sandbox, mainPid, "STOP");
      const restarted = await waitFor(async () => {
        const shown = await show(BOT_UNIT, ["MainPID", "ActiveState"]);
        return shown.ActiveState === "active" && shown.MainPID !== String(mainPid) && shown.MainPID !== "0";
      }, { timeoutMs, intervalMs: 250 });
      if (restarted) return;
      const evidence = await sandbox.exec(["sh", "-c", `date; tail -n 15 ${join(box, "log", "lifeguard.log")}; journalctl --no-pager -n 30`]);
      assert.fail(`${BOT_UNIT} (main pid ${mainPid}, frozen) was not restarted within ${timeoutMs} ms:\n${evidence.stdout}`);
    },
    async reboot() {
      await sandbox.stop();
      sandbox = await boot();
    },
    async close() {
      await sandbox.stop();
      rmSync(overlay, { recursive: true, force: true });
      rmSync(box, { recursive: true, force: true });
    },
  };
  // The system bus, as Debian's sockets.target wants it at every boot: Lifeguard's user reaches
  // systemd over it, and it starts polkitd on demand.
  const bus = await sandbox.exec(["sh", "-c", "systemctl add-wants sockets.target dbus.socket && systemctl start dbus.socket"]);
  if (!bus.ok) {
    await lab.close();
    throw new Error(`Cannot start the sandbox's D-Bus: ${bus.stderr}`);
  }
  return lab;
}

/** A restart as `lifeguard history --json` gives it: when, why, how it went, each step, and the checks that judged it. */
interface RestartRecord {
  at: number;
  ok: boolean;
  reason: string;
  steps: Array<{ step: string; ok: boolean }>;
  evidence: Array<{ check: string; ok: boolean; evidence: Record<string, unknown> }>;
}

/** The last restart in `lifeguard history --json`, with the time it was recorded at. */
export async function lastRestart(lab: InstallLab): Promise<RestartRecord | undefined> {
  const history = await lab.lifeguard(["history", "--json"]);
  const { entries } = JSON.parse(history.stdout) as { entries: Array<{ type: string; at: number; restart?: Omit<RestartRecord, "at"> }> };
  const entry = entries.find((candidate) => candidate.type === "restart" && candidate.restart !== undefined);
  return entry?.restart === undefined ? undefined : { ...entry.restart, at: entry.at };
}

/**
 * "Reboots" the box (the plug pulled, a fresh systemd on the same disk) and waits until the bot
 * and `watcher` (the unit that runs Lifeguard: its timer, cron) are active again, started at boot
 * by nothing but what install enabled; then freezes the bot and resolves with the restart that
 * Lifeguard, run by that watcher on its own schedule, made of it after the boot.
 */
export async function rebootAndFreezeBot(lab: InstallLab, watcher: string, timeoutMs: number): Promise<RestartRecord> {
  const bootedAt = Date.now();
  await lab.reboot();
  const active = async (unit: string): Promise<boolean> => (await lab.show(unit, ["ActiveState"])).ActiveState === "active";
  assert.ok(await waitFor(async () => (await active(BOT_UNIT)) && (await active(watcher)), { timeoutMs: 60_000, intervalMs: 250 }), `${BOT_UNIT} and ${watcher} were not started at boot`);
  await lab.freezeBotAndWaitForRestart(timeoutMs);
  const restart = await lastRestart(lab);
  assert.ok(restart !== undefined && restart.at > bootedAt, `no restart recorded after the reboot: ${JSON.stringify(restart)}`);
  return restart;
}
