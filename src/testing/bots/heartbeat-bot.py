#!/usr/bin/python3
"""heartbeat-bot: a service that proves it is alive by pinging Lifeguard, for Lifeguard's tests.

Usage: heartbeat-bot.py [--every MS] [--pid-file PATH]

Every MS milliseconds (default 500) it GETs $LIFEGUARD_PING_URL (the URL a supervised service
with a heartbeat check finds in its environment, its ping key included) and prints the answer's
status. Like a bot whose broker connection hung, it goes on running but stops pinging:

  SIGUSR1           stop pinging, stay alive (a real hung-but-alive process)
  SIGUSR2           ping $LIFEGUARD_PING_URL/fail once (the bot noticed its own failure),
                    then stop pinging
  --pid-file PATH   write {"pid": ..., "child": null} once running
Exits 2 at once when LIFEGUARD_PING_URL is not set. Python 3 standard library only.
"""
import argparse
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request

TIMEOUT_S = 2


def parse_args():
    parser = argparse.ArgumentParser(description="Ping $LIFEGUARD_PING_URL until told to stop.")
    parser.add_argument("--every", type=int, default=500, metavar="MS")
    parser.add_argument("--pid-file", default=None, metavar="PATH")
    return parser.parse_args()


def ping(url):
    """GETs url and prints the status; a refused or failed ping is printed, never fatal."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError) as error:
        status = "error %s" % error
    print("heartbeat-bot: ping %s" % status, flush=True)


def write_pid_file(path):
    temporary = path + ".tmp"
    with open(temporary, "w") as file:
        json.dump({"pid": os.getpid(), "child": None}, file)
    os.replace(temporary, path)


def main():
    args = parse_args()
    url = os.environ.get("LIFEGUARD_PING_URL")
    if not url:
        print("heartbeat-bot: LIFEGUARD_PING_URL is not set", file=sys.stderr, flush=True)
        sys.exit(2)
    state = {"quiet": False, "report_failure": False}

    def go_quiet(_signum, _frame):
        state["quiet"] = True

    def fail(_signum, _frame):
        state["report_failure"] = True

    signal.signal(signal.SIGUSR1, go_quiet)
    signal.signal(signal.SIGUSR2, fail)
    if args.pid_file:
        write_pid_file(args.pid_file)
    while True:
        if state["report_failure"]:
            state["report_failure"], state["quiet"] = False, True
            ping(url + "/fail")
        if not state["quiet"]:
            ping(url)
        time.sleep(args.every / 1000)


if __name__ == "__main__":
    main()
