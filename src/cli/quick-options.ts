import type { Command } from "commander";

/** What `lifeguard run --help` says after the options: quick mode's rules, and examples. */
const RUN_HELP = `
Quick mode (no configuration file): with a command after "--", Lifeguard supervises that one
command (run as given, never through a shell), captures its output to a file, restarts it
when it exits or when a check fails, and serves its status on --listen. Defaults and rules are
those of a configuration file, except that quick mode acts on the first failing round and
gives a restarted command the longest of --max-age and --heartbeat to show life. The HTTP
token is read from $LIFEGUARD_TOKEN (a flag would show in \`ps\`). A flag that cannot be read
exits 64 (usage error), as does -c together with a command. SIGHUP has nothing to reload;
SIGTERM or SIGINT stops the command's process group and exits 0. Each command keeps its
store, output and record in <state>/quick-<name>/, where \`lifeguard status\`, \`history\` and
\`reset NAME\` find it without a file (--name NAME, --state DIR).

Examples:
  lifeguard run                                   # the daemon: ./lifeguard.yaml, then /etc/lifeguard/lifeguard.yaml
  lifeguard run -c /etc/lifeguard/lifeguard.yaml
  lifeguard run -- python3 main.py                # restart it when it exits
  lifeguard run --max-age 5m --match "VIX|Position|Update" --name trader -- python3 -u main.py --live
`;

/** Adds quick mode to `lifeguard run`: the command after `--`, its flags, and the help text. */
export function addQuickOptions(command: Command): Command {
  return command
    .usage("[-c FILE]  |  [quick-mode options] -- CMD ARGS...")
    .argument("[command...]", 'quick mode: the command to supervise, after "--"')
    .option("--max-age <duration>", "quick mode: restart when the command's output is older than DURATION, e.g. 5m (log-fresh)")
    .option("--match <regex>", "quick mode: restart when none of the last 100 lines of output matches REGEX (log-activity)")
    .option("--heartbeat <duration>", "quick mode: restart when no ping came within DURATION (heartbeat; needs $LIFEGUARD_TOKEN)")
    .option("--name <name>", "quick mode: the service's name (default: the program's file name)")
    .option("--interval <duration>", "quick mode: time between check rounds (default: 30s)")
    .option("--state <dir>", "quick mode: the state root; the store, output and record go to DIR/quick-NAME (default: $LIFEGUARD_STATE, else /var/lib/lifeguard as root, else ${XDG_STATE_HOME:-~/.local/state}/lifeguard)")
    .option("--output <file>", "quick mode: the file the command's stdout and stderr go to (default: <state>/quick-<name>/<name>.out.log)")
    .option("--output-max-size <size>", "quick mode: rotate the output file to <file>.1 before it grows beyond SIZE (default: 10MiB)")
    .option("--listen <host:port>", "quick mode: the HTTP server's address (default: 127.0.0.1:9473; port 0: any free port)")
    .option("--log-format <format>", "quick mode: the watchdog log on stdout, text or json (default: text)")
    .addHelpText("after", RUN_HELP);
}
