import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { EmailChannelConfig } from "../../config/types.js";
import type { Alert } from "../../core/alert.js";
import { sampleAlert } from "../../testing/alerts.js";
import { createFakeClock } from "../../testing/fake-clock.js";
import { refusedSmtpConfig, startSmtpReceiver, type SmtpReceiverOptions } from "../../testing/smtp-receiver.js";
import { waitFor } from "../../testing/wait-for.js";
import { renderText } from "../render-text.js";
import { createEmailSender } from "./email.js";

const NOW = Date.UTC(2026, 10, 28, 3, 0, 5);
const LOGIN = { user: "lifeguard", pass: "s3cret-Pa55" };

async function receiver(t: TestContext, options: SmtpReceiverOptions = {}) {
  const started = await startSmtpReceiver(options);
  t.after(() => started.close());
  return started;
}

function send(config: EmailChannelConfig, alerts: readonly Alert[] = [sampleAlert()], signal = new AbortController().signal) {
  return createEmailSender(config, { clock: createFakeClock(NOW) })(alerts, signal);
}

test("email over plain SMTP arrives with the rendered title as subject and the rendered text as body", async (t) => {
  const smtp = await receiver(t);
  const alert = sampleAlert();
  const finding = await send(smtp.config({ to: ["ops@example.com", "me@example.com"] }), [alert]);

  assert.equal(finding.ok, true, finding.summary);
  assert.match(finding.summary, new RegExp(`^Sent email to "ops@example.com", "me@example.com" via 127\\.0\\.0\\.1:${smtp.port} \\(250 `));
  assert.equal(smtp.received.length, 1);
  const [email] = smtp.received;
  const { title, body } = renderText([alert]);
  assert.equal(email?.subject, title);
  assert.equal(email?.body, body);
  assert.deepEqual(email?.envelope, { from: "lifeguard@testhost.example", to: ["ops@example.com", "me@example.com"] });
  assert.equal(email?.headers["from"], "Lifeguard <lifeguard@testhost.example>");
  assert.equal(email?.headers["message-id"], "<lifeguard-testhost-1@testhost.example>");
  assert.equal(email?.headers["date"], new Date(NOW).toUTCString().replace("GMT", "+0000"));
  assert.equal(email?.headers["x-lifeguard-service"], "trader");
  assert.equal(email?.headers["x-lifeguard-kind"], "restarted");
  assert.equal(email?.headers["x-lifeguard-severity"], "warning");
  assert.equal(email?.headers["auto-submitted"], "auto-generated");
  assert.equal(email?.secure, false);
});

test("email over STARTTLS trusts a self-signed server through ca", async (t) => {
  const smtp = await receiver(t, { tls: "starttls" });
  const finding = await send(smtp.config());
  assert.equal(finding.ok, true, finding.summary);
  assert.equal(smtp.received[0]?.secure, true);
});

test("email over STARTTLS without ca fails permanently as the certificate is not trusted", async (t) => {
  const smtp = await receiver(t, { tls: "starttls" });
  const finding = await send(smtp.config({ transport: { ca: null } }));
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, true);
  assert.match(finding.summary, new RegExp(`^Cannot send email via 127\\.0\\.0\\.1:${smtp.port} as its TLS certificate is not trusted: .*self-signed.* \\(set "ca" to its certificate or CA\\)$`));
  assert.equal(smtp.received.length, 0);
});

test("email over implicit TLS arrives", async (t) => {
  const smtp = await receiver(t, { tls: "implicit" });
  const finding = await send(smtp.config());
  assert.equal(finding.ok, true, finding.summary);
  assert.equal(smtp.received[0]?.secure, true);
});

test("email with a login arrives as that user", async (t) => {
  const smtp = await receiver(t, { tls: "starttls", auth: LOGIN });
  const finding = await send(smtp.config());
  assert.equal(finding.ok, true, finding.summary);
  assert.equal(smtp.received[0]?.user, "lifeguard");
});

test("a refused login is a permanent failure that never shows the password", async (t) => {
  const smtp = await receiver(t, { auth: LOGIN });
  const wrong = "wr0ng-Passw0rd";
  const finding = await send(smtp.config({ transport: { pass: wrong } }));
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, `Cannot send email via 127.0.0.1:${smtp.port} as it refused the login of "lifeguard": 535 5.7.8 Authentication credentials invalid`);
  const shown = JSON.stringify(finding);
  for (const secret of [wrong, Buffer.from(wrong).toString("base64"), Buffer.from(`\0lifeguard\0${wrong}`).toString("base64")]) {
    assert.equal(shown.includes(secret), false, `the finding shows ${secret}: ${shown}`);
  }
});

test("a 451 to the recipient is a temporary failure", async (t) => {
  const smtp = await receiver(t, { behaviour: "temporary" });
  const finding = await send(smtp.config());
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, undefined);
  assert.equal(finding.summary, `Cannot send email via 127.0.0.1:${smtp.port} as it answered 451 4.3.0 Mailbox busy, try again later to the recipients`);
  assert.equal(finding.evidence.responseCode, 451);
});

test("a 550 to the recipient is a permanent failure", async (t) => {
  const smtp = await receiver(t, { behaviour: "permanent" });
  const finding = await send(smtp.config());
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, `Cannot send email via 127.0.0.1:${smtp.port} as it answered 550 5.1.1 Mailbox unavailable to the recipients`);
});

test("a server that never answers is let go when the signal aborts", async (t) => {
  const smtp = await receiver(t, { behaviour: "hang" });
  const abort = new AbortController();
  t.after(() => abort.abort()); // even when an assertion fails first
  const sending = send(smtp.config(), [sampleAlert()], abort.signal);
  assert.ok(await waitFor(() => smtp.connections() === 1), "the sender never connected");
  abort.abort();
  const finding = await sending;
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, undefined);
  assert.equal(finding.evidence.aborted, true);
  assert.equal(finding.summary, `Cannot send email via 127.0.0.1:${smtp.port} as the attempt was aborted (the channel's timeout or a shutdown)`);
});

test("a refused connection is a temporary failure", async () => {
  const config = await refusedSmtpConfig();
  const finding = await send(config);
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, undefined);
  assert.equal(finding.summary, `Cannot send email via 127.0.0.1:${config.transport.kind === "smtp" ? config.transport.port : 0} as the connection was refused`);
});

test("a ca file that cannot be read is a permanent failure naming the file", async (t) => {
  const smtp = await receiver(t, { tls: "starttls" });
  const finding = await send(smtp.config({ transport: { ca: "/nonexistent/lifeguard-ca.pem" } }));
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, `Cannot send email via 127.0.0.1:${smtp.port} as the CA file "/nonexistent/lifeguard-ca.pem" cannot be read (ENOENT)`);
  assert.equal(smtp.connections(), 0);
});

test("a digest of three alerts arrives as one email", async (t) => {
  const smtp = await receiver(t);
  const alerts = [1, 2, 3].map((n) => sampleAlert({ id: `lifeguard-testhost-${n}`, at: Date.UTC(2026, 10, 28, 3, n) }));
  const finding = await send(smtp.config(), alerts);
  assert.equal(finding.ok, true, finding.summary);
  assert.equal(smtp.received.length, 1);
  const { title, body } = renderText(alerts);
  assert.equal(smtp.received[0]?.subject, title);
  assert.equal(smtp.received[0]?.body, body);
  assert.equal(smtp.received[0]?.headers["x-lifeguard-kind"], "digest");
  assert.equal(smtp.received[0]?.headers["x-lifeguard-alert-id"], "lifeguard-testhost-1, lifeguard-testhost-2, lifeguard-testhost-3");
});

test("the same alert sent twice has the same Message-ID, another alert another one", async (t) => {
  const smtp = await receiver(t);
  const config = smtp.config();
  for (const alert of [sampleAlert(), sampleAlert(), sampleAlert({ id: "lifeguard-testhost-2" })]) {
    const finding = await send(config, [alert]);
    assert.equal(finding.ok, true, finding.summary);
  }
  const ids = smtp.received.map((email) => email.headers["message-id"]);
  assert.equal(ids[0], ids[1]);
  assert.notEqual(ids[0], ids[2]);
});

test("starttls off sends in plain text even to a server that offers STARTTLS", async (t) => {
  const smtp = await receiver(t, { tls: "starttls" });
  const finding = await send(smtp.config({ transport: { starttls: "off", ca: null } }));
  assert.equal(finding.ok, true, finding.summary);
  assert.equal(smtp.received[0]?.secure, false);
});

test("starttls required against a server that does not offer it is a permanent failure", async (t) => {
  const smtp = await receiver(t);
  const finding = await send(smtp.config({ transport: { starttls: "required" } }));
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, true, finding.summary);
  assert.match(finding.summary, new RegExp(`^Cannot send email via 127\\.0\\.0\\.1:${smtp.port} as it answered 5\\d\\d `));
  assert.equal(smtp.received.length, 0);
});
