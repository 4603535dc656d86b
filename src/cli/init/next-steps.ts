import { lifeguardCommand, shellWord } from "../../core/cli-command.js";

/** What `init` knows when it says what to do next. */
export interface NextStepsInput {
  /** Absolute: every command names it with -c, so it works from any directory. */
  configPath: string;
  /** The variables the file refers to for its secrets, and the file they belong in. */
  secrets: readonly string[];
  envFile: string;
  /** `init` ran under sudo: the commands are for root too. */
  viaSudo: boolean;
  /** A `command:` service: only `lifeguard run` supervises it (`check` refuses one). */
  supervised: boolean;
  /** The service's unit is one `install` writes (`install-unit:`): it does not exist before. */
  unitToWrite: boolean;
  /** `init` runs as root: `lifeguard install`, which needs root, is printed without sudo. */
  root: boolean;
}

/**
 * The steps after writing the file, each a command that works as printed: where the secrets go
 * (every command reads that file, as Lifeguard's unit does), `sudo` when `init` ran under it. Pure.
 */
export function nextSteps(input: NextStepsInput): string[] {
  const address = ["-c", input.configPath];
  const commands = [
    ["validate", ...address],
    // A unit install is to write does not exist yet: a round would only find it missing.
    input.supervised ? ["run", ...address] : input.unitToWrite ? ["install", "--dry-run", ...address] : ["check", "--dry-run", ...address],
    ["install", ...address],
  ];
  const lines: string[] = [];
  if (input.secrets.length > 0) {
    lines.push(
      `Put the secret${input.secrets.length === 1 ? "" : "s"} in ${input.envFile}, one NAME=value a line, readable by its owner only (Lifeguard reads it there):`,
      `  ${input.viaSudo ? "sudo " : ""}install -m 600 /dev/null ${shellWord(input.envFile)}   # then edit it: ${input.secrets.map((name) => `${name}=...`).join(", ")}`,
    );
  }
  const shown = commands.map((args) => {
    const command = lifeguardCommand(args);
    // install changes system files: as root, whoever ran init (its dry run changes nothing).
    const changesSystem = args[0] === "install" && !args.includes("--dry-run");
    return input.viaSudo || (changesSystem && !input.root) ? `sudo ${command}` : command;
  });
  const [validate, trial, install] = shown;
  // "Then:" follows the secrets' steps; without them the commands come first.
  lines.push(...(lines.length > 0 ? ["Then:"] : []), `  ${validate}   # check the file`);
  lines.push(input.supervised ? `  ${trial}   # start supervising it (Ctrl-C stops)`
    : input.unitToWrite ? `  ${trial}   # every file install would write, the bot's unit among them, changing nothing`
      : `  ${trial}   # one round: what Lifeguard sees and would do, changing nothing`);
  lines.push(input.unitToWrite ? `  ${install}   # write the bot's unit and Lifeguard's, and run both for good, from boot on`
    : `  ${install}   # run it for good, from boot on (--dry-run first shows every file it writes)`);
  return lines;
}
