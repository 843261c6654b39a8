#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cost-mode report: guest time per packet under QEMU's icount.

  cost_report.py RESULTS_DIR
      RESULTS_DIR/results.csv -> RESULTS_DIR/results.md, summary.json
  cost_report.py --compare DIR_A DIR_B [OUT.md]
      two runs' summary.json side by side: every ratio and its spread

Under `-icount shift=0,sleep=off` one guest nanosecond is one guest
instruction, so "ns" below are instruction counts.  Rows carry
instr=icount in their "extra" column; a row without it did not come from
the cost instrument and is left out (and said so).
"""

import csv
import json
import os
import statistics
import sys
from collections import defaultdict

INSTR = "icount (QEMU -icount shift=0,sleep=off, 1 vCPU): guest ns = instructions"


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def extra(r):
    return dict(kv.split("=", 1) for kv in r["extra"].split(";") if "=" in kv)


def load(path):
    rows, other = [], 0
    with open(path) as f:
        for r in csv.DictReader(f):
            e = extra(r)
            if e.get("instr") != "icount":
                other += 1
                continue
            r["e"] = e
            for k in ("sent_pps", "tput_pps", "cpu1_busy_pct", "drop_nic",
                      "ratio_sink_sent",
                      "drop_ring", "drop_backlog", "drop_qdisc",
                      "drop_policed", "drop_sink_nic", "offered_pps"):
                r[k] = num(r.get(k))
            r["ns_sent"] = num(e.get("ns_sent"))
            r["ns_fwd"] = num(e.get("ns_fwd"))
            rows.append(r)
    return rows, other


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def spread(vals):
    vals = [v for v in vals if v is not None]
    if len(vals) < 2 or not min(vals):
        return ""
    return " (%d reps, %.2f%%)" % (len(vals), 100 * (max(vals) / min(vals) - 1))


def f(v, d=0):
    if v is not None and abs(v) < 0.5 * 10 ** -d:
        v = 0.0
    return "n/a" if v is None else ("%%.%df" % d) % v


def div(a, b):
    if a is None or b in (None, 0):
        return None
    return a / b


class Report:
    def __init__(self, rows):
        self.g = defaultdict(list)
        for r in rows:
            self.g[(r["scenario"], r["comparator"], r["param"])].append(r)
        self.md = []
        self.ratios = {}
        # ratios of two differences (B5's policer cost): their noise is
        # that of the differences, kept apart from the +-3% ratios
        self.derived = {}
        # differences of two paths, in instructions per packet
        self.diffs = {}

    def m(self, scen, comp, param, key):
        return med([r[key] for r in self.g.get((scen, comp, param), [])])

    def sp(self, scen, comp, param, key):
        return spread([r[key] for r in self.g.get((scen, comp, param), [])])

    def ratio(self, name, v, target=None, derived=False):
        if v is not None:
            (self.derived if derived else self.ratios)[name] = v
        t = ""
        if target and v is not None:
            op, lim = target
            ok = v >= lim if op == ">=" else v <= lim
            t = " | %s %g: %s" % (op, lim, "met" if ok else "not met")
        elif target:
            t = " | %s %g: n/a" % target
        else:
            t = " | -"
        self.md.append("| %s | %s%s |" % (name, f(v, 3), t))

    def b1(self):
        params = sorted({k[2] for k in self.g if k[0] == "B1"})
        if not params:
            return
        p = params[0]
        md = self.md
        md += ["## B1: one router, pktgen at full speed", "",
               "Each frame is received in the softirq right after pktgen "
               "transmits it, so guest time per packet is the whole path: "
               "generator, NIC, router, egress NIC, sink.  `gen` is the "
               "generator and the NIC alone (frames dropped on receive); "
               "\"router\" is ns/fwd minus gen's ns/sent.  Instrument: "
               + INSTR + ".", "",
               "| comparator | fwd pps | ns/sent | ns/fwd | router ns/fwd | drops nic/backlog |",
               "| --- | --- | --- | --- | --- | --- |"]
        gen = self.m("B1", "gen", p, "ns_sent")
        net = {}
        for c in ("gen", "nonvirt", "bridge", "macvlan", "ipvlan", "nmv"):
            if ("B1", c, p) not in self.g:
                continue
            fw = self.m("B1", c, p, "ns_fwd")
            net[c] = (fw - gen) if (fw and gen is not None and c != "gen") else None
            md.append("| %s | %s | %s%s | %s%s | %s | %s/%s |" % (
                c, f(self.m("B1", c, p, "tput_pps")),
                f(self.m("B1", c, p, "ns_sent")), self.sp("B1", c, p, "ns_sent"),
                f(self.m("B1", c, p, "ns_fwd")) if c != "gen" else "-",
                self.sp("B1", c, p, "ns_fwd") if c != "gen" else "",
                f(net.get(c)), f(self.m("B1", c, p, "drop_nic")),
                f(self.m("B1", c, p, "drop_backlog"))))
        md += ["", "| ratio (cost, lower is cheaper) | value | target |",
               "| --- | --- | --- |"]
        fw = {c: self.m("B1", c, p, "ns_fwd") for c in ("nonvirt", "bridge", "macvlan", "nmv")}
        # throughput of nmv against nonvirt = nonvirt's cost / nmv's cost
        self.ratio("B1 nonvirt/nmv cost per fwd (= nmv pps / nonvirt pps)",
                   div(fw["nonvirt"], fw["nmv"]), (">=", 0.95))
        self.ratio("B1 nmv/macvlan cost per fwd", div(fw["nmv"], fw["macvlan"]))
        self.ratio("B1 nmv/bridge cost per fwd", div(fw["nmv"], fw["bridge"]))
        self.ratio("B1 nmv/nonvirt router cost (net of gen)",
                   div(net.get("nmv"), net.get("nonvirt")))
        self.ratio("B1 nmv/macvlan router cost (net of gen)",
                   div(net.get("nmv"), net.get("macvlan")))
        self.ratio("B1 nmv/bridge router cost (net of gen)",
                   div(net.get("nmv"), net.get("bridge")))
        md.append("")

    def b2(self):
        params = sorted({k[2] for k in self.g if k[0] == "B2"})
        if not params:
            return
        md = self.md
        md += ["## B2: chains of routers on one lower, pktgen at full speed", "",
               "Instrument: " + INSTR + ".", "",
               "| routers | comparator | fwd pps | ns/fwd | drops nic/ring/backlog |",
               "| --- | --- | --- | --- | --- |"]
        for p in params:
            for c in ("bridge", "macvlan", "nmv", "nmvdirect"):
                if ("B2", c, p) not in self.g:
                    continue
                md.append("| %s | %s | %s | %s%s | %s/%s/%s |" % (
                    p, c, f(self.m("B2", c, p, "tput_pps")),
                    f(self.m("B2", c, p, "ns_fwd")), self.sp("B2", c, p, "ns_fwd"),
                    f(self.m("B2", c, p, "drop_nic")), f(self.m("B2", c, p, "drop_ring")),
                    f(self.m("B2", c, p, "drop_backlog"))))
        md += ["", "| ratio (cost, lower is cheaper) | value | target |",
               "| --- | --- | --- |"]
        for p in params:
            n = self.m("B2", "nmv", p, "ns_fwd")
            self.ratio("B2 %s nmv/macvlan cost per fwd" % p,
                       div(n, self.m("B2", "macvlan", p, "ns_fwd")))
            self.ratio("B2 %s nmv/bridge cost per fwd" % p,
                       div(n, self.m("B2", "bridge", p, "ns_fwd")))
            d = self.m("B2", "nmvdirect", p, "ns_fwd")
            if d is not None:
                self.ratio("B2 %s nmvdirect/macvlan cost per fwd" % p,
                           div(d, self.m("B2", "macvlan", p, "ns_fwd")))
                self.ratio("B2 %s nmvdirect/nmv (ring) cost per fwd" % p,
                           div(d, n))
        md.append("")

    def b4(self):
        """B4 in cost mode: cost per forwarded packet per level."""
        rows = [r for k, rs in self.g.items() if k[0] == "B4" for r in rs]
        if not rows:
            return
        lv = defaultdict(list)
        for r in rows:
            lv[(r["comparator"], r["param"], num(r["x"]))].append(r)
        comps = []
        for c in ("nmv", "macvlan") + tuple(sorted({k[0] for k in lv})):
            if c != "gen" and c not in comps and any(k[0] == c for k in lv):
                comps.append(c)

        def m(c, p, x, key="ns_fwd"):
            return med([r[key] for r in lv.get((c, p, x), [])])

        def sp(c, p, x, key="ns_fwd"):
            return spread([r[key] for r in lv.get((c, p, x), [])])

        gen = med([r["ns_sent"] for k, rs in lv.items() if k[0] == "gen" for r in rs])

        def net(c, p, x):
            v = m(c, p, x)
            return v - gen if (v is not None and gen is not None) else None

        sweeps = [(p, sorted({k[2] for k in lv if k[1] == p and k[0] != "gen"}))
                  for p in ("interfaces", "routes", "routes_hit")]
        sweeps = [(p, xs) for p, xs in sweeps if xs]
        md = self.md
        md += ["## B4: scalability of one router (interfaces, routes)", "",
               "One router forwarding pktgen's flood at full speed (closed "
               "loop) to 10.C.2.3.  interfaces = N devices of the comparator's "
               "kind up on the ingress lower (the router's two, and N - 2 "
               "idle ones in its namespace, IPv6 off); routes = N /32 routes "
               "(172.16.0.0 + i, via the sink) in the router, on a topology "
               "of its own with its two devices only.  The flood's "
               "destination is not in the added routes (routes_hit: it is "
               "one of them, 172.16.0.9, and every route goes via the "
               "flood's usual next hop, a MAC nobody owns: B4_ROUTE_HIT).  Each frame is "
               "received in the softirq right after its transmit, so ns/fwd "
               "is the whole path's instructions per forwarded packet "
               "(generator, NIC, router, egress NIC, sink); `gen` is the "
               "generator and the NIC alone (frames to a MAC nobody owns, "
               "dropped on receive), router = ns/fwd - gen's ns/sent.  "
               "/ first = the cost at this level over the same comparator's "
               "at the sweep's smallest level.  Instrument: " + INSTR + ".", ""]
        if gen is not None:
            md += ["gen (generator + NIC alone): %s ns/sent%s." % (
                f(gen), spread([r["ns_sent"] for k, rs in lv.items()
                                if k[0] == "gen" for r in rs])), ""]
        md += ["| sweep | N | comparator | fwd pps | ns/fwd | router ns/fwd | / first | router / first | nmv/macvlan | drops nic/ring/backlog |",
               "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for p, xs in sweeps:
            for x in xs:
                for c in comps:
                    if (c, p, x) not in lv:
                        continue
                    md.append("| %s | %s | %s | %s | %s%s | %s | %s | %s | %s | %s/%s/%s |" % (
                        p, f(x), c, f(m(c, p, x, "tput_pps")), f(m(c, p, x)), sp(c, p, x),
                        f(net(c, p, x)), f(div(m(c, p, x), m(c, p, xs[0])), 3),
                        f(div(net(c, p, x), net(c, p, xs[0])), 3),
                        f(div(m("nmv", p, x), m("macvlan", p, x)), 3) if c == "nmv" else "-",
                        f(m(c, p, x, "drop_nic")), f(m(c, p, x, "drop_ring")),
                        f(m(c, p, x, "drop_backlog"))))
        md += ["", "| ratio (cost, lower is cheaper) | value | target |",
               "| --- | --- | --- |"]
        for p, xs in sweeps:
            for c in comps:
                for x in xs[1:]:
                    # README's target: napi_macvlan's throughput from 2 to
                    # 512 interfaces >= 0.95, i.e. cost <= 1 / 0.95
                    t = ("<=", round(1 / 0.95, 4)) if (c == "nmv" and p == "interfaces"
                                                       and xs[0] == 2) else None
                    self.ratio("B4 %s %s=%s / %s=%s cost per fwd" % (c, p, f(x), p, f(xs[0])),
                               div(m(c, p, x), m(c, p, xs[0])), t)
                    if x == xs[-1]:
                        self.ratio("B4 %s %s=%s / %s=%s router cost (net of gen)" % (c, p, f(x), p, f(xs[0])),
                                   div(net(c, p, x), net(c, p, xs[0])))
            if "nmv" in comps and "macvlan" in comps:
                for x in xs:
                    self.ratio("B4 %s=%s nmv/macvlan cost per fwd" % (p, f(x)),
                               div(m("nmv", p, x), m("macvlan", p, x)))
                    if x in (xs[0], xs[-1]):
                        self.ratio("B4 %s=%s nmv/macvlan router cost (net of gen)" % (p, f(x)),
                                   div(net("nmv", p, x), net("macvlan", p, x)))
        md.append("")

    def b5(self):
        if not any(k[0] == "B5" for k in self.g):
            return
        md = self.md
        md += ["## B5: policer cost on one napi_macvlan router", "",
               "overhead: policer far above the offered rate, every frame "
               "forwarded (ns per forwarded frame); drop: 1 packet/s, every "
               "frame dropped (ns per dropped frame = ns per sent frame); "
               "\"floor\": no policer, the router's device down (napi_macvlan "
               "drops where igtb would).  The policer's own cost is taken "
               "above none (overhead) or floor (drop).  Instrument: "
               + INSTR + ".", "",
               "| phase | comparator | ns/pkt | above baseline | fwd pps | drops pol/tc |",
               "| --- | --- | --- | --- | --- | --- |"]
        own = {}
        for phase, key, base in (("overhead", "ns_fwd", "none"), ("drop", "ns_sent", "floor")):
            b = self.m("B5", base, phase, key)
            for c in ("none", "floor", "igtb", "tc_dev", "tc_lower"):
                if ("B5", c, phase) not in self.g:
                    continue
                v = self.m("B5", c, phase, key)
                own[(phase, c)] = (v - b) if (v is not None and b is not None) else None
                if c != base and own[(phase, c)] is not None:
                    self.diffs["B5 %s %s policer cost: instr/pkt above %s"
                               % (phase, c, base)] = own[(phase, c)]
                md.append("| %s | %s | %s%s | %s | %s | %s/%s |" % (
                    phase, c, f(v), self.sp("B5", c, phase, key),
                    f(own[(phase, c)]) if c != base else "-",
                    f(self.m("B5", c, phase, "tput_pps")),
                    f(self.m("B5", c, phase, "drop_policed")),
                    f(self.m("B5", c, phase, "drop_qdisc"))))
        acc = sorted({k[2] for k in self.g if k[0] == "B5" and k[2] == "accuracy"})
        if acc:
            md += ["", "| accuracy: comparator | rate | delivered / rate |",
                   "| --- | --- | --- |"]
            for (s, c, p), rs in sorted(self.g.items()):
                if s != "B5" or p != "accuracy":
                    continue
                for r in rs:
                    rate = num(r["x"])
                    md.append("| %s | %s | %s |" % (c, r["x"], f(div(r["tput_pps"], rate), 3)))
        md += ["", "| ratio (cost, lower is cheaper) | value | target |",
               "| --- | --- | --- |"]
        for phase, key in (("overhead", "ns_fwd"), ("drop", "ns_sent")):
            # whole path per packet: what a router with this policer
            # costs; the policer's own cost below is a difference of two
            # such paths (~30 ns of noise each, see NOTES-cost.md)
            for c in ("igtb", "tc_dev", "tc_lower"):
                self.ratio("B5 %s %s path/%s path" % (phase, c, "none" if phase == "overhead" else "floor"),
                           div(self.m("B5", c, phase, key),
                               self.m("B5", "none" if phase == "overhead" else "floor", phase, key)))
            self.ratio("B5 %s igtb path/tc_dev path" % phase,
                       div(self.m("B5", "igtb", phase, key), self.m("B5", "tc_dev", phase, key)))
        # the policer's own cost: a difference of two ~11,000-instruction
        # paths (100-150 instructions from run to run), so a ratio of
        # two such differences is not a +-3% figure
        for phase in ("overhead", "drop"):
            self.ratio("B5 %s igtb/tc_dev policer cost (ratio of differences)" % phase,
                       div(own.get((phase, "igtb")), own.get((phase, "tc_dev"))), ("<=", 0.5),
                       derived=True)
            self.ratio("B5 %s igtb/tc_lower policer cost (ratio of differences)" % phase,
                       div(own.get((phase, "igtb")), own.get((phase, "tc_lower"))),
                       derived=True)
        md += ["", "The \"policer cost\" ratios divide two differences of "
               "whole paths (\"above baseline\" above): each carries the noise "
               "of two ~11,000-instruction paths, some 100-150 instructions, so "
               "they move by tens of percent between runs; the path ratios "
               "are the reproducible form.", ""]

    def b2f(self):
        params = sorted({k[2] for k in self.g if k[0] == "B2f"}, key=lambda p: (len(p), p))
        if not params:
            return
        md = self.md
        md += ["## B2f: fan-in, N routers feeding one shared router", "",
               "N ingress NICs (softirq NAPI with interrupt deferral, every "
               "poll a full batch), N routers, one shared lower, one shared "
               "router, the sink; all generators at full speed on one pktgen "
               "thread.  ns/delivered = all guest time (generators "
               "included) per packet that reached the sink.  Drops: nic = "
               "NIC ring full; ring = napi_macvlan rx_ring_full; backlog; "
               "sink = the egress veth's tx_dropped (the sink's NAPI ring "
               "full; rows since 2026-12-06); "
               "other = accepted by the NICs minus delivered minus ring "
               "minus backlog minus sink (drops and per-generator counts: the first "
               "repeat).  Instrument: " + INSTR + ".", "",
               "| N | comparator | sent pps | delivered pps | ns/delivered | nic | ring | backlog | sink | other | per generator |",
               "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        comps = []
        for k in self.g:
            if k[0] == "B2f" and k[1] not in comps:
                comps.append(k[1])
        for p in params:
            for c in comps:
                rs = self.g.get(("B2f", c, p))
                if not rs:
                    continue
                r = rs[0]
                us = None
                sent_total = sum(int(x) for x in r["e"].get("gen_sent", "0").split(":") if x)
                # pktgen counts the frames a full NIC ring refused as
                # errors, not in its sent count: sent = accepted
                acc = sent_total
                other = None
                # delivered = tput * elapsed; elapsed = sent_total / sent_pps
                if r["sent_pps"]:
                    el = sent_total / r["sent_pps"]
                    dl = r["tput_pps"] * el
                    other = acc - dl - (r["drop_ring"] or 0) - (r["drop_backlog"] or 0)
                sink = num(r["e"].get("sink_drop"))
                if other is not None and sink is not None:
                    other -= sink
                md.append("| %s | %s | %s | %s%s | %s%s | %s | %s | %s | %s | %s | %s |" % (
                    p, c, f(self.m("B2f", c, p, "sent_pps")),
                    f(self.m("B2f", c, p, "tput_pps")), self.sp("B2f", c, p, "tput_pps"),
                    f(self.m("B2f", c, p, "ns_fwd")), self.sp("B2f", c, p, "ns_fwd"),
                    f(r["drop_nic"]), f(r["drop_ring"]), f(r["drop_backlog"]),
                    f(sink) if sink is not None else "n/a",
                    f(other), r["e"].get("gen_sent", "?")))
        md += ["", "| ratio | value | target |", "| --- | --- | --- |"]
        for p in params:
            n = self.m("B2f", "nmv", p, "tput_pps")
            tgt = (">=", 2.0) if p == "N=4" else None
            self.ratio("B2f %s nmv/macvlan delivered pps" % p,
                       div(n, self.m("B2f", "macvlan", p, "tput_pps")), tgt)
            self.ratio("B2f %s nmv/bridge delivered pps" % p,
                       div(n, self.m("B2f", "bridge", p, "tput_pps")))
            self.ratio("B2f %s nmv/vethgro delivered pps" % p,
                       div(n, self.m("B2f", "vethgro", p, "tput_pps")))
            self.ratio("B2f %s nmv/macvlan cost per delivered" % p,
                       div(self.m("B2f", "nmv", p, "ns_fwd"),
                           self.m("B2f", "macvlan", p, "ns_fwd")))
            for c in comps:
                if c.startswith("nmv") and c != "nmv":
                    self.ratio("B2f %s %s/macvlan delivered pps" % (p, c),
                               div(self.m("B2f", c, p, "tput_pps"),
                                   self.m("B2f", "macvlan", p, "tput_pps")), tgt)
        md.append("")

    def b10(self):
        if not any(k[0] == "B10" for k in self.g):
            return
        md = self.md
        comps = [c for c in ("none", "shape", "police", "tbf", "fq", "edt")
                 if any(k[0] == "B10" and k[1] == c for k in self.g)]

        def m(c, p, key):
            return self.m("B10", c, p, key)

        def e(c, p, key):
            return med([num(r["e"].get(key)) for r in self.g.get(("B10", c, p), [])])

        md += ["## B10: egress limit on a router, cost per packet", "",
               "One napi_macvlan router forwarding a fixed-rate stream (pktgen, "
               "SCHED_FIFO, 20k frames/s of 64 bytes) out through the limit "
               "under test on its egress device: igtb `shape`, igtb `police`, "
               "tbf, fq `maxrate` (per-flow pacing, not EDT: see egress.sh), "
               + ("edt (a tc BPF program stamping skb->tstamp from a "
                  "per-device virtual clock, fq releasing at it: see "
                  "egress.sh and edt_pace.bpf.c), " if "edt" in comps else "") +
               "none (the floor).  conform: the limit at 2x the offered bytes; "
               "over: at half; drop: 64 kbit/s (all but ~0.7% dropped).  Busy "
               "time from a SCHED_IDLE soaker (window - iterations x ns per "
               "idle iteration): the whole path, generator included, per "
               "offered frame (ns/offered) and per forwarded frame (ns/fwd); "
               "the floor: none's ns/offered, median over the three regimes.  "
               "Instrument: " + INSTR + ".", "",
               "| regime | comparator | fwd / offered | ns/offered | ns/fwd | ns/offered above the floor | delayed | dropped (igtb / qdisc) |",
               "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        # the floor: no limit, every frame forwarded, in every regime
        # (the same path three times: its spread is the instrument's)
        floor = med([r["ns_sent"] for p in ("conform", "over", "drop")
                     for r in self.g.get(("B10", "none", p), [])])
        for p in ("conform", "over", "drop"):
            base = floor
            for c in comps:
                if ("B10", c, p) not in self.g:
                    continue
                v = m(c, p, "ns_sent")
                md.append("| %s | %s | %s | %s%s | %s | %s | %s | %s / %s |" % (
                    p, c, f(m(c, p, "ratio_sink_sent"), 4), f(v),
                    self.sp("B10", c, p, "ns_sent"), f(m(c, p, "ns_fwd")),
                    f(v - base) if (v is not None and base is not None) else "n/a",
                    f(e(c, p, "shaped")), f(m(c, p, "drop_policed")),
                    f(m(c, p, "drop_qdisc"))))
        # the limiter's own cost: per conforming frame, above none; per
        # dropped frame (drop regime, the few forwarded frames at their
        # conforming cost taken off); per delayed frame (over: the dropped
        # half at that cost taken off), above none
        own = {}
        for c in comps:
            if c == "none":
                continue
            conf = m(c, "conform", "ns_sent")
            own[("conform", c)] = (conf - floor) if (conf is not None and floor is not None) else None
            d = None
            rs = self.g.get(("B10", c, "drop"), [])
            if rs and conf is not None:
                vals = []
                for r in rs:
                    s, fw = num(r["e"].get("win_sent")), num(r["e"].get("win_fwd"))
                    if s and r["ns_sent"] is not None and s > fw:
                        vals.append((r["ns_sent"] * s - fw * conf) / (s - fw))
                d = med(vals)
            own[("dropped", c)] = d
            dl = None
            rs = self.g.get(("B10", c, "over"), [])
            if rs and d is not None and floor is not None:
                vals = []
                for r in rs:
                    s, fw = num(r["e"].get("win_sent")), num(r["e"].get("win_fwd"))
                    if fw and r["ns_sent"] is not None:
                        vals.append((r["ns_sent"] * s - (s - fw) * d) / fw - floor)
                dl = med(vals)
            own[("sent_over", c)] = dl
        md += ["", "The limiter's own cost per frame (instructions; conforming: "
               "ns/offered in conform minus the floor; dropped: the drop "
               "regime's busy time less its few forwarded frames at their "
               "conforming cost, per dropped frame, whole path; sent when over "
               "the limit: the over regime's busy time less its dropped frames "
               "at that cost, per forwarded frame, minus the floor; police's "
               "drop, at the device's transmit entry before any queue, is "
               "the cheapest drop there is):", "",
               "| comparator | conforming, above none | dropped (whole path) | dropped, above police's drop | sent over the limit, above none |",
               "| --- | --- | --- | --- | --- |"]
        pol = own.get(("dropped", "police"))
        for c in comps:
            if c == "none":
                continue
            d = own[("dropped", c)]
            md.append("| %s | %s | %s | %s | %s |" % (
                c, f(own[("conform", c)]), f(d),
                f(d - pol) if (d is not None and pol is not None) else "n/a",
                f(own[("sent_over", c)])))
        if any(e(c, p, "timer_irq_per_fwd") is not None for c in comps
               for p in ("conform", "over")):
            md += ["", "Events per forwarded frame (CPU0's timer interrupts, "
                   "HRTIMER and NET_TX softirqs; the whole run, warm-up "
                   "included):", "",
                   "| regime | comparator | timer irqs | hrtimer softirqs | NET_TX softirqs |",
                   "| --- | --- | --- | --- | --- |"]
            for p in ("conform", "over"):
                for c in comps:
                    md.append("| %s | %s | %s | %s | %s |" % (
                        p, c, f(e(c, p, "timer_irq_per_fwd"), 3),
                        f(e(c, p, "hrtimer_sirq_per_fwd"), 3),
                        f(e(c, p, "net_tx_sirq_per_fwd"), 3)))
        md += ["", "| ratio (cost, lower is cheaper) | value | target |",
               "| --- | --- | --- |"]
        for p in ("conform", "over", "drop"):
            self.ratio("B10 %s shape/tbf path per offered" % p,
                       div(m("shape", p, "ns_sent"), m("tbf", p, "ns_sent")))
        self.ratio("B10 conform shape/tbf limiter cost",
                   div(own.get(("conform", "shape")), own.get(("conform", "tbf"))), ("<=", 1.0))
        self.ratio("B10 over shape/tbf cost per sent frame above none",
                   div(own.get(("sent_over", "shape")), own.get(("sent_over", "tbf"))), ("<=", 1.0))
        self.ratio("B10 drop shape/tbf cost per dropped frame",
                   div(own.get(("dropped", "shape")), own.get(("dropped", "tbf"))), ("<=", 1.0))
        for c in ("police", "fq") + (("edt",) if "edt" in comps else ()):
            self.ratio("B10 conform %s/tbf limiter cost" % c,
                       div(own.get(("conform", c)), own.get(("conform", "tbf"))))
            self.ratio("B10 over %s/tbf cost per sent frame above none" % c,
                       div(own.get(("sent_over", c)), own.get(("sent_over", "tbf"))))
            self.ratio("B10 drop %s/tbf cost per dropped frame" % c,
                       div(own.get(("dropped", c)), own.get(("dropped", "tbf"))))
        self.ratio("B10 conform shape/fq limiter cost",
                   div(own.get(("conform", "shape")), own.get(("conform", "fq"))))
        if "edt" in comps:
            for c in ("shape", "tbf"):
                self.ratio("B10 conform %s/edt limiter cost" % c,
                           div(own.get(("conform", c)), own.get(("conform", "edt"))))
                self.ratio("B10 over %s/edt cost per sent frame above none" % c,
                           div(own.get(("sent_over", c)), own.get(("sent_over", "edt"))))
                self.ratio("B10 drop %s/edt cost per dropped frame" % c,
                           div(own.get(("dropped", c)), own.get(("dropped", "edt"))))
        md.append("")

        modes = [p for p in ("burst_smooth", "burst_cluster")
                 if any(k[0] == "B10" and k[2] == p for k in self.g)]
        if not modes:
            return
        md += ["## B10: output burstiness under CPU clustering", "",
               "10k frames/s of 64 bytes offered (pktgen, SCHED_FIFO), the "
               "limit at 6.144 Mbit/s (12k frames/s) with a 1514-byte burst "
               "(fq: quantum and initial_quantum 1514).  The ingress NIC's NAPI "
               "runs in its thread (SCHED_OTHER); cluster: a SCHED_FIFO hog "
               "takes 6 ms of every 10 ms, so the router forwards what "
               "arrived meanwhile at once; smooth: no hog.  From a capture of "
               "what the router sent, on the lower (timestamps in guest "
               "time): excess = the largest bytes in any window minus rate x "
               "window; the bound is burst + one frame.  Per repeat.  "
               "Instrument: " + INSTR + ".", "",
               "| mode | comparator | rep | frames out / offered | output rate / limit | excess (bytes) | bound | holds | delayed | dropped (igtb / qdisc) |",
               "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for p in modes:
            for c in comps:
                for r in self.g.get(("B10", c, p), []):
                    e_ = r["e"]
                    md.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |" % (
                        p[6:], c, r["rep"], f(r["ratio_sink_sent"], 4),
                        f(div(num(e_.get("out_bps")), num(r["x"])), 3),
                        e_.get("excess"), e_.get("bound"), e_.get("holds"),
                        e_.get("shaped"), f(r["drop_policed"]), f(r["drop_qdisc"])))
        md += ["", "| ratio | value | target |", "| --- | --- | --- |"]
        for c in comps:
            for p in modes:
                rs = self.g.get(("B10", c, p), [])
                ex = [num(r["e"].get("excess")) / num(r["e"].get("bound"))
                      for r in rs if num(r["e"].get("bound"))]
                self.ratio("B10 %s %s worst excess/bound" % (p[6:], c),
                           max(ex) if ex else None,
                           ("<=", 1.0) if c in ("shape", "tbf", "edt") else None)
        md.append("")


    def b2fo(self):
        params = sorted({k[2] for k in self.g if k[0] == "B2fo"}, key=lambda p: (len(p), p))
        if not params:
            return
        md = self.md
        md += ["## B2fo: fan-in at overload, open-loop generator", "",
               "As B2f, but every generator offers a fixed rate whatever the "
               "routers do: pktgen (kpktgend_0 SCHED_FIFO) paced in bursts "
               "every 500 us of guest time (pg_paced in bench_lib.sh).  The "
               "rate asked is FANIN_MULT x the capacity, measured first in "
               "the same boot: macvlan's delivered pps with the closed-loop "
               "generator at full speed (row `capacity`, nothing dropped past "
               "the NICs there).  asked = the rate after rounding to the "
               "pacer's step (2000 pps per NIC); offered = what the "
               "generators put on the NICs (pktgen sent + refused by a full "
               "NIC ring), per NIC in the last column with the fewest/most "
               "frames of any one pktgen device.  delivered pps: what the "
               "egress counted while the generators ran (rows with rx_run; "
               "rows without it also count what drained from the full queues "
               "after the stop, up to ~2000 frames).  ns/delivered = busy guest "
               "time per packet the sink counted (busy = the window from the "
               "start until the queues drained, minus what a SCHED_IDLE "
               "spinner got: the share in column busy): generator, NICs, drops, routers, all of it; "
               "`gen` is the generators and the NICs alone (ns per offered "
               "packet).  Drops: nic = NIC ring full; ring = napi_macvlan "
               "rx_ring_full; backlog = softnet_stat; veth = veth tx_dropped "
               "(a NAPI veth's ring full, or the backlog: overlaps backlog for "
               "bridge + veth); other = accepted by the NICs - delivered - "
               "ring - backlog (counted after the queues drained).  RS path "
               "(napi_macvlan): frames RS's lan device took directly / "
               "through its ring.  Instrument: " + INSTR + ".", "",
               "| N | comparator | asked pps | offered pps | delivered pps | ns/delivered | busy | nic | ring | backlog | veth | other | RS direct/ring | offered per NIC; pktgen dev min/max |",
               "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        comps = []
        for k in self.g:
            if k[0] == "B2fo" and k[1] not in comps:
                comps.append(k[1])
        for p in params:
            for c in comps:
                rs = self.g.get(("B2fo", c, p))
                if not rs:
                    continue
                for r in rs:
                    e = r["e"]
                    el = num(e.get("el_us"))
                    if el and c != "gen" and r["sent_pps"] is not None and r["tput_pps"] is not None:
                        el /= 1e6
                        # delivered pps counts the run only (rx_run);
                        # the drops were counted after the queues
                        # drained, so take everything delivered (rx_all)
                        dl = num(e.get("rx_all"))
                        if dl is None:
                            dl = r["tput_pps"] * el
                        r["other"] = r["sent_pps"] * el - dl - \
                            (r["drop_ring"] or 0) - (r["drop_backlog"] or 0)
                    md.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                        p, c, e.get("asked", "-"), f(r["offered_pps"]), f(r["tput_pps"]),
                        ("%s/offered" % f(div(r["ns_sent"] * r["sent_pps"], r["offered_pps"])))
                        if c == "gen" and r["ns_sent"] is not None else f(r["ns_fwd"]),
                        e.get("busy_pct", "-") + ("%" if "busy_pct" in e else ""),
                        f(r["drop_nic"]), f(r["drop_ring"]), f(r["drop_backlog"]),
                        e.get("veth_drop", "-"), f(r.get("other")),
                        "%s/%s" % (e.get("rs_direct", "-"), e.get("rs_ring", "-")),
                        "%s; %s/%s" % (e.get("offered_nic", e.get("gen_sent", "?")),
                                      e.get("pgdev_min", "-"), e.get("pgdev_max", "-"))))
        md += ["", "| ratio | value | target |", "| --- | --- | --- |"]
        # params "N=n/xM" are the overload runs; "N=n" the capacity rows
        for p in [p for p in params if "/x" in p]:
            t4 = p.startswith("N=4")
            d = self.m("B2fo", "nmvdirect", p, "tput_pps")
            self.ratio("B2fo %s nmvdirect/macvlan delivered pps" % p,
                       div(d, self.m("B2fo", "macvlan", p, "tput_pps")),
                       (">=", 2.0) if t4 else None)
            self.ratio("B2fo %s nmvdirect/nmv(ring) delivered pps" % p,
                       div(d, self.m("B2fo", "nmv", p, "tput_pps")),
                       (">=", 1.5) if t4 else None)
            self.ratio("B2fo %s nmv(ring)/macvlan delivered pps" % p,
                       div(self.m("B2fo", "nmv", p, "tput_pps"),
                           self.m("B2fo", "macvlan", p, "tput_pps")))
            for c in ("bridge", "vethgro"):
                self.ratio("B2fo %s nmvdirect/%s delivered pps" % (p, c),
                           div(d, self.m("B2fo", c, p, "tput_pps")))
            # "drops only at the NICs": the share of the frames the
            # NICs accepted that did not reach the egress
            lost = None
            acc = self.m("B2fo", "nmvdirect", p, "sent_pps")
            if acc:
                lost = max(0.0, 1 - d / acc)
            self.ratio("B2fo %s nmvdirect share of NIC-accepted frames lost past the NICs" % p,
                       lost, ("<=", 0.001) if t4 else None)
            self.ratio("B2fo %s nmvdirect/macvlan cost per delivered" % p,
                       div(self.m("B2fo", "nmvdirect", p, "ns_fwd"),
                           self.m("B2fo", "macvlan", p, "ns_fwd")))
            self.ratio("B2fo %s nmvdirect/nmv(ring) cost per delivered" % p,
                       div(self.m("B2fo", "nmvdirect", p, "ns_fwd"),
                           self.m("B2fo", "nmv", p, "ns_fwd")))
        md.append("")

    def b9c(self):
        if not any(k[0] == "B9c" for k in self.g):
            return
        md = self.md
        md += ["## B9c: rxmode thread against direct, and a frame dropped at a full thread-mode ring", "",
               "One napi_macvlan router (B1's topology).  fwd: the open-loop "
               "generator at a fixed rate (B9_FRAC x direct's closed-loop "
               "capacity, row `capacity`), nothing dropped; busy guest time "
               "(window minus a SCHED_IDLE spinner's time) per forwarded "
               "frame; `gen` = the generator and the NIC alone at the same "
               "rate (per offered frame).  drop: the same rate, the router's "
               "NAPI thread capped by cgroup v2 cpu.max (1%), so its ring is "
               "full: busy time per offered frame.  router = above gen.  "
               "`pgen` = pktgen into a dummy device (the generator alone); "
               "gen - pgen = the NIC's receive and the stack's drop.  "
               "Instrument: " + INSTR + ".", "",
               "| phase | comparator | offered pps | fwd pps | ns/fwd | ns/offered | above gen per frame | busy | rx_ring | rx_ring_full | nic drops |",
               "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        gen = None
        gr = self.g.get(("B9c", "gen", "fwd"))
        if gr:
            gen = med([div(r["ns_sent"] * r["sent_pps"], r["offered_pps"]) for r in gr])
        vals = {}
        for (sc, c, p), rs in sorted(self.g.items(), key=lambda kv: (kv[0][2] != "fwd", kv[0][1])):
            if sc != "B9c":
                continue
            for r in rs:
                e = r["e"]
                per_off = div(r["ns_sent"] * r["sent_pps"], r["offered_pps"]) if r["ns_sent"] is not None else None
                fwd = r["ns_fwd"] if r["tput_pps"] else None
                if p == "drop":
                    above = (per_off - gen) if (per_off is not None and gen is not None) else None
                elif c in ("gen", "capacity"):
                    above = None
                else:
                    above = (fwd - gen) if (fwd is not None and gen is not None) else None
                vals.setdefault((c, p), []).append((fwd, per_off, above))
                md.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    p, c, f(r["offered_pps"]), f(r["tput_pps"]), f(fwd), f(per_off),
                    f(above), e.get("busy_pct", "-"), e.get("rx_ring", "-"),
                    e.get("rx_ring_full", "-"), f(r["drop_nic"])))

        def m(c, p, i):
            return med([v[i] for v in vals.get((c, p), [])])
        md += ["", "| ratio | value | target |", "| --- | --- | --- |"]
        self.ratio("B9c thread/direct cost per forwarded (whole path)",
                   div(m("thread", "fwd", 0), m("direct", "fwd", 0)), ("<=", 1.15))
        self.ratio("B9c thread/direct router cost per forwarded (above gen)",
                   div(m("thread", "fwd", 2), m("direct", "fwd", 2)))
        # a drop's NIC-side work (above gen: lookup, police, ring full,
        # free) against forwarding the frame in thread mode (above gen)
        # the capped thread still forwards a little (its 1%): that work
        # is taken off the drop phase's busy time before dividing
        corr = None
        F = m("thread", "fwd", 2)
        D = m("thread", "drop", 1)
        off = self.m("B9c", "thread", "drop", "offered_pps")
        fw = self.m("B9c", "thread", "drop", "tput_pps")
        if None not in (F, D, off, fw, gen) and off:
            corr = (D * off - fw * F) / off - gen
        md.append("")
        md.append("NIC-side work of a frame dropped at the full ring, above gen, "
                  "the capped thread's forwarding taken off: %s ns" % f(corr))
        md.append("")
        # pgen: pktgen into a dummy device, the generator alone; gen -
        # pgen = the NIC's receive and the stack's drop of a frame for
        # nobody, the NIC-side part common to a drop and a forward
        nic = None
        pr = self.g.get(("B9c", "pgen", "fwd"))
        if pr and gen is not None:
            pg = med([div(r["ns_sent"] * r["sent_pps"], r["offered_pps"]) for r in pr])
            if pg is not None:
                nic = gen - pg
        md.append("NIC receive + the stack's drop (gen - pgen): %s ns" % f(nic))
        md.append("")
        md += ["| ratio | value | target |", "| --- | --- | --- |"]
        self.ratio("B9c drop at full thread ring / forward, NIC side (from the NIC's receive on)",
                   div(nic + corr, nic + F) if None not in (nic, corr, F) else None,
                   ("<=", 0.2))
        self.ratio("B9c drop at full thread ring / forward, above gen",
                   div(corr, F), None if nic is not None else ("<=", 0.2))
        self.ratio("B9c drop at full thread ring / forward, whole path",
                   div(m("thread", "drop", 1), m("thread", "fwd", 0)))
        md.append("")

    def b9(self):
        if not any(k[0] == "B9" for k in self.g):
            return
        md = self.md
        md += ["## B9: router B beside a flooded router A capped at cpu.max 20%", "",
               "Routers A and B (napi_macvlan, two devices each on the same NIC and "
               "egress NIC), their NAPI threads in cgroups b9a (cpu.max 20%) and "
               "b9b (no cap), unless the Run line's guest_b9_cgroups says "
               "otherwise.  `capacity`: A alone, direct, closed loop.  `gen`: "
               "A's flood rate to a MAC nobody owns (the generator and the NIC "
               "alone).  Per mode: `solo` = B's stream alone, `flood` = A flooded "
               "and B's stream at once (open loop, bursts every 500 us).  "
               "B/solo against the same mode's solo rows.  cg A/B = the cgroup's "
               "usage_usec over the run, % of one CPU (direct mode: the routers "
               "run in the NIC's softirq, nothing is charged).  busy = busy guest "
               "time / the run (whole CPU: generator, NIC, both routers; the busy "
               "window also holds the queues' drain and the shell's work around "
               "the run, so a saturated CPU shows over 100).  cg % is over "
               "the run too (A's ring drains after it): with 0.3 s runs, 3-4 "
               "cpu.max periods.  "
               "A's drops: at the NIC (veth refused), at A's full ring.  "
               "Instrument: " + INSTR + "; one CPU shared by the generator, the "
               "NIC and both routers.", "",
               "| mode | row | x | rep | firewall | A offered | A fwd pps | B offered | B pps | B/solo | cg A % | cg B % | busy % | A nic drop | A ring full | B nic drop | B ring full | backlog | pktgen devs A / B |",
               "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        solo = {}
        for mode in ("direct", "thread"):
            solo[mode] = med([num(r["e"].get("b_pps")) for r in self.g.get(("B9", mode, "solo"), [])])
        order = {"capacity": 0, "gen": 1, "solo": 2, "flood": 3}
        res = defaultdict(list)
        xs = set()
        for (sc, c, p), rs in sorted(self.g.items(), key=lambda kv: (kv[0][1], order.get(kv[0][2], 9))):
            if sc != "B9":
                continue
            for r in sorted(rs, key=lambda r: (-(num(r["x"]) or 0), r["rep"])):
                e = r["e"]
                bp = num(e.get("b_pps"))
                bs = div(bp, solo.get(c)) if p in ("flood", "solo") else None
                if p == "flood":
                    xs.add(r["x"])
                    res[(c, r["x"], "bsolo")].append(bs)
                    res[(c, r["x"], "cga")].append(num(e.get("cg_a_pct")))
                    res[(c, r["x"], "busy")].append(num(e.get("busy_run_pct")))
                if p == "gen":
                    res[("gen", r["x"], "busy")].append(num(e.get("busy_run_pct")))
                if p == "solo":
                    res[(c, "busy_solo")].append(num(e.get("busy_run_pct")))
                md.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    c, p, r["x"], r["rep"], "yes" if e.get("fw") == "1" else "no",
                    e.get("a_off_pps", "-"), e.get("a_pps", "-"),
                    e.get("b_off_pps", "-"), e.get("b_pps", "-"), f(bs, 3),
                    e.get("cg_a_pct", "-"), e.get("cg_b_pct", "-"),
                    e.get("busy_run_pct", "-"), e.get("a_nic_drop", "-"),
                    e.get("a_ring_full", "-"), e.get("b_nic_drop", "-"),
                    e.get("b_ring_full", "-"), f(r["drop_backlog"]),
                    "%s / %s" % (e.get("a_devs", "-"), e.get("b_devs", "-"))))
        md += ["", "| ratio | value | target |", "| --- | --- | --- |"]
        for x in sorted(xs, key=lambda v: -(num(v) or 0)):
            self.ratio("B9 x=%s thread: B delivered / solo, A flooded" % x,
                       med(res[("thread", x, "bsolo")]), (">=", 0.95))
            self.ratio("B9 x=%s direct: B delivered / solo, A flooded" % x,
                       med(res[("direct", x, "bsolo")]))
            self.ratio("B9 x=%s thread: A's cgroup CPU, share of one CPU" % x,
                       div(med(res[("thread", x, "cga")]), 100), ("<=", 0.22))
            self.ratio("B9 x=%s direct: A's cgroup CPU, share of one CPU (softirq: not charged)" % x,
                       div(med(res[("direct", x, "cga")]), 100))
            for mode in ("direct", "thread"):
                bf = med(res[(mode, x, "busy")])
                bs = med([num(r["e"].get("busy_run_pct")) for r in self.g.get(("B9", mode, "solo"), [])])
                self.ratio("B9 x=%s %s: CPU busy share, A flooded" % (x, mode), div(bf, 100))
                self.ratio("B9 x=%s %s: CPU busy share added by A's flood (flood - solo)" % (x, mode),
                           div(bf - bs, 100) if None not in (bf, bs) else None)
            self.ratio("B9 x=%s: CPU busy share of A's flood's generator and NIC alone (gen)" % x,
                       div(med(res[("gen", x, "busy")]), 100))
        md.append("")

    def b3(self):
        """B3 redone: b9.sh's rows labelled B3, one topology per data path."""
        if not any(k[0] == "B3" for k in self.g):
            return
        md = self.md
        md += ["## B3: router B beside a flooded router A on one CPU, per data path", "",
               "b9.sh's shape (B9_SCEN=B3): routers A and B, each with the nftables "
               "firewall (conntrack, masquerade, 64 rules), i1 on one NIC and o1 on one "
               "egress NIC, one such topology per comparator: `macvlan` (bridge mode), "
               "`bridge` (bridge + a veth per router interface, no GRO on the veths: every "
               "frame passes the per-CPU backlog twice, bridge to router and router to "
               "bridge), napi_macvlan `direct` and `thread` (A's cgroup at cpu.max 20%).  "
               "A is offered x times napi_macvlan direct's closed-loop capacity, B 0.3 "
               "times, both open loop (bursts every 500 us); `solo` = B's stream alone.  "
               "B/solo against the same comparator's solo row.  Drops are frames per run "
               "(run = pktgen's, about BENCH_COST_DUR of guest time): nic = the NIC's "
               "ring refused (pktgen errors); in = the bridge's veth into the router "
               "refused (its tx_dropped: the backlog was full); ring = napi_macvlan's "
               "rx_ring_full; out = the router's o1 tx_dropped (bridge + veth: the "
               "backlog again; the others: the egress NIC); other = offered - those - "
               "delivered.  backlog = /proc/net/softnet_stat column 2 over the window "
               "(both routers; for bridge + veth it is in + out).  busy = busy guest "
               "time / the run, the whole CPU (generator, NIC, both routers; the window "
               "also holds the drain and the shell's work, so a saturated CPU shows over "
               "100).  Instrument: " + INSTR + ".", "",
               "| comparator | row | x | rep | A offered pps | A fwd pps | B offered pps | B pps | B/solo | busy % | A drops nic / in / ring / out / other | B drops nic / in / ring / out / other | backlog | egress NIC drop |",
               "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        known = ["macvlan", "bridge", "direct", "thread", "none"]
        comps = sorted({k[1] for k in self.g if k[0] == "B3"},
                       key=lambda c: (known.index(c) if c in known else len(known), c))
        order = {"capacity": 0, "gen": 1, "solo": 2, "flood": 3}

        def drops(e, r):
            return " / ".join(e.get(r + k, "-") for k in
                              ("_nic_drop", "_in_drop", "_ring_full", "_out_drop", "_other"))

        def busy(c, p, x=None):
            return med([num(r["e"].get("busy_run_pct")) for r in self.g.get(("B3", c, p), [])
                        if x is None or r["x"] == x])

        bsolo = {}
        xs = []
        for c in comps:
            solo = med([num(r["e"].get("b_pps")) for r in self.g.get(("B3", c, "solo"), [])])
            for p in sorted({k[2] for k in self.g if k[:2] == ("B3", c)}, key=lambda p: order.get(p, 9)):
                for r in sorted(self.g[("B3", c, p)], key=lambda r: (-(num(r["x"]) or 0), r["rep"])):
                    e = r["e"]
                    bs = div(num(e.get("b_pps")), solo) if p in ("solo", "flood") else None
                    if p == "flood":
                        bsolo.setdefault((c, r["x"]), []).append(bs)
                        if r["x"] not in xs:
                            xs.append(r["x"])
                    md.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                        c, p, r["x"], r["rep"], e.get("a_off_pps", "-"), e.get("a_pps", "-"),
                        e.get("b_off_pps", "-"), e.get("b_pps", "-"), f(bs, 3),
                        e.get("busy_run_pct", "-"), drops(e, "a"), drops(e, "b"),
                        f(r["drop_backlog"]), f(r["drop_sink_nic"])))
        md += ["", "| ratio | value | target |", "| --- | --- | --- |"]
        for x in sorted(xs, key=lambda v: -(num(v) or 0)):
            for c in comps:
                if (c, x) not in bsolo:
                    continue
                self.ratio("B3 x=%s %s: B delivered / solo, A flooded" % (x, c), med(bsolo[(c, x)]),
                           (">=", 0.95) if c == "thread" else None)
                self.ratio("B3 x=%s %s: CPU busy share, A flooded" % (x, c), div(busy(c, "flood", x), 100))
        for c in comps:
            if ("B3", c, "solo") in self.g:
                self.ratio("B3 %s: CPU busy share, B alone (solo)" % c, div(busy(c, "solo"), 100))
        md.append("")

    def b8(self):
        params = sorted({k[2] for k in self.g if k[0] == "B8"},
                        key=lambda p: num(p.split("=", 1)[1]) or 0)
        if not params:
            return
        comps = []
        for k in self.g:
            if k[0] == "B8" and k[1] not in comps:
                comps.append(k[1])
        md = self.md
        md += ["## B8: broadcast storm", "",
               "One lower (a NAPI veth NIC, interrupt deferral as B2f) carries "
               "`devs` router devices, each in its own namespace and joined to "
               "224.0.0.251; router B forwards a fixed-rate unicast stream "
               "(`rate`, open loop: pg_paced) to a dummy egress while a storm "
               "generator on the same lower sends half broadcast (IPv4 UDP to "
               "255.255.255.255) and half mDNS-like multicast (01:00:5e:00:00:fb, "
               "UDP 224.0.0.251:5353) frames, paced the same way (storm = pps "
               "asked; pktgen cannot build ARP).  B delivered = what the egress "
               "counted while the generators ran; / solo = that over the same "
               "comparator's storm=0 row of the same boot.  busy = guest time "
               "not left to a SCHED_IDLE spinner over the window (start until "
               "the queues drained).  ns/storm frame = (busy share - solo's) x "
               "1e9 / storm frames offered per second: everything a storm frame "
               "costs, the generator and the NIC included (a lower bound where "
               "busy reached 100%: the CPU had no more to give).  Where the "
               "storm frames ended (counts over the window): nic = refused by "
               "the NIC's ring (the storm's pktgen errors; B's own refused "
               "frames are in B nic); lower = the lower's rx_dropped "
               "(macvlan's bc_queue full, ipvlan's multicast backlog full); "
               "backlog = softnet_stat; upper = the router devices' rx_dropped "
               "(a copy netif_rx() refused); ring/nomem = napi_macvlan's "
               "rx_ring_full/rx_nomem; udp = copies the routers' UDP discarded "
               "(no listener: the normal end of a copy); copies = storm frames "
               "x devs.  DHCP = lease exchanges that succeeded / tried (busybox "
               "udhcpc in B, broadcast replies, one DISCOVER and 1 s of guest "
               "time each) with the stream and the storm running; offers = "
               "DHCPOFFERs dnsmasq logged meanwhile, rx = broadcast/multicast "
               "frames B's DHCP device received meanwhile (the offers and "
               "ACKs that reached it, plus the storm's copies); on d1 = the "
               "client ran on a device of its own (B8_DHCP_IF=d1), not on "
               "B's ingress; replies reached it = the server's replies "
               "tcpdump (kernel filter udp dst port 68) saw on that device, "
               "lower dropped = the lower's rx_dropped over the exchanges; "
               "control queue (napi_macvlan) = frames its port's control queue "
               "took (rx_bc_ctl: the server's broadcast replies and any ARP; "
               "none of the storm) and dropped (rx_bc_ctl_queue_full) over the "
               "exchanges; server's sends refused = frames from the server's "
               "side the NIC's ring refused over the exchanges, pktgen's "
               "excepted (its tx_dropped less pktgen's errors: the replies "
               "lost before any router device saw them; rows since 2026-12-06).  "
               "Instrument: "
               + INSTR + ".", "",
               "| comparator | storm pps | storm offered | B delivered pps | / solo | busy | ns/storm frame | B nic | storm nic | lower | backlog | upper | ring/nomem | udp | copies | DHCP |",
               "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]

        def busy_ns(r):
            # busy guest time of the window, and that per us the
            # generator ran (the stream's cost scales with it)
            e = r["e"]
            b, w, el = num(e.get("busy_pct")), num(e.get("win_us")), num(e.get("el_us"))
            if None in (b, w, el) or not el:
                return None, None, False
            bn = b / 100 * w * 1e3
            # saturated: the spinner got no more idle time than the
            # time after the generators stopped (the drain)
            return bn, bn / el, w - bn / 1e3 <= (w - el) * 1.02

        for c in comps:
            solo = self.g.get(("B8", c, "storm=0"), [])
            s_t = med([r["tput_pps"] for r in solo])
            s_b = med([busy_ns(r)[1] for r in solo])
            for p in params:
                for r in self.g.get(("B8", c, p), []):
                    e = r["e"]
                    el = num(e.get("el_us")) or 0
                    so = num(e.get("storm_sent")) or 0
                    sn = num(e.get("storm_nic")) or 0
                    bn, _, sat = busy_ns(r)
                    nsf = None
                    if so and bn is not None and s_b is not None:
                        # busy time above what the stream alone
                        # took over as long a run, per storm frame
                        nsf = (bn - s_b * el) / so
                    frac = div(r["tput_pps"], s_t)
                    md.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                        c, p.split("=", 1)[1], f(so), f(r["tput_pps"]), f(frac, 3),
                        "%s%%" % e.get("busy_pct", "-"),
                        ("%s%s" % (f(nsf), " (sat.)" if sat else "")) if so else "-",
                        f((r["drop_nic"] or 0) - sn), f(sn), e.get("lower_drop", "-"),
                        f(r["drop_backlog"]), e.get("upper_drop", "-"),
                        "%s/%s" % (e.get("nmv_ring_full", "-"), e.get("nmv_nomem", "-")),
                        e.get("udp_discard", "-"),
                        f(so * (num(e.get("devs")) or 0)),
                        "%s/%s (%s offers, %s rx%s%s%s%s)" % (
                            e.get("dhcp_ok", "?"), e.get("dhcp_n", "?"),
                            e.get("dhcp_offers", "?"), e.get("dhcp_b_mcast_rx", "?"),
                            ", on " + e["dhcp_if"] if "dhcp_if" in e else "",
                            ", %s replies reached it, lower dropped %s meanwhile" % (
                                e["dhcp_replies_seen"], e.get("dhcp_lower_drop", "?"))
                            if "dhcp_replies_seen" in e else "",
                            ", control queue took %s, dropped %s" % (
                                e["dhcp_ctl"], e.get("dhcp_ctl_drop", "?"))
                            if c.startswith("nmv") and "dhcp_ctl" in e else "",
                            ", server's sends refused %s" % e["dhcp_srv_err"]
                            if "dhcp_srv_err" in e else "")))
                    r["b8_frac"] = frac
                    r["b8_nsf"] = nsf
                    r["b8_dhcp"] = div(num(e.get("dhcp_ok")), num(e.get("dhcp_n")))
        md += ["", "| ratio | value | target |", "| --- | --- | --- |"]
        for p in params:
            if p == "storm=0":
                continue
            for c in comps:
                rs = self.g.get(("B8", c, p), [])
                if not rs:
                    continue
                nmv = c.startswith("nmv")
                self.ratio("B8 %s %s B delivered / solo" % (p, c),
                           med([r.get("b8_frac") for r in rs]),
                           (">=", 0.95) if nmv else None)
                self.ratio("B8 %s %s DHCP exchanges succeeded / tried" % (p, c),
                           med([r.get("b8_dhcp") for r in rs]),
                           (">=", 1.0) if nmv else None)
            nv = med([r.get("b8_nsf") for r in self.g.get(("B8", "nmv", p), [])])
            for c in comps:
                if c == "nmv":
                    continue
                self.ratio("B8 %s nmv/%s ns per storm frame" % (p, c),
                           div(nv, med([r.get("b8_nsf") for r in self.g.get(("B8", c, p), [])])))
        md.append("")


    def b2l(self):
        params = sorted({k[2] for k in self.g if k[0] == "B2l"}, key=lambda p: (len(p), p))
        if not params:
            return
        md = self.md
        md += ["## B2l: latency under load through a chain of routers", "",
               "B2's 1:1 chain (2 and 4 routers on one lower), the ingress NIC "
               "polling like hardware (softirq NAPI with interrupt deferral, "
               "up to 64 frames a poll), the open-loop generator (pg_paced, "
               "bursts every 500 us of guest time) at M x the chain's "
               "capacity (row `capacity`: macvlan's delivered pps with the "
               "closed-loop generator, this boot), the same offered rate for "
               "every comparator (param routers=N/xM).  Latency: one-way, "
               "of the load's own frames, from pktgen building the frame "
               "(its payload timestamp) to the last router's transmit on the "
               "egress NIC (a packet socket's stamp of that frame; "
               "lat_capture.py), 1 frame in `sample` kept by a BPF filter, "
               "read after the run; us of guest time, i.e. thousands of "
               "instructions.  cap drops / neg: frames the capture could not "
               "keep / negative samples, both must be 0.  Rows /nocap: the "
               "same run without the capture, for its cost.  Instrument: "
               + INSTR + ".", "",
               "| routers/load | comparator | asked pps | offered pps | delivered pps | ns/delivered | busy | nic | ring | backlog | samples | mean us | p50 us | p90 us | p99 us | max us | cap drops/neg |",
               "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        comps = []
        for k in self.g:
            if k[0] == "B2l" and k[1] not in comps:
                comps.append(k[1])

        def us(e, k):
            v = num(e.get(k))
            return "-" if v is None else "%.1f" % (v / 1000)
        for p in params:
            for c in comps:
                for r in self.g.get(("B2l", c, p), []):
                    e = r["e"]
                    md.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                        p, c, e.get("asked", "-"), f(r["offered_pps"]), f(r["tput_pps"]), f(r["ns_fwd"]),
                        e.get("busy_pct", "-") + ("%" if "busy_pct" in e else ""),
                        f(r["drop_nic"]), f(r["drop_ring"]), f(r["drop_backlog"]),
                        e.get("lat_n", "-"), us(e, "lat_mean_ns"), us(e, "lat_p50_ns"),
                        us(e, "lat_p90_ns"), us(e, "lat_p99_ns"), us(e, "lat_max_ns"),
                        "%s/%s" % (e.get("lat_drops", "-"), e.get("lat_neg", "-"))))

        def lat(c, p, k):
            return med([num(r["e"].get(k)) for r in self.g.get(("B2l", c, p), [])])
        md += ["", "| ratio | value | target |", "| --- | --- | --- |"]
        for p in [p for p in params if "/x" in p and not p.endswith("/nocap")]:
            for k, name in (("lat_mean_ns", "mean"), ("lat_p99_ns", "p99")):
                self.ratio("B2l %s nmvdirect/macvlan %s latency" % (p, name),
                           div(lat("nmvdirect", p, k), lat("macvlan", p, k)), ("<=", 0.5))
                self.ratio("B2l %s nmv(ring)/macvlan %s latency" % (p, name),
                           div(lat("nmv", p, k), lat("macvlan", p, k)))
                self.ratio("B2l %s nmvdirect/nmv(ring) %s latency" % (p, name),
                           div(lat("nmvdirect", p, k), lat("nmv", p, k)))
            self.ratio("B2l %s nmvdirect/macvlan delivered pps" % p,
                       div(self.m("B2l", "nmvdirect", p, "tput_pps"),
                           self.m("B2l", "macvlan", p, "tput_pps")))
        # the capture's cost: the same run with and without it
        for p in [p for p in params if p.endswith("/nocap")]:
            for c in [c for c in comps if ("B2l", c, p) in self.g]:
                self.ratio("B2l %s %s cost per delivered, with capture / without" % (p[:-6], c),
                           div(self.m("B2l", c, p[:-6], "ns_fwd"), self.m("B2l", c, p, "ns_fwd")))
        md.append("")


def report(d):
    rows, other = load(os.path.join(d, "results.csv"))
    info = run_info(d, ("info.txt",))
    r = Report(rows)
    r.md += ["# Cost mode: guest instructions per packet", "",
             "Instrument for every figure below: " + INSTR + ".  "
             "Generated by cost_report.py from results.csv (%d icount rows%s)."
             % (len(rows), ", %d rows of another instrument left out" % other if other else ""),
             "", "Run: " + ", ".join("%s=%s" % (k, v) for k, v in sorted(info.items())
                                      if k.endswith(("_date", "_git", "_vm_seconds",
                                                     "_vm_status", "instrument"))), ""]
    r.b1()
    r.b2()
    r.b2f()
    r.b2fo()
    r.b2l()
    r.b9c()
    r.b9()
    r.b3()
    r.b8()
    r.b4()
    r.b5()
    r.b10()
    # analysis written by hand, kept beside the scripts
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NOTES-cost.md")
    if os.path.exists(notes):
        with open(notes) as fn:
            r.md += ["", fn.read()]
    with open(os.path.join(d, "results.md"), "w") as fo:
        fo.write("\n".join(r.md) + "\n")
    with open(os.path.join(d, "summary.json"), "w") as fo:
        json.dump({"instrument": INSTR, "ratios": r.ratios, "derived": r.derived,
                   "differences": r.diffs}, fo, indent=1, sort_keys=True)
    print("cost_report: %d ratios; %s" % (len(r.ratios), os.path.join(d, "results.md")))


def run_info(d, names=("info.txt", "wall.txt")):
    """key=value lines of a run's info.txt and wall.txt (repro.sh)"""
    info = {}
    for name in names:
        try:
            with open(os.path.join(d, name)) as fi:
                for line in fi:
                    if "=" in line:
                        k, v = line.rstrip("\n").split("=", 1)
                        info[k] = v
        except OSError:
            pass
    return info


def compare(a, b, out):
    ja = json.load(open(os.path.join(a, "summary.json")))
    jb = json.load(open(os.path.join(b, "summary.json")))
    sa, sb = ja["ratios"], jb["ratios"]
    md = ["# Reproducibility: two cost-mode runs", "",
          "Instrument: " + INSTR + ".", "",
          "run A: %s  " % os.path.basename(os.path.normpath(a)),
          "run B: %s" % os.path.basename(os.path.normpath(b)), "",
          "| run | wall s | VM CPU s | host load before | host load after | other VMs | started |",
          "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, d in (("A", a), ("B", b)):
        i = run_info(d)
        md.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            name, i.get("wall_seconds", "?"), i.get("vm_cpu_seconds", "?"),
            i.get("load_before", "?"), i.get("load_after", "?"),
            i.get("other_vms_at_start", "?"), i.get("started", "?")))
    md += ["", "VM CPU s: QEMU's user + sys time, about the wall time on an "
           "idle host; wall s includes the report and depends on the host's load "
           "(other VMs: other QEMUs running on the host when the run started).", "",
           "| ratio | run A | run B | B/A - 1 | within +-3% |",
          "| --- | --- | --- | --- | --- |"]
    worst = 0.0
    bad = 0
    for k in sorted(set(sa) | set(sb)):
        va, vb = sa.get(k), sb.get(k)
        d = None
        if va not in (None, 0) and vb is not None:
            d = vb / va - 1
            worst = max(worst, abs(d))
            bad += abs(d) > 0.03
        md.append("| %s | %s | %s | %s | %s |" % (
            k, f(va, 3), f(vb, 3), "n/a" if d is None else "%+.2f%%" % (100 * d),
            "n/a" if d is None else ("yes" if abs(d) <= 0.03 else "NO")))
    md += ["", "Largest spread: %.2f%%; ratios outside +-3%%: %d." % (100 * worst, bad)]
    da, db = ja.get("differences", {}), jb.get("differences", {})
    ra, rb = ja.get("derived", {}), jb.get("derived", {})
    if da or db or ra or rb:
        md += ["", "## Differences of two paths (not held to +-3%)", "",
               "A policer's own cost is a difference of two whole-path costs "
               "of some 11,000 instructions per packet; it carries the noise "
               "of both (up to ~150 instructions between two runs so far), so it is compared in "
               "instructions, not as a ratio.", "",
               "| difference | run A instr/pkt | run B instr/pkt | B - A |",
               "| --- | --- | --- | --- |"]
        for k in sorted(set(da) | set(db)):
            va, vb = da.get(k), db.get(k)
            md.append("| %s | %s | %s | %s |" % (
                k, f(va), f(vb), "n/a" if None in (va, vb) else "%+.0f" % (vb - va)))
        if ra or rb:
            md += ["", "| ratio of two differences | run A | run B | B/A - 1 |",
                   "| --- | --- | --- | --- |"]
            for k in sorted(set(ra) | set(rb)):
                va, vb = ra.get(k), rb.get(k)
                md.append("| %s | %s | %s | %s |" % (
                    k, f(va, 3), f(vb, 3),
                    "n/a" if va in (None, 0) or vb is None else "%+.2f%%" % (100 * (vb / va - 1))))
    text = "\n".join(md) + "\n"
    if out:
        with open(out, "w") as fo:
            fo.write(text)
    print(text)
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--compare":
        sys.exit(compare(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None))
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    report(sys.argv[1])
