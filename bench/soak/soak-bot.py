#!/usr/bin/python3
"""soak-bot: the healthy bot of the soak (bench/soak/run.ts). It never fails on its own.

Usage: soak-bot.py --starts FILE --stats FILE [--log PATH --mode reopen|append] [--ping]
                   [--burst-every S] [--burst-lines N] [--burst-long N] [--burst-binary N]

On start it appends `PID WALL_MS` to the starts file: one line per start, so the soak counts
the restarts without asking Lifeguard. Then, every 1 to 3 s (random), it writes 0 to 5 filler
lines and one work line `work n=N ...` (what the soak's log-activity check matches). Every
`--burst-every` seconds it writes a burst: `--burst-lines` short filler lines, among them
`--burst-long` lines of 100 KiB and `--burst-binary` lines of random bytes (no newline inside),
with a work line at least every WORK_EVERY lines, so that the last 100 lines always hold one:
a healthy bot, however busy.

Where it writes:
  no --log          stdout (a `command:` service whose output Lifeguard captures and rotates)
  --mode reopen     PATH, reopened when the path names another file (what Python's
                    WatchedFileHandler does): the bot of logrotate's `create`
  --mode append     PATH, opened once with O_APPEND and never reopened: logrotate's `copytruncate`
--ping GETs $LIFEGUARD_PING_URL after each work line (the heartbeat bot).
`STATS.PID` (one file per start) gets {"lines", "bytes", "pings_ok", "pings_failed"}, replaced
atomically, every few seconds and on SIGTERM, after which it exits 0. Python 3 standard library only.
"""
import argparse
import json
import os
import random
import signal
import sys
import time
import urllib.error
import urllib.request

WORK_EVERY = 40
LONG_LINE_BYTES = 100 * 1024
BINARY_MIN_BYTES, BINARY_MAX_BYTES = 200, 4000
# Bursts are written in pieces of about this size, as a logging library flushes its buffer.
PIECE_BYTES = 64 * 1024
STATS_EVERY_S = 5
PING_TIMEOUT_S = 2


def parse_args():
    parser = argparse.ArgumentParser(description="A healthy bot that logs work, filler and bursts.")
    parser.add_argument("--starts", required=True)
    parser.add_argument("--stats", required=True, help="prefix of the stats file: STATS.PID")
    parser.add_argument("--log", default=None)
    parser.add_argument("--mode", choices=["reopen", "append"], default="append")
    parser.add_argument("--ping", action="store_true")
    parser.add_argument("--burst-every", type=float, default=60)
    parser.add_argument("--burst-lines", type=int, default=3000)
    parser.add_argument("--burst-long", type=int, default=10)
    parser.add_argument("--burst-binary", type=int, default=50)
    return parser.parse_args()


class Sink:
    """Where the lines go: stdout, or a file (reopened when rotated away, in reopen mode)."""

    def __init__(self, path, mode):
        self.path, self.mode, self.fd = path, mode, None
        if path is not None:
            self.open()

    def open(self):
        if self.fd is not None:
            os.close(self.fd)
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def reopen_if_rotated(self):
        try:
            named = os.stat(self.path)
        except FileNotFoundError:
            self.open()
            return
        mine = os.fstat(self.fd)
        if (named.st_dev, named.st_ino) != (mine.st_dev, mine.st_ino):
            self.open()

    def write(self, data):
        if self.path is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        if self.mode == "reopen":
            self.reopen_if_rotated()
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]


class Bot:
    def __init__(self, args):
        self.args = args
        self.sink = Sink(args.log, args.mode)
        self.pid = os.getpid()
        self.stats = {"lines": 0, "bytes": 0, "pings_ok": 0, "pings_failed": 0}
        self.work = 0
        self.ping_url = os.environ.get("LIFEGUARD_PING_URL") if args.ping else None

    def emit(self, lines):
        data = b"".join(lines)
        self.sink.write(data)
        self.stats["lines"] += len(lines)
        self.stats["bytes"] += len(data)

    def work_line(self, what):
        self.work += 1
        return b"work n=%d pid=%d t=%.3f %s\n" % (self.work, self.pid, time.time() * 1000, what.encode())

    def step(self):
        filler = [b"filler pid=%d k=%d %s\n" % (self.pid, k, b"." * random.randint(10, 200)) for k in range(random.randint(0, 5))]
        self.emit(filler + [self.work_line("steady")])
        self.ping()

    def burst(self):
        args = self.args
        special = random.sample(range(args.burst_lines), min(args.burst_lines, args.burst_long + args.burst_binary))
        long_at = set(special[: args.burst_long])
        binary_at = set(special[args.burst_long :])
        piece, size = [], 0
        for index in range(args.burst_lines):
            if index % WORK_EVERY == 0:
                line = self.work_line("burst")
            elif index in long_at:
                line = b"long " + b"L" * (LONG_LINE_BYTES - 6) + b"\n"
            elif index in binary_at:
                line = os.urandom(random.randint(BINARY_MIN_BYTES, BINARY_MAX_BYTES)).replace(b"\n", b"?") + b"\n"
            else:
                line = b"burst pid=%d i=%d %s\n" % (self.pid, index, b"-" * random.randint(20, 120))
            piece.append(line)
            size += len(line)
            if size >= PIECE_BYTES:
                self.emit(piece)
                piece, size = [], 0
        self.emit(piece + [self.work_line("burst done")])

    def ping(self):
        if self.ping_url is None:
            return
        try:
            with urllib.request.urlopen(self.ping_url, timeout=PING_TIMEOUT_S) as response:
                ok = response.status == 200
        except (urllib.error.URLError, OSError):
            ok = False
        self.stats["pings_ok" if ok else "pings_failed"] += 1

    def write_stats(self):
        path = "%s.%d" % (self.args.stats, self.pid)
        with open(path + ".tmp", "w") as file:
            json.dump(self.stats, file)
        os.replace(path + ".tmp", path)


def main():
    args = parse_args()
    with open(args.starts, "a") as starts:
        starts.write("%d %.3f\n" % (os.getpid(), time.time() * 1000))
    bot = Bot(args)

    def stop(_signum, _frame):
        bot.write_stats()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    started = time.monotonic()
    next_burst = started + args.burst_every / 2
    next_stats = started + STATS_EVERY_S
    while True:
        time.sleep(random.uniform(1, 3))
        bot.step()
        now = time.monotonic()
        if args.burst_lines > 0 and now >= next_burst:
            bot.burst()
            next_burst = now + args.burst_every
        if now >= next_stats:
            bot.write_stats()
            next_stats = now + STATS_EVERY_S


if __name__ == "__main__":
    main()
