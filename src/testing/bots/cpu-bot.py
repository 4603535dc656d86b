#!/usr/bin/env python3
"""A bot whose CPU a test chooses.

usage: cpu-bot.py (--busy | --deadlock-after SECONDS | --bursty)

--busy: a busy loop in the main thread (100 % of a core).
--deadlock-after: two worker threads trade work under two locks, taking them in opposite order
  after SECONDS: a deadlock. A third thread keeps printing "alive" every 0.5 s all along.
--bursty: healthy work in bursts: 0.3 s of computing, then 0.7 s of waiting.
"""
import sys
import threading
import time


def spin(seconds):
    end = time.monotonic() + seconds
    count = 0
    while time.monotonic() < end:
        count += 1
    return count


def heartbeat():
    while True:
        print("alive", flush=True)
        time.sleep(0.5)


def deadlock(after):
    first, second = threading.Lock(), threading.Lock()
    start = time.monotonic()

    def worker(one, other):
        while True:
            with one:
                # Working while holding one lock; once `after` passed, each waits for the other's.
                spin(0.05)
                if time.monotonic() - start > after:
                    time.sleep(0.2)
                with other:
                    spin(0.01)

    for one, other in ((first, second), (second, first)):
        threading.Thread(target=worker, args=(one, other), daemon=True).start()
    heartbeat()


def main(argv):
    mode = argv[0] if argv else "--busy"
    if mode == "--busy":
        while True:
            spin(1)
    elif mode == "--deadlock-after":
        deadlock(float(argv[1]))
    elif mode == "--bursty":
        while True:
            spin(0.3)
            print("worked", flush=True)
            time.sleep(0.7)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv[1:])
