#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Broadcast/multicast frames for napi_macvlan's control queue (selftests).

usage: nmv_ctlframes.py send IFNAME KIND [COUNT]
       nmv_ctlframes.py arping IFNAME SRC_IP DST_IP COUNT INTERVAL_S
       nmv_ctlframes.py kinds

send: COUNT (default 1) frames of KIND from IFNAME, a raw packet socket.
Kinds the driver takes as control frames (its own queue):
  arp       ARP request, broadcast
  dhcp      IPv4 UDP to port 68 (a server's OFFER/ACK), broadcast
  dhcps     IPv4 UDP to port 67 (a client's DISCOVER), broadcast
  ns        ICMPv6 neighbour solicitation (135), solicited-node multicast
  ra        ICMPv6 router advertisement (134), all-nodes
  dhcp6     IPv6 UDP to port 547 (a client's SOLICIT), ff02::1:2
and the ones it does not:
  udp       IPv4 UDP to port 69, broadcast
  mdns      IPv4 UDP to port 5353, 224.0.0.251
  frag      IPv4 UDP to port 68, broadcast, a non-first fragment (no port)
  echo6     ICMPv6 echo request (128), all-nodes
  hbh6      ICMPv6 router advertisement behind a hop-by-hop header (the
            driver walks no extension header)
arping: COUNT ARP requests for DST_IP, one per INTERVAL_S seconds, then
prints how many replies came back (from DST_IP, to IFNAME's address)
within 10 s of the last request.
"""
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_ARP = 0x0806
BCAST = b"\xff" * 6


def own_mac(ifname):
    with open(f"/sys/class/net/{ifname}/address") as f:
        return bytes(int(b, 16) for b in f.read().strip().split(":"))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(dst, payload, proto=17, frag=0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, frag,
                      64, proto, 0, socket.inet_aton("0.0.0.0"),
                      socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def udp(sport, dport, body=bytes(32)):
    # checksum 0: none (IPv4); the driver reads ports only
    return struct.pack("!HHHH", sport, dport, 8 + len(body), 0) + body


def ipv6(dst, nexthdr, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nexthdr, 255,
                       socket.inet_pton(socket.AF_INET6, "fe80::1"),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def icmp6(typ, body=bytes(20)):
    return struct.pack("!BBH", typ, 0, 0) + body


def arp_request(src_mac, src_ip, dst_ip):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, src_mac,
                       socket.inet_aton(src_ip), bytes(6),
                       socket.inet_aton(dst_ip))


def frame(kind, src):
    """(destination MAC, ethertype, payload) of one frame of KIND."""
    v6 = 0x86DD
    kinds = {
        "arp": (BCAST, ETH_P_ARP,
                arp_request(src, "10.99.0.2", "10.99.0.1")),
        "dhcp": (BCAST, 0x0800, ipv4("255.255.255.255", udp(67, 68))),
        "dhcps": (BCAST, 0x0800, ipv4("255.255.255.255", udp(68, 67))),
        "ns": (bytes.fromhex("3333ff000001"), v6,
               ipv6("ff02::1:ff00:1", 58, icmp6(135))),
        "ra": (bytes.fromhex("333300000001"), v6,
               ipv6("ff02::1", 58, icmp6(134))),
        "dhcp6": (bytes.fromhex("333300010002"), v6,
                  ipv6("ff02::1:2", 17, udp(546, 547))),
        "udp": (BCAST, 0x0800, ipv4("255.255.255.255", udp(68, 69))),
        "mdns": (bytes.fromhex("01005e0000fb"), 0x0800,
                 ipv4("224.0.0.251", udp(5353, 5353))),
        # offset 8 bytes: what sits where a UDP header would is
        # data, here shaped like one to port 68
        "frag": (BCAST, 0x0800, ipv4("255.255.255.255", udp(67, 68),
                                     frag=1)),
        "echo6": (bytes.fromhex("333300000001"), v6,
                  ipv6("ff02::1", 58, icmp6(128))),
        # hop-by-hop (0): next header ICMPv6, length 0, PadN of 4
        "hbh6": (bytes.fromhex("333300000001"), v6,
                 ipv6("ff02::1", 0,
                      bytes([58, 0, 1, 4, 0, 0, 0, 0]) + icmp6(134))),
    }
    if kind not in kinds:
        sys.exit(f"unknown kind {kind!r}: " + " ".join(sorted(kinds)))
    return kinds[kind]


def send(ifname, kind, count):
    src = own_mac(ifname)
    dst, etype, payload = frame(kind, src)
    data = dst + src + struct.pack("!H", etype) + payload
    data += bytes(max(0, 60 - len(data)))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    for _ in range(count):
        s.send(data)


def arping(ifname, src_ip, dst_ip, count, interval):
    src = own_mac(ifname)
    req = BCAST + src + struct.pack("!H", ETH_P_ARP) + \
        arp_request(src, src_ip, dst_ip)
    req += bytes(60 - len(req))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ARP))
    s.bind((ifname, ETH_P_ARP))
    s.setblocking(False)
    want = socket.inet_aton(dst_ip)
    replies = 0
    deadline = 0.0

    def drain():
        nonlocal replies
        while True:
            try:
                data = s.recv(2048)
            except BlockingIOError:
                return
            # ARP reply (op 2) from DST_IP to our MAC
            if len(data) >= 42 and data[0:6] == src and \
                    data[20:22] == b"\x00\x02" and data[28:32] == want:
                replies += 1

    for _ in range(count):
        s.send(req)
        deadline = time.monotonic() + interval
        while time.monotonic() < deadline:
            drain()
            time.sleep(0.002)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and replies < count:
        drain()
        time.sleep(0.01)
    print(replies)


def main():
    a = sys.argv[1:]
    if a[:1] == ["send"] and len(a) in (3, 4):
        send(a[1], a[2], int(a[3]) if len(a) == 4 else 1)
    elif a[:1] == ["arping"] and len(a) == 6:
        arping(a[1], a[2], a[3], int(a[4]), float(a[5]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
