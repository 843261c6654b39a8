#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Minimal client of the "igtb" generic netlink family (python3 stdlib only).

  igtb_nl.py set  DEV [NETNS] [rate BPS] [burst BYTES] [pps N] [pburst N]
                      [overhead N] [action drop|mark|shape] [mark N]
                      [dir ingress|egress] [latency US]
  igtb_nl.py get  DEV [NETNS] [dir ingress|egress] [--field NAME]
  igtb_nl.py dump [NETNS]
  igtb_nl.py del  DEV [NETNS] [dir ingress|egress]
  igtb_nl.py monitor [--count N] [--timeout S]
  igtb_nl.py groups                          # the family's multicast groups
  igtb_nl.py raw  set|get|del|dump|NUM [ATTR ...]
  igtb_nl.py batch [FILE]
      one command per line (from FILE or stdin) in one process; after each
      prints "status ok" or "status ERRNO_NAME: extack message";
      a line "sleep SECONDS" pauses
  igtb_nl.py cycle COUNT DEV [NETNS] [CONFIG...]
      COUNT times set then del in one process; ENOENT on del (another
      process deleted first) is counted, not an error; prints
      "cycles N del_enoent N"

  DEV   = dev NAME | ifindex N
  NETNS = netns-pid PID | netns-fd PATH | netns-id NSID
  BPS accepts suffixes kbit, mbit, gbit (and k, m, g); plain numbers are
  bits per second.
  raw ATTR = NAME=VALUE (NAME from the attribute table below, typed) or
  NUM:TYPE:VALUE with TYPE one of u8 u16 u32 u64 s32 str strz bin(hex) flag.

Output of get/dump/monitor: one line per device, "key value" pairs.
Exit status: 0 ok, 1 usage error, 2 kernel error ("error: <strerror>: <extack>").
"""

import errno
import os
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11

NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_ACK_TLVS = 0x200

NLMSG_ERROR = 2
NLMSG_DONE = 3

NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2

# kmod/include/uapi/linux/igtb.h
CMDS = {"set": 1, "get": 2, "del": 3}
CMD_NAMES = {1: "set", 2: "get", 3: "del"}
ATTRS = {
    "pad": (1, "bin"),
    "ifindex": (2, "u32"),
    "ifname": (3, "strz"),
    "netns_fd": (4, "u32"),
    "netns_id": (5, "s32"),
    "netns_pid": (6, "u32"),
    "rate": (7, "u64"),
    "burst": (8, "u32"),
    "pkt_rate": (9, "u64"),
    "pkt_burst": (10, "u32"),
    "overhead": (11, "u32"),
    "action": (12, "u32"),
    "mark": (13, "u32"),
    "stats": (14, "nest"),
    "dir": (15, "u32"),
    "latency": (16, "u32"),
}
ATTR_BY_NUM = {v[0]: (k, v[1]) for k, v in ATTRS.items()}
STATS = {2: "conform_packets", 3: "conform_bytes", 4: "exceed_packets",
         5: "exceed_bytes", 6: "delayed_packets", 7: "delay_ns"}
ACTIONS = {"drop": 0, "mark": 1, "shape": 2}
DIRS = {"ingress": 0, "egress": 1}


class KernelError(Exception):
    def __init__(self, err, msg):
        super().__init__(err, msg)
        self.err = err
        self.msg = msg


class UsageError(Exception):
    pass


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = (4 - len(payload) % 4) % 4
    return hdr + payload + b"\0" * pad


def nla_typed(atype, kind, value):
    if kind == "u8":
        return nla(atype, struct.pack("=B", int(value, 0)))
    if kind == "u16":
        return nla(atype, struct.pack("=H", int(value, 0)))
    if kind == "u32":
        return nla(atype, struct.pack("=I", int(value, 0) & 0xffffffff))
    if kind == "s32":
        return nla(atype, struct.pack("=i", int(value, 0)))
    if kind == "u64":
        return nla(atype, struct.pack("=Q", int(value, 0) & (2**64 - 1)))
    if kind == "str":
        return nla(atype, value.encode())
    if kind == "strz":
        return nla(atype, value.encode() + b"\0")
    if kind in ("bin", "nest"):
        return nla(atype, bytes.fromhex(value))
    if kind == "flag":
        return nla(atype, b"")
    raise UsageError("unknown attribute type %s" % kind)


def parse_attrs(data):
    """[(type, payload)] of a buffer of attributes."""
    out = []
    off = 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4:
            break
        out.append((atype & ~NLA_F_NESTED & 0x7fff, data[off + 4:off + alen]))
        off += (alen + 3) & ~3
    return out


class GenlSocket:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = int(time.time())

    def send(self, family, cmd, version, attrs, flags):
        self.seq += 1
        payload = struct.pack("=BBH", cmd, version, 0) + attrs
        hdr = struct.pack("=IHHII", 16 + len(payload), family, flags,
                          self.seq, 0)
        self.sock.send(hdr + payload)
        return self.seq

    @staticmethod
    def _error(data, off, nlflags):
        err = struct.unpack_from("=i", data, off + 16)[0]
        msg = ""
        if nlflags & NLM_F_ACK_TLVS:
            # nlmsgerr: error, then the request's header (capped ack)
            for atype, payload in parse_attrs(data[off + 16 + 4 + 16:]):
                if atype == NLMSGERR_ATTR_MSG:
                    msg = payload.rstrip(b"\0").decode(errors="replace")
        return err, msg

    def request(self, family, cmd, version, attrs, dump=False):
        """Send a request; return the list of genl payloads of the replies."""
        flags = NLM_F_REQUEST | NLM_F_ACK
        if dump:
            flags |= NLM_F_DUMP
        seq = self.send(family, cmd, version, attrs, flags)
        replies = []
        while True:
            data = self.sock.recv(1 << 16)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, mseq, _ = struct.unpack_from(
                    "=IHHII", data, off)
                if mlen < 16:
                    raise KernelError(errno.EPROTO, "short netlink message")
                if mseq != seq:
                    off += (mlen + 3) & ~3
                    continue
                if mtype == NLMSG_ERROR:
                    err, msg = self._error(data, off, mflags)
                    if err:
                        raise KernelError(-err, msg)
                    return replies
                if mtype == NLMSG_DONE:
                    err = 0
                    if mlen >= 20:
                        err = struct.unpack_from("=i", data, off + 16)[0]
                    if err:
                        msg = ""
                        if mflags & NLM_F_ACK_TLVS:
                            for atype, payload in parse_attrs(
                                    data[off + 20:off + mlen]):
                                if atype == NLMSGERR_ATTR_MSG:
                                    msg = payload.rstrip(b"\0").decode()
                        raise KernelError(-err, msg)
                    return replies
                replies.append(data[off + 16:off + mlen])
                off += (mlen + 3) & ~3

    def resolve(self, name):
        """(family id, {mcast group name: id})"""
        if getattr(self, "cache", None):
            return self.cache
        try:
            replies = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
                                   nla(CTRL_ATTR_FAMILY_NAME,
                                       name.encode() + b"\0"))
        except KernelError as e:
            if e.err == errno.ENOENT:
                raise KernelError(e.err, "generic netlink family %s not "
                                  "registered (is igtb.ko loaded?)" % name)
            raise
        fid = None
        groups = {}
        for r in replies:
            for atype, payload in parse_attrs(r[4:]):
                if atype == CTRL_ATTR_FAMILY_ID:
                    fid = struct.unpack("=H", payload[:2])[0]
                elif atype == CTRL_ATTR_MCAST_GROUPS:
                    for _, grp in parse_attrs(payload):
                        gname, gid = None, None
                        for gt, gp in parse_attrs(grp):
                            if gt == CTRL_ATTR_MCAST_GRP_NAME:
                                gname = gp.rstrip(b"\0").decode()
                            elif gt == CTRL_ATTR_MCAST_GRP_ID:
                                gid = struct.unpack("=I", gp[:4])[0]
                        if gname is not None:
                            groups[gname] = gid
        if fid is None:
            raise KernelError(errno.ENOENT, "no family id in reply")
        self.cache = (fid, groups)
        return fid, groups


def decode(payload):
    """dict of an igtb message (genl header included)."""
    cmd = payload[0]
    out = {"cmd": CMD_NAMES.get(cmd, str(cmd))}
    for atype, data in parse_attrs(payload[4:]):
        name, kind = ATTR_BY_NUM.get(atype, (str(atype), "bin"))
        if kind == "u32":
            out[name] = struct.unpack("=I", data[:4])[0]
        elif kind == "s32":
            out[name] = struct.unpack("=i", data[:4])[0]
        elif kind == "u64":
            out[name] = struct.unpack("=Q", data[:8])[0]
        elif kind == "strz":
            out[name] = data.rstrip(b"\0").decode()
        elif kind == "nest":
            for st, sd in parse_attrs(data):
                if st in STATS:
                    out[STATS[st]] = struct.unpack("=Q", sd[:8])[0]
        else:
            out[name] = data.hex()
    return out


ORDER = ["ifname", "ifindex", "netns_id", "dir", "rate", "burst", "pkt_rate",
         "pkt_burst", "overhead", "action", "mark", "latency",
         "conform_packets", "conform_bytes", "exceed_packets", "exceed_bytes",
         "delayed_packets", "delay_ns"]


def fmt(d, with_cmd=False):
    parts = []
    if with_cmd:
        parts.append(d["cmd"])
    for k in ORDER:
        if k in d:
            v = d[k]
            if k == "action":
                v = {0: "drop", 1: "mark", 2: "shape"}.get(v, v)
            elif k == "dir":
                v = {0: "ingress", 1: "egress"}.get(v, v)
            parts.append("%s %s" % (k, v))
    return " ".join(parts)


def parse_rate(s):
    s = s.lower()
    mult = 1
    for suf, m in (("gbit", 10**9), ("mbit", 10**6), ("kbit", 10**3),
                   ("bit", 1), ("g", 10**9), ("m", 10**6), ("k", 10**3)):
        if s.endswith(suf):
            s = s[:-len(suf)]
            mult = m
            break
    return str(int(float(s) * mult)) if "." in s else str(int(s, 0) * mult)


def build_attrs(args, allow_cfg):
    """Attributes of the common DEV / NETNS / config words; returns bytes
    and the list of open fds (kept open until the request is sent)."""
    out = b""
    fds = []
    field = None
    i = 0
    words = {
        "dev": ("ifname", str), "ifname": ("ifname", str),
        "ifindex": ("ifindex", str), "netns-pid": ("netns_pid", str),
        "netns-id": ("netns_id", str),
        "dir": ("dir", lambda v: str(DIRS[v]) if v in DIRS else v),
    }
    cfg = {
        "rate": ("rate", parse_rate), "burst": ("burst", str),
        "pps": ("pkt_rate", parse_rate), "pburst": ("pkt_burst", str),
        "overhead": ("overhead", str), "mark": ("mark", str),
        "latency": ("latency", str),
        "action": ("action", lambda v: str(ACTIONS[v]) if v in ACTIONS
                   else v),
    }
    while i < len(args):
        w = args[i]
        if w == "--field":
            if i + 1 >= len(args):
                raise UsageError("--field needs a name")
            field = args[i + 1]
            i += 2
            continue
        if i + 1 >= len(args):
            raise UsageError("%s needs a value" % w)
        v = args[i + 1]
        if w == "netns-fd":
            fd = os.open(v, os.O_RDONLY) if not v.isdigit() else int(v)
            fds.append(fd)
            out += nla_typed(ATTRS["netns_fd"][0], "u32", str(fd))
        elif w in words or (allow_cfg and w in cfg):
            name, conv = words.get(w) or cfg[w]
            atype, kind = ATTRS[name]
            out += nla_typed(atype, kind, conv(v))
        else:
            raise UsageError("unknown word %s" % w)
        i += 2
    return out, fds, field


def raw_attrs(args):
    out = b""
    for a in args:
        if "=" in a:
            name, value = a.split("=", 1)
            if name not in ATTRS:
                raise UsageError("unknown attribute %s" % name)
            atype, kind = ATTRS[name]
            out += nla_typed(atype, kind, value)
        else:
            parts = a.split(":", 2)
            if len(parts) < 2:
                raise UsageError("raw attribute %s: NAME=VALUE or "
                                 "NUM:TYPE:VALUE" % a)
            out += nla_typed(int(parts[0], 0), parts[1],
                             parts[2] if len(parts) > 2 else "")
    return out


def batch(lines, gs):
    """Run one command per line in this process (python starts slowly in
    the test VM); after each, print "status ok" or "status ERRNO: msg"."""
    for line in lines:
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "sleep":
            time.sleep(float(words[1]))
            continue
        try:
            main(words, gs)
            print("status ok", flush=True)
        except KernelError as e:
            # Linux's ENOTSUP is EOPNOTSUPP (95); use the kernel's name
            name = "EOPNOTSUPP" if e.err == errno.EOPNOTSUPP else \
                errno.errorcode.get(e.err, e.err)
            print("status %s: %s" % (name, e.msg), flush=True)
        except (UsageError, ValueError, KeyError, OSError) as e:
            print("status usage: %s" % e, flush=True)
    return 0


def main(argv, gs=None):
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return 0 if argv else 1
    cmd, args = argv[0], argv[1:]
    if gs is None:
        gs = GenlSocket()
    if cmd == "batch":
        src = open(args[0]) if args else sys.stdin
        return batch(src, gs)
    fid, groups = gs.resolve("igtb")
    version = 1

    if cmd == "groups":
        for name in sorted(groups):
            print(name)
        return 0

    if cmd == "monitor":
        count, timeout = 0, None
        i = 0
        while i < len(args):
            if args[i] == "--count":
                count = int(args[i + 1])
            elif args[i] == "--timeout":
                timeout = float(args[i + 1])
            else:
                raise UsageError("unknown word %s" % args[i])
            i += 2
        gs.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                           groups["config"])
        print("listening", flush=True)
        gs.sock.settimeout(timeout)
        seen = 0
        while not count or seen < count:
            try:
                data = gs.sock.recv(1 << 16)
            except socket.timeout:
                print("timeout after %d messages" % seen, file=sys.stderr)
                return 3
            off = 0
            while off + 16 <= len(data):
                mlen, mtype = struct.unpack_from("=IH", data, off)
                if mtype == fid:
                    print(fmt(decode(data[off + 16:off + mlen]), True),
                          flush=True)
                    seen += 1
                off += (mlen + 3) & ~3
        return 0

    if cmd == "raw":
        if not args:
            raise UsageError("raw needs a command")
        dump = args[0] == "dump"
        rcmd = CMDS["get"] if dump else CMDS.get(args[0])
        if rcmd is None:
            rcmd = int(args[0], 0)
        replies = gs.request(fid, rcmd, version, raw_attrs(args[1:]), dump)
        for r in replies:
            print(fmt(decode(r)))
        return 0

    if cmd == "cycle":
        if not args:
            raise UsageError("cycle needs a count")
        count = int(args[0])
        attrs, fds, _ = build_attrs(args[1:], True)
        words = args[1:]
        addr = []
        for i in range(0, len(words) - 1, 2):
            if words[i] in ("dev", "ifname", "ifindex", "netns-pid",
                            "netns-id", "netns-fd"):
                addr += words[i:i + 2]
        dev, _, _ = build_attrs(addr, False)
        enoent = 0
        for _ in range(count):
            gs.request(fid, CMDS["set"], version, attrs)
            try:
                gs.request(fid, CMDS["del"], version, dev)
            except KernelError as e:
                if e.err != errno.ENOENT:
                    raise
                enoent += 1
        print("cycles %d del_enoent %d" % (count, enoent))
        return 0

    if cmd not in ("set", "get", "del", "dump"):
        raise UsageError("unknown command %s" % cmd)
    attrs, fds, field = build_attrs(args, cmd == "set")
    if cmd == "dump":
        replies = gs.request(fid, CMDS["get"], version, attrs, True)
    else:
        replies = gs.request(fid, CMDS[cmd], version, attrs)
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
    for r in replies:
        d = decode(r)
        if field:
            print(d.get(field, ""))
        else:
            print(fmt(d))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KernelError as e:
        text = os.strerror(e.err)
        print("error: %s%s" % (text, ": " + e.msg if e.msg else ""),
              file=sys.stderr)
        sys.exit(2)
    except UsageError as e:
        print("usage error: %s (see --help)" % e, file=sys.stderr)
        sys.exit(1)
    except PermissionError as e:
        print("error: %s" % e.strerror, file=sys.stderr)
        sys.exit(2)
