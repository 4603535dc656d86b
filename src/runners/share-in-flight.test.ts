import { test } from "node:test";
import assert from "node:assert/strict";
import { shareInFlight } from "./share-in-flight.js";

/** A read that waits until told, counting its calls and keeping its signals. */
function controlledRead() {
  const signals: AbortSignal[] = [];
  const pending: Array<(value: number) => void> = [];
  const read = (signal: AbortSignal): Promise<number> => {
    signals.push(signal);
    return new Promise((resolve, reject) => {
      pending.push(resolve);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  };
  return { read, signals, answer: (value: number) => pending.shift()?.(value) };
}

const forever = (): AbortSignal => new AbortController().signal;

test("callers that ask while a read is under way share it; a call after it settled reads again", async () => {
  const source = controlledRead();
  const shared = shareInFlight(source.read);
  const [a, b, c] = [shared(forever()), shared(forever()), shared(forever())];
  assert.equal(source.signals.length, 1, "one read for three callers");
  source.answer(7);
  assert.deepEqual(await Promise.all([a, b, c]), [7, 7, 7]);
  const later = shared(forever());
  assert.equal(source.signals.length, 2, "a new read once the first settled");
  source.answer(8);
  assert.equal(await later, 8);
});

test("a caller whose signal aborts stops waiting at once; the read goes on for the others, and is aborted only when every caller has", async () => {
  const source = controlledRead();
  const shared = shareInFlight(source.read);
  const [first, second] = [new AbortController(), new AbortController()];
  const one = shared(first.signal);
  const two = shared(second.signal);
  first.abort(new Error("first gave up"));
  await assert.rejects(one, /first gave up/);
  assert.equal(source.signals[0]?.aborted, false, "the other still waits");
  second.abort(new Error("second gave up"));
  await assert.rejects(two, /second gave up/);
  assert.equal(source.signals[0]?.aborted, true, "nobody waits: the read is aborted");
  await assert.rejects(shared(AbortSignal.abort(new Error("already"))), /already/);
  assert.equal(source.signals.length, 1, "an aborted caller starts no read");
});

test("a failed read fails every caller that shared it, and the next call reads again", async () => {
  let calls = 0;
  const shared = shareInFlight(async () => {
    calls += 1;
    if (calls === 1) throw new Error("bus gone");
    return calls;
  });
  const results = await Promise.allSettled([shared(forever()), shared(forever())]);
  assert.deepEqual(results.map((result) => result.status), ["rejected", "rejected"]);
  assert.equal(await shared(forever()), 2);
});
