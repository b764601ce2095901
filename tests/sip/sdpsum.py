#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""What the SIP messages in a capture say about media, one line each.

  sdpsum.py PCAP
      src:sport|dst:dport|first line|CSeq|Call-ID|c=|m=audio port

A plain pcap reader (Ethernet or Linux cooked, IPv4, UDP): tshark takes
seconds to start under TCG, and the capture may still be growing (a partial
last record is ignored), so the scenario can read it during a call.

  sdpsum.py wav FILE FROM
      "loud_seconds=S seconds=T hz=F" of FILE from second FROM to its end
      (FROM < 0: its last -FROM seconds): the tone after a re-INVITE, apart
      from the part before it.
"""
import struct
import sys
import wave


def packets(path):
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = data[:4]
    end = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    link = struct.unpack(end + 'I', data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + 'I', data[off + 8:off + 12])[0]
        if off + 16 + incl > len(data):
            break
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if link == 1 and frame[12:14] == b'\x08\x00':
            yield frame[14:]
        elif link == 113 and frame[14:16] == b'\x08\x00':
            yield frame[16:]


def udp(ip):
    if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 17:
        return None
    hl = (ip[0] & 15) * 4
    src = '.'.join(str(b) for b in ip[12:16])
    dst = '.'.join(str(b) for b in ip[16:20])
    sport, dport = struct.unpack('>HH', ip[hl:hl + 4])
    return src, sport, dst, dport, ip[hl + 8:]


def summary(payload):
    text = payload.decode('latin-1')
    if not (text.startswith('SIP/2.0 ') or ' SIP/2.0\r\n' in text.split('\n', 1)[0] + '\n'):
        return None
    lines = text.split('\r\n')
    hdr = {}
    body = []
    for i, line in enumerate(lines[1:], 1):
        if not line:
            body = lines[i + 1:]
            break
        name, _, value = line.partition(':')
        hdr.setdefault(name.strip().lower(), value.strip())
    c = m = ''
    for line in body:
        if line.startswith('c=IN IP4 '):
            c = c or line[9:].strip()
        elif line.startswith('m=audio '):
            m = line.split()[1]
    return [lines[0], hdr.get('cseq', hdr.get('cseq', '')),
            hdr.get('call-id', hdr.get('i', '')), c, m]


def wavtail(path, start):
    w = wave.open(path, 'rb')
    n, rate = w.getnframes(), w.getframerate()
    raw = w.readframes(n)
    s = struct.unpack('<%dh' % (len(raw) // 2), raw[:len(raw) // 2 * 2])
    s = s[int(start * rate):]
    loud = sum(1 for v in s if abs(v) > 200)
    zc = sum(1 for a, b in zip(s, s[1:]) if (a < 0) != (b < 0) and abs(a - b) > 200)
    secs = len(s) / rate
    hz = zc / 2 / secs if secs else 0
    print('loud_seconds=%.2f seconds=%.2f hz=%d' % (loud / rate, secs, hz))


def main(argv):
    if argv[1] == 'wav':
        wavtail(argv[2], float(argv[3]))
        return 0
    for ip in packets(argv[1]):
        u = udp(ip)
        if not u:
            continue
        s = summary(u[4])
        if s:
            print('|'.join(['%s:%d' % (u[0], u[1]), '%s:%d' % (u[2], u[3])] + s))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
