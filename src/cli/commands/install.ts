import { existsSync, realpathSync } from "node:fs";
import { join, resolve } from "node:path";
import { lifeguardCommand } from "../../core/cli-command.js";
import { UsageError } from "../../core/errors.js";
import { SUDO_SECURE_PATH } from "../../core/sudoers-rule.js";
import { VERSION } from "../../core/version.js";
import { environmentFilesOf } from "../../config/environment-file.js";
import type { LifeguardConfig } from "../../config/types.js";
import { findAddon, loadAddon } from "../../process/native-addon.js";
import { findPackageRoot } from "../../process/doctor/package-root.js";
import { findProgram } from "../../process/find-program.js";
import { applyInstall } from "../../setup/apply.js";
import { findCronDaemon } from "../../process/doctor/cron-daemon.js";
import { DEFAULT_USER, type InstallMode } from "../../setup/layout.js";
import { planInstall } from "../../setup/plan.js";
import type { CliIo } from "../io.js";
import { openConfig } from "../open-config.js";
import { isRootShell } from "../root-shell.js";
import { verifyFirstRound } from "../verify-install.js";

export interface InstallCommandOptions {
  config?: string;
  daemon?: boolean;
  timer?: boolean;
  cron?: boolean;
  user?: string;
  service?: string[];
  dryRun?: boolean;
  force?: boolean;
}

/**
 * `lifeguard install`: puts Lifeguard on the box for the config, as a daemon (default), a timer or
 * a cron job, running as `--user` (default: a `lifeguard` system user, created), with the watched
 * services' own units where the config has `install-unit:`; prints each step, then verifies.
 */
export async function runInstall(options: InstallCommandOptions, io: CliIo): Promise<number> {
  const modes = (["daemon", "timer", "cron"] as const).filter((mode) => options[mode] === true);
  if (modes.length > 1) throw new UsageError(`Cannot install as ${modes.map((mode) => `--${mode}`).join(" and ")}: choose one`);
  const mode: InstallMode = modes[0] ?? "daemon";
  const config = await openConfig(options, io);
  const source = resolve(io.cwd, config.source);
  const user = options.user ?? DEFAULT_USER;
  const owner = user === "root" ? null : user;
  const root = findPackageRoot();
  if (root === null) throw new UsageError("Cannot find Lifeguard's own directory (its package.json): run the installed `lifeguard`");
  const command = lifeguardCommand(["install", `--${mode}`, "--user", user, ...(options.service ?? []).flatMap((name) => ["--service", name]), "-c", source]);
  const absolute: LifeguardConfig = { ...config, source };
  const bin = realpathSync(join(root, "bin", "lifeguard.js"));
  let plan;
  try {
    plan = planInstall(absolute, { mode, user: owner, services: options.service ?? null, command }, {
      node: process.execPath,
      bin,
      version: VERSION,
      addon: "addon" in loadAddon(findAddon()),
      systemctl: findProgram("systemctl", SUDO_SECURE_PATH) ?? "/usr/bin/systemctl",
      cronUnit: mode === "cron" ? (await findCronDaemon())?.unit ?? null : null,
      environmentFiles: environmentFilesOf(source).filter((file) => existsSync(file)),
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return applyInstall(plan, {
    dryRun: options.dryRun === true,
    force: options.force === true,
    command,
    state: config.state,
    source,
    say: io.stdout,
    now: Date.now,
    firstRound: (step) => verifyFirstRound(absolute, step, { say: io.stdout, owner, rootShell: isRootShell(io) }),
  });
}
