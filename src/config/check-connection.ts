import { defineCheckKind } from "./check-kind.js";
import { duration } from "./fields.js";
import { listenAddress } from "./listen-address.js";

/** `connection`: the service holds a TCP connection to `to`, and (with `stuck-for`) it moves. */
export const connectionCheck = defineCheckKind({
  kind: "connection",
  description:
    "The service holds an ESTABLISHED TCP connection to `to` (e.g. its broker gateway), read from the kernel's socket tables " +
    "(`/proc/PID/net/tcp` and `tcp6`) and the service's own socket descriptors: no probe traffic, and another process's connection never counts. " +
    "With `stuck-for`, it also fails when the connection's send queue stays non-empty and never shrinks (the peer stopped reading or acknowledging), " +
    "or its receive queue grows at every look (data keeps arriving and the service reads none), for that long; the daemon samples the queues each round, so `interval` should be at most half of it. " +
    "A reader stuck behind a receive buffer already full cannot be told from one that polls: leave that to `cpu` or `log-activity`.",
  defaultTimeout: "5s",
  shape: {
    to: listenAddress()
      .check((context) => {
        if (context.value.port === 0) context.issues.push({ code: "custom", input: context.value, message: "expected the port the service connects to (1 to 65535), got 0" });
      })
      .describe('Where the service connects: `host:port` or `"[ipv6]:port"`; a host name is looked up each round (every address it has counts).'),
    "stuck-for": duration({ min: 1 }).nullable().prefault(null).describe("Also fail when the connection's send or receive queue stays non-empty and never shrinks for this long. Empty: only whether it is connected."),
  },
  normalise: (options) => ({
    /** The peer the service must be connected to. */
    to: options.to,
    /** A queue stuck this long fails the check; null: not judged. */
    stuckForMs: options["stuck-for"],
  }),
});
