import { Command, CommanderError, Option } from "commander";
import { EXIT, LifeguardError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import type { CliIo } from "./io.js";

/** Wraps a command's action: the exit code it resolves to becomes the CLI's. */
export type Act = <T extends unknown[]>(run: (...args: T) => Promise<number>) => (...args: T) => Promise<void>;

/**
 * Parses `argv` with the commands `addCommands` declares, runs the one asked for, and is the only
 * place that turns errors into exit codes. Resolves to the exit code; `bin/lifeguard.js` sets it.
 */
export async function runCli(argv: string[], io: CliIo, addCommands: (program: Command, act: Act) => void): Promise<number> {
  let exitCode: number = EXIT.healthy;
  const act: Act = (run) => async (...args) => void (exitCode = await run(...args));
  const program = createProgram(io);
  addCommands(program, act);
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/** `-c/--config FILE`, which every command but `schema` takes. */
export function configOption(): Option {
  return new Option("-c, --config <file>", "configuration file (default: ./lifeguard.yaml, then /etc/lifeguard/lifeguard.yaml)");
}

function createProgram(io: CliIo): Command {
  return new Command("lifeguard")
    .description("Keeps long-running services alive: detects crashes and silent freezes, restarts safely, keeps a history.")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run `lifeguard --help` for usage)")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version are successful exits; everything else commander rejects is a usage error.
    return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help" ? EXIT.healthy : EXIT.usage;
  }
  if (error instanceof LifeguardError) {
    io.stderr(`lifeguard: ${error.message}`);
    if (error.hint !== undefined) io.stderr(`hint: ${error.hint}`);
    return error.exitCode;
  }
  io.stderr(`lifeguard: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT.software;
}
