#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send raw Ethernet frames from one interface (napi_macvlan selftests).

usage: nmv_sendframe.py IFNAME DST_MAC SRC_MAC [COUNT] [ETHERTYPE]

SRC_MAC "own" means the interface's own address.  The payload is 46 zero
bytes under an IPv4-unrelated experimental ethertype (0x88b5) by default,
so no protocol stack on the way reacts to it.
"""
import socket
import sys


def mac(s):
    return bytes(int(b, 16) for b in s.split(":"))


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    ifname, dst, src = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    etype = int(sys.argv[5], 0) if len(sys.argv) > 5 else 0x88B5
    if src == "own":
        with open(f"/sys/class/net/{ifname}/address") as f:
            src = f.read().strip()
    frame = mac(dst) + mac(src) + etype.to_bytes(2, "big") + bytes(46)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    for _ in range(count):
        s.send(frame)


if __name__ == "__main__":
    main()
