import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { Sandbox } from "../../src/testing/systemd-sandbox.js";
import { BIN } from "./lab.js";

/** A unit to watch: its command and extra lines of its [Service] section, and the one check Lifeguard adds to `running` for it. */
export interface WatchedUnit {
  argv: string[];
  extra?: string;
  check: Record<string, unknown>;
}

/**
 * Starts each of `units` as `<name>.service` in `sandbox` (Restart=no) and `lifeguard run` as a
 * unit watching them all every second (threshold 1, a grace of 2 s); returns the text of its log.
 */
export async function watchUnits(sandbox: Sandbox, name: string, units: Record<string, WatchedUnit>): Promise<() => string> {
  const dir = join(sandbox.workdir, name);
  mkdirSync(dir, { recursive: true });
  const watchdogLog = join(dir, "watchdog.log");
  const services: Record<string, unknown> = {};
  for (const [unit, { argv, extra, check }] of Object.entries(units)) {
    await sandbox.writeUnit(`${unit}.service`, `[Service]\nExecStart=${argv.join(" ")}\nRestart=no\n${extra ?? ""}\n`);
    services[unit] = {
      systemd: `${unit}.service`,
      interval: "1s",
      checks: ["running", check],
      "failure-threshold": 1,
      "startup-grace": "2s",
      restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "10s" },
    };
  }
  const config = join(dir, "lifeguard.yaml");
  writeFileSync(config, stringify({ state: join(dir, "state"), log: { file: watchdogLog }, services }));
  await sandbox.writeUnit("lifeguard.service", `[Service]\nType=notify\nNotifyAccess=main\nExecStart=${process.execPath} ${BIN} run -c ${config}\n`);
  await sandbox.daemonReload();
  for (const unit of [...Object.keys(units), "lifeguard"]) {
    const started = await sandbox.exec(["systemctl", "start", `${unit}.service`]);
    if (!started.ok) throw new Error(`Cannot start ${unit}.service: ${started.stderr}`);
  }
  return () => (existsSync(watchdogLog) ? readFileSync(watchdogLog, "utf8") : "");
}
