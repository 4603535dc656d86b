import { z } from "zod";
import { defineCheckKind } from "./check-kind.js";
import { PATTERN_SYNTAX } from "./describe-pattern-problem.js";
import { onUnreadable, unreadableSetting } from "./on-unreadable.js";
import { duration, filePath, integer, regex, timestampFormat } from "./fields.js";
import { journalUnit } from "./log-source.js";
import { toUnitName } from "./unit-name.js";

/** How many lines `within` reads back at most when `lines` is not given. */
const WITHIN_DEFAULT_LINES = 100_000;

/** `log-activity`: the tail of the log shows the service doing its work. */
export const logActivityCheck = defineCheckKind({
  kind: "log-activity",
  description: "The last `lines` lines of the log contain at least `min` lines matching `match`, and none matching `forbid`; with `within`, at least `min` matching lines were written in the last `within`.",
  defaultTimeout: "5s",
  shape: {
    path: filePath().optional().describe("The log file to read; relative to the config file's directory. Give `path` or `journal`."),
    journal: journalUnit().optional().describe("Instead of `path`: the systemd unit whose journal is the log (`bot` means `bot.service`). Its last `lines` entries are read; with `within`, only the entries written since the last look, after a cursor (kept in memory by the daemon, in the store between `check` runs), each by its own time."),
    lines: integer(1, 100_000).optional().describe("How many lines from the end of the log to look at (1 to 100000; default 100). With `within` it is the most lines read back to find the window's start (default 100000), and the evidence says when the window reached it. Just after a rotation the rest come from the rotated file (`<path>.1`, or logrotate's `dateext` name); a compressed one is not read, and until the new file holds `lines` lines too few matches do not fail the check (so pair it with `log-fresh`, which fails a bot that writes nothing after such a rotation)."),
    match: regex().describe(`A regular expression a line must match to count as activity, e.g. \`"VIX|Position|Update"\`. ${PATTERN_SYNTAX}; matched in time linear in the line's length, so no pattern can hang Lifeguard.`),
    min: integer(1).default(1).describe("At least this many matching lines are needed."),
    forbid: regex().optional().describe("A regular expression (RE2 syntax, as `match`) that fails the check when any line of the tail matches it, e.g. `Traceback`."),
    within: duration({ min: 1 }).optional().describe("Count only the matching lines written in the last `within`, e.g. `10m`: a log full of \"alive\" lines does not pass for work, however many it writes. With `timestamp`, a line's time is the one it starts with, and the log is read back from its end to the first line older than the window (lines replayed from the past do not count); without it, the time Lifeguard first saw the line (see \"Activity within a window\" above)."),
    timestamp: timestampFormat().optional().describe("The format of the timestamp each line starts with, for `within`: `iso8601` (`2026-12-07T14:03:05`, a space for the `T`, a fraction after `.` or `,`, a zone `Z` or `+01:00`; after an optional `[`), or a pattern whose fields `%Y %m %d %H %M %S %f %z` are the year, month, day, hour, minute, second, fraction of a second and zone, `%%` a percent sign, anything else itself, e.g. `[%Y-%m-%d %H:%M:%S]`. A time without a zone is the machine's local time. A line that does not start with a timestamp (a traceback's) is not counted."),
    "ignore-case": z.boolean().default(false).describe("Match `match` and `forbid` without regard to case."),
    "on-unreadable": onUnreadable(),
  },
  normalise: (options, context) => ({
    /** The log file; null when the log is a unit's journal. */
    path: options.path === undefined ? null : context.resolvePath(options.path),
    /** The unit whose journal is the log (`bot.service`); null for a file. */
    journal: options.journal === undefined ? null : toUnitName(options.journal),
    /** How many lines from the end of the file to look at. */
    lines: options.lines ?? (options.within === undefined ? 100 : WITHIN_DEFAULT_LINES),
    /** Regular expression (RE2 syntax, matched in linear time) a line must match to count as activity. */
    match: options.match,
    /** At least this many matching lines in the tail. */
    min: options.min,
    /** Regular expression that fails the check when any tail line matches it, e.g. `Traceback`; null: none. */
    forbid: options.forbid ?? null,
    ignoreCase: options["ignore-case"],
    /** Only matching lines written in this many ms before the check count; null: the tail's lines, whenever written. */
    withinMs: options.within ?? null,
    /** The format of each line's leading timestamp (process/line-timestamp.ts); null: the times Lifeguard saw the lines. */
    timestamp: options.timestamp ?? null,
    ...unreadableSetting(options["on-unreadable"]),
  }),
  patterns: (check) => ({ match: check.match, forbid: check.forbid }),
});
