#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Build SIP messages for the avaya-sip scenarios (scripted peers).

  sipmsg.py register --src IP:PORT --dst IP:PORT --contact IP:PORT [--expires N] -o FILE
  sipmsg.py ok --src IP:PORT --dst IP:PORT [--contact IP:PORT] [--expires N] -o FILE
  sipmsg.py truncated|clen-past-end|long-header --src .. --dst .. --contact .. -o FILE

"ok" is the registrar's 200 to the REGISTER built with the same --src/--dst
(same Call-ID and CSeq); --src/--dst stay those of the REGISTER.
"""
import argparse
import sys

CALL_ID = 'reg-4711@avaya.test'


def register(a, cseq=1):
    lines = [
        f'REGISTER sip:{a.dst} SIP/2.0',
        f'Via: SIP/2.0/UDP {a.src};branch=z9hG4bK-reg{cseq}{a.expires};rport',
        'Max-Forwards: 70',
        f'From: <sip:pbx@{a.dst.split(":")[0]}>;tag=f1',
        f'To: <sip:pbx@{a.dst.split(":")[0]}>',
        f'Call-ID: {CALL_ID}',
        f'CSeq: {cseq} REGISTER',
        f'Contact: <sip:pbx@{a.contact}>;expires={a.expires}',
        'Content-Length: 0',
    ]
    return lines


def ok(a, cseq=1):
    lines = [
        'SIP/2.0 200 OK',
        f'Via: SIP/2.0/UDP {a.src};branch=z9hG4bK-reg{cseq}{a.expires};rport={a.src.split(":")[1]}',
        f'From: <sip:pbx@{a.dst.split(":")[0]}>;tag=f1',
        f'To: <sip:pbx@{a.dst.split(":")[0]}>;tag=t1',
        f'Call-ID: {CALL_ID}',
        f'CSeq: {cseq} REGISTER',
    ]
    if a.contact and a.expires:
        lines.append(f'Contact: <sip:pbx@{a.contact}>;expires={a.expires}')
    lines.append('Content-Length: 0')
    return lines


def text(lines, body=''):
    return ('\r\n'.join(lines) + '\r\n\r\n' + body).encode()


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('kind', choices=['register', 'ok', 'truncated', 'clen-past-end',
                                     'long-header'])
    ap.add_argument('--src', required=True)
    ap.add_argument('--dst', required=True)
    ap.add_argument('--contact')
    ap.add_argument('--expires', type=int, default=60)
    ap.add_argument('--cseq', type=int, default=1)
    ap.add_argument('-o', '--out', required=True)
    a = ap.parse_args(argv)
    if a.kind == 'register':
        data = text(register(a, a.cseq))
    elif a.kind == 'ok':
        data = text(ok(a, a.cseq))
    elif a.kind == 'truncated':
        # Cut inside the headers: no empty line ever comes.
        data = text(register(a, a.cseq))[:120]
    elif a.kind == 'clen-past-end':
        lines = register(a, a.cseq)[:-1] + ['Content-Type: application/sdp',
                                            'Content-Length: 400']
        data = text(lines, 'v=0\r\n')
    else:
        lines = register(a, a.cseq)
        lines.insert(3, 'Subject: ' + 'x' * 1500)
        data = text(lines)
    with open(a.out, 'wb') as f:
        f.write(data)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
