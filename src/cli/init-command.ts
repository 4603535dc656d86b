import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import { runInit } from "./commands/init.js";
import type { InitFlags } from "./init/plan.js";
import type { CliIo } from "./io.js";
import type { Act } from "./program.js";

const HELP = `
Without a terminal (stdin is not one) or with --yes, nothing is asked: the flags answer, the
proposals stand for what they do not say, and a missing answer is a usage error (exit 64)
naming its flag. Secrets (a bot token, a password, a webhook URL) are never flags: the file
refers to them as \${VAR}; set the variable to send the test alert.

Examples:
  lifeguard init                                   # on a terminal: asks, proposing from what it finds
  lifeguard init -c ./lifeguard.yaml --unit gemini-trader --log /home/bot/logs/bot.log \\
      --alert telegram --telegram-chat 123456789   # no questions: proposes match and max-age
  lifeguard init --alert none -- python3 main.py   # a command Lifeguard supervises itself
  lifeguard init --unit gemini-trader --run-as bot --workdir /home/bot/gemini-trader-ai \\
      --memory-max 1G --cpu-quota 80% --log /home/bot/gemini-trader-ai/logs/gemini_trader.log \\
      --alert telegram --telegram-chat 123456789 -- /usr/bin/python3 main.py
                                                   # a bot without a unit: install writes it

Exit: 0 written; 64 a missing or bad answer; 73 the file exists (--force replaces it); 130 stopped.
`;

/** Declares `lifeguard init` and its flags. */
export function addInitCommand(program: Command, act: Act, io: CliIo, argv: readonly string[]): void {
  program.command("init")
    .description("write a configuration: pick a running service and its log, get a pattern and max-age proposed from the log, choose where alerts go")
    .argument("[command...]", "after --: a command for Lifeguard to supervise itself, as --command")
    .option("-c, --config <file>", "the file to write (default: /etc/lifeguard/lifeguard.yaml as root, else ./lifeguard.yaml)")
    .option("--unit <name>", "the systemd unit to watch; with --command (or after --), a unit `lifeguard install` writes for that command")
    .option("--command <words...>", "a command Lifeguard starts and supervises itself (under lifeguard run); with --unit, the unit's ExecStart=")
    .option("--run-as <user>", "with --unit and --command: the unit's User=")
    .option("--workdir <dir>", "with --unit and --command: the unit's WorkingDirectory=")
    .option("--memory-max <size>", "with --unit and --command: the unit's MemoryMax=, e.g. 1GiB")
    .option("--cpu-quota <percent>", "with --unit and --command: the unit's CPUQuota=, e.g. 80%")
    .option("--name <name>", "the service's name in Lifeguard (default: the unit's)")
    .option("--log <path>", "the log file that shows the service working")
    .option("--match <regex>", "a line that shows work matches it (RE2; - for no log-activity check); default: proposed from the log")
    .option("--max-age <duration>", "the log may be unwritten this long; default: proposed from the log")
    .option("--alert <kind>", "where alerts go: telegram, email, webhook, alertmanager, exec or none")
    .option("--telegram-chat <id>", "telegram: the chat id (the token is $TELEGRAM_BOT_TOKEN)")
    .option("--email-to <address>", "email: the recipient")
    .option("--email-from <address>", "email: the sender (default lifeguard@HOST)")
    .option("--smtp-host <host>", "email: the SMTP server (default: the local sendmail)")
    .option("--smtp-port <port>", "email: its port (default 587)")
    .option("--smtp-user <user>", "email: the login (the password is $SMTP_PASS)")
    .option("--webhook-preset <preset>", "webhook: generic, slack, discord or ntfy (the URL is $WEBHOOK_URL, $SLACK_WEBHOOK_URL...)")
    .option("--alertmanager-url <url>", "alertmanager: its URL (default http://127.0.0.1:9093)")
    .option("--exec <program>", "exec: the program run for each alert")
    .option("--literal-secrets", "write secrets set in the environment into the file itself (mode 0600) instead of ${VAR}")
    .option("--test-alert", "send a test alert once the file is written")
    .option("--state <dir>", "Lifeguard's store (default: /var/lib/lifeguard as root, else ~/.local/state/lifeguard)")
    .option("-y, --yes", "ask nothing, even on a terminal: take the flags and the proposals")
    .option("-f, --force", "replace an existing file without asking")
    .addHelpText("after", HELP)
    .action(act((operands: string[], options: InitFlags & { state?: string }) => {
      const dashes = argv.includes("--");
      if (operands.length > 0 && !dashes) throw new UsageError(`Cannot read "${operands[0]}": a command to supervise follows "--" or --command`, "Write: lifeguard init [flags] -- CMD ARGS...");
      if (operands.length > 0 && options.command !== undefined) throw new UsageError('Cannot take a command after "--" and --command: give it once');
      const flags = operands.length > 0 ? { ...options, command: operands } : options;
      return runInit(flags, io, { stdin: process.stdin, stdout: process.stdout, systemctl: ["systemctl"], isRoot: process.getuid?.() === 0 });
    }));
}
