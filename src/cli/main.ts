import { Command, CommanderError, Option } from "commander";
import { EXIT, LifeguardError } from "../core/errors.js";
import { processIo, type CliIo } from "./io.js";
import { VERSION } from "../version.js";
import { runCheck } from "./commands/check.js";
import { runStatus } from "./commands/status.js";
import { runHistory } from "./commands/history.js";
import { runReset } from "./commands/reset.js";
import { runValidate } from "./commands/validate.js";
import { runSchema } from "./commands/schema.js";
import { runDaemon } from "./commands/run.js";
import { runTestAlert } from "./commands/test-alert.js";
import { commandAfterDashes, type RunOptions } from "./config-source.js";
import { addQuickOptions } from "./quick-options.js";

/**
 * The CLI entry: parses the command line, runs one command, and is the only place that turns
 * errors into exit codes. Resolves to the exit code; `bin/lifeguard.js` sets it.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let exitCode: number = EXIT.healthy;
  const program = buildProgram(io, (code) => void (exitCode = code), argv);
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function buildProgram(io: CliIo, setExit: (code: number) => void, argv: readonly string[]): Command {
  const program = new Command("lifeguard")
    .description("Keeps long-running services alive: detects crashes and silent freezes, restarts safely, keeps a history.")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run `lifeguard --help` for usage)")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const config = new Option("-c, --config <file>", "configuration file (default: ./lifeguard.yaml, then /etc/lifeguard/lifeguard.yaml)");
  const json = new Option("--json", "print JSON instead of a table");
  const act = <T extends unknown[]>(run: (...args: T) => Promise<number>) => async (...args: T) => setExit(await run(...args));

  program.command("check")
    .description("run every check once, restart what the policy says, and exit (for cron or a systemd timer)")
    .addOption(config)
    .option("-n, --dry-run", "say what would be done and why, and change nothing")
    .option("-s, --service <name...>", "check only these services")
    .action(act((options) => runCheck(options, io)));
  addQuickOptions(program.command("run")
    .description("watch continuously: every service at its interval, restarts as `check` does; reload on SIGHUP; " +
      "or, with a command after --, supervise that one command without a config file (quick mode)")
    .addOption(config))
    .action(act((operands: string[], options: Omit<RunOptions, "command">) => runDaemon({ ...options, command: commandAfterDashes(operands, argv) }, io)));
  program.command("status")
    .description("show each service's state, last check and restarts in the current window")
    .addOption(config).addOption(json)
    .action(act((options) => runStatus(options, io)));
  program.command("history")
    .description("show restarts and events, newest first")
    .addOption(config).addOption(json)
    .option("-s, --service <name>", "only this service")
    .option("--since <duration>", "only the last DURATION, e.g. 24h or 7d")
    .option("--limit <count>", "at most COUNT entries", "50")
    .action(act((options) => runHistory(options, io)));
  program.command("reset")
    .description("re-arm a service that gave up: clear its restart window and backoff")
    .argument("<name>", "service name")
    .addOption(config)
    .action(act((name, options) => runReset(name, options, io)));
  program.command("validate")
    .description("check a configuration file and print every problem with file, line and field")
    .addOption(config)
    .action(act((options) => runValidate(options, io)));
  program.command("test-alert")
    .description("send a test alert on every channel (or CHANNEL) now, and report per channel whether it was delivered or the exact error")
    .argument("[channel]", "only this channel")
    .addOption(config)
    .action(act((channel: string | undefined, options) => runTestAlert(channel, options, io)));
  program.command("schema")
    .description("print the JSON Schema of the configuration file, for editors")
    .action(act(() => runSchema(io)));
  return program;
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
