#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""SIP over TCP with messages cut into separate segments, for avaya-sip.

  tcpsplit.py client BIND DST [--send FILE --cut N,N,...]... [--replies K]
                     [--lockstep [--after CMD]] [--save FILE] [--timeout S]
  tcpsplit.py server BIND [--reply FILE --cut N,N,...]... [--save FILE]
                     [--timeout S]

The client connects from BIND to DST and sends each FILE in turn, cut at
the given byte offsets; every piece is its own segment (TCP_NODELAY and a
pause between writes). It then reads until K whole SIP messages (framed by
Content-Length) have come back, and exits 0 only if they did. With
--lockstep it reads one answer after each FILE instead, and then runs the
shell command CMD with STEP=1, 2, ... in its environment.

The server accepts one connection and, for every whole message it reads,
answers with the next --reply FILE, cut the same way. A FILE may hold
several messages; "--cut ''" sends it in one write. --save writes what was
received, for the scenario to compare.
"""
import argparse
import os
import socket
import subprocess
import sys
import time

# Waits stretch by AVAYA_TIME_SCALE (set by vm-run.sh for the debug lane).
TIME_SCALE = float(os.environ.get('AVAYA_TIME_SCALE') or 1)

GAP = 0.25      # seconds between pieces: each becomes its own segment


def endpoint(ep):
    h, p = ep.rsplit(':', 1)
    return h.strip('[]'), int(p)


def family(host):
    return socket.AF_INET6 if ':' in host else socket.AF_INET


def pieces(data, cut):
    offs = [int(x) for x in cut.split(',') if x] if cut else []
    out, prev = [], 0
    for o in offs:
        out.append(data[prev:o])
        prev = o
    out.append(data[prev:])
    return [p for p in out if p]


def send_cut(s, data, cut):
    for i, p in enumerate(pieces(data, cut)):
        if i:
            time.sleep(GAP)
        s.sendall(p)


def take_message(buf):
    """(message, rest) when buf starts with a whole message, else None."""
    i = 0
    while i < len(buf) and buf[i:i + 1] in (b'\r', b'\n'):
        i += 1
    end = buf.find(b'\r\n\r\n', i)
    if end < 0:
        return None
    head = buf[i:end].decode('latin-1').split('\r\n')
    clen = 0
    for line in head[1:]:
        name, _, value = line.partition(':')
        if name.strip().lower() in ('content-length', 'l'):
            clen = int(value.strip())
    total = end + 4 + clen
    if len(buf) < total:
        return None
    return buf[i:total], buf[total:]


def read_messages(s, want, deadline, sink=None):
    buf, got = b'', []
    while len(got) < want:
        left = deadline - time.time()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        buf += chunk
        while True:
            r = take_message(buf)
            if not r:
                break
            msg, buf = r
            got.append(msg)
            if sink:
                sink(msg)
    return got


def load(files):
    return [open(f, 'rb').read() for f in files]


def client(a):
    host, port = endpoint(a.bind)
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.bind((host, port))
    s.settimeout(a.timeout)
    s.connect(endpoint(a.dst))
    cuts = a.cut + [''] * (len(a.send) - len(a.cut))
    got = []
    for step, (data, cut) in enumerate(zip(load(a.send), cuts), 1):
        send_cut(s, data, cut)
        if not a.lockstep:
            time.sleep(GAP)
            continue
        got += read_messages(s, 1, time.time() + a.timeout)
        if a.after:
            subprocess.run(a.after, shell=True,
                           env=dict(os.environ, STEP=str(step)))
    if a.lockstep:
        a.replies = len(a.send)
    else:
        got = read_messages(s, a.replies, time.time() + a.timeout)
    if a.save:
        open(a.save, 'wb').write(b''.join(got))
    s.close()
    print(f'client: {len(got)}/{a.replies} replies')
    return 0 if len(got) >= a.replies else 1


def server(a):
    host, port = endpoint(a.bind)
    ls = socket.socket(family(host), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, port))
    ls.listen(4)
    ls.settimeout(a.timeout)
    try:
        s, _ = ls.accept()
    except socket.timeout:
        print('server: no connection')
        return 1
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    replies = load(a.reply)
    cuts = a.cut + [''] * (len(replies) - len(a.cut))
    queue = list(zip(replies, cuts))
    received = []

    def answer(msg):
        received.append(msg)
        if queue:
            data, cut = queue.pop(0)
            send_cut(s, data, cut)

    read_messages(s, 1 << 30, time.time() + a.timeout, answer)
    if a.save:
        open(a.save, 'wb').write(b''.join(received))
    print(f'server: {len(received)} messages')
    return 0 if received else 1


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('client')
    p.add_argument('bind')
    p.add_argument('dst')
    p.add_argument('--send', action='append', default=[])
    p.add_argument('--cut', action='append', default=[])
    p.add_argument('--replies', type=int, default=1)
    p.add_argument('--lockstep', action='store_true')
    p.add_argument('--after')
    p.add_argument('--save')
    p.add_argument('--timeout', type=float, default=8)
    p = sub.add_parser('server')
    p.add_argument('bind')
    p.add_argument('--reply', action='append', default=[])
    p.add_argument('--cut', action='append', default=[])
    p.add_argument('--save')
    p.add_argument('--timeout', type=float, default=15)
    a = ap.parse_args(argv)
    a.timeout *= TIME_SCALE
    return client(a) if a.cmd == 'client' else server(a)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
