import type { Command } from "commander";
import { configOption, type Act } from "./program.js";
import type { CliIo } from "./io.js";
import { runInstall, type InstallCommandOptions } from "./commands/install.js";
import { runUninstall, type UninstallCommandOptions } from "./commands/uninstall.js";

/** `install` and `uninstall`: Lifeguard put on the box for a config, and taken off it again. */
export function addSetupCommands(program: Command, act: Act, io: CliIo): void {
  program.command("install")
    .description("install Lifeguard for the config: its user, directories and log access, the services' own units (install-unit:), " +
      "the polkit rule, Lifeguard as a daemon (default), a timer or a cron job, logrotate; then start and verify. Idempotent")
    .addOption(configOption())
    .option("--daemon", "run `lifeguard run` as a systemd service (the default)")
    .option("--timer", "run `lifeguard check` every minute from a systemd timer")
    .option("--cron", "run `lifeguard check` every minute from /etc/cron.d")
    .option("--user <name>", "the user Lifeguard runs as, created when missing (default: lifeguard; root: as root)")
    .option("-s, --service <name...>", "write the own unit of only these services (default: every service with install-unit:)")
    .option("-n, --dry-run", "say what would be done and print every file in full; change nothing")
    .option("--force", "overwrite files edited by hand (the diff is shown without it)")
    .action(act((options: InstallCommandOptions) => runInstall(options, io)));
  program.command("uninstall")
    .description("undo what lifeguard install recorded: stop and disable its units, remove its files and ACL entries; the history stays unless --purge")
    .addOption(configOption())
    .option("--purge", "also remove the state (the history), the log directory and the user install created")
    .option("--force", "remove files changed since install wrote them")
    .option("-n, --dry-run", "say what would be removed; change nothing")
    .action(act((options: UninstallCommandOptions) => runUninstall(options, io)));
}
