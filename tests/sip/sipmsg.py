#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Build SIP messages for the avaya-sip scenarios (scripted peers).

  sipmsg.py register --src IP:PORT --dst IP:PORT --contact IP:PORT [--expires N] -o FILE
  sipmsg.py ok --src IP:PORT --dst IP:PORT [--contact IP:PORT] [--expires N] -o FILE
  sipmsg.py truncated|clen-past-end|long-header --src .. --dst .. --contact .. -o FILE
  sipmsg.py invite|invite-ok|bye|bye-ok|bye-callee|cancel|cancel-reinvite|update
            --src IP:PORT --dst IP:PORT
            [--media IP:PORT] [--call-id ID] [--user NAME] [--tcp]
            [--from-tag T] [--to-tag T] -o FILE

"ok" is the registrar's 200 to the REGISTER built with the same --src/--dst
(same Call-ID and CSeq); --src/--dst stay those of the REGISTER.
"invite" is a call from --src to --dst with an SDP offer for --media (audio,
PCMU), "invite-ok" the callee's 200 with its SDP answer for --media, "bye"
and "bye-ok" end that call, "bye-callee" is the callee's BYE (its tag in
From), "cancel" the caller's CANCEL of the INVITE, "cancel-reinvite" its
CANCEL of a re-INVITE (To tag present), "update" an UPDATE with SDP from
--src; --src/--dst stay those of the INVITE throughout. --tcp writes Via
SIP/2.0/TCP; --from-tag/--to-tag replace the dialog's tags (c1, p1).
IPv6 endpoints are written [addr]:port; SDP then says c=IN IP6.

Hostile variants (tests/vm/hostile/sip.sh):
  --extra-contact IP:PORT (register, ok; repeatable) adds Contact headers;
  "reinvite" is an in-dialog INVITE (To-tag present) from --src to --dst,
  "invite-fail" the answer to it with --status (default 491 Request Pending);
  --dup-clen (invite) repeats the Content-Length header with the same value.

Bodies (invite, invite-ok, reinvite; tests/vm/sip_bodies.sh): --body
  sdp        the SDP alone (default)
  sipi       multipart/mixed: the SDP, then a binary ISUP IAM (SIP-I)
  nested     multipart/mixed (quoted boundary, preamble): ISUP, then a
             multipart/alternative of text/plain and the SDP, which carries
             its own Content-Length
  deep       the SDP three multipart levels down (deeper than the helper looks)
  nodelim    multipart/mixed whose body has no delimiter line
--bare-v6 writes IPv6 hosts of the Request-URI, Via, From/To and Contact
without [] (as some phones do); --bad-contact leaves the Contact's '>' out.
  sipmsg.py collide CALL-ID   a Call-ID whose 16-bit call tag (today's
                              helper) equals CALL-ID's
  sipmsg.py tag CALL-ID       that tag
  sipmsg.py inspect FILE...   per message: "FILE clen=ok|bad sdp=ADDR:PORT|none
                              part-clen=ok|bad|none" (the SDP found the way
                              RFC 2046 says; bad: a length that is not the
                              byte count it announces)
"""
import argparse
import sys

CALL_ID = 'reg-4711@avaya.test'
CALL_CALL_ID = 'call-4712@avaya.test'


def host(ep):
    """The host part of IP:PORT or [IPv6]:PORT, brackets kept."""
    return ep.rsplit(':', 1)[0]


def port(ep):
    return ep.rsplit(':', 1)[1]


def register(a, cseq=1):
    lines = [
        f'REGISTER sip:{a.dst} SIP/2.0',
        f'Via: SIP/2.0/UDP {a.src};branch=z9hG4bK-reg{cseq}{a.expires};rport',
        'Max-Forwards: 70',
        f'From: <sip:{a.user}@{host(a.dst)}>;tag=f1',
        f'To: <sip:{a.user}@{host(a.dst)}>',
        f'Call-ID: {a.call_id or CALL_ID}',
        f'CSeq: {cseq} REGISTER',
        f'Contact: <sip:{a.user}@{a.contact}>;expires={a.expires}',
    ] + extra_contacts(a) + [
        'Content-Length: 0',
    ]
    return lines


def extra_contacts(a):
    return [f'Contact: <sip:{a.user}@{c}>;expires={a.expires}'
            for c in a.extra_contact or []]


def ok(a, cseq=1):
    lines = [
        'SIP/2.0 200 OK',
        f'Via: SIP/2.0/UDP {a.src};branch=z9hG4bK-reg{cseq}{a.expires};rport={port(a.src)}',
        f'From: <sip:{a.user}@{host(a.dst)}>;tag=f1',
        f'To: <sip:{a.user}@{host(a.dst)}>;tag=t1',
        f'Call-ID: {a.call_id or CALL_ID}',
        f'CSeq: {cseq} REGISTER',
    ]
    if a.contact and a.expires:
        lines.append(f'Contact: <sip:{a.user}@{a.contact}>;expires={a.expires}')
    if a.expires:
        lines += extra_contacts(a)
    lines.append('Content-Length: 0')
    return lines


def sdp(media):
    addr = host(media).strip('[]')
    fam = 'IP6' if ':' in addr else 'IP4'
    return '\r\n'.join([
        'v=0',
        f'o=- 4711 1 IN {fam} {addr}',
        's=-',
        f'c=IN {fam} {addr}',
        't=0 0',
        f'm=audio {port(media)} RTP/AVP 0',
        'a=rtpmap:0 PCMU/8000',
        'a=sendrecv',
    ]) + '\r\n'


# An ISUP IAM as SIP-I carries it (binary, ITU-T Q.763): bytes no text tool likes.
ISUP = bytes([0x01, 0x00, 0x49, 0x00, 0x00, 0x03, 0x02, 0x00, 0x07, 0x04, 0x10,
              0x00, 0x33, 0x63, 0x21, 0x43, 0x00, 0x00, 0x03, 0x06, 0x0d, 0x03,
              0x80, 0x90, 0xa2, 0x00]).decode('latin1')
ISUP_PART = ('Content-Type: application/isup;version=itu-t92+\r\n'
             'Content-Disposition: signal;handling=optional\r\n'
             'Content-Transfer-Encoding: binary\r\n\r\n' + ISUP)


def multipart(bnd, parts, preamble=''):
    """A multipart body of PARTS (each: its header lines, empty line, content)."""
    return (preamble + ''.join(f'--{bnd}\r\n{p}\r\n' for p in parts) +
            f'--{bnd}--\r\n')


def body_of(kind, media):
    """(Content-Type, body) of --body KIND around the SDP for MEDIA."""
    sd = sdp(media)
    sdp_part = 'Content-Type: application/sdp\r\n\r\n' + sd
    if kind == 'sdp':
        return 'application/sdp', sd
    if kind == 'sipi':
        return ('multipart/mixed;boundary=unique-boundary-1',
                multipart('unique-boundary-1', [sdp_part, ISUP_PART]))
    if kind == 'nested':
        alt = multipart('outer2', ['Content-Type: text/plain\r\n\r\nno media\r\n--outer-not',
                                   'content-type: Application/SDP\r\n'
                                   f'Content-Length: {len(sd)}\r\n\r\n' + sd])
        return ('multipart/mixed; boundary="outer"',
                multipart('outer', [ISUP_PART, 'Content-Type: multipart/alternative; '
                                    'boundary=outer2\r\n\r\n' + alt],
                          'This is a preamble.\r\n'))
    if kind == 'deep':
        inner = sdp_part
        for level in (3, 2):
            inner = (f'Content-Type: multipart/mixed;boundary=l{level}\r\n\r\n' +
                     multipart(f'l{level}', [inner]))
        return 'multipart/mixed;boundary=l1', multipart('l1', [ISUP_PART, inner])
    return 'multipart/mixed;boundary=b4', sdp_part   # nodelim


def inspect(path):
    """One line about the message in PATH: its lengths and its SDP."""
    data = open(path, 'rb').read()
    head, _, body = data.partition(b'\r\n\r\n')
    hdrs = {}
    for line in head.split(b'\r\n')[1:]:
        name, _, val = line.partition(b':')
        hdrs[name.strip().lower()] = val.strip()
    clen = 'ok' if int(hdrs.get(b'content-length', b'-1')) == len(body) else 'bad'
    sdp_addr, part_clen = 'none', 'none'

    def find(ctype, body, depth):
        nonlocal part_clen
        if ctype.split(b';')[0].strip().lower() == b'application/sdp':
            return body
        if depth > 3 or not ctype.lower().startswith(b'multipart/'):
            return None
        bnd = ctype.split(b'boundary=')[1].split(b';')[0].strip(b'"')
        for part in body.split(b'\r\n--' + bnd)[1:]:
            part = part.split(b'\r\n', 1)[-1]
            ph, _, pb = part.partition(b'\r\n\r\n')
            ph = {n.strip().lower(): v.strip() for n, _, v in
                  (x.partition(b':') for x in ph.split(b'\r\n'))}
            found = find(ph.get(b'content-type', b'text/plain'), b'\r\n' + pb, depth + 1)
            if found is not None:
                if b'content-length' in ph:
                    part_clen = 'ok' if int(ph[b'content-length']) == len(pb) else 'bad'
                return found
        return None

    sd = find(hdrs.get(b'content-type', b''), b'\r\n' + body, 0)
    if sd is not None:
        c = [x.split()[2] for x in sd.split(b'\r\n') if x.startswith(b'c=IN')]
        m = [x.split()[1] for x in sd.split(b'\r\n') if x.startswith(b'm=audio')]
        if c and m:
            sdp_addr = f'{c[0].decode()}:{m[0].decode()}'
    return f'{path} clen={clen} sdp={sdp_addr} part-clen={part_clen}'


def call(a):
    """(headers, body) of one message of the call from --src to --dst."""
    callee = f'sip:{a.user}@{a.dst}'
    caller = f'sip:carol@{host(a.src)}'
    from_tag, to_tag = a.from_tag or 'c1', a.to_tag or 'p1'
    common = [
        f'From: <{caller}>;tag={from_tag}',
        f'To: <{callee}>' + ('' if a.kind in ('invite', 'cancel') else f';tag={to_tag}'),
        f'Call-ID: {a.call_id or CALL_CALL_ID}',
    ]
    via = 'TCP' if a.tcp else 'UDP'
    if a.kind == 'bye-callee':
        # The callee hangs up: its own tag is the From tag now.
        return [f'BYE sip:carol@{a.src} SIP/2.0',
                f'Via: SIP/2.0/{via} {a.dst};branch=z9hG4bK-byecallee{a.cseq}',
                'Max-Forwards: 70',
                f'From: <{callee}>;tag={a.from_tag or "p1"}',
                f'To: <{caller}>;tag={a.to_tag or "c1"}',
                f'Call-ID: {a.call_id or CALL_CALL_ID}',
                f'CSeq: {a.cseq} BYE', 'Content-Length: 0'], ''
    if a.kind in ('invite', 'bye', 'reinvite', 'cancel', 'update', 'cancel-reinvite'):
        method = {'reinvite': 'INVITE', 'cancel-reinvite': 'CANCEL'}.get(a.kind, a.kind.upper())
        # A CANCEL names its INVITE's transaction: the same branch.
        branch = {'cancel': 'invite', 'cancel-reinvite': 'reinvite'}.get(a.kind, a.kind)
        lines = [f'{method} {callee} SIP/2.0',
                 f'Via: SIP/2.0/{via} {a.src};branch=z9hG4bK-{branch}{a.cseq};rport',
                 'Max-Forwards: 70'] + common + [f'CSeq: {a.cseq} {method}']
    else:
        method = 'INVITE' if a.kind in ('invite-ok', 'invite-fail') else 'BYE'
        status = a.status if a.kind == 'invite-fail' else '200 OK'
        lines = [f'SIP/2.0 {status}',
                 f'Via: SIP/2.0/{via} {a.src};branch=z9hG4bK-{method.lower()}{a.cseq};'
                 f'rport={port(a.src)}'] + common + [f'CSeq: {a.cseq} {method}']
    if a.kind in ('invite', 'reinvite', 'update'):
        lines.append(f'Contact: <sip:carol@{a.src}' + ('' if a.bad_contact else '>'))
    elif a.kind == 'invite-ok':
        lines.append(f'Contact: <{callee}>')
    body = ''
    if a.kind in ('invite', 'invite-ok', 'reinvite', 'update') and a.media:
        ctype, body = body_of(a.body, a.media)
        if a.body != 'sdp':
            lines.append('MIME-Version: 1.0')
        lines.append('Content-Type: ' + ctype)
    lines.append(f'Content-Length: {len(body.encode("latin1"))}')
    if a.bare_v6:
        lines = [x.replace('[', '').replace(']', '') for x in lines]
    if a.dup_clen:
        lines.append(f'Content-Length: {len(body)}')
    return lines, body


def _rol(x, k):
    return ((x << k) | (x >> (32 - k))) & 0xffffffff


def jhash(key, initval):
    """Linux's jhash() (lookup3, little-endian words), as the helper keys
    SIP calls with it."""
    m = 0xffffffff
    a = b = c = (0xdeadbeef + len(key) + initval) & m
    k = key
    while len(k) > 12:
        a = (a + int.from_bytes(k[0:4], 'little')) & m
        b = (b + int.from_bytes(k[4:8], 'little')) & m
        c = (c + int.from_bytes(k[8:12], 'little')) & m
        a = (a - c) & m; a ^= _rol(c, 4); c = (c + b) & m
        b = (b - a) & m; b ^= _rol(a, 6); a = (a + c) & m
        c = (c - b) & m; c ^= _rol(b, 8); b = (b + a) & m
        a = (a - c) & m; a ^= _rol(c, 16); c = (c + b) & m
        b = (b - a) & m; b ^= _rol(a, 19); a = (a + c) & m
        c = (c - b) & m; c ^= _rol(b, 4); b = (b + a) & m
        k = k[12:]
    if not k:
        return c
    t = k + bytes(12 - len(k))
    a = (a + int.from_bytes(t[0:4], 'little')) & m
    b = (b + int.from_bytes(t[4:8], 'little')) & m
    c = (c + int.from_bytes(t[8:12], 'little')) & m
    c ^= b; c = (c - _rol(b, 14)) & m
    a ^= c; a = (a - _rol(c, 11)) & m
    b ^= a; b = (b - _rol(a, 25)) & m
    c ^= b; c = (c - _rol(b, 16)) & m
    a ^= c; a = (a - _rol(c, 4)) & m
    b ^= a; b = (b - _rol(a, 14)) & m
    c ^= b; c = (c - _rol(b, 24)) & m
    return c


def call_tag(call_id):
    """The 16-bit call tag of today's helper (sip_call_tag(): jhash of the
    Call-ID with seed 0x53495020, folded)."""
    h = jhash(call_id.encode(), 0x53495020)
    return (h ^ h >> 16) & 0xffff


def colliding_call_id(call_id, prefix='other-'):
    """Another Call-ID whose 16-bit tag equals @call_id's."""
    want = call_tag(call_id)
    for n in range(1 << 22):
        cand = f'{prefix}{n}@avaya.test'
        if call_tag(cand) == want:
            return cand
    raise SystemExit('no collision found')


def text(lines, body=''):
    return ('\r\n'.join(lines) + '\r\n\r\n' + body).encode('latin1')


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    if argv[:1] == ['collide']:
        # sipmsg.py collide CALL-ID: print a Call-ID with the same 16-bit tag.
        print(colliding_call_id(argv[1]))
        return 0
    if argv[:1] == ['inspect']:
        for path in argv[1:]:
            print(inspect(path))
        return 0
    if argv[:1] == ['tag']:
        print(call_tag(argv[1]))
        return 0
    ap.add_argument('kind', choices=['register', 'ok', 'truncated', 'clen-past-end',
                                     'long-header', 'invite', 'invite-ok', 'bye',
                                     'bye-ok', 'bye-callee', 'cancel', 'reinvite',
                                     'invite-fail', 'update', 'cancel-reinvite'])
    ap.add_argument('--src', required=True)
    ap.add_argument('--dst', required=True)
    ap.add_argument('--contact')
    ap.add_argument('--expires', type=int, default=60)
    ap.add_argument('--cseq', type=int, default=1)
    ap.add_argument('--user', default='pbx', help='user part of the AOR')
    ap.add_argument('--media', help='IP:PORT of the SDP (invite, invite-ok)')
    ap.add_argument('--call-id', help='default: one per kind of exchange')
    ap.add_argument('--extra-contact', action='append',
                    help='register, ok: one more Contact IP:PORT (repeatable)')
    ap.add_argument('--status', default='491 Request Pending',
                    help='invite-fail: the status line after SIP/2.0')
    ap.add_argument('--dup-clen', action='store_true',
                    help='a second Content-Length header, same value')
    ap.add_argument('--body', default='sdp',
                    choices=['sdp', 'sipi', 'nested', 'deep', 'nodelim'],
                    help='invite, invite-ok, reinvite: how the SDP is carried')
    ap.add_argument('--bare-v6', action='store_true',
                    help='IPv6 hosts in the headers without []')
    ap.add_argument('--bad-contact', action='store_true',
                    help="invite: the Contact's '>' left out")
    ap.add_argument('--tcp', action='store_true', help='Via SIP/2.0/TCP')
    ap.add_argument('--from-tag', help='call messages: the From tag (default c1)')
    ap.add_argument('--to-tag', help='call messages: the To tag (default p1)')
    ap.add_argument('-o', '--out', required=True)
    a = ap.parse_args(argv)
    if a.kind == 'register':
        data = text(register(a, a.cseq))
    elif a.kind == 'ok':
        data = text(ok(a, a.cseq))
    elif a.kind in ('invite', 'invite-ok', 'bye', 'bye-ok', 'bye-callee', 'cancel', 'reinvite',
                    'update', 'cancel-reinvite',
                    'invite-fail'):
        data = text(*call(a))
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
