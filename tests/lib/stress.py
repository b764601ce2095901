#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 The nf_conntrack_avaya authors
"""Load generators for tests/vm/smp_stress.sh: each runs for a bounded time,
one side of a protocol per process, so that the firewall handles both
directions of one connection on two CPUs at once. Each prints one line
"stress: ROLE sent N" (messages it sent; the helper counters must add up).

  stress.py ras-phones NS GK_IP:PORT SRC_IP... --phones N --duration S
  stress.py ras-gk NS BIND_IP:PORT --duration S
  stress.py q931-caller NS GK_IP:PORT SRC_IP --conns N --duration S
  stress.py q931-callee NS BIND_IP:PORT --duration S
  stress.py sip-uac NS DST_IP:PORT SRC_IP --udp N --tcp N --duration S
  stress.py sip-uas NS BIND_IP:PORT --duration S

Every exchange is lockstep per endpoint (a request waits for its answer or a
timeout), so nothing is lost to queue overflow when the firewall is quiet;
under flushes and deletions a lost answer just restarts the endpoint.
"""
import argparse
import os
import random
import re
import select
import socket
import sys
import time

sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)),
                os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'sip')]
import h225ras  # noqa: E402
import h323call  # noqa: E402
from callplay import TIME_SCALE, enter  # noqa: E402  (setns into a netns)


def ep(text):
    h, p = text.rsplit(':', 1)
    return h, int(p)


class Pace:
    """A client sends while its time lasts and until --min messages went out
    (a loaded host can give a short run little CPU), never past six times
    its time; then answers in flight may still arrive for a grace period."""

    def __init__(self, a):
        now = time.time()
        self.end, self.min = now + a.duration, a.min
        self.cap = now + 6 * a.duration + 10 * TIME_SCALE
        self.stopped = None

    def sending(self, sent):
        now = time.time()
        if self.stopped is None and (now >= self.cap or
                                     (now >= self.end and sent >= self.min)):
            self.stopped = now
        return self.stopped is None

    def running(self, grace, busy=True):
        return self.stopped is None or (busy and time.time() < self.stopped + grace * TIME_SCALE)


class Idle:
    """A server runs until its --until file exists (the script creates it
    once every client has finished), at most six times its time plus a bit."""

    def __init__(self, a):
        self.until = a.until
        self.end = time.time() + a.duration
        self.cap = time.time() + 6 * a.duration + 30 * TIME_SCALE

    def running(self):
        now = time.time()
        if self.until:
            return now < self.cap and not os.path.exists(self.until)
        return now < self.end


ERRORS = {}


def note(err):
    """Remember why a connect or send failed, for the closing line."""
    key = f'{type(err).__name__}: {err}'
    ERRORS[key] = ERRORS.get(key, 0) + 1


def done(role, sent):
    print(f'stress: {role} sent {sent}', flush=True)
    for k, n in sorted(ERRORS.items()):
        print(f'stress: {role}: {n} x {k}', flush=True)
    return 0


# ------------------------------------------------------------------ RAS
# The gatekeeper answers from the request's sequence number, found at the
# offset where two encodings that differ only in it differ (IPv4 rewrites by
# NAT keep lengths, so offsets hold after masquerade).

def seq_offset(build):
    a, b = build(0x1111), build(0x2222)
    return next(i for i in range(len(a)) if a[i] != b[i])


def phone_msg(kind, seq, src, port):
    """RRQ (full or keepalive) or URQ of the phone at src, RAS port port."""
    csa = (f'{src}:1720',)
    if kind == 'urq':
        return h225ras.urq(seq=seq, csa=csa, endpoint_id=f'EP{port}')
    return h225ras.rrq(seq=seq, csa=csa, ras=(f'{src}:{port}',),
                       keepalive=kind == 'keep',
                       endpoint_id=f'EP{port}' if kind == 'keep' else None)


KINDS = {phone_msg('full', 1, '10.0.1.2', 49300)[0]:
         ('rrq', seq_offset(lambda s: phone_msg('full', s, '10.0.1.2', 49300))),
         phone_msg('urq', 1, '10.0.1.2', 49300)[0]:
         ('urq', seq_offset(lambda s: phone_msg('urq', s, '10.0.1.2', 49300)))}


def ras_phones(a):
    enter(a.ns)
    gk = ep(a.gk)
    socks = []
    for i in range(a.phones):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # One RAS port per phone, also across addresses: masquerade then
        # keeps every port, and the gatekeeper's endpointIdentifier for a
        # phone (EP<port>) is the one the phone's keepalives repeat.
        src = a.src[i % len(a.src)]
        s.bind((src, 49300 + i))
        s.setblocking(False)
        socks.append((s, src, 49300 + i))
    # Per phone: RRQ, three keepalives, URQ, again; seq numbers run on.
    plan = ['full', 'keep', 'keep', 'keep', 'urq']
    step = [0] * a.phones
    seq = [random.randrange(1, 60000) for _ in socks]
    due = [0.0] * a.phones
    sent = 0
    pace = Pace(a)
    by_fd = {s.fileno(): i for i, (s, _, _) in enumerate(socks)}
    while pace.running(2):
        now = time.time()
        for i, (s, src, port) in enumerate(socks):
            if due[i] <= now and pace.sending(sent):
                seq[i] = seq[i] % 65000 + 1
                try:
                    s.sendto(phone_msg(plan[step[i]], seq[i], src, port), gk)
                    sent += 1
                except OSError:		# the namespace's route is gone
                    pass
                due[i] = now + 1.0 * TIME_SCALE    # lost: go on anyway
        r, _, _ = select.select([x[0] for x in socks], [], [], 0.05)
        for s in r:
            i = by_fd[s.fileno()]
            try:
                s.recv(2048)
            except OSError:
                continue
            step[i] = (step[i] + 1) % len(plan)
            due[i] = 0.0
    return done('ras-phones', sent)


def ras_gk(a):
    enter(a.ns)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(ep(a.bind))
    s.settimeout(0.2)
    sent = 0
    idle = Idle(a)
    while idle.running():
        try:
            data, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        kind = KINDS.get(data[0])
        if not kind or len(data) < kind[1] + 2:
            continue
        seq = int.from_bytes(data[kind[1]:kind[1] + 2], 'big') + 1
        if kind[0] == 'rrq':
            reply = h225ras.rcf(seq=seq, csa=(f'{a.bind.rsplit(":", 1)[0]}:1720',),
                                endpoint_id=f'EP{peer[1]}', ttl=60)
        else:
            reply = h225ras.ucf(seq=seq)
        try:
            s.sendto(reply, peer)
            sent += 1
        except OSError as e:	# the namespace's route is gone
            note(e)
    return done('ras-gk', sent)


# ------------------------------------------------------------- Q.931/H.245

def q931_msg(msg, **kw):
    argv = [msg, '--raw', '--cref', str(kw.pop('cref', 1))]
    for k, v in kw.items():
        for one in (v if isinstance(v, list) else [v]):
            argv += [f'--{k.replace("_", "-")}'] + ([] if one is True else [one])
    return _build(argv)


def _build(argv):
    # h323call.main writes to a file; build through its own parser instead.
    import io
    buf = io.BytesIO()

    class Out:
        buffer = buf
    old = sys.stdout
    sys.stdout = Out
    try:
        h323call.main(argv)
    finally:
        sys.stdout = old
    return buf.getvalue()


def read_tpkts(sock, buf):
    """Whole TPKTs received so far; buf (bytearray) keeps the rest."""
    data = sock.recv(65536)
    if not data:
        raise ConnectionError('closed')
    buf += data
    out = []
    while len(buf) >= 4:
        n = int.from_bytes(buf[2:4], 'big')
        if n < 4 or len(buf) < n:
            break
        out.append(bytes(buf[:n]))
        del buf[:n]
    return out


def send_split(sock, data):
    """Half of the messages go out in two segments (split mid-message)."""
    if random.random() < 0.5 and len(data) > 8:
        cut = random.randrange(1, len(data) - 1)
        sock.sendall(data[:cut])
        time.sleep(0.005)
        sock.sendall(data[cut:])
    else:
        sock.sendall(data)


def q931_caller(a):
    enter(a.ns)
    gk = ep(a.gk)
    sent = 0
    pace = Pace(a)
    conns = {}
    port = 20000 + random.randrange(0, 10000)

    def dial():
        nonlocal port
        port = 20000 + (port - 19999) % 20000
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.bind((a.src, port))
        c.settimeout(5 * TIME_SCALE)
        try:
            c.connect(gk)
        except OSError as e:
            note(e)
            c.close()
            return None
        return c

    cref = 0
    # After the deadline no new call starts; calls in flight finish (drain),
    # so that what was sent has passed the firewall when the counts are read.
    while pace.running(6, bool(conns)):
        while len(conns) < a.conns and pace.sending(sent):
            c = dial()
            if c is None:
                time.sleep(0.2)
                continue
            cref = cref % 30000 + 1
            media = f'{a.src}:{30000 + 2 * (cref % 5000)}'
            try:
                send_split(c, q931_msg('setup', cref=cref, fs=media))
            except OSError as e:
                note(e)
                c.close()
                continue
            sent += 1
            c.setblocking(False)
            conns[c.fileno()] = (c, bytearray(), cref, media, time.time())
        r, _, _ = select.select([v[0] for v in conns.values()], [], [], 0.05)
        for c in r:
            c_, buf, cref, media, t0 = conns[c.fileno()]
            try:
                msgs = read_tpkts(c, buf)
            except (OSError, ConnectionError):
                msgs = None
            if msgs is None:
                del conns[c.fileno()]
                c.close()
                continue
            for m in msgs:
                mt = m[8] if len(m) > 8 else 0
                if mt == 0x07:		# Connect: open media, then release
                    try:
                        c.setblocking(True)
                        send_split(c, q931_msg('facility', cref=cref,
                                               tunnel_olc=media))
                        sent += 1
                        send_split(c, q931_msg('releasecomplete', cref=cref))
                        sent += 1
                        c.setblocking(False)
                    except OSError:
                        del conns[c.fileno()]
                        c.close()
                        break
                elif mt == 0x5a:	# the callee's ReleaseComplete: done
                    del conns[c.fileno()]
                    c.close()
                    break
        for k, v in list(conns.items()):
            if time.time() - v[4] > 6 * TIME_SCALE:	# stalled (a flush)
                v[0].close()
                del conns[k]
    for v in conns.values():
        v[0].close()
    return done('q931-caller', sent)


def q931_callee(a):
    enter(a.ns)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(ep(a.bind))
    ls.listen(64)
    ls.setblocking(False)
    ip = a.bind.rsplit(':', 1)[0]
    sent = 0
    conns = {}
    idle = Idle(a)
    while idle.running():
        r, _, _ = select.select([ls] + [v[0] for v in conns.values()], [], [], 0.1)
        for c in r:
            if c is ls:
                try:
                    s, _ = ls.accept()
                except OSError:
                    continue
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                s.setblocking(False)
                conns[s.fileno()] = (s, bytearray(), 0)
                continue
            key = c.fileno()
            s, buf, n = conns[key]
            try:
                msgs = read_tpkts(s, buf)
            except (OSError, ConnectionError):
                conns.pop(key)
                s.close()
                continue
            for m in msgs:
                mt = m[8] if len(m) > 8 else 0
                cref = int.from_bytes(m[6:8], 'big') & 0x7fff
                try:
                    if mt == 0x05:		# Setup
                        port = 40000 + 2 * (cref % 5000)
                        s.setblocking(True)
                        send_split(s, q931_msg('callproceeding', cref=cref))
                        send_split(s, q931_msg('connect', cref=cref,
                                               h245=f'{ip}:{port + 10000}',
                                               tunnel_olc_ack=f'{ip}:{port}'))
                        s.setblocking(False)
                        sent += 2
                    elif mt == 0x5a:	# ReleaseComplete: ours, then close
                        s.setblocking(True)
                        send_split(s, q931_msg('releasecomplete', cref=cref))
                        sent += 1
                        conns.pop(key)
                        s.close()
                        break
                except OSError:
                    conns.pop(key)
                    s.close()
                    break
    return done('q931-callee', sent)


# ------------------------------------------------------------------- SIP

def sip_request(method, src, dst, call_id, cseq, tag, media=None, proto='UDP'):
    body = ''
    if media:
        body = ('v=0\r\no=- 1 1 IN IP4 {0}\r\ns=-\r\nc=IN IP4 {0}\r\nt=0 0\r\n'
                'm=audio {1} RTP/AVP 0\r\n').format(*media.rsplit(':', 1))
    lines = [f'{method} sip:pbx@{dst} SIP/2.0',
             f'Via: SIP/2.0/{proto} {src};branch=z9hG4bK-{call_id}-{cseq};rport',
             'Max-Forwards: 70',
             f'From: <sip:pbx@{src.rsplit(":", 1)[0]}>;tag={tag}',
             f'To: <sip:pbx@{dst.rsplit(":", 1)[0]}>',
             f'Call-ID: {call_id}', f'CSeq: {cseq} {method}',
             f'Contact: <sip:pbx@{src}>' + (';expires=60' if method == 'REGISTER' else '')]
    if body:
        lines.append('Content-Type: application/sdp')
    lines.append(f'Content-Length: {len(body)}')
    return ('\r\n'.join(lines) + '\r\n\r\n' + body).encode()


HDR = re.compile(rb'^(Via|From|To|Call-ID|CSeq):[^\r]*\r\n', re.M | re.I)


def sip_response(req, own, sdp_port):
    """200 OK echoing the request's dialog headers; SDP for an INVITE."""
    head = req.split(b'\r\n\r\n', 1)[0] + b'\r\n'
    hdrs = b''.join(m.group(0) for m in HDR.finditer(head))
    hdrs = re.sub(rb'^(To:[^\r;]*>)\r\n', rb'\1;tag=uas\r\n', hdrs, flags=re.M | re.I)
    body = b''
    if req.startswith(b'INVITE'):
        body = ('v=0\r\no=- 2 2 IN IP4 {0}\r\ns=-\r\nc=IN IP4 {0}\r\nt=0 0\r\n'
                'm=audio {1} RTP/AVP 0\r\n').format(own, sdp_port).encode()
        hdrs += b'Content-Type: application/sdp\r\n'
    if req.startswith(b'REGISTER'):
        m = re.search(rb'^Contact:[^\r]*\r\n', head, re.M)
        hdrs += m.group(0) if m else b''
    return (b'SIP/2.0 200 OK\r\n' + hdrs +
            f'Content-Length: {len(body)}\r\n\r\n'.encode() + body)


def sip_frames(buf):
    """Whole SIP messages at the front of buf (bytearray), removed from it."""
    out = []
    while True:
        end = buf.find(b'\r\n\r\n')
        if end < 0:
            return out
        m = re.search(rb'\r\nContent-Length: *(\d+)', bytes(buf[:end + 2]), re.I)
        n = end + 4 + (int(m.group(1)) if m else 0)
        if len(buf) < n:
            return out
        out.append(bytes(buf[:n]))
        del buf[:n]


class Dialog:
    """One UA's loop: REGISTER, INVITE (SDP), ACK, BYE; lockstep."""
    PLAN = ['REGISTER', 'INVITE', 'ACK', 'BYE']

    def __init__(self, i, src, dst, proto):
        self.i, self.src, self.dst, self.proto = i, src, dst, proto
        self.step, self.n, self.due = 0, 0, 0.0

    def next_messages(self):
        """The message(s) to send now; ACK and BYE are pipelined in one go."""
        self.n += 1
        cid = f's{self.i}-{self.n // 4}'
        out = []
        while True:
            method = self.PLAN[self.step]
            media = f'{self.src.rsplit(":", 1)[0]}:{30000 + 2 * self.i}' \
                if method == 'INVITE' else None
            out.append(sip_request(method, self.src, self.dst, cid, self.step + 1,
                                   f't{self.i}', media, self.proto))
            self.step = (self.step + 1) % len(self.PLAN)
            if method != 'ACK':
                return out


def sip_uac(a):
    enter(a.ns)
    dst = ep(a.dst)
    sent = 0
    pace = Pace(a)
    udp, tcp = [], []
    for i in range(a.udp):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((a.src, 5070 + i))
        s.setblocking(False)
        udp.append((s, Dialog(i, f'{a.src}:{5070 + i}', a.dst, 'UDP')))
    tcpstate = {}

    def dial(i):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.bind((a.src, 0))
        c.settimeout(5 * TIME_SCALE)
        try:
            c.connect(dst)
        except OSError as e:
            note(e)
            c.close()
            return None
        port = c.getsockname()[1]
        c.setblocking(False)
        return [c, Dialog(100 + i, f'{a.src}:{port}', a.dst, 'TCP'), bytearray()]

    while pace.running(3):
        now = time.time()
        for i in range(a.tcp):
            if tcpstate.get(i) is None and pace.sending(sent):
                tcpstate[i] = dial(i)
        for s, d in udp:
            if d.due <= now and pace.sending(sent):
                for m in d.next_messages():
                    try:
                        s.sendto(m, dst)
                        sent += 1
                    except OSError:	# the namespace's route is gone
                        pass
                d.due = now + 1.0 * TIME_SCALE
        for i, st in tcpstate.items():
            if st and st[1].due <= now and pace.sending(sent):
                try:
                    c = st[0]
                    c.setblocking(True)
                    data = b''.join(st[1].next_messages())
                    send_split(c, data)
                    c.setblocking(False)
                    sent += data.count(b' SIP/2.0\r\n')
                    st[1].due = now + 1.0 * TIME_SCALE
                except OSError:
                    st[0].close()
                    tcpstate[i] = None
        socks = [s for s, _ in udp] + [st[0] for st in tcpstate.values() if st]
        r, _, _ = select.select(socks, [], [], 0.05)
        for s in r:
            for s2, d in udp:
                if s2 is s:
                    try:
                        s.recv(65536)
                        d.due = 0.0
                    except OSError:
                        pass
            for i, st in list(tcpstate.items()):
                if st and st[0] is s:
                    try:
                        data = s.recv(65536)
                    except OSError:
                        data = b''
                    if not data:
                        s.close()
                        tcpstate[i] = None
                        continue
                    st[2] += data
                    for m in sip_frames(st[2]):
                        if m.startswith(b'OPTIONS'):	# the server asks too
                            try:
                                s.setblocking(True)
                                s.sendall(sip_response(m, a.src, 0))
                                s.setblocking(False)
                                sent += 1
                            except OSError as e:	# reset under deletions
                                note(e)
                                s.close()
                                tcpstate[i] = None
                                break
                        else:
                            st[1].due = 0.0
    for st in tcpstate.values():
        if st:
            st[0].close()
    return done('sip-uac', sent)


def sip_uas(a):
    enter(a.ns)
    own, port = ep(a.bind)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((own, port))
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((own, port))
    ls.listen(64)
    sent = 0
    conns = {}
    idle = Idle(a)
    k = 0
    while idle.running():
        r, _, _ = select.select([u, ls] + [v[0] for v in conns.values()], [], [], 0.1)
        for s in r:
            if s is u:
                data, peer = u.recvfrom(65536)
                if data.startswith(b'ACK') or data.startswith(b'SIP/2.0'):
                    continue
                k += 1
                try:
                    u.sendto(sip_response(data, own, 40000 + 2 * (k % 5000)), peer)
                    sent += 1
                except OSError as e:	# the namespace's route is gone
                    note(e)
            elif s is ls:
                c, _ = ls.accept()
                c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conns[c.fileno()] = (c, bytearray())
            else:
                c, buf = conns[s.fileno()]
                try:
                    data = c.recv(65536)
                except OSError:
                    data = b''
                if not data:
                    del conns[s.fileno()]
                    c.close()
                    continue
                buf += data
                out = b''
                for m in sip_frames(buf):
                    if m.startswith(b'ACK') or m.startswith(b'SIP/2.0'):
                        continue
                    k += 1
                    out += sip_response(m, own, 40000 + 2 * (k % 5000))
                    sent += 1
                    if m.startswith(b'BYE'):	# a request of our own
                        try:
                            peer = c.getpeername()
                        except OSError:
                            break
                        out += sip_request('OPTIONS', f'{own}:{port}',
                                           f'{peer[0]}:{peer[1]}', f'o{k}', 1,
                                           'uas', None, 'TCP')
                        sent += 1
                try:
                    if out:
                        send_split(c, out)
                except OSError:
                    del conns[s.fileno()]
                    c.close()
    return done('sip-uas', sent)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='role', required=True)
    s = sub.add_parser('ras-phones')
    s.add_argument('ns')
    s.add_argument('gk')
    s.add_argument('src', nargs='+')
    s.add_argument('--phones', type=int, default=8)
    s = sub.add_parser('ras-gk')
    s.add_argument('ns')
    s.add_argument('bind')
    s = sub.add_parser('q931-caller')
    s.add_argument('ns')
    s.add_argument('gk')
    s.add_argument('src')
    s.add_argument('--conns', type=int, default=4)
    s = sub.add_parser('q931-callee')
    s.add_argument('ns')
    s.add_argument('bind')
    s = sub.add_parser('sip-uac')
    s.add_argument('ns')
    s.add_argument('dst')
    s.add_argument('src')
    s.add_argument('--udp', type=int, default=4)
    s.add_argument('--tcp', type=int, default=2)
    s = sub.add_parser('sip-uas')
    s.add_argument('ns')
    s.add_argument('bind')
    for s in sub.choices.values():
        s.add_argument('--duration', type=float, default=20)
        s.add_argument('--min', type=int, default=0,
                       help='clients: go on past the time until this many sent')
        s.add_argument('--until', help='servers: run until this file exists')
    a = p.parse_args(argv)
    fn = {'ras-phones': ras_phones, 'ras-gk': ras_gk, 'q931-caller': q931_caller,
          'q931-callee': q931_callee, 'sip-uac': sip_uac, 'sip-uas': sip_uas}
    return fn[a.role](a)


if __name__ == '__main__':
    sys.exit(main())
