import { readFile } from "node:fs/promises";
import type { EmailChannelConfig, SmtpTransportConfig } from "../../config/types.js";
import type { SendFinding, SenderFactory } from "../channel.js";
import { describeSmtpFailure } from "./email-failure.js";
import { composeEmail, type EmailMessage } from "./email-message.js";
import { sendWithSendmail } from "./email-sendmail.js";

/**
 * Email through SMTP (nodemailer) or the local sendmail program. One alert or a digest is one
 * email; a transport is built per attempt (SMTP opens one connection per email anyway), so a
 * changed `ca` file is read afresh and nothing stays open between alerts.
 */
export const createEmailSender: SenderFactory<EmailChannelConfig> = (config, deps) => async (alerts, signal) => {
  const message = composeEmail(alerts, config, deps.clock.now());
  if (config.transport.kind === "sendmail") return sendWithSendmail(message, config.transport.path, { timeoutMs: config.timeoutMs, signal });
  return sendWithSmtp(message, config.transport, config.timeoutMs, signal);
};

async function sendWithSmtp(message: EmailMessage, smtp: SmtpTransportConfig, timeoutMs: number, signal: AbortSignal): Promise<SendFinding> {
  const server = `${smtp.host}:${smtp.port}`;
  const hide = hider(smtp);
  const ca = await readCa(smtp.ca, server);
  if (typeof ca !== "string" && ca !== null) return ca;
  // Loaded at the first email, not at start: a daemon that never mails keeps its memory.
  const { createTransport } = await import("nodemailer");
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.starttls === "required",
    ignoreTLS: smtp.starttls === "off",
    ...(smtp.user === null ? {} : { auth: { user: smtp.user, pass: smtp.pass ?? "" } }),
    ...(ca === null ? {} : { tls: { ca } }),
    // nodemailer's own bounds (minutes by default) follow the channel's: a slow server is reported
    // as such even if nothing aborts `signal`.
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    // With `signal` nodemailer closes the connection on abort: a hung server is let go.
    const info = await transport.sendMail({ ...message, signal });
    return sent(info, message, server);
  } catch (error) {
    return describeSmtpFailure(error, { server, user: smtp.user }, hide);
  } finally {
    transport.close();
  }
}

/** `Sent email to "a@example.com" via smtp.example.com:587 (250 2.0.0 Ok: queued as 4F2)`. */
function sent(info: { messageId: string; response?: string; accepted?: unknown[]; rejected?: unknown[] }, message: EmailMessage, server: string): SendFinding {
  const rejected = (info.rejected ?? []).map(String);
  const accepted = (info.accepted ?? []).map(String);
  const response = (info.response ?? "").trim();
  const refusedPart = rejected.length === 0 ? "" : `; refused ${rejected.map((to) => `"${to}"`).join(", ")}`;
  const to = (accepted.length > 0 ? accepted : message.to).map((address) => `"${address}"`).join(", ");
  return {
    ok: true,
    summary: `Sent email to ${to} via ${server}${response === "" ? "" : ` (${response.slice(0, 120)})`}${refusedPart}`,
    evidence: { server, messageId: info.messageId, response, accepted, rejected },
  };
}

/** The PEM text of `ca`, null when none is set, or a permanent failure naming the file that cannot be read. */
async function readCa(path: string | null, server: string): Promise<string | null | SendFinding> {
  if (path === null) return null;
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    return {
      ok: false,
      summary: `Cannot send email via ${server} as the CA file "${path}" cannot be read (${code || "error"})`,
      evidence: { server, ca: path },
      cause: (error as Error).message,
      permanent: true,
    };
  }
}

/**
 * Removes the password from a server's text, as typed and as the AUTH exchange encodes it
 * (base64 alone for LOGIN, `\0user\0pass` for PLAIN), in case a server echoes it back.
 */
function hider(smtp: SmtpTransportConfig): (text: string) => string {
  const secrets = smtpSecrets(smtp);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join("[hidden]"), text);
}

/** What no result may show: the password, as written and as AUTH LOGIN and AUTH PLAIN send it (base64). */
export function emailSecrets(config: EmailChannelConfig): string[] {
  return config.transport.kind === "smtp" ? smtpSecrets(config.transport) : [];
}

function smtpSecrets(smtp: SmtpTransportConfig): string[] {
  if (smtp.pass === null || smtp.pass === "") return [];
  return [smtp.pass, Buffer.from(smtp.pass).toString("base64"), Buffer.from(`\0${smtp.user ?? ""}\0${smtp.pass}`).toString("base64")];
}
