#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 The nf_conntrack_avaya authors
"""Build H.225.0 call signalling and H.245 messages (aligned PER), TPKT-wrapped.

Only what the VM scenarios and decoder tests need: Setup (fastStart,
h245Address, call signal addresses, Avaya-style nonStandardControl),
CallProceeding, Alerting, Connect (h245Address, or tunnelling with OLC /
OLCAck in h245Control), Facility with tunnelled H.245, ReleaseComplete, and
standalone H.245 OLC / OLCAck / CloseLogicalChannel / EndSessionCommand.

Also extracts the TCP payloads of a capture and rewrites the embedded IPv4
transport addresses for a new topology, to replay a real call.

    h323call.py setup --cref 7 --h245 10.0.0.1:1300 --fs 10.0.0.1:5000 > x.hex
    h323call.py olc --channel 1 --ctrl 10.0.0.1:5001 --raw -o olc.bin
    h323call.py extract CAPTURE.pcap --map 10.1.3.143=10.0.1.2 > flows.json
"""
import argparse
import ipaddress
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import h225ras  # noqa: E402  (H.235 tokens, as in RAS)


class Per:
    """Aligned-PER bit writer (X.691), just the constructs H.225/H.245 use."""

    def __init__(self):
        self.bits = []

    def bit(self, b):
        self.bits.append(1 if b else 0)
        return self

    def uint_bits(self, v, n):
        for i in range(n - 1, -1, -1):
            self.bits.append((v >> i) & 1)
        return self

    def align(self):
        while len(self.bits) % 8:
            self.bits.append(0)
        return self

    def octets(self, data):
        self.align()
        for byte in data:
            self.uint_bits(byte, 8)
        return self

    def uint(self, v, lb, ub):
        """Constrained whole number (X.691 10.5.7, aligned variant)."""
        rng = ub - lb + 1
        v -= lb
        assert 0 <= v < rng, (v, lb, ub)
        if rng == 1:
            return self
        if rng <= 255:
            return self.uint_bits(v, (rng - 1).bit_length())
        if rng == 256:
            return self.octets([v])
        if rng <= 65536:
            return self.octets(v.to_bytes(2, 'big'))
        n = max(1, (v.bit_length() + 7) // 8)
        nmax = ((rng - 1).bit_length() + 7) // 8
        self.uint_bits(n - 1, (nmax - 1).bit_length())
        return self.octets(v.to_bytes(n, 'big'))

    def length(self, n):
        """Unconstrained length determinant (no fragmentation)."""
        assert n < 16384
        if n < 128:
            return self.octets([n])
        return self.octets([0x80 | n >> 8, n & 0xff])

    def small(self, n):
        """Normally small non-negative whole number (X.691 10.6)."""
        if n < 64:
            return self.bit(0).uint_bits(n, 6)
        self.bit(1)
        data = n.to_bytes(max(1, (n.bit_length() + 7) // 8), 'big')
        return self.length(len(data)).octets(data)

    def choice(self, idx, nroot, extensible=True, ext_value=None):
        """CHOICE index; idx >= nroot is an extension, ext_value its bytes."""
        if idx < nroot:
            if extensible:
                self.bit(0)
            return self.uint(idx, 0, nroot - 1)
        assert extensible
        self.bit(1).small(idx - nroot)
        return self.open_type(ext_value)

    def open_type(self, data):
        data = data if data else b'\x00'
        return self.length(len(data)).octets(data)

    def octet_string(self, data):
        return self.length(len(data)).octets(data)

    def extensions(self, additions):
        """Extension additions {index: encoded bytes} after an ext bit 1."""
        n = max(additions) + 1
        self.small(n - 1)
        for i in range(n):
            self.bit(i in additions)
        for i in range(n):
            if i in additions:
                self.open_type(additions[i])
        return self

    def bytes(self):
        bits = self.bits + [0] * (-len(self.bits) % 8)
        out = bytearray()
        for i in range(0, len(bits), 8):
            v = 0
            for b in bits[i:i + 8]:
                v = v << 1 | b
            out.append(v)
        return bytes(out)


def parse_addr(text):
    """'1.2.3.4:5000' or '[2001:db8::1]:5000' -> (ip_bytes, port)."""
    if text.startswith('['):
        host, port = text[1:].split(']:')
    else:
        host, port = text.rsplit(':', 1)
    return ipaddress.ip_address(host).packed, int(port)


def tpkt(payload):
    return bytes([3, 0]) + (len(payload) + 4).to_bytes(2, 'big') + payload


# ---------------------------------------------------------------- H.245

AUDIO_G711U = 3		# AudioCapability g711Ulaw64k


def h245_unicast(w, addr):
    """H.245 TransportAddress: unicastAddress iPAddress or iP6Address."""
    ip, port = addr
    w.choice(0, 2)				# unicastAddress
    w.choice(0 if len(ip) == 4 else 2, 5)	# iPAddress / iP6Address
    w.bit(0)					# SEQUENCE extension bit
    w.octets(ip)
    w.uint(port, 0, 65535)


def h2250_params(media=None, ctrl=None, session=1):
    w = Per()
    w.bit(0)
    # nonStandard, associatedSessionID, mediaChannel, mediaGuaranteed,
    # mediaControlChannel, mediaControlGuaranteed, silenceSuppression,
    # destination, dynamicRTPPayloadType, mediaPacketization
    for present in (0, 0, media, 0, ctrl, 0, 1, 0, 0, 0):
        w.bit(present)
    w.uint(session, 0, 255)
    if media:
        h245_unicast(w, media)
    if ctrl:
        h245_unicast(w, ctrl)
    w.bit(0)					# silenceSuppression FALSE
    return w.bytes()


def audio_data_type(w, frames=20):
    w.choice(3, 6)				# DataType audioData
    w.choice(AUDIO_G711U, 14)
    w.uint(frames, 1, 256)


def olc_fields(w, channel, media=None, ctrl=None, rev_media=None,
               rev_ctrl=None):
    """OpenLogicalChannel; forward and (if rev_*) reverse H.225.0 params."""
    rev = rev_media or rev_ctrl
    w.bit(0).bit(bool(rev))
    w.uint(channel, 1, 65535)
    w.bit(0).bit(0)				# forward params: ext, portNumber
    audio_data_type(w)
    w.choice(3, 3, ext_value=h2250_params(media, ctrl))
    if rev:
        w.bit(0).bit(1)				# reverse params: ext, mux
        audio_data_type(w)
        w.choice(2, 2, ext_value=h2250_params(rev_media, rev_ctrl))


def olc_body(*args, **kw):
    """A bare OpenLogicalChannel, as in a fastStart element."""
    w = Per()
    olc_fields(w, *args, **kw)
    return w.bytes()


def msc(branch, nroot, idx, build):
    """MultimediaSystemControlMessage: branch CHOICE, then alternative."""
    w = Per()
    w.choice(branch, 4).choice(idx, nroot)
    build(w)
    return w.bytes()


def h245_olc(*args, **kw):
    return msc(0, 11, 3, lambda w: olc_fields(w, *args, **kw))


def h2250_ack_params(media=None, ctrl=None, session=1):
    w = Per()
    w.choice(0, 1)				# h2250LogicalChannelAckParameters
    w.bit(0)
    for present in (0, 1, media, ctrl, 0):
        w.bit(present)
    w.uint(session, 1, 255)
    if media:
        h245_unicast(w, media)
    if ctrl:
        h245_unicast(w, ctrl)
    return w.bytes()


def h245_olc_ack(channel, media=None, ctrl=None):
    def build(w):
        w.bit(1).bit(0)			# extended, no reverse params
        w.uint(channel, 1, 65535)
        w.extensions({1: h2250_ack_params(media, ctrl)})
    return msc(1, 19, 5, build)


def h245_clc(channel):
    def build(w):
        w.bit(0)
        w.uint(channel, 1, 65535)
        w.choice(1, 2, extensible=False)	# source: lcse
    return msc(0, 11, 4, build)


def h245_end_session():
    return msc(2, 7, 5, lambda w: w.choice(1, 3))	# disconnect


def h245_tcs_ack(seq=1):
    return msc(1, 19, 3, lambda w: w.bit(0).uint(seq, 0, 255))


# ---------------------------------------------------------------- H.225.0

PROTOCOL_ID = bytes([0x00, 0x08, 0x91, 0x4a, 0x00, 0x04])	# 0.0.8.2250.0.4
DIGITS = '#*,0123456789'

Q931_TYPES = {
    'setup': 0x05, 'callproceeding': 0x02, 'alerting': 0x01,
    'connect': 0x07, 'facility': 0x62, 'releasecomplete': 0x5a,
}
UUIE_INDEX = {
    'setup': 0, 'callproceeding': 1, 'connect': 2, 'alerting': 3,
    'releasecomplete': 5, 'facility': 6,
}


def h225_taddr(w, addr):
    ip, port = addr
    if len(ip) == 4:
        w.choice(0, 7)				# ipAddress (not extensible)
    else:
        w.choice(3, 7).bit(0)			# ip6Address, extension bit
    w.octets(ip)
    w.uint(port, 0, 65535)


def alias_digits(w, digits):
    w.choice(0, 2)				# dialedDigits
    w.uint(len(digits), 1, 128)
    w.align()
    for ch in digits:
        w.uint_bits(DIGITS.index(ch), 4)


def alias_h323_id(w, name):
    w.choice(1, 2)
    w.uint(len(name), 1, 256)
    w.octets(name.encode('utf-16-be'))


def endpoint_type(w, vendor=False):
    w.bit(0)
    w.uint_bits(0b010001 if vendor else 0b000001, 6)
    if vendor:				# VendorIdentifier: Avaya, productId
        w.bit(0).bit(1).bit(0)
        w.bit(0).uint(181, 0, 255).uint(0, 0, 255).uint(0x4c, 0, 65535)
        w.uint(len(b'Avaya'), 1, 256).octets(b'Avaya')
    w.bit(0).bit(0)				# TerminalInfo: ext, nonStandard
    w.bit(0).bit(0)				# mc, undefinedNode


def call_identifier(guid):
    return Per().bit(0).octets(guid).bytes()


def bool_open(v):
    return Per().bit(v).bytes()


def faststart(olcs):
    w = Per()
    w.length(len(olcs))
    for olc in olcs:
        w.octet_string(olc)
    return w.bytes()


def avaya_nonstandard(w, data):
    """H.225.0 NonStandardParameter, h221NonStandard with an Avaya code."""
    w.choice(1, 2)
    w.bit(0).uint(181, 0, 255).uint(0, 0, 255).uint(0x4c, 0, 65535)
    w.octet_string(data)


def token_adds(a, adds, idx):
    """H.235 tokens (a ClearToken) and cryptoTokens (cryptoEPPwdHash) at
    addition @idx and the next one, as --tokens/--crypto-tokens ask."""
    if a.tokens:
        adds[idx] = h225ras.encode(h225ras.seq_of, [()], h225ras.clear_token)
    if a.crypto_tokens:
        adds[idx + 1] = h225ras.encode(h225ras.seq_of, [()],
                                       h225ras.crypto_ep_pwd_hash)


def uuie_setup(a, w, adds):
    w.bit(1)
    for present in (a.h245, 1, 1, a.dst_csa, 0, 0, 0):
        w.bit(present)
    w.octet_string(PROTOCOL_ID)
    if a.h245:
        h225_taddr(w, a.h245)
    w.length(1)
    alias_h323_id(w, 'avaya')
    endpoint_type(w, vendor=True)
    w.length(1)
    alias_digits(w, '4711')
    if a.dst_csa:
        h225_taddr(w, a.dst_csa)
    w.bit(0)					# activeMC
    w.octets(a.conf_id)
    w.choice(0, 3)				# conferenceGoal create
    w.choice(0, 4)				# callType pointToPoint
    if a.src_csa:
        adds[0] = encode(h225_taddr, a.src_csa)
    adds[2] = call_identifier(a.call_id)
    token_adds(a, adds, 4)
    adds[7] = bool_open(0)			# mediaWaitForConnect
    adds[8] = bool_open(0)			# canOverlapSend
    adds[10] = bool_open(0)			# multipleCalls
    adds[11] = bool_open(0)			# maintainConnection
    return 6					# fastStart addition index


def encode(fn, *args):
    w = Per()
    fn(w, *args)
    return w.bytes()


def uuie_proceeding(a, w, adds):
    w.bit(1).bit(bool(a.h245))
    w.octet_string(PROTOCOL_ID)
    endpoint_type(w)
    if a.h245:
        h225_taddr(w, a.h245)
    adds[0] = call_identifier(a.call_id)
    token_adds(a, adds, 2)
    return 4


def uuie_connect(a, w, adds):
    w.bit(1).bit(bool(a.h245))
    w.octet_string(PROTOCOL_ID)
    if a.h245:
        h225_taddr(w, a.h245)
    endpoint_type(w)
    w.octets(a.conf_id)
    adds[0] = call_identifier(a.call_id)
    token_adds(a, adds, 2)
    return 4


def uuie_facility(a, w, adds):
    w.bit(1).uint_bits(0b001, 3)		# conferenceID only
    w.octet_string(PROTOCOL_ID)
    w.octets(a.conf_id)
    if a.h245:
        w.choice(5, 4, ext_value=b'')		# startH245
        adds[6] = encode(h225_taddr, a.h245)
    else:
        w.choice(10, 4, ext_value=b'')		# transportedInformation
    adds[0] = call_identifier(a.call_id)
    token_adds(a, adds, 3)
    return 7


def uuie_release(a, w, adds):
    w.bit(1).bit(1)
    w.octet_string(PROTOCOL_ID)
    w.choice(11, 12)				# undefinedReason
    adds[0] = call_identifier(a.call_id)
    token_adds(a, adds, 1)
    return None


UUIE_BUILDERS = {
    'setup': uuie_setup, 'callproceeding': uuie_proceeding,
    'alerting': uuie_proceeding, 'connect': uuie_connect,
    'facility': uuie_facility, 'releasecomplete': uuie_release,
}


def user_information(a):
    """H323-UserInformation for message a.msg, per the options in a."""
    body = Per()
    adds = {}
    fs_idx = UUIE_BUILDERS[a.msg](a, body, adds)
    olcs = fs_olcs(a)
    if olcs and fs_idx is not None:
        adds[fs_idx] = faststart(olcs)
    body.extensions(adds)
    w = Per()
    w.bit(0).bit(0)				# UserInformation: ext, user-data
    w.bit(1).bit(bool(a.nsd))			# UU-PDU: ext, nonStandardData
    w.choice(UUIE_INDEX[a.msg], 7)
    pdu = Per()
    pdu.bits = w.bits + body.bits
    if a.nsd:
        avaya_nonstandard(pdu, bytes.fromhex(a.nsd))
    pdu_adds = {1: bool_open(a.tunnelling or bool(tunnelled(a)))}
    msgs = tunnelled(a)
    if msgs:
        c = Per().length(len(msgs))
        for m in msgs:
            c.octet_string(m)
        pdu_adds[2] = c.bytes()
    if a.nsc:
        c = Per().length(1)
        avaya_nonstandard(c, bytes.fromhex(a.nsc))
        pdu_adds[3] = c.bytes()
    pdu.extensions(pdu_adds)
    return pdu.bytes()


def fs_olcs(a):
    """fastStart: forward (RTCP only) + reverse (RTP+RTCP) per --fs addr."""
    out = []
    for i, text in enumerate(a.fs or []):
        ip, port = parse_addr(text)
        rtp, rtcp = (ip, port), (ip, port + 1)
        if a.msg == 'setup':
            out.append(olc_body(i + 1, ctrl=rtcp, rev_media=rtp,
                                rev_ctrl=rtcp))
        else:
            out.append(olc_body(i + 1, media=rtp, ctrl=rtcp))
    return out


def tunnelled(a):
    msgs = []
    for text in a.tunnel_olc or []:
        ip, port = parse_addr(text)
        msgs.append(h245_olc(a.channel, ctrl=(ip, port + 1)))
    for text in a.tunnel_olc_ack or []:
        ip, port = parse_addr(text)
        msgs.append(h245_olc_ack(a.channel, (ip, port), (ip, port + 1)))
    msgs += tunnelled_extra(a)
    if a.tunnel_end:
        msgs.append(h245_end_session())
    return msgs


def tunnelled_extra(a):
    """--tunnel-h245 KIND:CHANNEL[:IP:PORT]: olc (RTCP at IP:PORT+1),
    olcack (media IP:PORT, RTCP PORT+1), olcack-rtp (media IP:PORT only)
    or clc of any channel, in order."""
    msgs = []
    for spec in a.tunnel_h245 or []:
        kind, rest = spec.split(':', 1)
        channel, _, addr = rest.partition(':')
        channel = int(channel)
        if kind == 'clc':
            msgs.append(h245_clc(channel))
            continue
        ip, port = parse_addr(addr)
        if kind == 'olc':
            msgs.append(h245_olc(channel, ctrl=(ip, port + 1)))
        elif kind == 'olcack':
            msgs.append(h245_olc_ack(channel, (ip, port), (ip, port + 1)))
        elif kind == 'olcack-rtp':	# no mediaControlChannel: RTCP implied
            msgs.append(h245_olc_ack(channel, (ip, port)))
        else:
            raise ValueError(f'--tunnel-h245 {spec}: olc, olcack, olcack-rtp or clc')
    return msgs


def q931(a):
    uuie = user_information(a)
    cref = a.cref | (0x8000 if a.msg != 'setup' else 0)
    out = bytes([0x08, 2]) + cref.to_bytes(2, 'big')
    out += bytes([Q931_TYPES[a.msg]])
    if a.msg == 'setup':
        out += bytes([0x04, 0x03, 0x80, 0x90, 0xa5])	# bearer: speech
        out += bytes([0x6c, 0x02, 0x00, 0x80])		# calling number
        out += bytes([0x70, 0x05, 0x81]) + b'4711'	# called number
    ie = bytes([0x05]) + uuie
    out += bytes([0x7e]) + len(ie).to_bytes(2, 'big') + ie
    return out


def h245_message(a):
    if a.msg == 'olc':
        return h245_olc(a.channel, a.media and parse_addr(a.media),
                        a.ctrl and parse_addr(a.ctrl),
                        a.rev_media and parse_addr(a.rev_media),
                        a.rev_ctrl and parse_addr(a.rev_ctrl))
    if a.msg == 'olcack':
        return h245_olc_ack(a.channel, a.media and parse_addr(a.media),
                            a.ctrl and parse_addr(a.ctrl))
    if a.msg == 'clc':
        return h245_clc(a.channel)
    return h245_end_session()


# ---------------------------------------------------------------- replay

def extract(pcap, addr_map, port_map):
    """TCP payloads of @pcap in order, with IPv4 addresses rewritten.

    Every occurrence of an old address (4 octets) followed by a port in
    @port_map, or of the bare address, is replaced: in this capture the
    addresses appear in payloads only inside TransportAddresses.
    """
    from scapy.all import IP, TCP, rdpcap	# pylint: disable=import-outside-toplevel
    flows = []
    seen = set()
    for pkt in rdpcap(pcap):
        if IP not in pkt or TCP not in pkt:
            continue
        ip, tcp = pkt[IP], pkt[TCP]
        # IP's length, not the frame's: Ethernet pads short frames.
        size = ip.len - ip.ihl * 4 - tcp.dataofs * 4
        payload = bytes(tcp.payload)[:max(size, 0)]
        key = (ip.src, ip.dst, tcp.sport, tcp.dport, tcp.seq, len(payload))
        if not payload or key in seen:		# drop retransmissions
            continue
        seen.add(key)
        flows.append({
            'src': addr_map.get(ip.src, ip.src),
            'dst': addr_map.get(ip.dst, ip.dst),
            'sport': tcp.sport, 'dport': tcp.dport,
            'payload': patch(payload, addr_map, port_map).hex(),
        })
    return flows


def patch(payload, addr_map, port_map):
    out = bytearray(payload)
    for old, new in addr_map.items():
        o = ipaddress.ip_address(old).packed
        n = ipaddress.ip_address(new).packed
        pos = out.find(o)
        while pos >= 0:
            out[pos:pos + 4] = n
            port = int.from_bytes(out[pos + 4:pos + 6], 'big')
            if (old, port) in port_map and len(out) >= pos + 6:
                out[pos + 4:pos + 6] = port_map[(old, port)].to_bytes(2, 'big')
            pos = out.find(o, pos + 4)
    return bytes(out)


# ---------------------------------------------------------------- CLI

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('msg', choices=sorted(Q931_TYPES) +
                   ['olc', 'olcack', 'clc', 'endsession', 'extract'])
    p.add_argument('pcap', nargs='?', help='capture, for extract')
    p.add_argument('--cref', type=int, default=1)
    p.add_argument('--h245', type=parse_addr, help='h245Address IP:PORT')
    p.add_argument('--src-csa', type=parse_addr)
    p.add_argument('--dst-csa', type=parse_addr)
    p.add_argument('--fs', action='append',
                   help='fastStart RTP IP:PORT (RTCP is PORT+1)')
    p.add_argument('--tunnelling', action='store_true')
    p.add_argument('--tunnel-olc', action='append',
                   help='tunnelled OLC, RTCP at IP:PORT+1')
    p.add_argument('--tunnel-olc-ack', action='append',
                   help='tunnelled OLCAck, media IP:PORT, RTCP PORT+1')
    p.add_argument('--tunnel-h245', action='append',
                   help='tunnelled olc:CH:IP:PORT, olcack:CH:IP:PORT or clc:CH')
    p.add_argument('--tunnel-end', action='store_true',
                   help='tunnelled endSessionCommand')
    p.add_argument('--nsc', help='Avaya nonStandardControl data, hex')
    p.add_argument('--nsd', help='nonStandardData in the UU-PDU, hex')
    p.add_argument('--tokens', action='store_true',
                   help='H.235 ClearToken in the UUIE')
    p.add_argument('--crypto-tokens', action='store_true',
                   help='H.235 CryptoH323Token (cryptoEPPwdHash) in the UUIE')
    p.add_argument('--channel', type=int, default=1)
    p.add_argument('--media', help='H.245 mediaChannel IP:PORT')
    p.add_argument('--ctrl', help='H.245 mediaControlChannel IP:PORT')
    p.add_argument('--rev-media')
    p.add_argument('--rev-ctrl')
    p.add_argument('--map', action='append', default=[],
                   help='extract: OLD=NEW address, or OLD:P=NEW:Q')
    p.add_argument('--raw', action='store_true', help='bytes, not hex')
    p.add_argument('-o', '--output', help='file instead of stdout')
    a = p.parse_args(argv)
    a.conf_id = bytes(range(0x10, 0x20))
    a.call_id = bytes(range(0x20, 0x30))

    if a.msg == 'extract':
        addr_map, port_map = {}, {}
        for m in a.map:
            old, new = m.split('=')
            if ':' in old:
                (oip, oport), (nip, nport) = old.split(':'), new.split(':')
                port_map[(oip, int(oport))] = int(nport)
                addr_map[oip] = nip
            else:
                addr_map[old] = new
        text = json.dumps(extract(a.pcap, addr_map, port_map), indent=1)
        out = open(a.output, 'w') if a.output else sys.stdout
        out.write(text + '\n')
        return 0
    if a.msg in Q931_TYPES:
        data = tpkt(q931(a))
    else:
        data = tpkt(h245_message(a))
    if a.raw:
        out = open(a.output, 'wb') if a.output else sys.stdout.buffer
        out.write(data)
    else:
        out = open(a.output, 'w') if a.output else sys.stdout
        out.write(data.hex() + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
