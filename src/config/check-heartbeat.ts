import { defineCheckKind } from "./check-kind.js";
import { onUnreadable, unreadableSetting } from "./on-unreadable.js";
import { duration, filePath } from "./fields.js";

/** `heartbeat`: the service proves it is alive, by pinging `/ping/NAME` or by touching a file. */
export const heartbeatCheck = defineCheckKind({
  kind: "heartbeat",
  description:
    "The service proves it is alive: it pings `/ping/NAME` on Lifeguard's HTTP server (healthchecks.io's paths: `/start`, `/fail`, `/<exit-code>`), " +
    "or touches `file`. Fails when no ping came within `max-age`, or the last ping reported a failure. Pings need `http.token`, or the service's own ping key.",
  defaultTimeout: "5s",
  shape: {
    "max-age": duration({ min: 1 }).describe("Fail when the last ping (or touch of `file`) is older than this, e.g. `2m`. Never pinged: counted from when Lifeguard began watching."),
    file: filePath()
      .nullable()
      .default(null)
      .describe("A file the service touches to say it is alive, checked by its modification time; relative to the config file's directory. Empty: HTTP pings (at most one such check per service)."),
    "on-unreadable": onUnreadable(),
  },
  normalise: (options, context) => ({
    /** Fail when the last ping (or touch) is older than this. */
    maxAgeMs: options["max-age"],
    /** A file the service touches, absolute; null: pings to `/ping/NAME` (at most one such check per service). */
    file: options.file === null ? null : context.resolvePath(options.file),
    ...unreadableSetting(options["on-unreadable"]),
  }),
});

