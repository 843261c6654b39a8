#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One-way latency of pktgen frames, from pktgen to the egress NIC's transmit.

  lat_capture.py DEV SAMPLE

pktgen writes, in every frame's payload (struct pktgen_hdr, right after
the UDP header: magic at frame offset 42, seq_num 46, tv_sec 50, tv_usec
54), the CLOCK_REALTIME at which it built the frame, just before the
NIC's transmit.  A packet socket bound to DEV (the chain's egress NIC)
sees each frame the last router transmits on DEV (dev_queue_xmit_nit),
and the kernel stamps that copy with CLOCK_REALTIME (net_timestamp_set,
enabled by SO_TIMESTAMPNS).  Latency = that stamp - pktgen's: NIC ring,
every router, every queue between them, to the egress transmit.  Under
icount both clocks are guest time, i.e. instructions: the latency repeats.

What the capture itself costs, kept small:
- a classic BPF filter keeps only pktgen frames whose seq_num is a multiple
  of SAMPLE (a power of two): the others are cloned by dev_queue_xmit_nit,
  run through 7 BPF instructions and freed;
- nothing is read during the run: the kept frames wait in the socket's
  receive queue (SO_RCVBUFFORCE 64 MB), so no process wakes up and the one
  CPU runs only the packet path; they are read after the run, when a line
  arrives on stdin;
- the receive-time stamping (netstamp_needed) is global while the socket
  lives: every frame's receive on every hop reads the clock once.
The bench measures the remaining cost (a run without the capture).

pktgen's stamp has microsecond resolution (truncated): 500 ns are added to
it (the middle of its microsecond), so the mean is not biased by it; a
single sample is within +-500 ns.

Prints "ready" once bound, then after the stdin line:
  n=... mean_ns=... p50_ns=... p90_ns=... p99_ns=... max_ns=... min_ns=... drops=... neg=... bad=...
(drops: frames the socket could not queue; neg: samples below zero, which
would mean the two stamps are not comparable; bad: frames kept without a
timestamp or too short; all must be 0).
"""

import ctypes
import socket
import struct
import sys

ETH_P_ALL = 3
SO_ATTACH_FILTER = 26
SO_RCVBUFFORCE = 33
SO_TIMESTAMPNS = 35
SOL_PACKET = 263
PACKET_STATISTICS = 6
PKTGEN_MAGIC = 0xbe9be955


def bpf_prog(sample):
    # ldw [42]; jeq MAGIC ? next : drop; ldw [46]; and #(sample-1);
    # jeq 0 ? keep : drop; keep: ret 96; drop: ret 0
    ins = [(0x20, 0, 0, 42), (0x15, 0, 4, PKTGEN_MAGIC),
           (0x20, 0, 0, 46), (0x54, 0, 0, sample - 1),
           (0x15, 0, 1, 0), (0x06, 0, 0, 96), (0x06, 0, 0, 0)]
    return len(ins), b"".join(struct.pack("=HBBI", *i) for i in ins)


def pct(v, p):
    # nearest-rank percentile of the sorted list v
    k = max(0, min(len(v) - 1, -(-len(v) * p // 100) - 1))
    return v[k]


def main():
    dev, sample = sys.argv[1], int(sys.argv[2])
    if sample < 1 or sample & (sample - 1):
        sys.exit("lat_capture: SAMPLE must be a power of two")
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    n, code = bpf_prog(sample)
    buf = ctypes.create_string_buffer(code)
    s.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER,
                 struct.pack("@HP", n, ctypes.addressof(buf)))
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    # protocol 0 above: nothing is queued before the filter is in place.
    # (Python puts the protocol in network order itself.)
    s.bind((dev, ETH_P_ALL))
    print("ready", flush=True)
    sys.stdin.readline()
    lat = []
    neg = bad = 0
    while True:
        try:
            data, anc, _, _ = s.recvmsg(128, 64, socket.MSG_DONTWAIT)
        except BlockingIOError:
            break
        if len(data) < 58:
            bad += 1
            continue
        rx = None
        for lvl, typ, val in anc:
            if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("=qq", val[:16])
                rx = sec * 1000000000 + nsec
        if rx is None:
            bad += 1
            continue
        tsec, tusec = struct.unpack("!II", data[50:58])
        # pktgen's tv_sec is 32 bits
        rsec = (rx // 1000000000) & 0xffffffff
        d = (rsec - tsec) * 1000000000 + rx % 1000000000 - tusec * 1000 - 500
        if d < 0:
            neg += 1
        lat.append(d)
    st = s.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
    _, drops = struct.unpack("=II", st)
    lat.sort()
    if not lat:
        print("n=0 drops=%d neg=%d bad=%d" % (drops, neg, bad))
        return
    print("n=%d mean_ns=%.0f p50_ns=%d p90_ns=%d p99_ns=%d max_ns=%d min_ns=%d drops=%d neg=%d bad=%d" % (
        len(lat), sum(lat) / len(lat), pct(lat, 50), pct(lat, 90), pct(lat, 99),
        lat[-1], lat[0], drops, neg, bad))


if __name__ == "__main__":
    main()
