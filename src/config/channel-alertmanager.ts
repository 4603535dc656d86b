import { z } from "zod";
import { defineChannelKind } from "./channel-kind.js";
import { text } from "./fields.js";
import { headers } from "./headers.js";
import { httpBaseUrl } from "./http-url.js";
import { describeValue } from "./messages.js";

/** Prometheus label names. */
const labelName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: (issue) => `expected a label name of letters, digits and "_", not starting with a digit, got ${describeValue(issue.input)}` });

/** `type: alertmanager`: Alertmanager's v2 API, one alert per service incident, firing then resolved. */
export const alertmanagerChannel = defineChannelKind({
  type: "alertmanager",
  description: "Prometheus Alertmanager: alerts fire and resolve there, to be routed, grouped and silenced (docs/alerts/alertmanager.md).",
  defaultTimeout: "10s",
  shape: {
    url: httpBaseUrl().describe("Alertmanager's base URL, e.g. `http://127.0.0.1:9093`."),
    labels: z.record(labelName, text()).prefault({}).describe("Labels added to every alert, e.g. `{ env: prod }`; Lifeguard's own labels (`alertname`, `service`, `host`, `severity`) win."),
    headers: headers("Headers sent with every request (an Authorization for a proxy in front of Alertmanager); the values are secrets."),
  },
  normalise: (options) => ({
    /** Base URL of Alertmanager, without a trailing slash: `http://127.0.0.1:9093`. */
    url: options.url,
    /** Added to every alert's labels (`env: prod`); Lifeguard's own labels win. */
    labels: { ...options.labels },
    /** Sent with every request (a proxy's Authorization); values are secrets. */
    headers: { ...options.headers },
  }),
});
