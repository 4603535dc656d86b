import { z } from "zod";
import { defineCheckKind } from "./check-kind.js";
import { onUnreadable, unreadableSetting } from "./on-unreadable.js";
import { filePath, integer, regex } from "./fields.js";

/** `log-activity`: the tail of the log shows the service doing its work. */
export const logActivityCheck = defineCheckKind({
  kind: "log-activity",
  description: "The last `lines` lines of the log contain at least `min` lines matching `match`, and none matching `forbid`.",
  defaultTimeout: "5s",
  shape: {
    path: filePath().describe("The log file to read; relative to the config file's directory."),
    lines: integer(1, 100_000).default(100).describe("How many lines from the end of the file to look at (1 to 100000)."),
    match: regex().describe('A JavaScript regular expression a line must match to count as activity, e.g. `"VIX|Position|Update"`.'),
    min: integer(1).default(1).describe("At least this many matching lines are needed."),
    forbid: regex().optional().describe("A JavaScript regular expression that fails the check when any line of the tail matches it, e.g. `Traceback`."),
    "ignore-case": z.boolean().default(false).describe("Match `match` and `forbid` without regard to case."),
    "on-unreadable": onUnreadable(),
  },
  normalise: (options, context) => ({
    path: context.resolvePath(options.path),
    lines: options.lines,
    match: options.match,
    min: options.min,
    forbid: options.forbid ?? null,
    ignoreCase: options["ignore-case"],
    ...unreadableSetting(options["on-unreadable"]),
  }),
});
