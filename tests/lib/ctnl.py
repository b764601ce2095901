#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Raw ctnetlink requests that conntrack(8) can no longer make (the stock
libnetfilter_conntrack sends no CTA_EXPECT_CLASS or CTA_EXPECT_FN), for the
VM scenarios. Run it inside the firewall's namespace.

  ctnl.py ct-new PROTO SRC:SPORT DST:DPORT [--helper NAME] [--timeout S]
                 [--status N] [--tcp-state N] [--update]
      create a flow (reply tuple = the mirror of the original), like a
      conntrackd commit; --update instead changes the existing flow (a
      request without NLM_F_CREATE: ctnetlink_change_conntrack)
  ctnl.py exp-new --master PROTO SRC:SPORT DST:DPORT
                  --tuple PROTO SRC:SPORT DST:DPORT [--mask-src-port N]
                  [--class N] [--fn NAME] [--helper NAME] [--timeout S]
      create an expectation: the master is found by its original tuple, the
      tuple's source port is a wildcard unless --mask-src-port 65535

Addresses may be IPv6 (then every address of the request must be). Exit
status 0 on success, else 1 with the kernel's errno printed.
"""
import argparse
import errno
import os
import socket
import struct
import sys

NETLINK_NETFILTER = 12
NFNL_SUBSYS_CTNETLINK = 1
NFNL_SUBSYS_CTNETLINK_EXP = 2
IPCTNL_MSG_CT_NEW = 0
IPCTNL_MSG_EXP_NEW = 0
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
NLMSG_ERROR = 2
NLA_F_NESTED = 0x8000

# enum ctattr_type
CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_STATUS, CTA_PROTOINFO, CTA_HELP = 1, 2, 3, 4, 5
CTA_TIMEOUT = 7
# enum ctattr_tuple, ctattr_ip, ctattr_l4proto
CTA_TUPLE_IP, CTA_TUPLE_PROTO = 1, 2
CTA_IP_V4_SRC, CTA_IP_V4_DST, CTA_IP_V6_SRC, CTA_IP_V6_DST = 1, 2, 3, 4
CTA_PROTO_NUM, CTA_PROTO_SRC_PORT, CTA_PROTO_DST_PORT = 1, 2, 3
# enum ctattr_protoinfo, ctattr_protoinfo_tcp
CTA_PROTOINFO_TCP = 1
CTA_PROTOINFO_TCP_STATE = 1
# enum ctattr_help
CTA_HELP_NAME = 1
# enum ctattr_expect
(CTA_EXPECT_MASTER, CTA_EXPECT_TUPLE, CTA_EXPECT_MASK, CTA_EXPECT_TIMEOUT,
 CTA_EXPECT_ID, CTA_EXPECT_HELP_NAME, CTA_EXPECT_ZONE, CTA_EXPECT_FLAGS,
 CTA_EXPECT_CLASS, CTA_EXPECT_NAT, CTA_EXPECT_FN) = range(1, 12)

PROTOS = {'tcp': socket.IPPROTO_TCP, 'udp': socket.IPPROTO_UDP}
IPS_SEEN_REPLY = 1 << 1
IPS_ASSURED = 1 << 2
IPS_CONFIRMED = 1 << 3  # set on a created flow before CTA_STATUS: a change is EBUSY
TCP_CONNTRACK_ESTABLISHED = 3


def nla(kind, payload):
    n = 4 + len(payload)
    return struct.pack('=HH', n, kind) + payload + b'\0' * (-n % 4)


def nest(kind, *attrs):
    return nla(kind | NLA_F_NESTED, b''.join(attrs))


def be32(v):
    return struct.pack('!I', v)


def cstr(s):
    return s.encode() + b'\0'


def endpoint(ep):
    host, port = ep.rsplit(':', 1)
    host = host.strip('[]')
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    return fam, socket.inet_pton(fam, host), int(port)


def tuple_attr(kind, proto, src, dst):
    """A CTA_TUPLE_* nest; src and dst are (family, packed address, port)."""
    v6 = src[0] == socket.AF_INET6
    ips = (CTA_IP_V6_SRC, CTA_IP_V6_DST) if v6 else (CTA_IP_V4_SRC, CTA_IP_V4_DST)
    return nest(kind,
                nest(CTA_TUPLE_IP, nla(ips[0], src[1]), nla(ips[1], dst[1])),
                nest(CTA_TUPLE_PROTO, nla(CTA_PROTO_NUM, bytes([proto])),
                     nla(CTA_PROTO_SRC_PORT, struct.pack('!H', src[2])),
                     nla(CTA_PROTO_DST_PORT, struct.pack('!H', dst[2]))))


def request(subsys, msg, family, flags, attrs):
    """Send the request, return 0 or the kernel's (positive) errno. A module
    loaded on the way (nf_conntrack_netlink, a helper) asks for it again."""
    for _ in range(3):
        err = request_once(subsys, msg, family, flags, attrs)
        if err != errno.EAGAIN:
            break
    return err


def request_once(subsys, msg, family, flags, attrs):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    s.bind((0, 0))
    body = struct.pack('!BBH', family, 0, 0) + attrs
    hdr = struct.pack('=IHHII', 16 + len(body), subsys << 8 | msg,
                      NLM_F_REQUEST | NLM_F_ACK | flags, 1, 0)
    s.send(hdr + body)
    while True:
        data = s.recv(65536)
        off = 0
        while off + 16 <= len(data):
            n, kind = struct.unpack_from('=IH', data, off)
            if kind == NLMSG_ERROR:
                return -struct.unpack_from('=i', data, off + 16)[0]
            off += (n + 3) & ~3


def report(what, err):
    if err:
        print(f'ctnl: {what}: errno {err} ({errno.errorcode.get(err, "?")}: '
              f'{os.strerror(err)})', file=sys.stderr)
        return 1
    print(f'ctnl: {what}: ok')
    return 0


def ct_new(a):
    proto = PROTOS[a.proto]
    src, dst = endpoint(a.src), endpoint(a.dst)
    attrs = tuple_attr(CTA_TUPLE_ORIG, proto, src, dst)
    flags = 0
    if not a.update:
        attrs += tuple_attr(CTA_TUPLE_REPLY, proto, dst, src)
        attrs += nla(CTA_TIMEOUT, be32(a.timeout))
        attrs += nla(CTA_STATUS, be32(a.status))
        if proto == socket.IPPROTO_TCP:
            attrs += nest(CTA_PROTOINFO, nest(CTA_PROTOINFO_TCP,
                          nla(CTA_PROTOINFO_TCP_STATE, bytes([a.tcp_state]))))
        flags = NLM_F_CREATE | NLM_F_EXCL
    if a.helper is not None:
        attrs += nest(CTA_HELP, nla(CTA_HELP_NAME, cstr(a.helper)))
    err = request(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW, src[0], flags, attrs)
    return report('update' if a.update else 'ct-new', err)


def exp_new(a):
    mproto, msrc, mdst = a.master[0], endpoint(a.master[1]), endpoint(a.master[2])
    tproto, tsrc, tdst = a.tuple[0], endpoint(a.tuple[1]), endpoint(a.tuple[2])
    full = b'\xff' * len(tsrc[1])
    fam = tsrc[0]
    attrs = tuple_attr(CTA_EXPECT_MASTER, PROTOS[mproto], msrc, mdst)
    attrs += tuple_attr(CTA_EXPECT_TUPLE, PROTOS[tproto], tsrc, tdst)
    attrs += tuple_attr(CTA_EXPECT_MASK, PROTOS[tproto], (fam, full, a.mask_src_port),
                        (fam, full, 0xffff))
    if a.timeout is not None:
        attrs += nla(CTA_EXPECT_TIMEOUT, be32(a.timeout))
    if a.helper is not None:
        attrs += nla(CTA_EXPECT_HELP_NAME, cstr(a.helper))
    if a.cls is not None:
        attrs += nla(CTA_EXPECT_CLASS, be32(a.cls))
    if a.fn is not None:
        attrs += nla(CTA_EXPECT_FN, cstr(a.fn))
    err = request(NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_NEW, fam,
                  NLM_F_CREATE | NLM_F_EXCL, attrs)
    return report('exp-new', err)


def main(argv):
    p = argparse.ArgumentParser(prog='ctnl.py')
    sub = p.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('ct-new')
    c.add_argument('proto', choices=PROTOS)
    c.add_argument('src')
    c.add_argument('dst')
    c.add_argument('--helper')
    c.add_argument('--timeout', type=int, default=600)
    c.add_argument('--status', type=int, default=IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED)
    c.add_argument('--tcp-state', type=int, default=TCP_CONNTRACK_ESTABLISHED)
    c.add_argument('--update', action='store_true')
    c.set_defaults(run=ct_new)
    e = sub.add_parser('exp-new')
    e.add_argument('--master', nargs=3, required=True, metavar=('PROTO', 'SRC', 'DST'))
    e.add_argument('--tuple', nargs=3, required=True, metavar=('PROTO', 'SRC', 'DST'))
    e.add_argument('--mask-src-port', type=int, default=0)
    e.add_argument('--class', dest='cls', type=int)
    e.add_argument('--fn')
    e.add_argument('--helper')
    e.add_argument('--timeout', type=int)
    e.set_defaults(run=exp_new)
    a = p.parse_args(argv)
    for t in (getattr(a, 'master', None), getattr(a, 'tuple', None)):
        if t and t[0] not in PROTOS:
            p.error(f'protocol {t[0]}: one of {", ".join(PROTOS)}')
    return a.run(a)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
