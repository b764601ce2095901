#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Pull UDP/TCP payloads out of classic pcap files and patch the embedded
IPv4 addresses and ports to a test topology.

  pcapkit.py payload PCAP FRAME [--map OLD=NEW ...] [--map-ep OLDIP:PORT=NEWIP:PORT ...] -o OUT
  pcapkit.py list PCAP

--map-ep replaces a 6-octet address+port pair (H.225 TransportAddress as PER
encodes it) and runs first; --map then replaces the remaining 4-octet
addresses. The number of replacements is printed so a test can insist that
the patch really happened.
"""
import argparse
import ipaddress
import struct
import sys


def frames(path):
    """Yield (number, l4proto, sport, dport, src, dst, payload) per frame."""
    with open(path, 'rb') as f:
        data = f.read()
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        endian = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        endian = '>'
    else:
        raise SystemExit(f'{path}: not a classic pcap file')
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    off, num = 24, 0
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        pkt = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        num += 1
        if linktype == 1:
            if len(pkt) < 14:
                continue
            ethertype = struct.unpack('>H', pkt[12:14])[0]
            l3 = pkt[14:]
            while ethertype == 0x8100 and len(l3) >= 4:
                ethertype = struct.unpack('>H', l3[2:4])[0]
                l3 = l3[4:]
        elif linktype == 101:
            l3, ethertype = pkt, 0x0800 if pkt[:1] and pkt[0] >> 4 == 4 else 0x86dd
        else:
            raise SystemExit(f'{path}: unsupported link type {linktype}')
        if ethertype != 0x0800 or len(l3) < 20:
            continue
        ihl = (l3[0] & 0xf) * 4
        total = struct.unpack('>H', l3[2:4])[0]
        proto = l3[9]
        src, dst = str(ipaddress.IPv4Address(l3[12:16])), str(ipaddress.IPv4Address(l3[16:20]))
        l4 = l3[ihl:total]
        if proto == 17 and len(l4) >= 8:
            sport, dport = struct.unpack('>HH', l4[:4])
            yield num, 'udp', sport, dport, src, dst, l4[8:]
        elif proto == 6 and len(l4) >= 20:
            sport, dport = struct.unpack('>HH', l4[:4])
            doff = (l4[12] >> 4) * 4
            yield num, 'tcp', sport, dport, src, dst, l4[doff:]


def payload(path, number):
    for f in frames(path):
        if f[0] == number:
            return f
    raise SystemExit(f'{path}: no UDP/TCP frame {number}')


def endpoint(text):
    ip, port = text.rsplit(':', 1)
    return ipaddress.IPv4Address(ip).packed + struct.pack('>H', int(port))


def patch(data, maps, ep_maps):
    """Return (patched, count) after replacing endpoints, then addresses."""
    count = 0
    for old, new in ep_maps:
        count += data.count(old)
        data = data.replace(old, new)
    for old, new in maps:
        count += data.count(old)
        data = data.replace(old, new)
    return data, count


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('payload')
    p.add_argument('pcap')
    p.add_argument('frame', type=int)
    p.add_argument('--map', action='append', default=[])
    p.add_argument('--map-ep', action='append', default=[])
    p.add_argument('-o', '--out', required=True)
    p = sub.add_parser('list')
    p.add_argument('pcap')
    args = ap.parse_args(argv)

    if args.cmd == 'list':
        for num, proto, sport, dport, src, dst, data in frames(args.pcap):
            print(f'{num} {proto} {src}:{sport} -> {dst}:{dport} len={len(data)}')
        return 0
    _, _, _, _, _, _, data = payload(args.pcap, args.frame)
    maps = [(ipaddress.IPv4Address(o).packed, ipaddress.IPv4Address(n).packed)
            for o, n in (m.split('=') for m in args.map)]
    ep_maps = [(endpoint(o), endpoint(n)) for o, n in (m.split('=') for m in args.map_ep)]
    data, count = patch(data, maps, ep_maps)
    with open(args.out, 'wb') as f:
        f.write(data)
    print(f'frame {args.frame}: {len(data)} octets, {count} replacements')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
