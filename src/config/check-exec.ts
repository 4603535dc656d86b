import { z } from "zod";
import { defineCheckKind } from "./check-kind.js";
import { commandLine } from "./command-line.js";
import { filePath, integer, text } from "./fields.js";
import { envName } from "./runner-process.js";

/** `exec`: a program of the user's says the service is healthy by its exit status. */
export const execCheck = defineCheckKind({
  kind: "exec",
  description: "A program (argv, never a shell) exits with `exit-code` within `timeout`; on timeout it and every process of its group are ended. The last 4 KiB of its output are kept as evidence.",
  defaultTimeout: "10s",
  shape: {
    command: commandLine().describe("The program and its arguments, e.g. `[/usr/local/bin/check-broker, --port, \"4002\"]`; never run through a shell."),
    "exit-code": integer(0, 255).default(0).describe("The exit status that passes."),
    cwd: filePath().optional().describe("The program's working directory; relative to the config file's directory. Empty: Lifeguard's own."),
    env: z.record(envName, text({ hideValue: true })).prefault({}).describe("Variables added to the environment the program inherits from Lifeguard. A supervised service's own `env:` (its `command`'s) is given to the program too; on a clash the check's value wins."),
  },
  normalise: (options, context) => ({
    /** argv: the program and its arguments, never a shell line. */
    command: [...options.command],
    /** The exit status that passes. */
    exitCode: options["exit-code"],
    /** Working directory, absolute; null: Lifeguard's own. */
    cwd: options.cwd === undefined ? null : context.resolvePath(options.cwd),
    /** Added to the environment the program inherits from Lifeguard, over the service's `env:` (supervisor mode). */
    env: { ...options.env },
  }),
});
