import { z } from "zod";
import { defineChannelKind, type ChannelContext } from "./channel-kind.js";
import { filePath, integer, secretText, text } from "./fields.js";
import { describeValue } from "./messages.js";

/** Debian's sendmail, provided by postfix, exim or msmtp-mta. */
export const DEFAULT_SENDMAIL = "/usr/sbin/sendmail";

/** `name@host`, or `Name <name@host>`: enough to catch a typo; the server is the judge. */
const address = text().regex(/^(?:[^<>@\s]+@[^<>@\s]+|[^<>]*<[^<>@\s]+@[^<>@\s]+>)$/, {
  error: (issue) => `expected an email address like "me@example.com" or "Me <me@example.com>", got ${describeValue(issue.input)}`,
});

const smtp = z
  .strictObject({
    host: text().min(1).describe("The SMTP server's host name or address."),
    port: integer(1, 65535).nullable().default(null).describe("Its port. Empty: 465 with `secure`, else 587."),
    secure: z.boolean().default(false).describe("Implicit TLS from the first byte (port 465). `false`: plain at first, upgraded by STARTTLS as `starttls` says."),
    starttls: z
      .enum(["required", "auto", "off"])
      .default("auto")
      .describe("Without `secure`: `required` refuses a server that does not offer STARTTLS, `auto` upgrades when it is offered, `off` never does (a local relay)."),
    user: text().min(1).nullable().default(null).describe("User name to log in with. Empty: no login."),
    pass: secretText("The password; a secret: write `${SMTP_PASS}` or `${file:/path}` to keep it out of the file.").nullable().default(null),
    ca: filePath().nullable().default(null).describe("A PEM file of certificate authorities to trust besides the system's, e.g. a self-signed server's certificate; relative to the config file's directory."),
  })
  .describe("Send through an SMTP server (nodemailer).");

/** `type: email`: one message per alert, by SMTP or the local sendmail. */
export const emailChannel = defineChannelKind({
  type: "email",
  description: "Email, by SMTP or the local sendmail: a short subject and a plain-text body that reads well on a phone (docs/alerts/email.md).",
  defaultTimeout: "30s",
  shape: {
    to: z.union([address, z.array(address).min(1)]).transform((value) => (typeof value === "string" ? [value] : value)).describe("The recipient, or a list of them."),
    from: address.describe("The sender address."),
    smtp: smtp.optional(),
    sendmail: z
      .union([z.literal(true), filePath()])
      .optional()
      .describe(`Send with the local sendmail program instead of SMTP: \`true\` for ${DEFAULT_SENDMAIL}, or its path. A channel has either \`smtp\` or \`sendmail\`.`),
  },
  // One way to send: SMTP or sendmail.
  rules: ({ smtp: server, sendmail }) => {
    if (server !== undefined && sendmail !== undefined) return [{ path: ["sendmail"], message: 'expected either "smtp" or "sendmail", got both' }];
    if (server === undefined && sendmail === undefined) return [{ path: [], message: 'expected "smtp: { host: ... }" or "sendmail: true", got neither' }];
    return [];
  },
  normalise: (options, context) => ({ to: [...options.to], from: options.from, transport: transportOf(options, context) }),
});

type EmailOptions = { smtp?: z.output<typeof smtp> | undefined; sendmail?: true | string | undefined };

/** How the channel sends: SMTP when the channel has `smtp`, else the local sendmail. */
function transportOf(options: EmailOptions, context: ChannelContext) {
  const { smtp: server, sendmail } = options;
  if (server !== undefined) return smtpTransport(server, context);
  return sendmailTransport(sendmail === undefined || sendmail === true ? DEFAULT_SENDMAIL : context.resolvePath(sendmail));
}

/** The local sendmail program (`sendmail -i -t`, the message on stdin), e.g. Debian's postfix or msmtp. */
function sendmailTransport(path: string) {
  return {
    kind: "sendmail" as const,
    /** Absolute path of the program. */
    path,
  };
}

/** SMTP: nodemailer's transport. Port 465 usually means `secure`, 587 STARTTLS, 25 a local relay. */
function smtpTransport(server: z.output<typeof smtp>, context: ChannelContext) {
  return {
    kind: "smtp" as const,
    host: server.host,
    port: server.port ?? (server.secure ? 465 : 587),
    /** Implicit TLS from the first byte (port 465). */
    secure: server.secure,
    /** Without `secure`: `required` refuses a server that does not offer STARTTLS, `auto` upgrades when offered, `off` never does. */
    starttls: server.starttls,
    /** null: no authentication. */
    user: server.user,
    /** A secret. */
    pass: server.pass,
    /** A PEM file of certificate authorities to trust besides the system's (a self-signed server); absolute; null: the system's only. */
    ca: server.ca === null ? null : context.resolvePath(server.ca),
  };
}
