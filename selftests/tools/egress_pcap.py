#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Rate and burstiness of a capture (pcap, micro- or nanosecond stamps).

  egress_pcap.py FILE RATE_BPS [--pps] [--skip S] [--min-len N]

Only frames of at least --min-len bytes (on the wire, default 0) count.
Prints "key value" pairs:
  packets N bytes N span_ns N      every counted frame
  rate R                           bit/s (packets/s with --pps) from the
                                   first frame after --skip seconds to the
                                   last: (amount after the first) / time
  excess E frame F                 max over every window [t_i, t_j] of
                                   amount(i..j) - RATE x (t_j - t_i), in
                                   bytes (packets with --pps); F: the
                                   largest frame
"""
import struct
import sys


def frames(path, min_len):
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic == 0xa1b2c3d4:
            div = 1000
        elif magic == 0xa1b23c4d:
            div = 1
        else:
            raise SystemExit("not a little-endian pcap: %x" % magic)
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, incl, orig = struct.unpack("<IIII", rec)
            f.seek(incl, 1)
            if orig >= min_len:
                yield sec * 1000000000 + frac * div, orig


def main(argv):
    path, rate = argv[0], float(argv[1])
    pps = "--pps" in argv
    skip = float(argv[argv.index("--skip") + 1]) if "--skip" in argv else 0
    min_len = int(argv[argv.index("--min-len") + 1]) if "--min-len" in argv \
        else 0
    fr = sorted(frames(path, min_len))
    if len(fr) < 2:
        print("packets %d bytes %d span_ns 0 rate 0 excess 0 frame 0" %
              (len(fr), sum(b for _, b in fr)))
        return 0
    # amount per frame: bytes, or 1 packet; per ns
    per_ns = rate / 8e9 if not pps else rate / 1e9
    amt = [1 if pps else b for _, b in fr]
    # excess: max_j (S_j - r t_j) - min_{i<=j} (S_{i-1} - r t_i)
    best = 0.0
    low = None
    s_prev = 0
    for (t, _), a in zip(fr, amt):
        b_i = s_prev - per_ns * t
        low = b_i if low is None or b_i < low else low
        s_prev += a
        best = max(best, s_prev - per_ns * t - low)
    t0 = fr[0][0] + int(skip * 1e9)
    steady = [(t, a) for (t, _), a in zip(fr, amt) if t >= t0]
    r = 0.0
    if len(steady) >= 2 and steady[-1][0] > steady[0][0]:
        total = sum(a for _, a in steady[1:])
        secs = (steady[-1][0] - steady[0][0]) / 1e9
        r = total / secs * (1 if pps else 8)
    print("packets %d bytes %d span_ns %d rate %d excess %d frame %d" %
          (len(fr), sum(b for _, b in fr), fr[-1][0] - fr[0][0], r,
           best, max(b for _, b in fr)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
