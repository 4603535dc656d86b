// The addon against the real kernel: a Python receiver binds the datagram socket (Node cannot)
// and reports each datagram with the sender's pid from SCM_CREDENTIALS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNotifyReceiver, type NotifyReceiver } from "../testing/notify-receiver.js";
import { findAddon, loadSendDatagram, sendDatagram } from "./datagram-socket.js";

const linux = process.platform === "linux" ? false : "AF_UNIX datagrams and the addon are Linux only";
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-dgram-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function receiver(t: { after(fn: () => Promise<void>): void }, address: string, options: { hold?: boolean } = {}): Promise<NotifyReceiver> {
  const started = await startNotifyReceiver(address, options);
  t.after(() => started.stop());
  return started;
}

test("the addon is built (node-gyp rebuild in native/sd-notify)", { skip: linux }, () => {
  assert.ok(findAddon(), "native/sd-notify/build/Release/sd_notify.node is missing: build it before the tests");
  assert.equal(findAddon("/"), null);
});

test("an addon that is missing or broken makes every send report it", () => {
  const missing = loadSendDatagram(null)("/run/systemd/notify", bytes("READY=1"));
  assert.equal(missing?.code, "MODULE_NOT_FOUND");
  assert.match(missing?.reason ?? "", /^the native module ".*sd_notify\.node" is not built/);
  const broken = loadSendDatagram("/etc/hostname")("/run/systemd/notify", bytes("READY=1"));
  assert.equal(broken?.code, "ERR_DLOPEN_FAILED");
  assert.match(broken?.reason ?? "", /^the native module "\/etc\/hostname" cannot be loaded/);
});

test("sendDatagram sends one datagram to a path socket, credited to this process", { skip: linux }, async (t) => {
  const path = join(tempDir(t), "notify.sock");
  const socket = await receiver(t, path);
  assert.equal(sendDatagram(path, bytes("READY=1\nSTATUS=up")), null);
  assert.deepEqual(await socket.next(), { text: "READY=1\nSTATUS=up", pid: process.pid, bytes: 17 });
});

test("sendDatagram reaches an @abstract socket", { skip: linux }, async (t) => {
  const address = `@lifeguard-test/${process.pid}/${randomBytes(4).toString("hex")}`;
  const socket = await receiver(t, address);
  assert.equal(sendDatagram(address, bytes("WATCHDOG=1")), null);
  assert.deepEqual(await socket.next(), { text: "WATCHDOG=1", pid: process.pid, bytes: 10 });
});

test("sendDatagram sends a 4096-byte datagram whole", { skip: linux }, async (t) => {
  const path = join(tempDir(t), "notify.sock");
  const socket = await receiver(t, path);
  assert.equal(sendDatagram(path, bytes(`STATUS=${"x".repeat(4089)}`)), null);
  assert.equal((await socket.next()).bytes, 4096);
});

test("sendDatagram reports a missing socket, a socket nobody reads from and a stream socket", { skip: linux }, async (t) => {
  const dir = tempDir(t);
  assert.deepEqual(sendDatagram(join(dir, "missing.sock"), bytes("READY=1")), { code: "ENOENT", reason: "the socket does not exist" });

  const stale = join(dir, "stale.sock");
  await (await startNotifyReceiver(stale)).stop(); // the socket file stays, its reader is gone
  assert.deepEqual(sendDatagram(stale, bytes("READY=1")), { code: "ECONNREFUSED", reason: "nothing listens on the socket" });

  const stream = join(dir, "stream.sock");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(stream, resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  assert.deepEqual(sendDatagram(stream, bytes("READY=1")), { code: "EPROTOTYPE", reason: "the socket is not a datagram socket" });
});

test("sendDatagram never blocks: a full queue (a hung reader) is EAGAIN at once", { skip: linux }, async (t) => {
  const path = join(tempDir(t), "notify.sock");
  await receiver(t, path, { hold: true });
  // A blocking send would hang here on the full queue; returning EAGAIN is the proof it never blocks.
  const results = Array.from({ length: 200 }, () => sendDatagram(path, bytes("WATCHDOG=1")));
  const accepted = results.filter((r) => r === null).length;
  assert.ok(accepted >= 1 && accepted < 200, `${accepted} of 200 accepted`);
  assert.deepEqual(results.at(-1), { code: "EAGAIN", reason: "the socket's queue is full: its reader is not reading" });
});

test("sendDatagram refuses addresses that are not an AF_UNIX path or abstract name", { skip: linux }, () => {
  assert.equal(sendDatagram("vsock:2:9999", bytes("READY=1"))?.code, "EAFNOSUPPORT");
  assert.equal(sendDatagram("relative/notify", bytes("READY=1"))?.code, "EAFNOSUPPORT");
  assert.equal(sendDatagram(`/${"a".repeat(107)}`, bytes("READY=1"))?.code, "ENAMETOOLONG");
  assert.equal(sendDatagram(`@${"a".repeat(200)}`, bytes("READY=1"))?.code, "ENAMETOOLONG");
  assert.equal(sendDatagram("", bytes("READY=1"))?.code, "EINVAL");
  assert.equal(sendDatagram("/tmp/a\0b", bytes("READY=1"))?.code, "EINVAL");
});

test("a wrong argument type is a reported failure, not an exception", { skip: linux }, () => {
  const result = sendDatagram("/run/systemd/notify", "READY=1" as unknown as Uint8Array);
  assert.equal(result?.code, "ERR_INVALID_ARG_TYPE");
  assert.match(result?.reason ?? "", /must be a Uint8Array/);
});
