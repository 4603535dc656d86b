import { test } from "node:test";
import assert from "node:assert/strict";
import { summariseForensics } from "./forensics-summary.js";

const thread = (tid: number, name: string, state: string, wchan: string | null) => ({ tid, name, state, wchan });

test("a deadlock behind a live heartbeat: the main thread's wait first, then the others grouped by where they wait", () => {
  const threads = [thread(100, "python3", "S", "futex_wait_queue"), thread(101, "trader", "S", "futex_wait_queue"), thread(102, "feed", "S", "futex_wait_queue"), thread(103, "heartbeat", "S", "hrtimer_nanosleep")];
  assert.equal(summariseForensics([{ pid: 100, threads }], []), 'main thread in futex_wait_queue; 2 threads in futex_wait_queue ("trader", "feed"); 1 thread in hrtimer_nanosleep ("heartbeat")');
});

test("a hung broker connection: the socket with unsent bytes is named with its size, before idle ones", () => {
  const sockets = [
    { remote: "127.0.0.1:5432", state: "ESTABLISHED", txQueue: 0, rxQueue: 0 },
    { remote: "127.0.0.1:4002", state: "ESTABLISHED", txQueue: 2150, rxQueue: 0 },
  ];
  assert.equal(summariseForensics([{ pid: 7, threads: [thread(7, "bot", "S", "wait_woken")] }], sockets), "main thread in wait_woken; socket to 127.0.0.1:4002 with 2.1KiB unsent");
});

test("a thread in uninterruptible sleep, a running one, a zombie, and a closing socket with bytes unread say so", () => {
  const threads = [thread(9, "bot", "D", "nfs_wait_on_request"), thread(10, "spin", "R", null), thread(11, "gone", "Z", null), thread(12, "held", "T", "do_signal_stop")];
  const sockets = [{ remote: "10.0.0.2:443", state: "CLOSE_WAIT", txQueue: 0, rxQueue: 512 }];
  assert.equal(summariseForensics([{ pid: 9, threads }], sockets), 'main thread uninterruptible in nfs_wait_on_request; 1 thread running ("spin"); 1 thread a zombie ("gone"); 1 thread stopped (SIGSTOP or a debugger) ("held"); socket to 10.0.0.2:443 (CLOSE_WAIT) with 512B unread');
});

test("many threads in one wait are counted past the first three; many connections past two", () => {
  const threads = [thread(1, "main", "S", "do_epoll_wait"), ...Array.from({ length: 6 }, (_, i) => thread(2 + i, `w${i}`, "S", "futex_wait_queue"))];
  const sockets = Array.from({ length: 4 }, (_, i) => ({ remote: `127.0.0.1:${9000 + i}`, state: "ESTABLISHED", txQueue: 0, rxQueue: 0 }));
  assert.equal(summariseForensics([{ pid: 1, threads }], sockets), 'main thread in do_epoll_wait; 6 threads in futex_wait_queue ("w0", "w1", "w2", 3 more); socket to 127.0.0.1:9000; socket to 127.0.0.1:9001; 2 more connections');
});

test("nothing read says so", () => {
  assert.equal(summariseForensics([], []), "nothing could be read of its processes");
});
