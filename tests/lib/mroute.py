#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Minimal IPv4 multicast router for the VM scenarios (a stand-in for
smcroute): forward (SOURCE, GROUP) from IIF to OIF until killed.

  mroute.py SOURCE GROUP IIF OIF

Linux only forwards multicast between interfaces while a process holds the
multicast-routing socket (MRT_INIT), so this stays in the foreground.
"""
import signal
import socket
import struct
import sys
import time

MRT_INIT, MRT_ADD_VIF, MRT_ADD_MFC = 200, 202, 204
VIFF_USE_IFINDEX = 0x8
MAXVIFS = 32


def vifctl(vifi, ifindex):
    return struct.pack('HBBIi4s', vifi, VIFF_USE_IFINDEX, 1, 0, ifindex, b'\0' * 4)


def mfcctl(source, group, parent, oif_vifi):
    ttls = bytearray(MAXVIFS)
    ttls[oif_vifi] = 1
    return struct.pack('4s4sH32sIIIi', socket.inet_aton(source), socket.inet_aton(group),
                       parent, bytes(ttls), 0, 0, 0, 0)


def main(argv):
    source, group, iif, oif = argv
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
    s.setsockopt(socket.IPPROTO_IP, MRT_INIT, struct.pack('i', 1))
    s.setsockopt(socket.IPPROTO_IP, MRT_ADD_VIF, vifctl(0, socket.if_nametoindex(iif)))
    s.setsockopt(socket.IPPROTO_IP, MRT_ADD_VIF, vifctl(1, socket.if_nametoindex(oif)))
    s.setsockopt(socket.IPPROTO_IP, MRT_ADD_MFC, mfcctl(source, group, 0, 1))
    print(f'mroute: {source} -> {group}: {iif} -> {oif}', flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        time.sleep(3600)


if __name__ == '__main__':
    main(sys.argv[1:])
