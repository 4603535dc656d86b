import type { SendFinding } from "../channel.js";

/** What nodemailer puts on its errors (`NodemailerError`), read defensively: any of it may be missing. */
interface SmtpError {
  message: string;
  code?: string;
  originalCode?: string;
  response?: string;
  responseCode?: number;
  command?: string;
}

/** Node's codes for a certificate that does not verify: the config (a `ca`) must change, a retry cannot help. */
const UNTRUSTED_CERTIFICATE = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);
const CERTIFICATE_MESSAGE = /certificate|self[- ]signed/i;
/** Server replies longer than this are cut in summaries (the whole reply stays in `cause`). */
const REPLY_MAX_CHARS = 160;

/** Where the attempt went, for messages: `smtp.example.com:587`, and the login name (not a secret). */
export interface SmtpTarget {
  server: string;
  user: string | null;
}

/**
 * A failed SMTP attempt as a finding, by precedence: aborted, untrusted certificate, refused
 * login, a reply code (5xx permanent, 4xx temporary), then the network. `hide` removes what must
 * never show (the password) from the server's texts.
 */
export function describeSmtpFailure(error: unknown, target: SmtpTarget, hide: (text: string) => string): SendFinding {
  const failure = asSmtpError(error);
  const reply = failure.response === undefined ? undefined : hide(failure.response.trim());
  const cause = hide(failure.message);
  const evidence: Record<string, unknown> = { server: target.server };
  if (failure.code !== undefined) evidence.code = failure.code;
  if (failure.originalCode !== undefined) evidence.originalCode = failure.originalCode;
  if (failure.responseCode !== undefined) evidence.responseCode = failure.responseCode;
  if (failure.command !== undefined) evidence.command = failure.command.split(" ").slice(0, 2).join(" ");
  const fail = (why: string, permanent: boolean): SendFinding => ({
    ok: false,
    summary: `Cannot send email via ${target.server} as ${why}`,
    evidence,
    cause,
    ...(permanent ? { permanent } : {}),
  });
  if (failure.code === "EABORT") return { ...fail("the attempt was aborted (the channel's timeout or a shutdown)", false), evidence: { ...evidence, aborted: true } };
  if (isUntrustedCertificate(failure)) return fail(`its TLS certificate is not trusted: ${cause} (set "ca" to its certificate or CA)`, true);
  if (failure.code === "EAUTH" || failure.code === "ENOAUTH") {
    const who = target.user === null ? "the login" : `the login of "${target.user}"`;
    return fail(`it refused ${who}${reply === undefined ? "" : `: ${cut(reply)}`}`, !isTemporaryCode(failure.responseCode));
  }
  if (failure.responseCode !== undefined && failure.responseCode >= 400 && reply !== undefined) {
    return fail(`it answered ${cut(reply)}${stage(failure.command)}`, failure.responseCode >= 500);
  }
  return fail(networkReason(failure), false);
}

/** A refused login is permanent, except a 4xx (454: "temporary authentication failure"). */
function isTemporaryCode(responseCode: number | undefined): boolean {
  return responseCode !== undefined && responseCode >= 400 && responseCode < 500;
}

function isUntrustedCertificate(failure: SmtpError): boolean {
  if (failure.originalCode !== undefined && UNTRUSTED_CERTIFICATE.has(failure.originalCode)) return true;
  return (failure.code === "ETLS" || failure.code === "ESOCKET") && failure.responseCode === undefined && CERTIFICATE_MESSAGE.test(failure.message);
}

/** ` to RCPT TO`: which step the server refused, when nodemailer says. */
function stage(command: string | undefined): string {
  if (command === "RCPT TO") return " to the recipients";
  if (command === "MAIL FROM") return " to the sender";
  if (command === "DATA") return " to the message";
  return "";
}

function networkReason(failure: SmtpError): string {
  const code = failure.originalCode ?? failure.code;
  if (code === "ECONNREFUSED") return "the connection was refused";
  if (code === "ETIMEDOUT") return "it did not answer in time";
  if (code === "EDNS" || code === "ENOTFOUND" || code === "EAI_AGAIN") return "its name could not be resolved";
  if (code === "ECONNECTION" || code === "ECONNRESET") return "the connection closed unexpectedly";
  return "the attempt failed";
}

function cut(text: string): string {
  const line = text.replace(/\s+/g, " ");
  return line.length <= REPLY_MAX_CHARS ? line : `${line.slice(0, REPLY_MAX_CHARS - 1)}…`;
}

function asSmtpError(error: unknown): SmtpError {
  if (typeof error !== "object" || error === null) return { message: String(error) };
  const fields = error as Record<string, unknown>;
  const text = (key: string): string | undefined => (typeof fields[key] === "string" ? fields[key] : undefined);
  const responseCode = typeof fields.responseCode === "number" ? fields.responseCode : undefined;
  return {
    message: text("message") ?? String(error),
    ...(text("code") === undefined ? {} : { code: text("code") }),
    ...(text("originalCode") === undefined ? {} : { originalCode: text("originalCode") }),
    ...(text("response") === undefined ? {} : { response: text("response") }),
    ...(responseCode === undefined ? {} : { responseCode }),
    ...(text("command") === undefined ? {} : { command: text("command") }),
  };
}
