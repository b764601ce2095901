#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 The nf_conntrack_avaya authors
"""Play a call's TCP conversation between two network namespaces.

One process holds both ends: it enters a namespace (setns) to create each
socket, so the order of messages across connections is exactly the plan's.
Every payload must arrive byte-identical on the other side.

    callplay.py PLAN.json

PLAN:
  {"conns": {"q931": {"client": ["ph", "10.0.1.2:32803"],
                      "server": ["gk", "10.0.2.2:1720"]}, ...},
   "steps": [{"conn": "q931", "from": "client", "hex": "0300...",
              "split": [4, 60]},	# optional: write in pieces at offsets
             {"conn": "q931", "from": "server", "hex": "...",
              "expect": "...",	# optional: what arrives (NAT rewrote it)
              "save": "/path"},	# optional: store what arrived, unchecked
                                #   unless "expect" is given
             {"close": "q931"},	# FIN from the client, then the server
             {"mark": "/path/file"},		# create the file
             {"wait": "/path/file"}, ...]}	# wait until it exists

A conn may name "connect": the address the client dials when it is not the
server's own (a public address NATed to it). A connection is opened at its
first step; a connect that does not complete
(the firewall drops it) fails the play with exit status 2.
"""
import json
import os
import socket
import sys
import time
from netns import enter

# Waits stretch by AVAYA_TIME_SCALE (set by vm-run.sh for the debug lane).
TIME_SCALE = float(os.environ.get('AVAYA_TIME_SCALE') or 1)




def endpoint(text):
    host, port = text.rsplit(':', 1)
    host = host.strip('[]')
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    return fam, (host, int(port))


def sock(ns, ep, kind=socket.SOCK_STREAM):
    enter(ns)
    fam, addr = endpoint(ep)
    s = socket.socket(fam, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr)
    return s


class Conn:
    def __init__(self, name, spec):
        self.name = name
        self.spec = spec
        self.ends = None
        self.listener = sock(spec['server'][0], spec['server'][1])
        self.listener.listen(4)

    def open(self):
        if self.ends:
            return
        c = sock(self.spec['client'][0], self.spec['client'][1])
        c.settimeout(2 * TIME_SCALE)
        try:
            c.connect(endpoint(self.spec.get('connect',
                                             self.spec['server'][1]))[1])
        except OSError as e:
            print(f'callplay: {self.name}: connect failed: {e}', flush=True)
            sys.exit(2)
        self.listener.settimeout(2 * TIME_SCALE)
        s, _ = self.listener.accept()
        for x in (c, s):
            x.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            x.settimeout(3 * TIME_SCALE)
        self.ends = {'client': c, 'server': s}
        print(f'callplay: {self.name}: connected', flush=True)

    def send(self, side, data, split, want=None, save=None):
        self.open()
        tx = self.ends[side]
        rx = self.ends['server' if side == 'client' else 'client']
        cuts = [0] + sorted(split or []) + [len(data)]
        for a, b in zip(cuts, cuts[1:]):
            tx.sendall(data[a:b])
            if split:
                time.sleep(0.2)		# a separate segment, not coalesced
        want = data if want is None else want
        got = b''
        while len(got) < len(want):
            try:
                chunk = rx.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            got += chunk
        if save:
            with open(save, 'wb') as f:
                f.write(got)
            if want is data:
                return
        if got != want:
            print(f'callplay: {self.name}: {len(data)} octets sent from '
                  f'{side}, {len(got)} differ on arrival: {got.hex()}',
                  flush=True)
            sys.exit(3)


    def close(self):
        """Both ends send FIN (client first), as a party that ends the
        connection after Connect; each side then reads the other's FIN."""
        self.open()
        for side in ('client', 'server'):
            self.ends[side].shutdown(socket.SHUT_WR)
        for side in ('server', 'client'):
            try:
                while self.ends[side].recv(65536):
                    pass
            except OSError:
                pass
        print(f'callplay: {self.name}: closed', flush=True)


def main(argv):
    plan = json.load(open(argv[1]))
    conns = {n: Conn(n, spec) for n, spec in plan['conns'].items()}
    for i, st in enumerate(plan['steps']):
        if 'mark' in st:
            open(st['mark'], 'w').close()
        elif 'close' in st:
            conns[st['close']].close()
        elif 'wait' in st:
            while not os.path.exists(st['wait']):
                time.sleep(0.05)
        else:
            want = st.get('expect')
            conns[st['conn']].send(st['from'], bytes.fromhex(st['hex']),
                                   st.get('split'),
                                   want and bytes.fromhex(want),
                                   st.get('save'))
            print(f'callplay: step {i}: {st["conn"]} {st["from"]} '
                  f'{len(st["hex"]) // 2} octets', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
