import { z } from "zod";
import { defineChannelKind } from "./channel-kind.js";
import { headers } from "./headers.js";
import { secretUrl } from "./secret-url.js";

/** `type: webhook`: a JSON POST, shaped for Slack, Discord or ntfy, or Lifeguard's own documented payload. */
export const webhookChannel = defineChannelKind({
  type: "webhook",
  description: "A webhook: each alert is POSTed as JSON (docs/alerts/webhook.md).",
  defaultTimeout: "10s",
  shape: {
    url: secretUrl("The URL to POST to, http:// or https://. Incoming-webhook URLs hold their key, so no message shows more than its origin; write `${SLACK_WEBHOOK_URL}` to keep it out of the file."),
    preset: z
      .enum(["generic", "slack", "discord", "ntfy"])
      .default("generic")
      .describe("The body's shape: `slack` and `discord` incoming webhooks, `ntfy` (the URL is the topic's), or `generic`, Lifeguard's documented payload."),
    headers: headers("Headers sent with every request, e.g. `{ Authorization: \"Bearer ${NTFY_TOKEN}\" }`; the values are secrets."),
  },
  normalise: (options) => ({
    /** A secret (incoming-webhook URLs hold their key). */
    url: options.url,
    preset: options.preset,
    /** Sent with every request; values are secrets (an Authorization header). */
    headers: { ...options.headers },
  }),
});
