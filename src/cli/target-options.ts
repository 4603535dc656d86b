import { Option, type Command } from "commander";
import { configOption } from "./program.js";

/**
 * `-c/--config FILE`, `--name NAME` and `--state DIR`: how `status`, `history`, `reset` (and
 * `logs`) name what they read, a config file or a quick-mode Lifeguard (src/cli/find-target.ts).
 */
export function addTargetOptions(command: Command): Command {
  return command
    .addOption(configOption())
    .addOption(new Option("--name <name>", "a quick-mode Lifeguard (`lifeguard run -- CMD`) by its service's name (default: the only one under the state directory)"))
    .addOption(new Option("--state <dir>", "where quick-mode Lifeguards keep their stores (default: $LIFEGUARD_STATE, else /var/lib/lifeguard as root, else ${XDG_STATE_HOME:-~/.local/state}/lifeguard)"));
}
