import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatagramError } from "./datagram-socket.js";
import { systemdNotifyCommand } from "./systemd-notify-command.js";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A stand-in for systemd-notify that records its words and $NOTIFY_SOCKET; RELOADING=1 takes longest. */
function recorder(t: { after(fn: () => void): void }): { command: string; said(): string[] } {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-notify-helper-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "said");
  const command = join(dir, "systemd-notify");
  writeFileSync(command, `#!/bin/sh\ncase "$1" in RELOADING=1) sleep 0.3;; FAIL) echo "No socket" >&2; exit 1;; esac\necho "$NOTIFY_SOCKET $*" >> ${log}\n`);
  chmodSync(command, 0o755);
  return { command, said: () => readFileSync(log, "utf8").trim().split("\n") };
}

test("the helper sends one message at a time in the order given: RELOADING=1 reaches systemd before the READY=1 that ends it", async (t) => {
  const { command, said } = recorder(t);
  const results: Array<DatagramError | null> = [];
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const send = systemdNotifyCommand((error) => {
    results.push(error);
    if (results.length === 2) done();
  }, command);
  assert.equal(send("/run/notify", bytes("RELOADING=1\nMONOTONIC_USEC=5")), null);
  assert.equal(send("/run/notify", bytes("READY=1")), null);
  await all;
  assert.deepEqual(said(), ["/run/notify RELOADING=1 MONOTONIC_USEC=5", "/run/notify READY=1"]);
  assert.deepEqual(results, [null, null]);
});

test("a ping already waiting is not queued twice, and a failed send says why", async (t) => {
  const { command, said } = recorder(t);
  const results: Array<DatagramError | null> = [];
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const send = systemdNotifyCommand((error) => {
    results.push(error);
    if (results.length === 3) done();
  }, command);
  send("/run/notify", bytes("RELOADING=1"));
  for (let ping = 0; ping < 5; ping += 1) send("/run/notify", bytes("WATCHDOG=1"));
  send("/run/notify", bytes("FAIL"));
  await all;
  assert.deepEqual(said(), ["/run/notify RELOADING=1", "/run/notify WATCHDOG=1"]);
  assert.deepEqual(results.slice(0, 2), [null, null]);
  assert.equal(results[2]?.reason, `${command} failed: No socket`);
});
