import type { Command } from "commander";
import { runDaemonCommand } from "./commands/run.js";
import { commandAfterDashes, type RunOptions } from "./config-source.js";
import type { CliIo } from "./io.js";
import { configOption, type Act } from "./program.js";
import { addQuickOptions } from "./quick-options.js";

/** Declares `lifeguard run`, in the whole CLI (src/cli/main.ts) and in the daemon's own entry (src/cli/run-main.ts). */
export function addRunCommand(program: Command, io: CliIo, act: Act, argv: readonly string[]): void {
  addQuickOptions(program.command("run")
    .description("watch continuously: every service at its interval, restarts as `check` does; reload on SIGHUP; " +
      "or, with a command after --, supervise that one command without a config file (quick mode)")
    .addOption(configOption()))
    .action(act((operands: string[], options: Omit<RunOptions, "command">) => runDaemonCommand({ ...options, command: commandAfterDashes(operands, argv) }, io)));
}
