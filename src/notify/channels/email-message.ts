import { mostUrgent, type Alert } from "../../core/alert.js";
import { renderText } from "../render-text.js";
import { lazyCrypto } from "../../process/lazy-crypto.js";

/** An email as nodemailer takes it (`SendMailOptions`' fields we use), composed without I/O. */
export interface EmailMessage {
  from: string | { name: string; address: string };
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  date: Date;
  headers: Record<string, string>;
}

/** Shown as the sender when `from` is a bare address, so the inbox says who is talking. */
const SENDER_NAME = "Lifeguard";
/** Used in Message-IDs when `from` has no domain (a local `lifeguard` user on the relay). */
const FALLBACK_DOMAIN = "lifeguard.invalid";

/**
 * One alert, or several as one digest, as one email. The subject is the rendered title as it
 * is: it already names what happened and where, and a phone shows only ~40 characters of it,
 * so no `[Lifeguard]` prefix: the sender's name says that. `now` is the Date (when the email
 * was written, as RFC 5322 means it); the event's own time is in the body.
 */
export function composeEmail(alerts: readonly Alert[], recipients: { from: string; to: string[] }, now: number): EmailMessage {
  const { title, body } = renderText(alerts);
  const domain = domainOf(recipients.from);
  return {
    from: recipients.from.includes("<") ? recipients.from : { name: SENDER_NAME, address: recipients.from },
    to: recipients.to,
    subject: title,
    text: body,
    messageId: messageIdFor(alerts, domain),
    date: new Date(now),
    headers: filterHeaders(alerts, domain),
  };
}

/**
 * `<lifeguard-pi-42@example.com>` for one alert, `<digest-3-9f2c…@example.com>` for a digest
 * (a hash of the ids, in order): the same alerts give the same Message-ID on every retry, so a
 * receiver (Gmail does) can drop the copy sent twice around a crash.
 */
export function messageIdFor(alerts: readonly Alert[], domain: string): string {
  const [only] = alerts;
  if (alerts.length === 1 && only !== undefined) return `<${atom(only.id)}@${domain}>`;
  const hash = lazyCrypto().createHash("sha256").update(alerts.map((alert) => alert.id).join("\n")).digest("hex").slice(0, 32);
  return `<digest-${alerts.length}-${hash}@${domain}>`;
}

/** Headers a mail filter (Sieve, Gmail) can sort on, plus the ones that keep vacation replies away. */
function filterHeaders(alerts: readonly Alert[], domain: string): Record<string, string> {
  const [first] = alerts;
  const single = alerts.length === 1 && first !== undefined ? first : null;
  const services = unique(alerts.flatMap((alert) => (alert.service === null ? [] : [alert.service])));
  const severity = mostUrgent(alerts);
  const headers: Record<string, string> = {
    "Auto-Submitted": "auto-generated", // RFC 3834: no out-of-office answers to a watchdog
    "X-Lifeguard-Kind": single === null ? "digest" : single.kind,
    "X-Lifeguard-Severity": severity,
    "X-Lifeguard-Host": unique(alerts.map((alert) => alert.host)).join(", "),
    "X-Lifeguard-Alert-Id": alerts.map((alert) => alert.id).join(", "),
  };
  if (services.length > 0) headers["X-Lifeguard-Service"] = services.join(", ");
  // Clients that thread by References put an incident's firing and recovered emails together.
  if (single?.incident) headers["References"] = `<incident-${atom(single.incident.id)}@${domain}>`;
  if (severity === "critical") Object.assign(headers, { "X-Priority": "1 (Highest)", Importance: "High" });
  return headers;
}

/** The domain of `from` (`Lifeguard <me@example.com>` or `me@example.com`), for Message-IDs. */
export function domainOf(from: string): string {
  const address = /<([^>]*)>/.exec(from)?.[1] ?? from;
  const domain = address.slice(address.lastIndexOf("@") + 1).trim();
  return address.includes("@") && /^[A-Za-z0-9.-]+$/.test(domain) ? domain : FALLBACK_DOMAIN;
}

/** An id made safe for the left of a Message-ID, one to one: `=XX` for each byte outside [A-Za-z0-9_-]. */
function atom(id: string): string {
  return [...Buffer.from(id, "utf8")].map((byte) => {
    const char = String.fromCharCode(byte);
    return /[A-Za-z0-9_-]/.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
