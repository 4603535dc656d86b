import { z } from "zod";
import { defineChannelKind } from "./channel-kind.js";
import { commandLine } from "./command-line.js";
import { text } from "./fields.js";
import { envName } from "./runner-process.js";

/** `type: exec`: a program run per alert, the alert in its environment and as JSON on stdin. */
export const execChannel = defineChannelKind({
  type: "exec",
  description: "A program Lifeguard runs for each alert (argv, never a shell): the alert in `LIFEGUARD_ALERT_*` variables and as JSON on standard input (docs/alerts/exec.md).",
  defaultTimeout: "10s",
  shape: {
    command: commandLine().describe("The program and its arguments, e.g. `[/usr/local/bin/page-me, --urgent]`; never run through a shell."),
    env: z.record(envName, text({ hideValue: true })).prefault({}).describe("Variables added to the environment the program inherits from Lifeguard."),
  },
  normalise: (options) => ({
    /** argv: the program and its arguments, never a shell line. */
    command: [...options.command],
    /** Added to the environment the program inherits from Lifeguard. */
    env: { ...options.env },
  }),
});
