#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 The nf_conntrack_avaya authors
#
# tshark as the independent oracle for tests/lib/h225ras.py: build every
# kind of RAS message, wrap each in a UDP/1719 pcap (scapy), and check that
# tshark's H.225.0 dissector decodes exactly what was asked for, with no
# "Malformed" or expert warning. Also checks that the byte arrays pasted into
# tests/kunit/avaya_ras_vectors.h are still what h225ras.py produces.
#
# Prints PASS:/FAIL: lines and "N passed, M failed"; exits 1 on any failure.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
command -v tshark >/dev/null || { echo "SKIP: tshark not installed"; exit 0; }

# scapy comes from Debian's python3-scapy; a pyenv python may not see it.
py=python3
for cand in python3 /usr/bin/python3; do
	if "$cand" -c 'import scapy' 2>/dev/null; then
		py=$cand
		break
	fi
done
"$py" -c 'import scapy' 2>/dev/null || { echo "SKIP: python3-scapy missing"; exit 0; }

tmp=$(mktemp -d)
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

TOP="$top" TMP="$tmp" "$py" - <<'PY'
import os
import re
import shlex
import subprocess
import sys

from scapy.all import IP, UDP, Ether, Raw, wrpcap

top = os.environ["TOP"]
tmp = os.environ["TMP"]
enc = os.path.join(top, "tests/lib/h225ras.py")
vectors = os.path.join(top, "tests/kunit/avaya_ras_vectors.h")

FIELDS = ["h225.RasMessage", "h225.requestSeqNum", "h225.ipV4",
          "h225.ipV4_port", "h225.ipV6", "h225.ipV6_port", "h225.timeToLive",
          "h225.keepAlive", "h225.tokens", "h225.cryptoTokens",
          "h225.endpointIdentifier", "h225.gatekeeperIdentifier",
          "h225.alternateGatekeeper", "h225.rejectReason",
          "h225.callSignalAddress", "h225.rasAddress",
          "h225.t35CountryCode", "h225.manufacturerCode"]

# (name, h225ras.py arguments, {field: expected}); fields not listed must be
# empty; "~X" means X is one of the comma-separated values. h225.rasAddress
# is the TransportAddress CHOICE (0 ipAddress, 3 ip6Address) of a single
# address (GRQ/GCF, AlternateGK), but the item count of RRQ's list.
CASES = [
    ("grq", "grq --seq 1 --ras 10.0.1.2:49300 --nonstd --alias 2001",
     {"RasMessage": "0", "requestSeqNum": "1", "ipV4": "10.0.1.2",
      "ipV4_port": "49300", "rasAddress": "0", "t35CountryCode": "181,181",
      "manufacturerCode": "16726,16726"}),
    ("gcf", "gcf --seq 1 --ras 10.0.0.1:1719 --gk-id AvayaGK"
     " --alt-gk 10.0.0.2:1719 --alt-gk 10.0.0.3:1719",
     {"RasMessage": "1", "requestSeqNum": "1",
      "ipV4": "10.0.0.1,10.0.0.2,10.0.0.3", "ipV4_port": "1719,1719,1719",
      "gatekeeperIdentifier": "AvayaGK", "alternateGatekeeper": "2",
      "rasAddress": "0,0,0"}),
    ("grj", "grj --seq 2 --reason 1 --alt-gk 10.0.0.9:1719 --crypto-tokens",
     {"RasMessage": "2", "requestSeqNum": "2", "rejectReason": "1",
      "ipV4": "10.0.0.9", "ipV4_port": "1719", "alternateGatekeeper": "1",
      "rasAddress": "0", "cryptoTokens": "1"}),
    ("rrq", "rrq --seq 5 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300"
     " --ttl 3600 --tokens --crypto-tokens --nonstd --alias 2001 --gk-id GK1",
     {"RasMessage": "3", "requestSeqNum": "5", "ipV4": "10.0.1.2,10.0.1.2",
      "ipV4_port": "1720,49300", "timeToLive": "3600", "keepAlive": "0",
      "tokens": "1", "cryptoTokens": "1", "gatekeeperIdentifier": "GK1",
      "callSignalAddress": "1", "rasAddress": "1",
      "t35CountryCode": "181,181,181",
      "manufacturerCode": "16726,16726,16726"}),
    ("rrq_keepalive", "rrq --seq 6 --csa 10.0.1.2:1720"
     " --ras 10.0.1.2:49300 --ttl 600 --keepalive --endpoint-id 00000001"
     " --gk-id GK1 --crypto-tokens",
     {"RasMessage": "3", "requestSeqNum": "6", "ipV4": "10.0.1.2,10.0.1.2",
      "ipV4_port": "1720,49300", "timeToLive": "600", "keepAlive": "1",
      "cryptoTokens": "1", "endpointIdentifier": "00000001",
      "gatekeeperIdentifier": "GK1", "callSignalAddress": "1",
      "rasAddress": "1", "t35CountryCode": "~181",
      "manufacturerCode": "~16726"}),
    ("rrq_multi", "rrq --seq 7 --csa 10.0.1.2:1720 --csa 10.0.1.3:1720"
     " --csa 192.168.1.2:1721 --csa 172.16.0.2:1722 --csa 10.9.9.9:1723"
     " --ras 10.0.1.2:49300 --ras 10.0.1.3:49301",
     {"RasMessage": "3", "requestSeqNum": "7",
      "ipV4": "10.0.1.2,10.0.1.3,192.168.1.2,172.16.0.2,10.9.9.9,"
              "10.0.1.2,10.0.1.3",
      "ipV4_port": "1720,1720,1721,1722,1723,49300,49301",
      "keepAlive": "0", "callSignalAddress": "5", "rasAddress": "2",
      "t35CountryCode": "~181", "manufacturerCode": "~16726"}),
    ("rrq_v6", "rrq --seq 8 --csa [2001:db8::2]:1720"
     " --ras [2001:db8::2]:49300 --ttl 120",
     {"RasMessage": "3", "requestSeqNum": "8",
      "ipV6": "2001:db8::2,2001:db8::2", "ipV6_port": "1720,49300",
      "timeToLive": "120", "keepAlive": "0", "callSignalAddress": "1",
      "rasAddress": "1", "t35CountryCode": "~181",
      "manufacturerCode": "~16726"}),
    ("rrq_exotic", "rrq --seq 11 --exotic --csa 10.0.1.2:1720"
     " --ras 10.0.1.2:49300",
     {"RasMessage": "3", "requestSeqNum": "11", "ipV4": "10.0.1.2,10.0.1.2",
      "ipV4_port": "1720,49300", "keepAlive": "0", "callSignalAddress": "4",
      "rasAddress": "3", "t35CountryCode": "181,181,181",
      "manufacturerCode": "16726,16726,16726"}),
    ("rcf", "rcf --seq 5 --csa 10.0.0.1:1720 --ttl 20 --endpoint-id X"
     " --alt-gk 10.0.0.2:1719 --gk-id GK1 --nonstd",
     {"RasMessage": "4", "requestSeqNum": "5",
      "ipV4": "10.0.0.1,10.0.0.2", "ipV4_port": "1720,1719",
      "timeToLive": "20", "endpointIdentifier": "X",
      "gatekeeperIdentifier": "GK1", "alternateGatekeeper": "1",
      "rasAddress": "0", "callSignalAddress": "1", "t35CountryCode": "181",
      "manufacturerCode": "16726"}),
    ("rcf_v6", "rcf --seq 9 --csa [2001:db8::1]:1720"
     " --alt-gk [2001:db8::3]:1719 --ttl 300 --endpoint-id EP6",
     {"RasMessage": "4", "requestSeqNum": "9",
      "ipV6": "2001:db8::1,2001:db8::3", "ipV6_port": "1720,1719",
      "timeToLive": "300", "endpointIdentifier": "EP6",
      "alternateGatekeeper": "1", "rasAddress": "3",
      "callSignalAddress": "1"}),
    ("rrj", "rrj --seq 7 --reason 4 --alt-gk 10.0.0.2:1719 --tokens",
     {"RasMessage": "5", "requestSeqNum": "7", "rejectReason": "4",
      "ipV4": "10.0.0.2", "ipV4_port": "1719", "alternateGatekeeper": "1",
      "rasAddress": "0", "tokens": "1"}),
    ("urq", "urq --seq 8 --csa 10.0.1.2:1720 --endpoint-id 00000001"
     " --gk-id GK1 --crypto-tokens --nonstd --alt-gk 10.0.0.2:1719",
     {"RasMessage": "6", "requestSeqNum": "8",
      "ipV4": "10.0.1.2,10.0.0.2", "ipV4_port": "1720,1719",
      "endpointIdentifier": "00000001", "gatekeeperIdentifier": "GK1",
      "cryptoTokens": "1", "alternateGatekeeper": "1", "rasAddress": "0",
      "callSignalAddress": "1", "t35CountryCode": "181",
      "manufacturerCode": "16726"}),
    ("urq_v6", "urq --seq 10 --csa [2001:db8::2]:1720 --csa 10.0.1.2:1720",
     {"RasMessage": "6", "requestSeqNum": "10", "ipV6": "2001:db8::2",
      "ipV6_port": "1720", "ipV4": "10.0.1.2", "ipV4_port": "1720",
      "callSignalAddress": "2"}),
    ("ucf", "ucf --seq 8 --tokens",
     {"RasMessage": "7", "requestSeqNum": "8", "tokens": "1"}),
    ("urj", "urj --seq 9 --reason 0 --alt-gk 10.0.0.2:1719 --nonstd",
     {"RasMessage": "8", "requestSeqNum": "9", "rejectReason": "0",
      "ipV4": "10.0.0.2", "ipV4_port": "1719", "alternateGatekeeper": "1",
      "rasAddress": "0", "t35CountryCode": "181",
      "manufacturerCode": "16726"}),
]

passed = failed = 0


def report(ok, msg):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS: {msg}")
    else:
        failed += 1
        print(f"FAIL: {msg}")


def build(args):
    return subprocess.run([sys.executable, enc] + shlex.split(args),
                          check=True, capture_output=True).stdout


def tshark(pcap, *extra):
    return subprocess.run(["tshark", "-n", "-r", pcap] + list(extra),
                          check=True, capture_output=True,
                          text=True).stdout


def matches(want, got):
    if want.startswith("~"):
        return want[1:] in got.split(",")
    return want == got


for name, args, expect in CASES:
    data = build(args)
    pcap = os.path.join(tmp, f"{name}.pcap")
    wrpcap(pcap, [Ether() / IP(src="10.0.1.2", dst="10.0.0.1") /
                  UDP(sport=1719, dport=1719) / Raw(data)])
    verbose = tshark(pcap, "-V")
    bad = [w for w in ("Malformed", "Expert Info (Warning",
                       "Expert Info (Error", "UNKNOWN PER")
           if w in verbose]
    report(not bad and "H.225.0 RAS" in verbose,
           f"{name}: tshark decodes it cleanly {bad if bad else ''}")
    row = tshark(pcap, "-T", "fields", "-E", "aggregator=,",
                 *sum((["-e", f] for f in FIELDS), [])).rstrip("\n")
    got = dict(zip((f.split(".", 1)[1] for f in FIELDS), row.split("\t")))
    wrong = []
    for field, value in got.items():
        want = expect.get(field, "")
        if not matches(want, value):
            wrong.append(f"{field}: want '{want}' got '{value}'")
    report(not wrong, f"{name}: fields {'; '.join(wrong)}")

# The KUnit vectors must be the very bytes checked above.
if os.path.exists(vectors):
    text = open(vectors).read()
    arrays = re.findall(r"/\*\s*\* (h225ras\.py [^/]*?)\s*\*/\s*"
                        r"static const u8 (\w+)\[\] = \{([^}]*)\};", text)
    for cmd, cname, body in arrays:
        cmd = " ".join(w for w in cmd.split() if w != "*")
        want = bytes(int(x, 16) for x in re.findall(r"0x([0-9a-f]{2})",
                                                    body))
        got = build(cmd.split(" ", 1)[1])
        report(got == want, f"vector {cname} matches '{cmd}'")
    report(len(arrays) > 0, f"{len(arrays)} generated vectors found")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
