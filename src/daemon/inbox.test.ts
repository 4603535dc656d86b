import { test } from "node:test";
import assert from "node:assert/strict";
import { createInbox, type DaemonRequest } from "./inbox.js";

/** A source that hands out `requests` one by one, each when `release()` is called. */
function scriptedSource() {
  const waiting: Array<(request: DaemonRequest) => void> = [];
  return {
    next: () => new Promise<DaemonRequest>((resolve) => void waiting.push(resolve)),
    release: (request: DaemonRequest) => waiting.shift()?.(request),
  };
}

test("a pushed reload is answered before the signal that comes later, and that signal is not lost", async () => {
  const source = scriptedSource();
  const inbox = createInbox(source);
  const first = inbox.next();
  inbox.push({ kind: "reload", by: "root (cli)" });
  assert.deepEqual(await first, { kind: "reload", by: "root (cli)" });
  // The source's next() asked during the first wait is still pending: what it yields comes next.
  const second = inbox.next();
  source.release({ kind: "stop", signal: "SIGTERM" });
  assert.deepEqual(await second, { kind: "stop", signal: "SIGTERM" });
});

test("requests pushed while nobody waits are kept in order", async () => {
  const inbox = createInbox(scriptedSource());
  inbox.push({ kind: "reload", by: "a" });
  inbox.push({ kind: "reload", by: "b" });
  assert.deepEqual([(await inbox.next()) as { by: string }, (await inbox.next()) as { by: string }].map((request) => request.by), ["a", "b"]);
});
