#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Helpers for the avaya-sip VM scenarios.

  sipua.py tone FILE HZ SECONDS        8 kHz mono sine wave file
  sipua.py cons PORT COMMAND           send one command to baresip's cons
  sipua.py wav FILE                    print "rms=N seconds=S hz=F" of a file
"""
import math
import socket
import struct
import sys
import wave


def tone(path, hz, secs):
    w = wave.open(path, 'wb')
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(8000)
    w.writeframes(b''.join(struct.pack('<h', int(8000 * math.sin(2 * math.pi * hz * i / 8000)))
                           for i in range(int(8000 * secs))))
    w.close()


def wavinfo(path):
    w = wave.open(path, 'rb')
    n, rate = w.getnframes(), w.getframerate()
    raw = w.readframes(n)
    s = struct.unpack('<%dh' % (len(raw) // 2), raw[:len(raw) // 2 * 2])
    # Only the non-silent part counts for the tone: jitter-buffer gaps are 0.
    loud = [v for v in s if abs(v) > 200]
    rms = math.sqrt(sum(v * v for v in s) / len(s)) if s else 0
    zc = sum(1 for a, b in zip(s, s[1:]) if (a < 0) != (b < 0) and abs(a - b) > 200)
    secs_loud = len(loud) / rate if rate else 0
    hz = zc / 2 / (len(s) / rate) if s else 0
    print('rms=%d seconds=%.2f loud_seconds=%.2f hz=%d' % (rms, n / rate, secs_loud, hz))


def main(argv):
    if argv[1] == 'tone':
        tone(argv[2], float(argv[3]), float(argv[4]))
    elif argv[1] == 'cons':
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto((argv[3] + '\n').encode(), ('127.0.0.1', int(argv[2])))
    elif argv[1] == 'wav':
        wavinfo(argv[2])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
