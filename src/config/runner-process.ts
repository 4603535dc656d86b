import { join } from "node:path";
import { z } from "zod";
import { commandLine, describeCommand } from "./command-line.js";
import { duration, filePath, integer, size, text } from "./fields.js";
import { describeValue } from "./messages.js";
import { defineRunnerKind, type RunnerContext } from "./runner-kind.js";

/** Environment variable names: what a shell could export. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const envName = z.string().regex(ENV_NAME, {
  error: (issue) => `expected a variable name of letters, digits and "_", not starting with a digit, got ${describeValue(issue.input)}`,
});

const output = z
  .strictObject({
    file: filePath().nullable().default(null).describe("The file the command's stdout and stderr are appended to; relative to the config file's directory. Empty: `<state>/<service>.out.log`, next to the store."),
    "max-size": size({ min: 1024 }).prefault("10MiB").describe("Rotate the file to `<file>.1` before it grows beyond this; lines are kept whole."),
    keep: integer(0).default(3).describe("Rotated files kept: `<file>.1` ... `<file>.<keep>`."),
  })
  .prefault({})
  .describe("Where the command's output goes. Only with `command`.");

/** `command: [argv...]`: supervisor mode. Lifeguard spawns the command in its own process group and owns it. */
export const processRunner = defineRunnerKind({
  kind: "process",
  key: "command",
  example: "command: [python3, main.py]",
  shape: {
    command: commandLine()
      .optional()
      .describe("The program and its arguments, e.g. `[python3, main.py]`: Lifeguard runs it itself (supervisor mode), never through a shell. A service has either `systemd` or `command`."),
    cwd: filePath().nullable().default(null).describe("The command's working directory; relative to the config file's directory. Empty: Lifeguard's own. Only with `command`."),
    env: z
      .record(envName, text({ hideValue: true }))
      .prefault({})
      .describe("Variables added to the environment the command inherits from Lifeguard (they win over it), e.g. `{ PYTHONUNBUFFERED: \"1\" }`. Only with `command`."),
    user: text().min(1).nullable().default(null).describe("Run the command as this user (a name or uid from /etc/passwd) with its primary group; needs Lifeguard to run as root. Empty: Lifeguard's own user. Only with `command`."),
    output,
    "min-uptime": duration().prefault("10s").describe("A start counts as stable once the command has run this long before failing: its next restart then waits for no backoff (a crash loop still does). Only with `command`."),
  },
  normalise: (service, context) => {
    if (service.command === undefined) throw new Error("A process runner without a command");
    return {
      runner: {
        /** argv: the program and its arguments, never a shell line. */
        command: [...service.command],
        /** Working directory, absolute; null: Lifeguard's own. */
        cwd: service.cwd === null ? null : context.resolvePath(service.cwd),
        /** Added to the environment the command inherits from Lifeguard (they win over it). */
        env: { ...service.env },
        /** Run as this user (name or uid); null: Lifeguard's own user. */
        user: service.user,
        /** Where the command's stdout and stderr go, rotated by size. */
        output: {
          file: outputFile(service.output.file, context),
          /** The file never grows beyond this: it is rotated to `<file>.1` first. */
          maxBytes: service.output["max-size"],
          /** Rotated files kept: `<file>.1` ... `<file>.<keep>`. */
          keep: service.output.keep,
        },
        /** A start counts as stable once the command has run this long. */
        minUptimeMs: service["min-uptime"],
      },
      target: describeCommand(service.command),
    };
  },
});

/** The output file: as written (resolved), or `<state>/<service>.out.log`. */
export function outputFile(file: string | null, context: RunnerContext): string {
  return file === null ? join(context.state, `${context.name}.out.log`) : context.resolvePath(file);
}
