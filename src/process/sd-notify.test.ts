import { test } from "node:test";
import assert from "node:assert/strict";
import type { Outcome } from "../core/outcome.js";
import type { DatagramError, SendDatagram } from "./datagram-socket.js";
import { createSystemdNotifier, NOTIFY_MESSAGE_MAX_BYTES, statusLine, watchdogInterval, type SystemdNotifierOptions } from "./sd-notify.js";

const SOCKET = "/run/systemd/notify";

/** A notifier whose datagrams are kept as text instead of sent; `fail` makes every send fail. */
function recording(options: SystemdNotifierOptions & { env?: NodeJS.ProcessEnv; fail?: DatagramError } = {}) {
  const sent: Array<{ address: string; text: string; bytes: number }> = [];
  const send: SendDatagram = (address, bytes) => {
    sent.push({ address, text: new TextDecoder().decode(bytes), bytes: bytes.length });
    return options.fail ?? null;
  };
  const notifier = createSystemdNotifier({ NOTIFY_SOCKET: SOCKET, ...options.env }, { send, ...options });
  assert.ok(notifier);
  return { notifier, sent };
}

test("createSystemdNotifier is null without NOTIFY_SOCKET", () => {
  assert.equal(createSystemdNotifier({}), null);
  assert.equal(createSystemdNotifier({ NOTIFY_SOCKET: "" }), null);
  assert.equal(createSystemdNotifier({ WATCHDOG_USEC: "2000000" }), null);
});

test("each method sends its one message to NOTIFY_SOCKET", () => {
  const { notifier, sent } = recording({ env: { NOTIFY_SOCKET: "@/org/freedesktop/systemd1/notify" }, monotonicUsec: () => 123_456_789n });
  for (const outcome of [notifier.ready(), notifier.watchdog(), notifier.status("watching 3 services"), notifier.reloading(), notifier.stopping()]) {
    assert.equal(outcome.ok, true, outcome.summary);
  }
  assert.deepEqual(
    sent.map((s) => [s.address, s.text]),
    [
      ["@/org/freedesktop/systemd1/notify", "READY=1"],
      ["@/org/freedesktop/systemd1/notify", "WATCHDOG=1"],
      ["@/org/freedesktop/systemd1/notify", "STATUS=watching 3 services"],
      ["@/org/freedesktop/systemd1/notify", "RELOADING=1\nMONOTONIC_USEC=123456789"],
      ["@/org/freedesktop/systemd1/notify", "STOPPING=1"],
    ],
  );
  assert.equal(notifier.socket, "@/org/freedesktop/systemd1/notify");
});

test("a sent message is an ok outcome naming the message and the socket", () => {
  const { notifier } = recording();
  const outcome = notifier.ready();
  assert.equal(outcome.summary, 'Sent "READY=1" to systemd at "/run/systemd/notify"');
  assert.deepEqual(outcome.evidence, { message: "READY=1", socket: SOCKET });
  assert.equal(outcome.timedOut, false);
  assert.ok(outcome.durationMs >= 0);
});

test("a failed send is an outcome and reaches onFailure, never an exception", () => {
  const failures: Outcome[] = [];
  const { notifier } = recording({ fail: { code: "ECONNREFUSED", reason: "nothing listens on the socket" }, onFailure: (o) => void failures.push(o) });
  const outcome = notifier.watchdog();
  assert.equal(outcome.ok, false);
  assert.equal(outcome.summary, 'Cannot send "WATCHDOG=1" to systemd at "/run/systemd/notify" as nothing listens on the socket (ECONNREFUSED)');
  assert.equal(outcome.cause, "ECONNREFUSED");
  assert.deepEqual(outcome.evidence, { message: "WATCHDOG=1", socket: SOCKET, code: "ECONNREFUSED" });
  assert.deepEqual(failures, [outcome]);
});

test("a sender that throws still yields a failed outcome", () => {
  const notifier = createSystemdNotifier({ NOTIFY_SOCKET: SOCKET }, {
    send: () => {
      throw new Error("boom");
    },
  });
  const outcome = notifier?.ready();
  assert.equal(outcome?.ok, false);
  assert.equal(outcome?.cause, "ERR_UNEXPECTED");
  assert.match(outcome?.summary ?? "", /as boom \(ERR_UNEXPECTED\)$/);
});

test("status is one line: newlines cannot smuggle in another assignment, NULs cannot void the datagram", () => {
  const { notifier, sent } = recording();
  notifier.status("  checking\nREADY=1\r\nMAINPID=1\0 done ");
  assert.equal(sent[0]?.text, "STATUS=checking READY=1 MAINPID=1 done");
});

test("a long status is cut at a character boundary so the datagram fits what systemd accepts", () => {
  const { notifier, sent } = recording();
  const outcome = notifier.status("é".repeat(5000));
  assert.equal(outcome.ok, true);
  const datagram = sent[0];
  assert.ok(datagram !== undefined && datagram.bytes <= NOTIFY_MESSAGE_MAX_BYTES, `${datagram?.bytes} bytes`);
  assert.ok(datagram.bytes > NOTIFY_MESSAGE_MAX_BYTES - 4);
  assert.match(datagram.text, /^STATUS=(é)+…$/);
  assert.equal((outcome.evidence as { message: string }).message.length, 60, "the log shows the status cut short");
});

test("statusLine leaves a short line alone and cuts a long one to maxBytes", () => {
  assert.equal(statusLine("ok", 10), "ok");
  assert.equal(statusLine("abcdefghij", 10), "abcdefghij");
  assert.equal(statusLine("abcdefghijk", 10), "abcdefg…");
  assert.equal(statusLine("ab€€", 7), "ab…"); // "€" and "…" are 3 bytes each: "ab€…" would need 8
});

test("watchdogIntervalMs is half of WATCHDOG_USEC when the watchdog is meant for this process", () => {
  const cases: Array<[string | undefined, string | undefined, number | null]> = [
    ["2000000", "4242", 1000],
    ["2000000", undefined, 1000], // sd_watchdog_enabled(3): an unset WATCHDOG_PID means this process
    ["2000000", "", 1000],
    ["2000000", "4243", null], // the watchdog is another process's (a child inherited the variables)
    ["30000000", "4242", 15000],
    ["1001", "4242", 1], // never a zero interval
    [undefined, "4242", null],
    ["", "4242", null],
    ["0", "4242", null],
    ["-5", "4242", null],
    ["2s", "4242", null],
    ["99999999999999999999", "4242", null],
  ];
  for (const [usec, pid, expected] of cases) {
    assert.equal(watchdogInterval(usec, pid, 4242), expected, `WATCHDOG_USEC=${usec} WATCHDOG_PID=${pid}`);
    const notifier = createSystemdNotifier({ NOTIFY_SOCKET: SOCKET, WATCHDOG_USEC: usec, WATCHDOG_PID: pid }, { pid: 4242, send: () => null });
    assert.equal(notifier?.watchdogIntervalMs(), expected);
  }
});

test("the environment is read once, when the notifier is created", () => {
  const env: NodeJS.ProcessEnv = { NOTIFY_SOCKET: SOCKET, WATCHDOG_USEC: "4000000", WATCHDOG_PID: String(process.pid) };
  const sent: string[] = [];
  const send: SendDatagram = (address) => {
    sent.push(address);
    return null;
  };
  const notifier = createSystemdNotifier(env, { send });
  delete env.NOTIFY_SOCKET; // what a supervisor does before it spawns children
  delete env.WATCHDOG_USEC;
  notifier?.ready();
  assert.deepEqual(sent, [SOCKET]);
  assert.equal(notifier?.watchdogIntervalMs(), 2000);
});
