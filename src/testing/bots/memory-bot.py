#!/usr/bin/env python3
"""A bot whose memory a test chooses: it holds a base size, then leaks, bursts or stays.

usage: memory-bot.py [--hold MIB] [--leak MIB_PER_SECOND] [--burst MIB] [--pid-file FILE]

--hold: MiB allocated (and touched) at start.
--leak: MiB added every second, never freed: a leak.
--burst: every other second MiB allocated, then freed the next: bursty but healthy.
Every 0.2 s it prints "alive <rss MiB>" to stdout.
"""
import json
import os
import sys
import time

MIB = 1024 * 1024


def touched(mib):
    # bytearray zero-fills, so every page is resident at once.
    return bytearray(int(mib * MIB))


def rss_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return -1


def main(argv):
    options = {"--hold": 0.0, "--leak": 0.0, "--burst": 0.0, "--pid-file": None}
    index = 0
    while index < len(argv):
        name = argv[index]
        if name not in options:
            sys.exit("unknown option " + name)
        options[name] = argv[index + 1] if name == "--pid-file" else float(argv[index + 1])
        index += 2
    pid_file = options["--pid-file"] or os.environ.get("MEMORY_BOT_PID_FILE")
    if pid_file:
        with open(pid_file + ".tmp", "w") as out:
            json.dump({"pid": os.getpid(), "child": None}, out)
        os.rename(pid_file + ".tmp", pid_file)
    held = [touched(options["--hold"])]
    burst = None
    tick = 0
    while True:
        if tick % 5 == 0:
            if options["--leak"] > 0:
                held.append(touched(options["--leak"]))
            if options["--burst"] > 0:
                burst = touched(options["--burst"]) if burst is None else None
        print("alive %d" % rss_mib(), flush=True)
        tick += 1
        time.sleep(0.2)


if __name__ == "__main__":
    main(sys.argv[1:])
