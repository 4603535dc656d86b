#!/usr/bin/env python3
"""A bot that tells how many copies of it run: each process it is (the bot, its helper) creates
a file named after its pid in COPIES_DIR holding its role and start time, so that a test counts the living ones
by pid and start time. It writes a work line to LOG every 200 ms (a file, not stdout: a bot whose
Lifeguard was killed keeps running, as a trading bot with its own log would).

--ignore-term     the bot ignores SIGTERM (only SIGKILL ends it)
--helper          fork a helper that leaves the process group with setsid() and sleeps; it keeps
                  the bot's stdout and stderr open, as a forgotten pipe would
--helper-env-free the helper also re-executes itself with an empty environment
--freeze-file F   while F exists, write nothing (a frozen bot)
--crash-file F    exit 1 as soon as F exists (F is removed first: one crash per file)
"""
import argparse
import os
import signal
import sys
import time


def register(copies, role):
    with open("/proc/self/stat") as stat:
        start_time = stat.read().rsplit(")", 1)[1].split()[19]
    with open(os.path.join(copies, str(os.getpid())), "w") as f:
        f.write(f"{role} {start_time}")


def helper_loop(copies, role):
    register(copies, role)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        time.sleep(1)


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--as-helper":
        helper_loop(sys.argv[2], "helper")
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("copies")
    parser.add_argument("--ignore-term", action="store_true")
    parser.add_argument("--helper", action="store_true")
    parser.add_argument("--helper-env-free", action="store_true")
    parser.add_argument("--freeze-file")
    parser.add_argument("--crash-file")
    args = parser.parse_args()
    if args.ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if args.helper and os.fork() == 0:
        os.setsid()
        if args.helper_env_free:
            # A second fork: the helper's parent ends, so it is an orphan, re-parented away from the bot.
            if os.fork() != 0:
                os._exit(0)
            os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), "--as-helper", args.copies], {})
        helper_loop(args.copies, "helper")
    register(args.copies, "bot")
    print(f"bot {os.getpid()} started", flush=True)
    n = 0
    while True:
        if args.crash_file and os.path.exists(args.crash_file):
            os.remove(args.crash_file)
            print("crashing as asked", flush=True)
            sys.exit(1)
        if not (args.freeze_file and os.path.exists(args.freeze_file)):
            n += 1
            with open(args.log, "a") as f:
                f.write(f"work line {n}\n")
        time.sleep(0.2)


main()
