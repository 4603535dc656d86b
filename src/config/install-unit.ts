import { z } from "zod";
import { commandLine } from "./command-line.js";
import { duration, filePath, integer, size, text } from "./fields.js";
import { describeValue } from "./messages.js";
import { envName } from "./runner-process.js";

/** `CPUQuota=` as systemd takes it: a percentage of one CPU, above 100 % for more than one. */
const CPU_QUOTA = /^\s*(\d+(\.\d+)?)\s*%\s*$/;

const cpuQuota = z
  .string()
  .regex(CPU_QUOTA, { error: (issue) => `expected a percentage of one CPU such as "80%", got ${describeValue(issue.input)}` })
  .transform((value) => Number(CPU_QUOTA.exec(value)?.[1]))
  .refine((percent) => percent > 0, { error: "expected a percentage above 0%" });

/**
 * `install-unit:` of a `systemd:` service: the unit `lifeguard install` writes for it, so that
 * the bot runs under systemd, restarts on a crash, starts at boot and has its resource limits,
 * without a unit file written by hand.
 */
export const installUnit = z
  .strictObject({
    "exec-start": commandLine().describe("The bot's program and its arguments, e.g. `[/usr/bin/python3, main.py]`: `ExecStart=`, each argument quoted as systemd reads it."),
    description: text().min(1).nullable().default(null).describe("`Description=`; empty: the service's name."),
    user: text().min(1).nullable().default(null).describe("`User=`: the bot runs as this user; empty: root."),
    group: text().min(1).nullable().default(null).describe("`Group=`; empty: the user's primary group."),
    "working-directory": filePath().nullable().default(null).describe("`WorkingDirectory=`, absolute; relative to the config file's directory."),
    environment: z.record(envName, text({ hideValue: true })).prefault({}).describe("`Environment=` variables, e.g. `{ PYTHONUNBUFFERED: \"1\" }`. Keep secrets in `environment-file`."),
    "environment-file": filePath().nullable().default(null).describe("`EnvironmentFile=`: a file of `NAME=value` lines (mode 600), for secrets."),
    "memory-max": size({ min: 1024 * 1024 }).nullable().default(null).describe("`MemoryMax=`: the bot is killed (and restarted) when it uses more, e.g. `1GiB`."),
    "cpu-quota": cpuQuota.nullable().default(null).describe("`CPUQuota=`: at most this share of one CPU, e.g. `80%`."),
    "restart-sec": duration({ min: 100 }).prefault("5s").describe("`RestartSec=`: systemd's wait before it restarts a crashed bot."),
    "start-limit": z
      .strictObject({
        burst: integer(1).default(5).describe("`StartLimitBurst=`: starts allowed within `interval`."),
        interval: duration({ min: 1000 }).prefault("10m").describe("`StartLimitIntervalSec=`."),
      })
      .prefault({})
      .describe("systemd's own restart limit, in `[Unit]`: past it systemd stops restarting the bot (Lifeguard's `restart.limit` still judges it)."),
  })
  .describe("The bot's own unit, written by `lifeguard install` to `/etc/systemd/system/<unit>` with `Restart=on-failure` and enabled at boot. Only with `systemd`.");

export type InstallUnitInput = z.output<typeof installUnit>;

/** The unit `lifeguard install` writes for a service, normalised. */
export interface InstallUnitConfig {
  execStart: string[];
  description: string | null;
  user: string | null;
  group: string | null;
  /** Absolute. */
  workingDirectory: string | null;
  environment: Record<string, string>;
  /** Absolute. */
  environmentFile: string | null;
  memoryMaxBytes: number | null;
  cpuQuotaPercent: number | null;
  restartMs: number;
  startLimit: { burst: number; intervalMs: number };
}

export function normaliseInstallUnit(input: InstallUnitInput, resolvePath: (path: string) => string): InstallUnitConfig {
  return {
    execStart: [...input["exec-start"]],
    description: input.description,
    user: input.user,
    group: input.group,
    workingDirectory: input["working-directory"] === null ? null : resolvePath(input["working-directory"]),
    environment: { ...input.environment },
    environmentFile: input["environment-file"] === null ? null : resolvePath(input["environment-file"]),
    memoryMaxBytes: input["memory-max"],
    cpuQuotaPercent: input["cpu-quota"],
    restartMs: input["restart-sec"],
    startLimit: { burst: input["start-limit"].burst, intervalMs: input["start-limit"].interval },
  };
}
