#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""RTP-sized UDP streams between network namespaces, with reception gaps.

    rtpstream.py [--rate 50] [--status FILE] [--stop FILE] [--duration S]
                 STREAM...

STREAM is NAME,NS,BIND_IP:PORT,PEER_IP:PORT: a socket bound in namespace NS
(entered with setns, so one process serves both ends of every call) that
sends --rate RTP packets per second (172 octets: header and 20 ms of PCMU)
to PEER from that fixed address, and records when datagrams arrive on it.
It runs until the --stop file exists or --duration seconds have passed,
then prints one line per stream:

    NAME sent=N received=M maxgap=S gap_from=T gap_to=T first=T last=T

maxgap is the longest time between two receptions (seconds), gap_from and
gap_to its ends and first/last the first and last reception, as wall-clock
times (time.time(), comparable with `date +%s.%N` in the guest). --status
FILE is rewritten (atomically) every 0.2 s with the same lines so far.
Rates and gaps are real time: AVAYA_TIME_SCALE does not apply.
"""
import argparse
import os
import select
import socket
import struct
import sys
import time
from netns import enter




def addr(text):
    host, port = text.rsplit(':', 1)
    return host, int(port)


class Stream:
    def __init__(self, spec):
        self.name, ns, bind, peer = spec.split(',')
        enter(ns)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(addr(bind))
        self.sock.setblocking(False)
        self.peer = addr(peer)
        self.ssrc = hash(spec) & 0xffffffff
        self.sent = 0
        self.received = 0
        self.first = self.last = None	# wall clock
        self.last_mono = None
        self.maxgap = 0.0
        self.gap = (0.0, 0.0)

    def send(self):
        hdr = struct.pack('!BBHII', 0x80, 0, self.sent & 0xffff,
                          (self.sent * 160) & 0xffffffff, self.ssrc)
        try:
            self.sock.sendto(hdr + b'\xff' * 160, self.peer)
        except OSError:
            pass	# no route or buffer full during the failover: a gap
        self.sent += 1

    def receive(self):
        while True:
            try:
                self.sock.recvfrom(2048)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue	# an ICMP error queued on the socket
            now, mono = time.time(), time.monotonic()
            if self.last_mono is not None and mono - self.last_mono > self.maxgap:
                self.maxgap = mono - self.last_mono
                self.gap = (self.last, now)
            if self.first is None:
                self.first = now
            self.received += 1
            self.last, self.last_mono = now, mono

    def line(self):
        def t(v):
            return f'{v:.3f}' if v is not None else '-'
        return (f'{self.name} sent={self.sent} received={self.received} '
                f'maxgap={self.maxgap:.3f} gap_from={t(self.gap[0])} '
                f'gap_to={t(self.gap[1])} first={t(self.first)} last={t(self.last)}')


def write_status(path, streams):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        for s in streams:
            f.write(s.line() + '\n')
    os.rename(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rate', type=float, default=50)
    ap.add_argument('--status')
    ap.add_argument('--stop')
    ap.add_argument('--duration', type=float)
    ap.add_argument('streams', nargs='+')
    a = ap.parse_args(argv)
    streams = [Stream(spec) for spec in a.streams]
    period = 1 / a.rate
    start = time.monotonic()
    next_send = start
    next_status = start
    while True:
        now = time.monotonic()
        if a.duration is not None and now - start >= a.duration:
            break
        if now >= next_status:
            if a.stop and os.path.exists(a.stop):
                break
            if a.status:
                write_status(a.status, streams)
            next_status = now + 0.2
        if now >= next_send:
            for s in streams:
                s.send()
            next_send += period
            if next_send < now:	# the guest stalled: no burst to catch up
                next_send = now + period
        r, _, _ = select.select([s.sock for s in streams], [], [],
                                max(0.0, min(next_send, next_status) - time.monotonic()))
        for s in streams:
            if s.sock in r:
                s.receive()
    for s in streams:
        print(s.line(), flush=True)
    if a.status:
        write_status(a.status, streams)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
