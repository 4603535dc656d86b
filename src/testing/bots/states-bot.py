#!/usr/bin/env python3
"""A bot whose process states a test chooses.

usage: states-bot.py (--stuck-in-d | --zombies N | --leak-fds | --leak-threads | --churn)

--stuck-in-d: a thread named "stuck" calls vfork() and its child never calls exec or exits, so
  the thread stays in uninterruptible sleep (D, waiting in kernel_clone) while the main thread
  prints "alive" every 0.2 s. (The child runs in the parent's memory: it only calls pause().)
--zombies N: forks N children that exit at once and are never waited for: N zombies.
--leak-fds: opens /dev/null every 0.1 s and never closes it.
--leak-threads: starts a thread that sleeps for ever every 0.1 s.
--churn: healthy work: every cycle opens files, starts threads and forks a child that it reaps,
  for a moment, then closes, joins and waits for all of them.
"""
import ctypes
import os
import sys
import threading
import time


def alive():
    while True:
        print("alive", flush=True)
        time.sleep(0.2)


def stuck_in_d():
    libc = ctypes.CDLL(None, use_errno=True)

    def stuck():
        if libc.vfork() == 0:
            while True:
                libc.pause()

    threading.Thread(target=stuck, name="stuck", daemon=True).start()
    alive()


def zombies(count):
    for _ in range(count):
        if os.fork() == 0:
            os._exit(0)
    alive()


def leak(start):
    while True:
        start()
        time.sleep(0.1)


def churn():
    while True:
        files = [open("/dev/null") for _ in range(8)]
        done = threading.Event()
        threads = [threading.Thread(target=done.wait) for _ in range(4)]
        for thread in threads:
            thread.start()
        child = os.fork()
        if child == 0:
            os._exit(0)
        time.sleep(0.15)
        done.set()
        for thread in threads:
            thread.join()
        for file in files:
            file.close()
        os.waitpid(child, 0)
        time.sleep(0.15)


def main(argv):
    mode = argv[0] if argv else "--churn"
    if mode == "--stuck-in-d":
        stuck_in_d()
    elif mode == "--zombies":
        zombies(int(argv[1]))
    elif mode == "--leak-fds":
        kept = []
        leak(lambda: kept.append(open("/dev/null")))
    elif mode == "--leak-threads":
        leak(lambda: threading.Thread(target=threading.Event().wait, daemon=True).start())
    elif mode == "--churn":
        churn()
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv[1:])
