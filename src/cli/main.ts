import { Command, Option } from "commander";
import { processIo, type CliIo } from "./io.js";
import { runCheck } from "./commands/check.js";
import { runStatus } from "./commands/status.js";
import { runHistory } from "./commands/history.js";
import { runReset } from "./commands/reset.js";
import { runLogs, type LogsOptions } from "./commands/logs.js";
import { runValidate } from "./commands/validate.js";
import { runSchema } from "./commands/schema.js";
import { runTestAlert } from "./commands/test-alert.js";
import { runDoctor, type DoctorOptions } from "./commands/doctor.js";
import { configOption, runCli, type Act } from "./program.js";
import { addRunCommand } from "./run-command.js";
import { addControlCommands } from "./control-commands.js";
import { addTargetOptions } from "./target-options.js";
import { addInitCommand } from "./init-command.js";
import { addSetupCommands } from "./setup-commands.js";

/**
 * The CLI entry, every command: resolves to the exit code, which `bin/lifeguard.js` sets.
 * `lifeguard run` also has an entry of its own (src/cli/run-main.ts) that the launcher starts,
 * so that the daemon loads only its own code.
 */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
  return runCli(argv, io, (program, act) => addCommands(program, act, io, argv));
}

/**
 * The names of the CLI's commands, as declared below: `bin/lifeguard.js` writes a code cache for
 * these only, not for any word a user mistypes.
 */
export function commandNames(): string[] {
  const program = new Command();
  addCommands(program, () => async () => {}, processIo, []);
  return program.commands.map((command) => command.name());
}

/**
 * Whether the CLI accepts `argv` (its command, options and arguments, as commander reads them)
 * without running anything: 0, or 64 with commander's message on `io.stderr`. The docs' tests ask
 * it about every command line the docs print.
 */
export function checkCommandLine(argv: string[], io: CliIo): Promise<number> {
  return runCli(argv, io, (program) => addCommands(program, () => async () => {}, io, argv));
}

function addCommands(program: Command, act: Act, io: CliIo, argv: readonly string[]): void {
  const config = configOption();
  const json = new Option("--json", "print JSON instead of a table");

  program.command("check")
    .description("run every check once, restart what the policy says, and exit (for cron or a systemd timer)")
    .addOption(config)
    .option("-n, --dry-run", "say what would be done and why, and change nothing")
    .option("-s, --service <name...>", "check only these services")
    .action(act((options) => runCheck(options, io)));
  addRunCommand(program, io, act, argv);
  addTargetOptions(program.command("status")
    .description("show who watches, then each service's state, last check and restarts in the current window; exit 0 when all are watched and healthy"))
    .addOption(json)
    .option("-w, --watch", "a live view: redraw every --interval until q or Ctrl-C (colours on a terminal unless NO_COLOR is set)")
    .option("--interval <duration>", "with --watch: how often to redraw, at least 1s (default 2s)")
    .action(act((options) => runStatus(options, io)));
  addTargetOptions(program.command("history")
    .description("show restarts and events, newest first"))
    .addOption(json)
    .option("-s, --service <name>", "only this service")
    .option("--since <duration>", "only the last DURATION, e.g. 24h or 7d")
    .option("--limit <count>", "at most COUNT entries", "50")
    .action(act((options) => runHistory(options, io)));
  addTargetOptions(program.command("reset")
    .description("re-arm a service that gave up: clear its restart window and backoff")
    .argument("<name>", "service name (in quick mode also the quick-mode Lifeguard's name)"))
    .action(act((name, options) => runReset(name, options, io)));
  addControlCommands(program, act, io);
  addTargetOptions(program.command("logs")
    .description("show a service's log, or without NAME Lifeguard's own; -f follows it across rotation. A command: service's " +
      "captured output; a systemd: service's log file its checks watch, else its unit's journal")
    .argument("[name]", "service name; without it, Lifeguard's own log (log.file)"))
    .option("-n, --lines <count>", "show the last COUNT lines, reaching into the rotated file <file>.1 when needed", "50")
    .option("-f, --follow", "then show new lines as they are written, across rotation and truncation, until Ctrl-C")
    .addOption(new Option("--journal", "a systemd: service's journal (journalctl), even when its checks watch a log file").conflicts("checkLog"))
    .option("--check-log", "the log file(s) the service's checks watch (their `path`), for a command: service too")
    .addHelpText("after", "\nExit: 0 shown, or -f stopped by Ctrl-C, SIGTERM or its reader leaving (| head); 1 nothing to show " +
      "(no such file, unreadable, no log.file); 64 usage error; for a journal, journalctl's own code.\n")
    .action(act((name: string | undefined, options: LogsOptions) => runLogs(name, options, io)));
  program.command("validate")
    .description("check a configuration file and print every problem with file, line and field")
    .addOption(config)
    .action(act((options) => runValidate(options, io)));
  program.command("test-alert")
    .description("send a test alert on every channel (or CHANNEL) now, and report per channel whether it was delivered or the exact error")
    .argument("[channel]", "only this channel")
    .addOption(config)
    .action(act((channel: string | undefined, options) => runTestAlert(channel, options, io)));
  program.command("doctor")
    .description("look at everything Lifeguard needs on this box (config, log access, units and the rights on them, state, daemon or timer, " +
      "clock, alerts, log rotation, Node and native parts) and print the command that fixes each problem; exit 0 when nothing stops it protecting a service")
    .addOption(config)
    .addOption(json)
    .option("-u, --user <name>", "Lifeguard's user (default: User= of the installed lifeguard.service, else lifeguard-check.service, else you)")
    .action(act((options: DoctorOptions) => runDoctor(options, io)));
  program.command("schema")
    .description("print the JSON Schema of the configuration file, for editors")
    .action(act(() => runSchema(io)));
  addSetupCommands(program, act, io);
  addInitCommand(program, act, io, argv);
}
