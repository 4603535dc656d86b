#!/usr/bin/python3
"""tick-bot: the bot the daemon benchmarks supervise (bench/daemon-*.ts).

Usage: tick-bot.py LOG EVERY_MS PID_FILE

Its first line, written as soon as the script runs, is
    started pid=1234 t=1764300000123.456 born=1764300000123.401
then every EVERY_MS milliseconds
    tick pid=1234 t=1764300000223.789 n=1
and on SIGTERM `stopping pid=... t=...` and exit 0, as a bot that shuts down cleanly does.
`t` is the wall time (CLOCK_REALTIME, ms) just before the line is written, `born` the wall time
at the script's first statement. PID_FILE gets the pid, so the bench can end a leftover by PID.
Python 3 standard library only; runs as /usr/bin/python3, as the seed's bot does.
"""
import time

BORN = time.time()

import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402


def main():
    log_path, every_ms, pid_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    pid = os.getpid()
    log = open(log_path, "a", buffering=1)

    def write(kind, extra=""):
        log.write("%s pid=%d t=%.3f%s\n" % (kind, pid, time.time() * 1000, extra))

    write("started", " born=%.3f" % (BORN * 1000))
    temporary = pid_file + ".tmp"
    with open(temporary, "w") as file:
        file.write(str(pid))
    os.replace(temporary, pid_file)

    def stop(_signum, _frame):
        write("stopping")
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    count = 0
    while True:
        time.sleep(every_ms / 1000)
        count += 1
        write("tick", " n=%d" % count)


if __name__ == "__main__":
    main()
