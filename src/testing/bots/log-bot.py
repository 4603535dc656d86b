#!/usr/bin/python3
"""log-bot: a stand-in for the seed's trading bot, for Lifeguard's tests.

Usage: log-bot.py LOG [--every MS] [--reopen] [--ignore-term] [--crash-after N]
                      [--hang-after N] [--idle-after N] [--filler N] [--child] [--orphans N]
                      [--pid-file PATH]

Every MS milliseconds (default 1000) it appends a line like
    2024-11-30 21:00:01 INFO VIX 15.2 Position ok Update 17
to LOG, and stops with a last line on SIGTERM (exit 0). LOG "-" is standard output, line by
line: the output a supervisor captures (a socket, which /dev/stdout cannot reopen).

  --reopen          open LOG for each line, as a logger that reopens would; then `chmod 000 LOG`
                    stops the writes of a bot running unprivileged (it goes on, reporting to stderr)
  --ignore-term     ignore SIGTERM (so does its child): only SIGKILL ends it
  --crash-after N   after N lines, log a Traceback line and exit 1
  --hang-after N    after N lines, stay alive but write nothing (the seed's frozen bot)
  --filler N        write N filler lines (`DEBUG heartbeat tick ...`, matching none of VIX, Position,
                    Update) between two work lines, one each MS: a work line every N+1 ticks
  --idle-after N    after N work lines, write only filler lines: busy, but doing no work
  --child           fork a child that stays alive, even after the bot dies: proves that a kill
                    reached the whole cgroup or process group
  --orphans N       start N helpers as a daemon detaches (fork, setsid, fork, the middle process
                    exits): each is an orphan from its start, re-parented to the nearest reaper
                    (PID 1, or a child subreaper), and waits until a signal ends it
  --pid-file PATH   write {"pid": ..., "child": ..., "orphans": [...]} (pids in the bot's PID
                    namespace) once running;
                    default: $LOG_BOT_PID_FILE, so that two bots can share one exact command line
Python 3 standard library only; runs as /usr/bin/python3.
"""
import argparse
import json
import os
import signal
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(description="Append bot-like lines to a log file.")
    parser.add_argument("log")
    parser.add_argument("--every", type=int, default=1000, metavar="MS")
    parser.add_argument("--reopen", action="store_true")
    parser.add_argument("--ignore-term", action="store_true")
    parser.add_argument("--crash-after", type=int, default=None, metavar="N")
    parser.add_argument("--hang-after", type=int, default=None, metavar="N")
    parser.add_argument("--filler", type=int, default=0, metavar="N")
    parser.add_argument("--idle-after", type=int, default=None, metavar="N")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--orphans", type=int, default=0, metavar="N")
    parser.add_argument("--pid-file", default=os.environ.get("LOG_BOT_PID_FILE"), metavar="PATH")
    return parser.parse_args()


def line(text):
    return time.strftime("%Y-%m-%d %H:%M:%S") + " " + text + "\n"


class Log:
    """Appends lines; with reopen, a failed open skips the line instead of ending the bot."""

    def __init__(self, path, reopen):
        self.path, self.reopen = path, reopen
        if path == "-":
            self.file = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)
        else:
            self.file = None if reopen else open(path, "a", buffering=1)

    def write(self, text):
        if self.file is not None:
            self.file.write(line(text))
            return
        try:
            with open(self.path, "a") as file:
                file.write(line(text))
        except OSError as error:
            print("log-bot: cannot write %s: %s" % (self.path, error.strerror), file=sys.stderr, flush=True)


def start_child():
    pid = os.fork()
    if pid == 0:
        if signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        while True:
            signal.pause()
    return pid


def start_orphan():
    """Returns the pid of a helper whose parent has already exited; its own pid comes through a pipe."""
    read_end, write_end = os.pipe()
    middle = os.fork()
    if middle == 0:
        os.close(read_end)
        os.setsid()
        if os.fork() == 0:
            if signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.write(write_end, b"%d" % os.getpid())
            os.close(write_end)
            while True:
                signal.pause()
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        pid = int(pipe.read())
    os.waitpid(middle, 0)
    return pid


def write_pid_file(path, child, orphans):
    temporary = path + ".tmp"
    with open(temporary, "w") as file:
        json.dump({"pid": os.getpid(), "child": child, "orphans": orphans}, file)
    os.replace(temporary, path)


def main():
    args = parse_args()
    log = Log(args.log, args.reopen)
    if args.ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    child = start_child() if args.child else None
    orphans = [start_orphan() for _ in range(args.orphans)]
    if not args.ignore_term:
        def stop(_signum, _frame):
            log.write("INFO Stopping on SIGTERM")
            sys.exit(0)
        signal.signal(signal.SIGTERM, stop)
    if args.pid_file:
        write_pid_file(args.pid_file, child, orphans)

    count = 0
    tick = 0
    while True:
        tick += 1
        idle = args.idle_after is not None and count >= args.idle_after
        if (tick - 1) % (args.filler + 1) != 0 or idle:
            log.write("DEBUG heartbeat tick %d, nothing to report" % tick)
        elif args.hang_after is None or count < args.hang_after:
            count += 1
            log.write("INFO VIX %.1f Position ok Update %d" % (15 + (count % 10) / 10, count))
        if args.crash_after is not None and count >= args.crash_after:
            log.write("ERROR Traceback (most recent call last): simulated crash")
            sys.exit(1)
        time.sleep(args.every / 1000)


if __name__ == "__main__":
    main()
