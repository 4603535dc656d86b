#!/usr/bin/python3
"""notify-receiver: the receiving end of an AF_UNIX datagram socket, as systemd's notify socket is.

Usage: notify-receiver.py ADDRESS [--hold]

Binds a SOCK_DGRAM socket to ADDRESS (a path, or @name in Linux's abstract namespace) with
SO_PASSCRED, prints {"listening": true}, then one JSON line per datagram:
    {"text": "READY=1", "pid": 4242, "bytes": 7}
where pid is the sender's, from the SCM_CREDENTIALS the kernel attaches (what systemd's
NotifyAccess=main checks). With --hold it reads nothing, so the socket's queue fills up as
that of a hung systemd would. Runs until killed. Python 3 standard library only.
"""
import json
import socket
import struct
import sys
import time


def main():
    address = sys.argv[1]
    hold = "--hold" in sys.argv[2:]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    sock.bind("\0" + address[1:] if address.startswith("@") else address)
    print(json.dumps({"listening": True}), flush=True)
    while hold:
        time.sleep(3600)
    ucred = struct.calcsize("iII")
    while True:
        data, ancillary, _flags, _address = sock.recvmsg(65536, socket.CMSG_SPACE(ucred))
        pid = None
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid = struct.unpack("iII", payload[:ucred])[0]
        print(json.dumps({"text": data.decode("utf-8", "replace"), "pid": pid, "bytes": len(data)}), flush=True)


if __name__ == "__main__":
    main()
