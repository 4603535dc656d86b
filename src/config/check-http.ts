import { z } from "zod";
import { defineCheckKind } from "./check-kind.js";
import { PATTERN_SYNTAX } from "./describe-pattern-problem.js";
import { filePath, regex } from "./fields.js";
import { headers } from "./headers.js";
import { httpStatuses } from "./http-status.js";
import { httpUrl } from "./http-url.js";

/** What a PEM certificate starts with. */
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/;

/** `http`: a request to the service answers with an expected status (and body). */
export const httpCheck = defineCheckKind({
  kind: "http",
  description: "An HTTP request answers within `timeout` with an expected status and, if `body` is set, a body that matches it.",
  defaultTimeout: "5s",
  shape: {
    url: httpUrl().describe("The URL to request, http:// or https://, e.g. `http://127.0.0.1:8080/health`. It is shown in messages: put a secret in `headers`, not in the URL."),
    method: z.enum(["GET", "HEAD"]).default("GET").describe("`GET`, or `HEAD` for an answer without a body."),
    status: httpStatuses()
      .prefault("200-399")
      .describe('The statuses that pass: one (`200`), a range (`"200-299"`) or a list of them (`[200, "300-399"]`).'),
    body: regex()
      .optional()
      .describe(`A regular expression the body must match, e.g. \`"\\"status\\":\\s*\\"ok\\""\`; only its first 64 KiB are read. ${PATTERN_SYNTAX}.`),
    headers: headers("Headers sent with the request, e.g. `{ Authorization: \"Bearer ${HEALTH_TOKEN}\" }`; the values are secrets, never shown."),
    "follow-redirects": z.boolean().default(false).describe("Follow redirects (up to 5; the headers are not sent to another origin). By default a 3xx is the answer, judged by `status`."),
    ca: filePath()
      .optional()
      .describe("For an https URL whose certificate a CA of your own signed: that CA's certificate (a PEM file, read when the config is loaded; relative to the config file's directory), or a self-signed server's own certificate. It takes the place of the system's trusted CAs for this check; the certificate is still verified, its name included."),
  },
  normalise: (options, context) => ({
    url: options.url,
    method: options.method,
    /** The statuses that pass, as ranges with both ends included. */
    status: options.status.map((range) => ({ ...range })),
    /** Regular expression (RE2 syntax) the first 64 KiB of the body must match; null: any body. */
    body: options.body ?? null,
    /** Sent with the request; the values are secrets. */
    headers: { ...options.headers },
    followRedirects: options["follow-redirects"],
    /** The CA certificate file that verifies an https server's certificate (absolute); null: the system's CAs. */
    caFile: options.ca === undefined ? null : context.resolvePath(options.ca),
    /** Its PEM text, read at load; null: the system's CAs. */
    ca: options.ca === undefined ? null : context.fileText(context.resolvePath(options.ca)),
  }),
  files: (options) => ({ ca: { path: options.ca, check: (text) => (PEM_CERTIFICATE.test(text) ? null : "holds no PEM certificate (a \"-----BEGIN CERTIFICATE-----\" block)") } }),
  patterns: (check) => ({ body: check.body }),
});
