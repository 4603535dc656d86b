import { defineCheckKind } from "./check-kind.js";
import { integer, text } from "./fields.js";

/** `tcp`: a TCP connection to the service opens. */
export const tcpCheck = defineCheckKind({
  kind: "tcp",
  description: "A TCP connection to `host`:`port` opens within `timeout`; it is closed at once.",
  defaultTimeout: "5s",
  shape: {
    host: text().min(1).default("127.0.0.1").describe("The host name or IP address to connect to."),
    port: integer(1, 65535).describe("The TCP port to connect to (1 to 65535)."),
  },
  normalise: (options) => ({ host: options.host, port: options.port }),
});
