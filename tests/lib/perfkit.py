#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 The nf_conntrack_avaya authors
"""Load drivers for the VM benchmarks (tests/vm/perf_forward.sh,
tests/vm/scale_registrations.sh). One process holds both ends of every
exchange: it enters a namespace (setns) to create each socket, so that an
exchange through the firewall costs no process start and no context switch
(the guest is one emulated CPU). Endpoints go in windows: a window's
requests are sent, the server answers each, the clients read the answers.

Endpoint i of --count N (from --first F) is --ip A port --port P+i, or,
with --net 10.1, address 10.1.(i / 250).(i % 250 + 1) port --port P.

  perfkit.py ras OP --cli-ns NS --srv-ns NS --srv IP:PORT ...
      OP: rrq (full registration: RRQ with TTL, RCF with endpoint id EPi),
          keepalive (keepAlive RRQ/RCF), urq (URQ/UCF)
  perfkit.py sip OP --cli-ns NS --srv-ns NS --srv IP:PORT ...
      OP: register, unregister, options, invite (SDP m=audio --media-port,
          answered 200 without SDP), bye, pbx (REGISTER with --contacts
          Contacts at ports P..P+k-1 of the endpoint's address)
      --media-ns NS --media-from IP:PORT (invite): after the 200, one
          datagram from there to each call's media port (opens its flow)
      --counter NAME --counter-ns NS --expect-delta K (any OP): after the
          exchanges, wait until counter NAME grew by K; prints close_secs
  perfkit.py blast --snd-ns NS --src IP:PORT --rcv-ns NS --dst IP:PORT
                   --count N --size B
      N datagrams of B octets, sent in batches of 32 and read after each
      batch (python fallback of udpblast.c)
  perfkit.py flows --ns NS --net 10.3 --dst IP:PORT --count N
      N one-datagram UDP flows from distinct source address/ports (raw
      socket): conntrack entries to fill the table

Each prints one line "perfkit: TAG OP key=value ..." (TAG is --tag, by
default the command); rate= is exchanges (or packets) per second of wall
time. --rounds R repeats the exchanges R times (same endpoints, sequence
numbers advance). --step S: with --ip, endpoint i has port P + i * S.
Several commands run in one process when separated by ":::" (a python
start costs a second or more in a TCG guest).
"""
import argparse
import ipaddress
import os
import resource
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import h225ras  # noqa: E402
from netns import enter  # noqa: E402

TIME_SCALE = float(os.environ.get('AVAYA_TIME_SCALE') or 1)

# Placeholders patched per endpoint in prebuilt RAS messages.
PH_IP = '10.250.251.252'
PH_RAS_PORT = 65001
PH_EPID = 'EP999999'



def hostport(text):
    h, p = text.rsplit(':', 1)
    return h, int(p)


def udp(ns, addr, rcvbuf=0):
    """A UDP socket bound to @addr in netns @ns (None: the current one)."""
    if ns:
        enter(ns)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        try:
            s.setsockopt(socket.SOL_SOCKET, 33, rcvbuf)   # SO_RCVBUFFORCE
        except OSError:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind(addr)
    return s


def endpoint(a, i):
    if a.net:
        n = a.net.split('.')
        return f'{n[0]}.{n[1]}.{i // 250}.{i % 250 + 1}', a.port
    return a.ip, a.port + i * a.step


def counter(ns, name):
    enter(ns)
    with open('/proc/net/nf_conntrack_avaya') as f:
        for line in f:
            k, _, v = line.partition(' ')
            if k == name:
                return int(v)
    return 0


def seq_offset(build):
    """Where a message's 16-bit sequenceNumber (value - 1) sits."""
    a, b = build(257), build(514)
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    raise SystemExit('perfkit: no sequence number found')


def patch(tmpl, pairs):
    out = bytes(tmpl)
    for old, new in pairs:
        if out.count(old) != 1:
            raise SystemExit(f'perfkit: placeholder {old.hex()} found {out.count(old)} times')
        out = out.replace(old, new)
    return bytearray(out)


def ip_port(ip, port):
    return ipaddress.ip_address(ip).packed + struct.pack('!H', port)


def bmp(text):
    return text.encode('utf-16-be')


class Ras:
    """Prebuilt RAS requests and answers, patched per phone and sequence."""

    def __init__(self, op, ttl):
        csa = (f'{PH_IP}:1720',)
        ras = (f'{PH_IP}:{PH_RAS_PORT}',)
        if op == 'rrq':
            req = lambda s: h225ras.rrq(seq=s, csa=csa, ras=ras, ttl=ttl,  # noqa: E731
                                        aliases=('4711',))
            rep = lambda s: h225ras.rcf(seq=s, csa=('10.0.2.2:1720',),  # noqa: E731
                                        ttl=ttl, endpoint_id=PH_EPID)
        elif op == 'keepalive':
            req = lambda s: h225ras.rrq(seq=s, csa=csa, ras=ras, ttl=ttl,  # noqa: E731
                                        keepalive=True, endpoint_id=PH_EPID)
            rep = lambda s: h225ras.rcf(seq=s, csa=('10.0.2.2:1720',),  # noqa: E731
                                        ttl=ttl, endpoint_id=PH_EPID)
        else:
            req = lambda s: h225ras.urq(seq=s, csa=csa, endpoint_id=PH_EPID)  # noqa: E731
            rep = lambda s: h225ras.ucf(seq=s)  # noqa: E731
        self.req_tmpl, self.rep_tmpl = req(1), rep(1)
        self.req_off, self.rep_off = seq_offset(req), seq_offset(rep)
        self.reps = {}

    def prepare(self, i, ip, port):
        epid = bmp(f'EP{i:06d}')
        pairs = [(ip_port(PH_IP, 1720), ip_port(ip, 1720))]
        if ip_port(PH_IP, PH_RAS_PORT) in self.req_tmpl:
            pairs.append((ip_port(PH_IP, PH_RAS_PORT), ip_port(ip, port)))
        if bmp(PH_EPID) in self.req_tmpl:
            pairs.append((bmp(PH_EPID), epid))
        req = patch(self.req_tmpl, pairs)
        rep = bytearray(self.rep_tmpl)
        if bmp(PH_EPID) in rep:
            rep = patch(rep, [(bmp(PH_EPID), epid)])
        self.reps[(ip, port)] = rep
        return req

    def request(self, req, seq):
        o = self.req_off
        req[o:o + 2] = ((seq - 1) & 0xffff).to_bytes(2, 'big')
        return req

    def answer(self, data, peer):
        rep = self.reps.get(peer)
        if rep is None:
            return None
        o, q = self.rep_off, self.req_off
        rep[o:o + 2] = data[q:q + 2]
        return rep


def sip_lines(text):
    return text.split('\r\n')


class Sip:
    """SIP requests per UA and the server's answers, built as text."""

    def __init__(self, a):
        self.a = a
        self.srv = a.srv
        self.gen = a.gen

    def prepare(self, i, ip, port):
        return (i, ip, port)

    def request(self, ep, seq):
        i, ip, port = ep
        a, op = self.a, self.a.op
        src = f'{ip}:{port}'
        user = f'u{i}'
        body = ''
        extra = []
        if op in ('register', 'unregister', 'pbx'):
            method, callid, cseq = 'REGISTER', f'reg-{i}-{src}@perf', seq
            exp = 0 if op == 'unregister' else a.expires
            n = a.contacts if op == 'pbx' else 1
            for k in range(n):
                extra.append(f'Contact: <sip:{user}@{ip}:{port + k}>;expires={exp}')
        elif op == 'options':
            method, callid, cseq = 'OPTIONS', f'opt-{i}-{src}@perf', seq
        elif op == 'invite':
            method, callid, cseq = 'INVITE', f'call-{self.gen}-{i}-{src}@perf', 1
            body = '\r\n'.join([
                'v=0', f'o=- {i} 1 IN IP4 {ip}', 's=-', f'c=IN IP4 {ip}', 't=0 0',
                f'm=audio {a.media_port} RTP/AVP 0', 'a=rtpmap:0 PCMU/8000']) + '\r\n'
            extra = [f'Contact: <sip:{user}@{src}>', 'Content-Type: application/sdp']
        else:
            method, callid, cseq = 'BYE', f'call-{self.gen}-{i}-{src}@perf', 2
        totag = ';tag=s1' if method == 'BYE' else ''
        lines = [f'{method} sip:{user}@{self.srv} SIP/2.0',
                 f'Via: SIP/2.0/UDP {src};branch=z9hG4bK-{method[:3]}{i}x{seq};rport',
                 'Max-Forwards: 70',
                 f'From: <sip:{user}@{ip}>;tag=c{i}',
                 f'To: <sip:{user}@{self.srv.rsplit(":", 1)[0]}>{totag}',
                 f'Call-ID: {callid}',
                 f'CSeq: {cseq} {method}'] + extra + [f'Content-Length: {len(body)}']
        return ('\r\n'.join(lines) + '\r\n\r\n' + body).encode()

    def answer(self, data, peer):
        lines = sip_lines(data.decode(errors='replace'))
        out = ['SIP/2.0 200 OK']
        method = ''
        for line in lines[1:]:
            if not line:
                break
            name = line.split(':', 1)[0].lower()
            if name == 'via':
                out.append(line + f';received={peer[0]}')
            elif name == 'to':
                out.append(line if ';tag=' in line else line + ';tag=s1')
            elif name in ('from', 'call-id'):
                out.append(line)
            elif name == 'cseq':
                out.append(line)
                method = line.split()[-1]
            elif name == 'contact' and method == 'REGISTER':
                out.append(line)
        if method == 'INVITE':
            out.append(f'Contact: <sip:srv@{self.srv}>')
        out.append('Content-Length: 0')
        return ('\r\n'.join(out) + '\r\n\r\n').encode()


def fd_room(want):
    """Raise the open-file limit toward @want; True if it is reached."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE,
                           (max(soft, want), max(hard, want)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= want


def client(a, ep):
    """The endpoint's socket; the caller entered the clients' netns."""
    s = udp(None, ep[:2])
    s.settimeout(a.timeout * TIME_SCALE)
    return s


def exchanges(a, proto):
    """Every endpoint's request, answered, --rounds times: (sent, answered,
    secs, endpoints). Each endpoint keeps its socket when the open-file
    limit allows, else sockets live for one window (same address and port:
    the firewall sees the same flows)."""
    keep = fd_room(a.count + 64)
    srv = udp(a.srv_ns, hostport(a.srv), rcvbuf=4 << 20)
    srv.settimeout(a.timeout * TIME_SCALE)
    eps = []
    enter(a.cli_ns)
    for i in range(a.first, a.first + a.count):
        ip, port = endpoint(a, i)
        ep = (ip, port, proto.prepare(i, ip, port))
        eps.append((client(a, ep) if keep else None, ep))
    dst = hostport(a.srv)
    sent = answered = 0
    seq = a.seq
    t0 = time.monotonic()
    for r in range(a.rounds):
        for w in range(0, len(eps), a.window):
            win = eps[w:w + a.window]
            if not keep:
                enter(a.cli_ns)
                win = [(client(a, ep), ep) for _, ep in win]
            for s, ep in win:
                s.sendto(proto.request(ep[2], seq), dst)
            sent += len(win)
            got = 0
            while got < len(win):
                try:
                    data, peer = srv.recvfrom(65535)
                except socket.timeout:
                    break
                got += 1
                rep = proto.answer(data, peer)
                if rep is not None:
                    srv.sendto(rep, peer)
            for s, ep in win:
                if got != len(win):
                    s.settimeout(0.2 * TIME_SCALE)
                try:
                    s.recv(65535)
                    answered += 1
                except socket.timeout:
                    pass
                s.settimeout(a.timeout * TIME_SCALE)
                if not keep:
                    s.close()
        seq = seq % 65535 + 1
    secs = time.monotonic() - t0
    return sent, answered, secs, [ep for _, ep in eps]


def media_open(a, eps):
    """One datagram from --media-from to each call's media port."""
    s = udp(a.media_ns, hostport(a.media_from))
    for ep in eps:
        s.sendto(b'\x80' + bytes(171), (ep[0], a.media_port))
    s.close()


def wait_counter(a, before):
    t0 = time.monotonic()
    end = t0 + a.wait * TIME_SCALE
    now = counter(a.counter_ns, a.counter)
    while now - before < a.expect_delta and time.monotonic() < end:
        time.sleep(0.02)
        now = counter(a.counter_ns, a.counter)
    return now - before, time.monotonic() - t0


def run_exchanges(a):
    proto = Ras(a.op, a.ttl) if a.cmd == 'ras' else Sip(a)
    before = counter(a.counter_ns, a.counter) if a.counter else 0
    t0 = time.monotonic()
    sent, answered, secs, eps = exchanges(a, proto)
    if a.cmd == 'sip' and a.op == 'invite' and a.media_from:
        media_open(a, eps)
    extra = ''
    if a.counter:
        delta, wsecs = wait_counter(a, before)
        # From the first request to the last close.
        extra = f' {a.counter}={delta} close_secs={time.monotonic() - t0:.3f} waited={wsecs:.3f}'
    rate = answered / secs if secs > 0 else 0
    print(f'perfkit: {a.tag or a.cmd} {a.op} sent={sent} answered={answered} '
          f'secs={secs:.3f} rate={rate:.1f}{extra}', flush=True)
    return 0 if answered == sent else 1


def blast(a):
    r = udp(a.rcv_ns, hostport(a.dst), rcvbuf=8 << 20)
    r.setblocking(False)
    s = udp(a.snd_ns, hostport(a.src))
    dst = hostport(a.dst)
    payload = b'\x80' + bytes(a.size - 1)
    # One datagram each way first: the flow is established (udpblast.c).
    s.sendto(payload, dst)
    r.settimeout(0.2 * TIME_SCALE)
    try:
        r.recv(2048)
        r.sendto(payload, hostport(a.src))
        s.settimeout(0.2 * TIME_SCALE)
        s.recv(2048)
    except OSError:
        pass
    r.setblocking(False)
    sent = got = 0
    last = t0 = time.monotonic()
    while sent < a.count:
        for _ in range(min(32, a.count - sent)):
            s.sendto(payload, dst)
            sent += 1
        while True:
            try:
                r.recv(2048)
                got += 1
            except BlockingIOError:
                break
        last = time.monotonic()
    r.settimeout(0.5 * TIME_SCALE)
    while got < sent:
        try:
            r.recv(2048)
            got += 1
            last = time.monotonic()
        except socket.timeout:
            break
    secs = last - t0
    print(f'udpblast: sent {sent} received {got} secs {secs:.3f} '
          f'pps {got / secs if secs > 0 else 0:.0f}', flush=True)
    return 0 if got else 1


def flows(a):
    enter(a.ns)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    dip, dport = hostport(a.dst)
    dst = socket.inet_aton(dip)
    n = a.net.split('.')
    t0 = time.monotonic()
    for k in range(a.count):
        # 250 addresses x 1000 ports per /16 block of 250 * 256 addresses.
        i, port = k // 1000, 20000 + k % 1000
        src = socket.inet_aton(f'{n[0]}.{n[1]}.{i // 250}.{i % 250 + 1}')
        udph = struct.pack('!HHHH', port, dport, 8 + 4, 0)
        iph = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + 8 + 4, 0, 0, 64,
                          socket.IPPROTO_UDP, 0, src, dst)
        s.sendto(iph + udph + b'flow', (dip, 0))
    secs = time.monotonic() - t0
    print(f'perfkit: flows sent={a.count} secs={secs:.3f} '
          f'rate={a.count / secs if secs > 0 else 0:.1f}', flush=True)
    return 0


def main(argv):
    """Run each ":::"-separated command; the exit status is the worst."""
    ret, cmd = 0, []
    for tok in argv + [':::']:
        if tok != ':::':
            cmd.append(tok)
            continue
        if cmd:
            ret = max(ret, main1(cmd))
        cmd = []
    return ret


def main1(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    for cmd, ops in (('ras', ['rrq', 'keepalive', 'urq']),
                     ('sip', ['register', 'unregister', 'options', 'invite',
                              'bye', 'pbx'])):
        p = sub.add_parser(cmd)
        p.add_argument('op', choices=ops)
        p.add_argument('--cli-ns', required=True)
        p.add_argument('--srv-ns', required=True)
        p.add_argument('--srv', required=True)
        p.add_argument('--ip')
        p.add_argument('--net')
        p.add_argument('--port', type=int, default=49300 if cmd == 'ras' else 5060)
        p.add_argument('--step', type=int, default=1)
        p.add_argument('--tag')
        p.add_argument('--first', type=int, default=0)
        p.add_argument('--count', type=int, required=True)
        p.add_argument('--window', type=int, default=32)
        p.add_argument('--rounds', type=int, default=1)
        p.add_argument('--seq', type=int, default=1)
        p.add_argument('--timeout', type=float, default=2)
        p.add_argument('--ttl', type=int, default=3600)
        p.add_argument('--expires', type=int, default=3600)
        p.add_argument('--contacts', type=int, default=4)
        p.add_argument('--media-port', type=int, default=20000)
        p.add_argument('--media-ns')
        p.add_argument('--media-from')
        p.add_argument('--gen', default='0', help='Call-ID generation (invite, bye)')
        p.add_argument('--counter')
        p.add_argument('--counter-ns', default='fw')
        p.add_argument('--expect-delta', type=int, default=0)
        p.add_argument('--wait', type=float, default=60)
        p.set_defaults(fn=run_exchanges)
    p = sub.add_parser('blast')
    p.add_argument('--snd-ns', required=True)
    p.add_argument('--src', required=True)
    p.add_argument('--rcv-ns', required=True)
    p.add_argument('--dst', required=True)
    p.add_argument('--count', type=int, default=50000)
    p.add_argument('--size', type=int, default=172)
    p.set_defaults(fn=blast)
    p = sub.add_parser('flows')
    p.add_argument('--ns', required=True)
    p.add_argument('--net', required=True)
    p.add_argument('--dst', required=True)
    p.add_argument('--count', type=int, required=True)
    p.set_defaults(fn=flows)
    a = ap.parse_args(argv)
    if a.cmd in ('ras', 'sip') and not (a.ip or a.net):
        ap.error('--ip or --net')
    return a.fn(a)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
