import { defineCheckKind } from "./check-kind.js";
import { onUnreadable, unreadableSetting } from "./on-unreadable.js";
import { duration, filePath } from "./fields.js";
import { journalUnit } from "./log-source.js";
import { toUnitName } from "./unit-name.js";

/** `log-fresh`: the log file was written recently. */
export const logFreshCheck = defineCheckKind({
  kind: "log-fresh",
  description: "The log file was modified within `max-age` (or, with `journal`, the unit's newest journal entry is that recent): a service that stops writing its log is treated as frozen.",
  defaultTimeout: "5s",
  shape: {
    path: filePath().optional().describe("The log file to watch; relative to the config file's directory. Give `path` or `journal`."),
    journal: journalUnit().optional().describe("Instead of `path`: the systemd unit whose journal is the log (`bot` means `bot.service`), for a service that logs to standard output under systemd. Its age is that of the unit's newest entry, on the monotonic clock within the same boot."),
    "max-age": duration({ min: 1 }).describe("Fail when the file was last modified longer ago than this, e.g. `5m`."),
    "on-unreadable": onUnreadable(),
  },
  normalise: (options, context) => ({
    /** The log file; null when the log is a unit's journal. */
    path: options.path === undefined ? null : context.resolvePath(options.path),
    /** The unit whose journal is the log (`bot.service`); null for a file. */
    journal: options.journal === undefined ? null : toUnitName(options.journal),
    maxAgeMs: options["max-age"],
    ...unreadableSetting(options["on-unreadable"]),
  }),
});
