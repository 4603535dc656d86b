import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmailChannelConfig } from "../../config/types.js";
import { sampleAlert } from "../../testing/alerts.js";
import { createFakeClock } from "../../testing/fake-clock.js";
import { parseEmail } from "../../testing/parse-email.js";
import { waitFor } from "../../testing/wait-for.js";
import { renderText } from "../render-text.js";
import { createEmailSender } from "./email.js";

/**
 * A sendmail stand-in: a real program that saves its argv (one per line) and its stdin beside
 * itself, says `stderr` on stderr, then runs `then` (`exit 0`, `exit 75`, `exec sleep 600`).
 */
async function fakeSendmail(t: TestContext, then: string, stderr = "") {
  const dir = await mkdtemp(join(tmpdir(), "lifeguard-sendmail-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "sendmail");
  const script = [
    "#!/bin/sh",
    `dir=$(dirname "$0")`,
    `printf '%s\\n' "$@" > "$dir/argv"`,
    `cat > "$dir/stdin"`,
    `touch "$dir/read"`,
    ...(stderr === "" ? [] : [`echo '${stderr}' >&2`]),
    then,
  ].join("\n");
  await writeFile(path, `${script}\n`);
  await chmod(path, 0o755);
  return {
    path,
    argv: async () => (await readFile(join(dir, "argv"), "utf8")).split("\n").slice(0, -1),
    stdin: () => readFile(join(dir, "stdin"), "utf8"),
    hasRead: () => readFile(join(dir, "read")).then(() => true, () => false),
  };
}

function config(path: string): EmailChannelConfig {
  return {
    name: "test", type: "email", timeoutMs: 10_000, failover: null, failoverAfterMs: 600_000,
    to: ["ops@example.com", "me@example.com"], from: "lifeguard@testhost.example",
    transport: { kind: "sendmail", path },
  };
}

function send(path: string, signal = new AbortController().signal) {
  return createEmailSender(config(path), { clock: createFakeClock() })([sampleAlert()], signal);
}

test("sendmail receives the email on stdin with -i -f FROM and the recipients as arguments", async (t) => {
  const sendmail = await fakeSendmail(t, "exit 0");
  const finding = await send(sendmail.path);
  assert.equal(finding.ok, true, finding.summary);
  assert.equal(finding.summary, `Sent email to "ops@example.com", "me@example.com" via "${sendmail.path}"`);
  assert.deepEqual(await sendmail.argv(), ["-i", "-f", "lifeguard@testhost.example", "ops@example.com", "me@example.com"]);
  const raw = await sendmail.stdin();
  assert.equal(raw.includes("\r\n"), false, "sendmail takes the message with unix line ends");
  const email = parseEmail(raw);
  const { title, body } = renderText([sampleAlert()]);
  assert.equal(email.subject, title);
  assert.equal(email.body, body);
  assert.equal(email.headers["message-id"], "<lifeguard-testhost-1@testhost.example>");
});

test("a sendmail that exits 75 is a temporary failure with its stderr as the cause", async (t) => {
  const sendmail = await fakeSendmail(t, "exit 75", "sendmail: cannot connect to the relay");
  const finding = await send(sendmail.path);
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, undefined);
  assert.equal(finding.summary, `Cannot send email via "${sendmail.path}" as it failed with exit code 75`);
  assert.equal(finding.cause, "sendmail: cannot connect to the relay");
});

test("a sendmail that exits 67 (unknown user) is a permanent failure", async (t) => {
  const sendmail = await fakeSendmail(t, "exit 67", "sendmail: no such user");
  const finding = await send(sendmail.path);
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, `Cannot send email via "${sendmail.path}" as it failed with exit code 67`);
});

test("a sendmail that does not exist is a permanent failure", async () => {
  const finding = await send("/nonexistent/sendmail");
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, `Cannot send email via "/nonexistent/sendmail" as it was not found`);
});

test("a sendmail that hangs is ended when the signal aborts", async (t) => {
  const sendmail = await fakeSendmail(t, "exec sleep 600");
  const abort = new AbortController();
  t.after(() => abort.abort()); // even when an assertion fails first
  const sending = send(sendmail.path, abort.signal);
  assert.ok(await waitFor(sendmail.hasRead), "the fake sendmail never read its input");
  abort.abort();
  const finding = await sending;
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, undefined);
  assert.equal(finding.evidence.aborted, true);
  assert.equal(finding.summary, `Cannot send email via "${sendmail.path}" as the attempt was aborted (the channel's timeout or a shutdown)`);
});
