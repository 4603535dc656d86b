import { rm } from "node:fs/promises";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerOptions, type SMTPServerSession } from "smtp-server";
import type { EmailChannelConfig, SmtpTransportConfig } from "../config/types.js";
import { parseEmail, type ParsedEmail } from "./parse-email.js";
import { makeCertificate, type Certificate } from "./self-signed.js";

/** Bound on close(): hung connections are closed at once, this only covers a stuck one. */
const CLOSE_TIMEOUT_MS = 1000;

/** What the receiver does with the next emails: take them, answer 451 or 550 to the recipient, or never answer at all. */
export type SmtpBehaviour = "accept" | "temporary" | "permanent" | "hang";

export interface SmtpReceiverOptions {
  /** `starttls` offers STARTTLS, `implicit` speaks TLS from the first byte; both with a self-signed certificate made for this receiver. Default `none`. */
  tls?: "none" | "starttls" | "implicit";
  /** Require this login (others get 535); without it AUTH is not offered. */
  auth?: { user: string; pass: string };
  behaviour?: SmtpBehaviour;
  /** Listen on this port (a server that comes back after an outage); default 0, any free one. */
  port?: number;
}

export interface ReceivedEmail extends ParsedEmail {
  envelope: { from: string; to: string[] };
  raw: string;
  /** The login it came with, null without one. */
  user: string | null;
  /** Came over TLS (implicit or after STARTTLS). */
  secure: boolean;
}

/** Overrides of a channel config; `transport` is merged into the receiver's SMTP transport. */
export type SmtpConfigOverrides = Partial<Omit<EmailChannelConfig, "transport">> & { transport?: Partial<SmtpTransportConfig> };

export interface SmtpReceiver {
  readonly port: number;
  /** The PEM file of the receiver's certificate (to trust through `ca`); null without TLS. */
  readonly caPath: string | null;
  /** Emails taken, in order; an email is here before the client hears 250. */
  readonly received: ReceivedEmail[];
  /** Connections opened so far, answered or not (a test waits for one before aborting a hung send). */
  connections(): number;
  behave(behaviour: SmtpBehaviour): void;
  /** An email channel named "test" sending to this receiver: its TLS mode, login and certificate. */
  config(overrides?: SmtpConfigOverrides): EmailChannelConfig;
  /** Closes every connection (hung ones too), the server, and removes the certificate. Idempotent. */
  close(): Promise<void>;
}

/** A real SMTP server (nodemailer's `smtp-server`) on 127.0.0.1, port 0. */
export async function startSmtpReceiver(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const tls = options.tls ?? "none";
  const certificate = tls === "none" ? null : await makeCertificate();
  const state = { behaviour: options.behaviour ?? "accept", connections: 0 };
  const received: ReceivedEmail[] = [];
  const server = new SMTPServer({
    ...serverOptions(tls, options.auth, certificate),
    onConnect(_session, callback) {
      state.connections += 1;
      if (state.behaviour !== "hang") callback(); // hang: no greeting, ever
    },
    onRcptTo(_address, _session, callback) {
      if (state.behaviour === "temporary") return callback(replyError(451, "4.3.0 Mailbox busy, try again later"));
      if (state.behaviour === "permanent") return callback(replyError(550, "5.1.1 Mailbox unavailable"));
      callback();
    },
    onData(stream, session, callback) {
      readAll(stream).then((raw) => {
        received.push({ ...parseEmail(raw), raw, envelope: envelopeOf(session), user: typeof session.user === "string" ? session.user : null, secure: session.secure });
        callback();
      }, callback);
    },
  });
  const port = await listen(server, options.port ?? 0).catch(async (error: unknown) => {
    if (certificate) await rm(certificate.dir, { recursive: true, force: true });
    throw error;
  });
  let closing: Promise<void> | undefined;
  return {
    port,
    caPath: certificate?.certPath ?? null,
    received,
    connections: () => state.connections,
    behave: (behaviour) => void (state.behaviour = behaviour),
    config: (overrides = {}) => smtpConfig(port, { tls, auth: options.auth, caPath: certificate?.certPath ?? null }, overrides),
    close: () => (closing ??= closeServer(server, certificate?.dir ?? null)),
  };
}

/** A channel config pointing at a port nothing listens on (a server's, closed): "connection refused". */
export async function refusedSmtpConfig(overrides: SmtpConfigOverrides = {}): Promise<EmailChannelConfig> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => probe.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return smtpConfig(port, { tls: "none", auth: undefined, caPath: null }, overrides);
}

function serverOptions(tls: "none" | "starttls" | "implicit", auth: SmtpReceiverOptions["auth"], certificate: Certificate | null): SMTPServerOptions {
  return {
    secure: tls === "implicit",
    ...(certificate ? { key: certificate.key, cert: certificate.cert } : {}),
    // smtp-server offers STARTTLS with its own certificate by default: a plain receiver must not.
    disabledCommands: [...(auth === undefined ? ["AUTH"] : []), ...(tls === "none" ? ["STARTTLS"] : [])],
    authOptional: auth === undefined,
    allowInsecureAuth: true,
    logger: false,
    closeTimeout: CLOSE_TIMEOUT_MS,
    onAuth(login, _session, callback) {
      if (auth !== undefined && login.username === auth.user && login.password === auth.pass) return callback(null, { user: login.username ?? "" });
      callback(replyError(535, "5.7.8 Authentication credentials invalid"));
    },
  };
}

function smtpConfig(port: number, receiver: { tls: string; auth: SmtpReceiverOptions["auth"]; caPath: string | null }, overrides: SmtpConfigOverrides): EmailChannelConfig {
  const { transport, ...rest } = overrides;
  return {
    name: "test",
    type: "email",
    timeoutMs: 10_000,
    failover: null,
    failoverAfterMs: 600_000,
    to: ["ops@example.com"],
    from: "lifeguard@testhost.example",
    ...rest,
    transport: {
      kind: "smtp",
      host: "127.0.0.1",
      port,
      secure: receiver.tls === "implicit",
      starttls: receiver.tls === "starttls" ? "required" : "auto",
      user: receiver.auth?.user ?? null,
      pass: receiver.auth?.pass ?? null,
      ca: receiver.caPath,
      ...transport,
    },
  };
}

function listen(server: SMTPServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port));
  });
}

async function closeServer(server: SMTPServer, certificateDir: string | null): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const connection of server.connections) connection.close();
  await closed;
  if (certificateDir !== null) await rm(certificateDir, { recursive: true, force: true });
}

function envelopeOf(session: SMTPServerSession): ReceivedEmail["envelope"] {
  const { mailFrom, rcptTo } = session.envelope;
  return { from: mailFrom === false ? "" : mailFrom.address, to: rcptTo.map((recipient) => recipient.address) };
}

function replyError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

async function readAll(stream: SMTPServerDataStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
