import { defineCheckKind } from "./check-kind.js";
import { onUnreadable, unreadableSetting } from "./on-unreadable.js";
import { duration, filePath } from "./fields.js";

/** `log-fresh`: the log file was written recently. */
export const logFreshCheck = defineCheckKind({
  kind: "log-fresh",
  description: "The log file was modified within `max-age`: a service that stops writing its log is treated as frozen.",
  defaultTimeout: "5s",
  shape: {
    path: filePath().describe("The log file to watch; relative to the config file's directory."),
    "max-age": duration({ min: 1 }).describe("Fail when the file was last modified longer ago than this, e.g. `5m`."),
    "on-unreadable": onUnreadable(),
  },
  normalise: (options, context) => ({ path: context.resolvePath(options.path), maxAgeMs: options["max-age"], ...unreadableSetting(options["on-unreadable"]) }),
});
