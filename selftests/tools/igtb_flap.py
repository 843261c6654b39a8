#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Change one device's igtb profile many times a second, in one process.

  igtb_flap.py SECONDS PER_SECOND DEV [NETNS]

  DEV and NETNS as for igtb_nl.py (dev NAME | ifindex N, netns-fd PATH ...).

For SECONDS, sends about PER_SECOND updates a second (as fast as it can when
the machine is slower) over one generic netlink socket: profiles with
alternating rates and packet rates, and every 10th update a delete followed
by a fresh set, so that the data path really sees the profile change, go
away and come back.  Then it writes one last, distinct profile and prints

  updates N sets N dels N seconds S per_second R
  last rate BPS burst BYTES pkt_rate N pkt_burst N

Python starts in 1-3 s under TCG: this is why the loop lives here and not in
a shell loop of igtb_nl.py.  Exit status: 0, or 2 on any kernel error.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import igtb_nl  # noqa: E402

# alternating profiles (rate bit/s, burst B, pps, pburst); the data path
# has a different bucket after every update
PROFILES = [
    ("10000000", "20000", "1000", "20"),
    ("20000000", "40000", "3000", "40"),
    ("5000000", "15000", "500", "10"),
]
LAST = ("7000000", "77777", "777", "77")


def cfg(p):
    return ["rate", p[0], "burst", p[1], "pps", p[2], "pburst", p[3]]


def main(argv):
    if len(argv) < 4:
        print(__doc__.strip(), file=sys.stderr)
        return 1
    seconds = float(argv[0])
    per_second = float(argv[1])
    addr = argv[2:]
    gs = igtb_nl.GenlSocket()
    fid, _ = gs.resolve("igtb")
    dev, fds, _ = igtb_nl.build_attrs(addr, False)
    sets = [igtb_nl.build_attrs(addr + cfg(p), True)[0] for p in PROFILES]
    last, _, _ = igtb_nl.build_attrs(addr + cfg(LAST), True)
    n_set = n_del = 0
    start = time.monotonic()
    end = start + seconds
    i = 0
    while True:
        now = time.monotonic()
        if now >= end:
            break
        # pace: never ahead of PER_SECOND, catch up when behind
        due = start + (n_set + n_del) / per_second
        if due > now:
            time.sleep(due - now)
        if i % 10 == 9:
            gs.request(fid, igtb_nl.CMDS["del"], 1, dev)
            n_del += 1
        gs.request(fid, igtb_nl.CMDS["set"], 1, sets[i % len(sets)])
        n_set += 1
        i += 1
    gs.request(fid, igtb_nl.CMDS["set"], 1, last)
    n_set += 1
    took = time.monotonic() - start
    for fd in fds:
        os.close(fd)
    print("updates %d sets %d dels %d seconds %.2f per_second %d" %
          (n_set + n_del, n_set, n_del, took, (n_set + n_del) / took))
    print("last rate %s burst %s pkt_rate %s pkt_burst %s" % LAST)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except igtb_nl.KernelError as e:
        print("error: %s: %s" % (os.strerror(e.err), e.msg), file=sys.stderr)
        sys.exit(2)
