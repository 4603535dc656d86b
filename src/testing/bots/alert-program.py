#!/usr/bin/python3
"""alert-program: an `exec` alert channel's program, for Lifeguard's tests.

Usage: alert-program.py DIR

Each run writes DIR/run-<time_ns>-<pid>.json with what it received ({"argv", "env", "stdin"}:
the whole environment, stdin parsed as JSON or kept as text), then behaves as the text of
DIR/mode says (default "accept"):

  accept     exit 0
  fail       two lines on stderr, exit 1 (worth a retry)
  tempfail   exit 75 (EX_TEMPFAIL: worth a retry)
  permanent  one line on stderr, exit 65 (EX_DATAERR: do not retry)
  hang       ignore SIGTERM, start a child (`sleep`) in the same process group, write
             DIR/pids as {"pid": ..., "child": ...}, then wait forever
Python 3 standard library only.
"""
import json
import os
import signal
import subprocess
import sys
import time


def record(directory):
    raw = sys.stdin.read()
    try:
        stdin = json.loads(raw)
    except ValueError:
        stdin = raw
    run = {"argv": sys.argv, "env": dict(os.environ), "stdin": stdin}
    path = os.path.join(directory, "run-%d-%d.json" % (time.time_ns(), os.getpid()))
    with open(path + ".tmp", "w") as file:
        json.dump(run, file)
    os.rename(path + ".tmp", path)  # a reader never sees half a record


def hang(directory):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    child = subprocess.Popen(["sleep", "1000"])
    with open(os.path.join(directory, "pids.tmp"), "w") as file:
        json.dump({"pid": os.getpid(), "child": child.pid}, file)
    os.rename(os.path.join(directory, "pids.tmp"), os.path.join(directory, "pids"))
    while True:
        time.sleep(1)


def main():
    directory = sys.argv[1]
    record(directory)
    try:
        with open(os.path.join(directory, "mode")) as file:
            mode = file.read().strip()
    except FileNotFoundError:
        mode = "accept"
    if mode == "fail":
        sys.stderr.write("connecting to the pager\npager answered 503, try later\n")
        sys.exit(1)
    if mode == "tempfail":
        sys.exit(75)
    if mode == "permanent":
        sys.stderr.write("unknown recipient\n")
        sys.exit(65)
    if mode == "hang":
        hang(directory)
    sys.exit(0)


main()
