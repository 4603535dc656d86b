import { z } from "zod";
import { defineCheckKind } from "./check-kind.js";
import { PATTERN_SYNTAX } from "./describe-pattern-problem.js";
import { onUnreadable, unreadableSetting } from "./on-unreadable.js";
import { filePath, integer, regex } from "./fields.js";

/** `log-activity`: the tail of the log shows the service doing its work. */
export const logActivityCheck = defineCheckKind({
  kind: "log-activity",
  description: "The last `lines` lines of the log contain at least `min` lines matching `match`, and none matching `forbid`.",
  defaultTimeout: "5s",
  shape: {
    path: filePath().describe("The log file to read; relative to the config file's directory."),
    lines: integer(1, 100_000).default(100).describe("How many lines from the end of the log to look at (1 to 100000). Just after a rotation the rest come from the rotated file (`<path>.1`, or logrotate's `dateext` name); a compressed one is not read, and until the new file holds `lines` lines too few matches do not fail the check (so pair it with `log-fresh`, which fails a bot that writes nothing after such a rotation)."),
    match: regex().describe(`A regular expression a line must match to count as activity, e.g. \`"VIX|Position|Update"\`. ${PATTERN_SYNTAX}; matched in time linear in the line's length, so no pattern can hang Lifeguard.`),
    min: integer(1).default(1).describe("At least this many matching lines are needed."),
    forbid: regex().optional().describe("A regular expression (RE2 syntax, as `match`) that fails the check when any line of the tail matches it, e.g. `Traceback`."),
    "ignore-case": z.boolean().default(false).describe("Match `match` and `forbid` without regard to case."),
    "on-unreadable": onUnreadable(),
  },
  normalise: (options, context) => ({
    path: context.resolvePath(options.path),
    /** How many lines from the end of the file to look at. */
    lines: options.lines,
    /** Regular expression (RE2 syntax, matched in linear time) a line must match to count as activity. */
    match: options.match,
    /** At least this many matching lines in the tail. */
    min: options.min,
    /** Regular expression that fails the check when any tail line matches it, e.g. `Traceback`; null: none. */
    forbid: options.forbid ?? null,
    ignoreCase: options["ignore-case"],
    ...unreadableSetting(options["on-unreadable"]),
  }),
  patterns: (check) => ({ match: check.match, forbid: check.forbid }),
});
