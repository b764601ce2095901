#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 The nf_conntrack_avaya authors
"""A small aligned-PER (X.691) encoder for the H.225.0 RAS messages that the
VM scenarios and the decoder test vectors need: GRQ/GCF/GRJ, RRQ/RCF/RRJ and
URQ/UCF/URJ, with IPv4 or IPv6 addresses, H.235 tokens and Avaya-flavoured
H.221 nonStandardData.

As a module: grq(...), rrq(...), ... return bytes.
As a tool:   h225ras.py rrq --seq 5 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300
             [--ttl 3600] [--keepalive] [--tokens] [--crypto-tokens]
             [--nonstd] [--endpoint-id ABC] [-o FILE | --hex]
"""
import argparse
import ipaddress
import sys

# protocolIdentifier 0.0.8.2250.0.4 (H.225.0 version 4), as Avaya sends it.
H225_V4_OID = bytes([0x00, 0x08, 0x91, 0x4A, 0x00, 0x04])
# H.235 token OIDs: 0.0.8.235.0.2.5 (timestamp token) and MD5.
H235_TOKEN_OID = bytes([0x00, 0x08, 0x81, 0x6B, 0x00, 0x02, 0x05])
MD5_OID = bytes([0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x05])
# H.221: country 181 (USA), extension 0, manufacturer 0x4156 ("AV", Avaya).
AVAYA_T35_COUNTRY = 181
AVAYA_T35_EXTENSION = 0
AVAYA_MANUFACTURER = 0x4156
AVAYA_RAS_PORT = 49300

RAS_ROOT = 25
RAS_INDEX = {"grq": 0, "gcf": 1, "grj": 2, "rrq": 3, "rcf": 4, "rrj": 5,
             "urq": 6, "ucf": 7, "urj": 8}


class PerWriter:
    """Bit-level aligned PER writer."""

    def __init__(self):
        self.bits = []

    def bit(self, b):
        self.bits.append(1 if b else 0)

    def uint_bits(self, v, n):
        for i in range(n - 1, -1, -1):
            self.bits.append((v >> i) & 1)

    def align(self):
        while len(self.bits) % 8:
            self.bits.append(0)

    def octets(self, data):
        self.align()
        for byte in data:
            self.uint_bits(byte, 8)

    def uint(self, v, lb, ub):
        """Constrained whole number (X.691 10.5.7, aligned variant)."""
        assert lb <= v <= ub, (v, lb, ub)
        rng = ub - lb + 1
        v -= lb
        if rng == 1:
            return
        if rng <= 255:
            self.uint_bits(v, (rng - 1).bit_length())
        elif rng == 256:
            self.octets([v])
        elif rng <= 65536:
            self.octets(v.to_bytes(2, "big"))
        else:
            n = max(1, (v.bit_length() + 7) // 8)
            self.uint_bits(n - 1, 2)
            self.octets(v.to_bytes(n, "big"))

    def length(self, n):
        """Unconstrained length determinant (no fragmentation)."""
        assert n < 16384
        if n < 128:
            self.octets([n])
        else:
            self.octets([0x80 | (n >> 8), n & 0xFF])

    def small(self, n):
        """Normally small non-negative whole number."""
        if n < 64:
            self.bit(0)
            self.uint_bits(n, 6)
        else:
            self.bit(1)
            data = n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")
            self.length(len(data))
            self.octets(data)

    def open_type(self, data):
        self.length(len(data))
        self.octets(data)

    def to_bytes(self):
        self.align()
        out = bytearray()
        for i in range(0, len(self.bits), 8):
            v = 0
            for b in self.bits[i:i + 8]:
                v = (v << 1) | b
            out.append(v)
        # X.691 10.1.3: an empty encoding of a complete type is one 0 octet
        return bytes(out) if out else b"\x00"


def encode(fn, *args):
    w = PerWriter()
    fn(w, *args)
    return w.to_bytes()


# ---------------------------------------------------------------- H.225.0 types

def parse_addr(text):
    """'10.0.1.2:1720' or '[2001:db8::1]:1720' -> (ipaddress, port)."""
    if text.startswith("["):
        host, _, port = text[1:].partition("]:")
    else:
        host, _, port = text.rpartition(":")
    return ipaddress.ip_address(host), int(port)


def choice(w, idx, nroot):
    """Root alternative of an extensible CHOICE."""
    w.bit(0)
    w.uint(idx, 0, nroot - 1)


# Non-IP TransportAddress alternatives, for decoder tests: each is skipped.
EXOTIC_CSA = ["srcroute:10.1.1.1:1720", "ipx", "netbios"]
EXOTIC_RAS = ["nsap", "nonstd"]


def exotic_address(w, kind):
    if kind.startswith("srcroute:"):
        ip, port = parse_addr(kind.split(":", 1)[1])
        choice(w, 1, 7)                 # ipSourceRoute
        w.bit(0)
        w.octets(ip.packed)
        w.uint(port, 0, 65535)
        w.length(2)                     # route
        w.octets(bytes([10, 2, 2, 2]))
        w.octets(bytes([10, 3, 3, 3]))
        choice(w, 1, 2)                 # routing: loose
    elif kind == "ipx":
        choice(w, 2, 7)
        w.octets(bytes([0x00, 0x11, 0x22, 0x33, 0x44, 0x55]))   # node
        w.octets(bytes([0, 0, 0, 1]))                            # netnum
        w.uint_bits(0x4000, 16)         # port: 2 fixed octets, unaligned
    elif kind == "netbios":
        choice(w, 4, 7)
        w.octets(b"AVAYA-GW-NETBIOS")
    elif kind == "nsap":
        choice(w, 5, 7)
        w.uint(20, 1, 20)
        w.octets(bytes(range(0x39, 0x39 + 20)))
    elif kind == "nonstd":
        choice(w, 6, 7)
        nonstandard_parameter(w, b"avaya-address")
    else:
        raise ValueError(kind)


def transport_address(w, addr):
    if isinstance(addr, str) and not addr[:1].isdigit() \
            and not addr.startswith("["):
        exotic_address(w, addr)
        return
    ip, port = parse_addr(addr) if isinstance(addr, str) else addr
    if ip.version == 4:
        choice(w, 0, 7)                 # ipAddress
    else:
        choice(w, 3, 7)                 # ip6Address
        w.bit(0)                        # its extension bit
    w.octets(ip.packed)
    w.uint(port, 0, 65535)


def transport_address_seq(w, addrs):
    w.length(len(addrs))
    for a in addrs:
        transport_address(w, a)


def oid(w, contents):
    w.length(len(contents))
    w.octets(contents)


def bmp_string(w, text, lb, ub):
    w.uint(len(text), lb, ub)
    w.octets(text.encode("utf-16-be"))


def h221_nonstandard(w, country=AVAYA_T35_COUNTRY, ext=AVAYA_T35_EXTENSION,
                     manufacturer=AVAYA_MANUFACTURER):
    w.bit(0)
    w.uint(country, 0, 255)
    w.uint(ext, 0, 255)
    w.uint(manufacturer, 0, 65535)


def nonstandard_parameter(w, data=b"\x01\x02CCMS avaya opaque\x00\x10"):
    choice(w, 1, 2)                     # h221NonStandard
    h221_nonstandard(w)
    w.length(len(data))
    w.octets(data)


def alias_address(w, alias):
    if alias and all(c in "0123456789#*," for c in alias):
        choice(w, 0, 2)                 # dialledDigits, 4 bits a digit
        w.uint(len(alias), 1, 128)
        w.align()
        for c in alias:
            w.uint_bits(_digit_code(c), 4)
    else:
        choice(w, 1, 2)                 # h323-ID
        bmp_string(w, alias, 1, 256)


def _digit_code(c):
    # X.691 27.5.4: the alphabet "#*,0123456789" has its largest value above
    # 15, so each character is encoded as its index in canonical order.
    return sorted("0123456789#*,").index(c)


def alias_seq(w, aliases):
    w.length(len(aliases))
    for a in aliases:
        alias_address(w, a)


def vendor_identifier(w, product=b"Avaya 9611G", version=b"6.8.5"):
    w.bit(0)
    w.uint_bits(0b11, 2)                # productId, versionId
    h221_nonstandard(w)
    w.uint(len(product), 1, 256)
    w.octets(product)
    w.uint(len(version), 1, 256)
    w.octets(version)


def endpoint_type(w, vendor=True):
    w.bit(0)
    w.uint_bits(0b010001 if vendor else 0b000001, 6)   # vendor?, terminal
    if vendor:
        vendor_identifier(w)
    w.bit(0)                            # TerminalInfo: no extension
    w.bit(0)                            # ... no nonStandardData
    w.bit(0)                            # mc
    w.bit(0)                            # undefinedNode


def clear_token(w, timestamp=1767225600, general_id="avaya"):
    w.bit(0)
    w.uint_bits(0b10000010, 8)          # timeStamp, generalID
    oid(w, H235_TOKEN_OID)
    w.uint(timestamp, 1, 0xFFFFFFFF)
    bmp_string(w, general_id, 1, 128)


def crypto_ep_pwd_hash(w, alias="2001", timestamp=1767225600):
    choice(w, 0, 8)                     # cryptoEPPwdHash
    alias_address(w, alias)
    w.uint(timestamp, 1, 0xFFFFFFFF)
    oid(w, MD5_OID)                     # HASHED{}: algorithmOID
    w.bit(0)                            # Params: no extension
    w.uint_bits(0, 2)                   # ... no ranInt, no iv8
    w.length(128)                       # hash BIT STRING
    w.octets(bytes(range(0xA0, 0xB0)))


def seq_of(w, items, fn):
    w.length(len(items))
    for item in items:
        fn(w, *item)


def alternate_gk(w, addr, priority=0):
    w.bit(0)
    w.bit(0)                            # no gatekeeperIdentifier
    transport_address(w, addr)
    w.bit(1)                            # needToRegister
    w.uint(priority, 0, 127)


def alternate_gk_seq(w, addrs):
    w.length(len(addrs))
    for prio, a in enumerate(addrs):
        alternate_gk(w, a, prio)


def alt_gk_info(w, addrs):
    w.bit(0)
    alternate_gk_seq(w, addrs)
    w.bit(0)                            # altGKisPermanent


def boolean(value):
    return encode(lambda w: w.bit(value))


def extensions(w, adds):
    """Extension additions {index: encoded bytes}, after an ext bit of 1."""
    n = max(adds) + 1
    w.small(n - 1)
    for i in range(n):
        w.bit(i in adds)
    for i in range(n):
        if i in adds:
            w.open_type(adds[i])


def token_additions(adds, tokens_idx, tokens, crypto_tokens):
    if tokens:
        adds[tokens_idx] = encode(seq_of, [()], clear_token)
    if crypto_tokens:
        adds[tokens_idx + 1] = encode(seq_of, [()], crypto_ep_pwd_hash)


def message(kind, optional, body, adds):
    """RasMessage CHOICE header, the SEQUENCE preamble, body, additions."""
    w = PerWriter()
    choice(w, RAS_INDEX[kind], RAS_ROOT)
    w.bit(bool(adds))
    for present in optional:
        w.bit(present)
    body(w)
    if adds:
        extensions(w, adds)
    return w.to_bytes()


# ---------------------------------------------------------------- RAS messages

def grq(seq=1, ras=f"10.0.1.2:{AVAYA_RAS_PORT}", gk_id=None, aliases=(),
        nonstd=False, tokens=False, crypto_tokens=False):
    def body(w):
        w.uint(seq, 1, 65535)
        oid(w, H225_V4_OID)
        if nonstd:
            nonstandard_parameter(w)
        transport_address(w, ras)
        endpoint_type(w)
        if gk_id:
            bmp_string(w, gk_id, 1, 128)
        if aliases:
            alias_seq(w, list(aliases))
    adds = {}
    token_additions(adds, 1, tokens, crypto_tokens)
    return message("grq", [nonstd, bool(gk_id), False, bool(aliases)],
                   body, adds)


def gcf(seq=1, ras="10.0.0.1:1719", gk_id=None, alt_gk=(), nonstd=False,
        tokens=False, crypto_tokens=False):
    def body(w):
        w.uint(seq, 1, 65535)
        oid(w, H225_V4_OID)
        if nonstd:
            nonstandard_parameter(w)
        if gk_id:
            bmp_string(w, gk_id, 1, 128)
        transport_address(w, ras)
    adds = {}
    if alt_gk:
        adds[0] = encode(alternate_gk_seq, list(alt_gk))
    token_additions(adds, 2, tokens, crypto_tokens)
    return message("gcf", [nonstd, bool(gk_id)], body, adds)


def grj(seq=1, reason=0, gk_id=None, alt_gk=(), nonstd=False, tokens=False,
        crypto_tokens=False):
    def body(w):
        w.uint(seq, 1, 65535)
        oid(w, H225_V4_OID)
        if nonstd:
            nonstandard_parameter(w)
        if gk_id:
            bmp_string(w, gk_id, 1, 128)
        choice(w, reason, 4)
    adds = {}
    if alt_gk:
        adds[0] = encode(alt_gk_info, list(alt_gk))
    token_additions(adds, 1, tokens, crypto_tokens)
    return message("grj", [nonstd, bool(gk_id)], body, adds)


def rrq(seq=1, csa=("10.0.1.2:1720",), ras=(f"10.0.1.2:{AVAYA_RAS_PORT}",),
        ttl=None, keepalive=False, endpoint_id=None, gk_id=None, aliases=(),
        nonstd=False, tokens=False, crypto_tokens=False):
    def body(w):
        w.uint(seq, 1, 65535)
        oid(w, H225_V4_OID)
        if nonstd:
            nonstandard_parameter(w)
        w.bit(1)                        # discoveryComplete
        transport_address_seq(w, list(csa))
        transport_address_seq(w, list(ras))
        endpoint_type(w)
        if aliases:
            alias_seq(w, list(aliases))
        if gk_id:
            bmp_string(w, gk_id, 1, 128)
        vendor_identifier(w)
    adds = {}
    if ttl is not None:
        adds[1] = encode(lambda w: w.uint(ttl, 1, 0xFFFFFFFF))
    token_additions(adds, 2, tokens, crypto_tokens)
    adds[5] = boolean(keepalive)
    if endpoint_id:
        adds[6] = encode(bmp_string, endpoint_id, 1, 128)
    adds[7] = boolean(False)            # willSupplyUUIEs
    adds[8] = boolean(False)            # maintainConnection
    return message("rrq", [nonstd, bool(aliases), bool(gk_id)], body, adds)


def ttl_raw(octets):
    """timeToLive with its 1..4 value octets as given, even out of range:
    the 2-bit length then the octets (X.691 10.5.7.4), for hostile tests."""
    def enc(w):
        assert 1 <= len(octets) <= 4
        w.uint_bits(len(octets) - 1, 2)
        w.octets(octets)
    return encode(enc)


def rcf(seq=1, csa=("10.0.0.1:1720",), endpoint_id="EP1", ttl=None,
        gk_id=None, alt_gk=(), aliases=(), nonstd=False, tokens=False,
        crypto_tokens=False, ttl_octets=None):
    def body(w):
        w.uint(seq, 1, 65535)
        oid(w, H225_V4_OID)
        if nonstd:
            nonstandard_parameter(w)
        transport_address_seq(w, list(csa))
        if aliases:
            alias_seq(w, list(aliases))
        if gk_id:
            bmp_string(w, gk_id, 1, 128)
        bmp_string(w, endpoint_id, 1, 128)
    adds = {}
    if alt_gk:
        adds[0] = encode(alternate_gk_seq, list(alt_gk))
    if ttl is not None:
        adds[1] = encode(lambda w: w.uint(ttl, 1, 0xFFFFFFFF))
    if ttl_octets is not None:
        adds[1] = ttl_raw(ttl_octets)
    token_additions(adds, 2, tokens, crypto_tokens)
    adds[5] = boolean(False)            # willRespondToIRR
    adds[7] = boolean(False)            # maintainConnection
    return message("rcf", [nonstd, bool(aliases), bool(gk_id)], body, adds)


def rrj(seq=1, reason=0, gk_id=None, alt_gk=(), nonstd=False, tokens=False,
        crypto_tokens=False):
    def body(w):
        w.uint(seq, 1, 65535)
        oid(w, H225_V4_OID)
        if nonstd:
            nonstandard_parameter(w)
        choice(w, reason, 8)
        if reason == 4:                 # duplicateAlias: SEQUENCE OF
            alias_seq(w, ["2001"])
        if gk_id:
            bmp_string(w, gk_id, 1, 128)
    adds = {}
    if alt_gk:
        adds[0] = encode(alt_gk_info, list(alt_gk))
    token_additions(adds, 1, tokens, crypto_tokens)
    return message("rrj", [nonstd, bool(gk_id)], body, adds)


def urq(seq=1, csa=("10.0.1.2:1720",), endpoint_id=None, gk_id=None,
        aliases=(), alt_gk=(), nonstd=False, tokens=False,
        crypto_tokens=False):
    def body(w):
        w.uint(seq, 1, 65535)
        transport_address_seq(w, list(csa))
        if aliases:
            alias_seq(w, list(aliases))
        if nonstd:
            nonstandard_parameter(w)
        if endpoint_id:
            bmp_string(w, endpoint_id, 1, 128)
    adds = {}
    if gk_id:
        adds[1] = encode(bmp_string, gk_id, 1, 128)
    token_additions(adds, 2, tokens, crypto_tokens)
    if alt_gk:
        adds[8] = encode(alternate_gk_seq, list(alt_gk))
    return message("urq", [bool(aliases), nonstd, bool(endpoint_id)],
                   body, adds)


def ucf(seq=1, nonstd=False, tokens=False, crypto_tokens=False):
    def body(w):
        w.uint(seq, 1, 65535)
        if nonstd:
            nonstandard_parameter(w)
    adds = {}
    token_additions(adds, 0, tokens, crypto_tokens)
    return message("ucf", [nonstd], body, adds)


def urj(seq=1, reason=0, alt_gk=(), nonstd=False, tokens=False,
        crypto_tokens=False):
    def body(w):
        w.uint(seq, 1, 65535)
        choice(w, reason, 3)
        if nonstd:
            nonstandard_parameter(w)
    adds = {}
    if alt_gk:
        adds[0] = encode(alt_gk_info, list(alt_gk))
    token_additions(adds, 1, tokens, crypto_tokens)
    return message("urj", [nonstd], body, adds)


BUILDERS = {"grq": grq, "gcf": gcf, "grj": grj, "rrq": rrq, "rcf": rcf,
            "rrj": rrj, "urq": urq, "ucf": ucf, "urj": urj}

# Which keyword arguments each builder accepts, for the command line.
ACCEPTS = {
    "grq": {"seq", "ras1", "gk_id", "aliases", "nonstd", "tokens",
            "crypto_tokens"},
    "gcf": {"seq", "ras1", "gk_id", "alt_gk", "nonstd", "tokens",
            "crypto_tokens"},
    "grj": {"seq", "reason", "gk_id", "alt_gk", "nonstd", "tokens",
            "crypto_tokens"},
    "rrq": {"seq", "csa", "ras", "ttl", "keepalive", "endpoint_id", "gk_id",
            "aliases", "nonstd", "tokens", "crypto_tokens"},
    "rcf": {"seq", "csa", "endpoint_id", "ttl", "gk_id", "alt_gk", "aliases",
            "nonstd", "tokens", "crypto_tokens", "ttl_octets"},
    "rrj": {"seq", "reason", "gk_id", "alt_gk", "nonstd", "tokens",
            "crypto_tokens"},
    "urq": {"seq", "csa", "endpoint_id", "gk_id", "aliases", "alt_gk",
            "nonstd", "tokens", "crypto_tokens"},
    "ucf": {"seq", "nonstd", "tokens", "crypto_tokens"},
    "urj": {"seq", "reason", "alt_gk", "nonstd", "tokens", "crypto_tokens"},
}


def build(kind, args):
    """Build a message from parsed command-line arguments."""
    ok = ACCEPTS[kind]
    kw = {"seq": args.seq}
    if args.ras:
        if "ras1" in ok:
            if len(args.ras) != 1:
                raise SystemExit(f"{kind}: exactly one --ras")
            kw["ras"] = args.ras[0]
        elif "ras" in ok:
            kw["ras"] = args.ras
        else:
            raise SystemExit(f"{kind}: no --ras")
    for name in ("csa", "alt_gk", "aliases"):
        val = getattr(args, name)
        if val:
            if name not in ok:
                raise SystemExit(f"{kind}: no --{name.replace('_', '-')}")
            kw[name] = val
    if args.ttl_octets is not None:
        if "ttl_octets" not in ok:
            raise SystemExit(f"{kind}: no --ttl-octets")
        kw["ttl_octets"] = bytes.fromhex(args.ttl_octets)
    for name in ("ttl", "endpoint_id", "gk_id", "reason"):
        val = getattr(args, name)
        if val is not None:
            if name not in ok:
                raise SystemExit(f"{kind}: no --{name.replace('_', '-')}")
            kw[name] = val
    if args.exotic:
        if kind != "rrq":
            raise SystemExit(f"{kind}: no --exotic")
        kw["csa"] = EXOTIC_CSA + list(kw.get("csa", ["10.0.1.2:1720"]))
        kw["ras"] = EXOTIC_RAS + list(kw.get("ras", ["10.0.1.2:49300"]))
    for name in ("keepalive", "nonstd", "tokens", "crypto_tokens"):
        if getattr(args, name):
            if name not in ok:
                raise SystemExit(f"{kind}: no --{name.replace('_', '-')}")
            kw[name] = True
    return BUILDERS[kind](**kw)


def c_array(name, data, comment):
    """A checkpatch-clean C array, tagged with the command that made it."""
    words, lines, cur = comment.split(), ["/*"], " *"
    for word in words:
        if len(cur) + 1 + len(word) > 76:
            lines.append(cur)
            cur = " *  "
        cur += " " + word
    lines += [cur, " */", f"static const u8 {name}[] = {{"]
    for i in range(0, len(data), 12):
        lines.append("\t" + " ".join(f"0x{b:02x}," for b in data[i:i + 12]))
    lines.append("};")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("kind", choices=sorted(BUILDERS))
    p.add_argument("--seq", type=int, default=1)
    p.add_argument("--csa", action="append", help="IP:PORT, repeatable")
    p.add_argument("--ras", action="append", help="IP:PORT, repeatable")
    p.add_argument("--alt-gk", dest="alt_gk", action="append",
                   help="alternate gatekeeper IP:PORT, repeatable")
    p.add_argument("--alias", dest="aliases", action="append")
    p.add_argument("--ttl", type=int)
    p.add_argument("--ttl-octets", dest="ttl_octets", metavar="HEX",
                   help="rcf: timeToLive as these 1-4 raw value octets, "
                   "unchecked (e.g. ffffffff, one past the upper bound)")
    p.add_argument("--keepalive", action="store_true")
    p.add_argument("--endpoint-id", dest="endpoint_id")
    p.add_argument("--gk-id", dest="gk_id")
    p.add_argument("--reason", type=int)
    p.add_argument("--nonstd", action="store_true")
    p.add_argument("--tokens", action="store_true")
    p.add_argument("--crypto-tokens", dest="crypto_tokens",
                   action="store_true")
    p.add_argument("--exotic", action="store_true",
                   help="rrq: put ipSourceRoute, ipx, netBios before the "
                   "callSignalAddresses and nsap, nonStandardAddress "
                   "before the rasAddresses")
    p.add_argument("-o", "--output", help="write to FILE (default stdout)")
    p.add_argument("--hex", action="store_true", help="print hex instead")
    p.add_argument("--c-array", dest="c_array", metavar="NAME",
                   help="print a C array NAME, for tests/kunit vectors")
    args = p.parse_args(argv)
    data = build(args.kind, args)
    if args.c_array:
        cmd = " ".join(["h225ras.py"] + list(argv if argv is not None
                                               else sys.argv[1:]))
        cmd = cmd.replace(f" --c-array {args.c_array}", "")
        print(c_array(args.c_array, data, cmd))
    elif args.hex:
        print(data.hex())
    elif args.output:
        with open(args.output, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
