import { formatDuration } from "../../core/duration.js";
import { formatCommand, runCommand, type CommandResult } from "../../process/run-command.js";
import type { SendFinding } from "../channel.js";
import type { EmailMessage } from "./email-message.js";

/**
 * sendmail's exit codes (sysexits.h) that no retry can fix: usage, bad data, unknown user or
 * host, no permission, bad config. EX_TEMPFAIL (75) and the rest are worth another try.
 */
const PERMANENT_EXIT_CODES = new Set([64, 65, 67, 68, 77, 78]);

/**
 * Hands the email to a sendmail-compatible program (postfix's, msmtp, nullmailer) the way
 * nodemailer's sendmail transport does: `PATH -i -f FROM TO...`, the message on stdin, argv
 * and never a shell. The message is composed by nodemailer (a buffering stream transport, so it
 * is byte for byte what SMTP would send) but the program is run by `runCommand`, because
 * nodemailer's transport ignores an abort once the program started and drops its stderr: here
 * `signal` and the timeout end it (SIGTERM, then SIGKILL) and its last stderr line is the cause.
 */
export async function sendWithSendmail(message: EmailMessage, path: string, bounds: { timeoutMs: number; signal: AbortSignal }): Promise<SendFinding> {
  // Loaded at the first email, not at start: a daemon that never mails keeps its memory.
  const { createTransport } = await import("nodemailer");
  const composer = createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const { envelope, message: raw } = await composer.sendMail(message);
  const recipients = envelope.to.map(String);
  const from = envelope.from === false ? null : String(envelope.from);
  // An address starting with "-" would be read as an option: refuse it as nodemailer does.
  const optionLike = [from ?? "", ...recipients].find((address) => address.startsWith("-"));
  if (optionLike !== undefined) {
    return { ok: false, summary: `Cannot send email via "${path}" as the address "${optionLike}" starts with "-"`, evidence: { program: path }, permanent: true };
  }
  const argv = [path, "-i", ...(from === null ? [] : ["-f", from]), ...recipients];
  const result = await runCommand(argv, { timeoutMs: bounds.timeoutMs, signal: bounds.signal, input: raw.toString("utf8") });
  return describeRun(result, path, recipients, bounds.timeoutMs);
}

/** The program's result as a finding: sent, could not start (permanent), stopped, or failed by exit code. */
function describeRun(result: CommandResult, path: string, recipients: string[], timeoutMs: number): SendFinding {
  const evidence = { program: path, command: formatCommand(result.argv), exitCode: result.exitCode, signal: result.signal };
  const to = recipients.map((address) => `"${address}"`).join(", ");
  if (result.ok) return { ok: true, summary: `Sent email to ${to} via "${path}"`, evidence };
  const cause = result.cause === undefined ? {} : { cause: result.cause };
  const fail = (why: string, permanent: boolean): SendFinding => ({ ok: false, summary: `Cannot send email via "${path}" as ${why}`, evidence, ...cause, ...(permanent ? { permanent } : {}) });
  if (result.errorCode === "ENOENT") return fail("it was not found", true);
  if (result.errorCode === "EACCES") return fail("it is not executable", true);
  if (result.errorCode !== null) return fail(`it could not be started (${result.errorCode})`, true);
  if (result.aborted) return { ...fail("the attempt was aborted (the channel's timeout or a shutdown)", false), evidence: { ...evidence, aborted: true } };
  if (result.timedOut) return fail(`it did not finish within ${formatDuration(timeoutMs)}`, false);
  if (result.signal !== null) return fail(`it was killed by ${result.signal}`, false);
  return fail(`it failed with exit code ${String(result.exitCode)}`, PERMANENT_EXIT_CODES.has(result.exitCode ?? -1));
}
