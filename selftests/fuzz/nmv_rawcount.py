#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count received Ethernet frames on one interface (isolation selftests).

usage: nmv_rawcount.py IFNAME SECONDS [src=MAC] [dst=MAC] [type=ETHERTYPE]
                       [want=N] [stop=FILE]

Binds a packet socket to IFNAME, prints "ready" once it receives, then
counts frames that came in (not the ones IFNAME sent) and match every
given filter, until SECONDS passed, FILE exists, or (want=N) N frames
matched.  Prints "count N" and exits 0.
"""
import os
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def mac(s):
    return bytes(int(b, 16) for b in s.split(":"))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ifname, secs = sys.argv[1], float(sys.argv[2])
    src = dst = etype = stop = None
    want = 0
    for arg in sys.argv[3:]:
        key, _, val = arg.partition("=")
        if key == "src":
            src = mac(val)
        elif key == "dst":
            dst = mac(val)
        elif key == "type":
            etype = int(val, 0).to_bytes(2, "big")
        elif key == "want":
            want = int(val)
        elif key == "stop":
            stop = val
        else:
            sys.exit("unknown filter " + arg)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((ifname, ETH_P_ALL))
    print("ready", flush=True)
    count = 0
    end = time.monotonic() + secs
    while not want or count < want:
        left = end - time.monotonic()
        if left <= 0 or (stop and os.path.exists(stop)):
            break
        s.settimeout(min(left, 0.2))
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] == PACKET_OUTGOING or len(frame) < 14:
            continue
        if dst is not None and frame[0:6] != dst:
            continue
        if src is not None and frame[6:12] != src:
            continue
        if etype is not None and frame[12:14] != etype:
            continue
        count += 1
    print("count %d" % count, flush=True)


if __name__ == "__main__":
    main()
