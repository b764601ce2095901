#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Tiny traffic tools for the VM scenarios (run inside network namespaces).

  netutil.py udp-serve BIND_IP:PORT [--reply FILE ...] [--count N] [--save PREFIX]
      receive N datagrams; answer the k-th with the k-th --reply file (the
      last one is reused); save each received payload as PREFIX.<k>
  netutil.py udp-send BIND_IP:PORT DST_IP:PORT FILE [--expect-reply FILE] [--timeout S]
                     [--mcast-ttl N] [--prefixes]
      send FILE from a fixed source; with --expect-reply wait for one answer
      and store it (exit 3 when none arrives)
  netutil.py tcp-try BIND_IP:PORT DST_IP:PORT [--timeout S] [--send FILE]
      exit 0 when the TCP handshake completes, 1 when it does not
  netutil.py tcp-serve BIND_IP:PORT [--count N]
      accept N connections (each one is printed), echo nothing, close
  netutil.py udp-recv BIND_IP:PORT [--timeout S] [--count N]
      exit 0 when N datagrams arrive in time (print their sources), 1 otherwise
  netutil.py tcp-raw SRC_IP:PORT DST_IP:PORT HEX [--count N] [--seq S]
      send N TCP segments (ACK|PSH) with payload HEX, in sequence from S,
      through a raw socket: for a flow that exists only as a conntrack entry
      (IPv4)

Addresses may be IPv6 in brackets: [fd00::2]:1719.
"""
import argparse
import os
import socket
import struct
import sys

# Every wait stretches by AVAYA_TIME_SCALE (set by vm-run.sh): the debug lane's
# KASAN kernel under TCG runs several times slower than the Debian kernels.
TIME_SCALE = float(os.environ.get('AVAYA_TIME_SCALE') or 1)


def split(ep):
    host, port = ep.rsplit(':', 1)
    host = host.strip('[]')
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    return fam, (host, int(port))


def bound(ep, kind):
    fam, addr = split(ep)
    s = socket.socket(fam, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr)
    return s


def udp_serve(a):
    s = bound(a.bind, socket.SOCK_DGRAM)
    s.settimeout(a.timeout)
    if a.join:
        import struct
        mreq = struct.pack('4s4s', socket.inet_aton(a.join), socket.inet_aton('0.0.0.0'))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    out = bound(a.reply_from, socket.SOCK_DGRAM) if a.reply_from else s
    replies = [open(f, 'rb').read() for f in a.reply]
    for k in range(a.count):
        try:
            data, peer = s.recvfrom(65535)
        except socket.timeout:
            print(f'udp-serve: timeout after {k} datagrams', flush=True)
            return 1
        if a.save:
            with open(f'{a.save}.{k}', 'wb') as f:
                f.write(data)
        print(f'udp-serve: {len(data)} octets from {peer[0]}:{peer[1]}', flush=True)
        if replies:
            out.sendto(replies[min(k, len(replies) - 1)], peer)
    return 0


def udp_send(a):
    s = bound(a.bind, socket.SOCK_DGRAM)
    fam, dst = split(a.dst)
    data = open(a.file, 'rb').read()
    if a.mcast_ttl:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, a.mcast_ttl)
    if a.prefixes:
        for n in range(len(data)):
            s.sendto(data[:n], dst)
        print(f'udp-send: sent {len(data)} truncations', flush=True)
        return 0
    s.sendto(data, dst)
    if not a.expect_reply:
        return 0
    s.settimeout(a.timeout)
    try:
        data, peer = s.recvfrom(65535)
    except socket.timeout:
        print('udp-send: no reply', flush=True)
        return 3
    with open(a.expect_reply, 'wb') as f:
        f.write(data)
    print(f'udp-send: reply of {len(data)} octets from {peer[0]}:{peer[1]}', flush=True)
    return 0


def udp_recv(a):
    s = bound(a.bind, socket.SOCK_DGRAM)
    s.settimeout(a.timeout)
    for k in range(a.count):
        try:
            data, peer = s.recvfrom(65535)
        except socket.timeout:
            print(f'udp-recv: {k} of {a.count} datagrams', flush=True)
            return 1
        print(f'udp-recv: {len(data)} octets from {peer[0]}:{peer[1]}', flush=True)
    return 0


def tcp_try(a):
    s = bound(a.bind, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\x00\x00\x00\x00\x00\x00\x00')
    s.settimeout(a.timeout)
    fam, dst = split(a.dst)
    try:
        s.connect(dst)
    except OSError as e:
        print(f'tcp-try: {a.bind} -> {a.dst}: {e.__class__.__name__}', flush=True)
        return 1
    if a.send:
        s.sendall(open(a.send, 'rb').read())
    print(f'tcp-try: {a.bind} -> {a.dst}: connected', flush=True)
    s.close()
    return 0


def tcp_serve(a):
    s = bound(a.bind, socket.SOCK_STREAM)
    s.listen(16)
    for _ in range(a.count):
        c, peer = s.accept()
        print(f'tcp-serve: connection from {peer[0]}:{peer[1]}', flush=True)
        c.close()
    return 0


def csum(data):
    if len(data) % 2:
        data += b'\0'
    t = sum(int.from_bytes(data[i:i + 2], 'big') for i in range(0, len(data), 2))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff


def tcp_raw(a):
    _, (sip, sport) = split(a.src)
    _, (dip, dport) = split(a.dst)
    payload = bytes.fromhex(a.hex)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    s.bind((sip, 0))
    seq = a.seq
    for _ in range(a.count):
        hdr = bytearray(struct.pack('!HHIIBBHHH', sport, dport, seq, a.ack,
                                    5 << 4, 0x18, 65535, 0, 0))
        pseudo = (socket.inet_aton(sip) + socket.inet_aton(dip) +
                  struct.pack('!BBH', 0, socket.IPPROTO_TCP, len(hdr) + len(payload)))
        struct.pack_into('!H', hdr, 16, csum(pseudo + bytes(hdr) + payload))
        s.sendto(bytes(hdr) + payload, (dip, 0))
        seq = (seq + len(payload)) & 0xffffffff
    print(f'tcp-raw: {a.count} segments of {len(payload)} octets', flush=True)
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('udp-serve')
    p.add_argument('bind')
    p.add_argument('--reply', action='append', default=[])
    p.add_argument('--count', type=int, default=1)
    p.add_argument('--save')
    p.add_argument('--join', help='IPv4 multicast group to join')
    p.add_argument('--reply-from', help='answer from this IP:PORT instead')
    p.add_argument('--timeout', type=float, default=30)
    p.set_defaults(fn=udp_serve)
    p = sub.add_parser('udp-send')
    p.add_argument('bind')
    p.add_argument('dst')
    p.add_argument('file')
    p.add_argument('--expect-reply')
    p.add_argument('--mcast-ttl', type=int)
    p.add_argument('--prefixes', action='store_true',
                   help='send every truncation of FILE (lengths 0..n-1) instead')
    p.add_argument('--timeout', type=float, default=3)
    p.set_defaults(fn=udp_send)
    p = sub.add_parser('udp-recv')
    p.add_argument('bind')
    p.add_argument('--count', type=int, default=1)
    p.add_argument('--timeout', type=float, default=3)
    p.set_defaults(fn=udp_recv)
    p = sub.add_parser('tcp-try')
    p.add_argument('bind')
    p.add_argument('dst')
    p.add_argument('--timeout', type=float, default=2)
    p.add_argument('--send')
    p.set_defaults(fn=tcp_try)
    p = sub.add_parser('tcp-serve')
    p.add_argument('bind')
    p.add_argument('--count', type=int, default=1000000)
    p.set_defaults(fn=tcp_serve)
    p = sub.add_parser('tcp-raw')
    p.add_argument('src')
    p.add_argument('dst')
    p.add_argument('hex')
    p.add_argument('--count', type=int, default=1)
    p.add_argument('--seq', type=lambda v: int(v, 0), default=1000)
    p.add_argument('--ack', type=lambda v: int(v, 0), default=1)
    p.set_defaults(fn=tcp_raw)
    a = ap.parse_args(argv)
    if hasattr(a, 'timeout'):
        a.timeout *= TIME_SCALE
    return a.fn(a)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
