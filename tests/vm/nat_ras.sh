#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# avaya-vm: ownboot (it unloads our modules: a guest of its own)
# avaya-vm: kernel oldest (make check's 60 minutes; NAT of RAS: nat_call, sip_nat_pinhole and sip_bodies cover the NAT glue on both kernels)
#
# nf_nat_avaya: H.323 RAS for phones behind source NAT.
#
#   phones 10.0.1.2/.3/.4:49300 --- fw: default drop, ct helper "avaya-ras",   --- gatekeeper 10.0.2.2:1719
#                                  snat to 203.0.113.1 out of gk0 (the public
#                                  address, also on gk0, so that unexpected
#                                  connections to it end on the firewall)
#
# The gatekeeper keeps 10.0.2.2 and sees every phone as 203.0.113.1.
# 0. nft's ct helper loads nf_conntrack_avaya, which pulls nf_nat_avaya in.
# 1. One phone registers: the RRQ the gatekeeper gets carries 203.0.113.1
#    and the mapped ports (byte-exact, and as tshark decodes it);
#    gatekeeper:61440 -> 203.0.113.1:1720 reaches the phone's tcp/1720,
#    :5555, :61445 and 203.0.113.1:1721 do not. URQ is rewritten and closes.
# 2. Three phones behind 203.0.113.1 (TTL 20 s, keepalive RRQ every 8 s for
#    32 s): distinct stable public ports (1720 for the first, the others from
#    nat_sig_ports), each reaching its own phone at the end. Then with a
#    one-port plan the ports are exact (1720, 11720) and the third phone is
#    refused loudly (its RRQ never reaches the gatekeeper).
# 3. An RRQ with H.235 cryptoTokens passes byte-identical and the pinhole to
#    203.0.113.1:1720 still reaches the phone.
# 4. rmmod nf_nat_avaya during a registration, keepalives meanwhile, modprobe:
#    the NATed pinholes go and come back, URQ leaves no expectation.
set -u
. "$(dirname "$0")/lib.sh"

RAS="python3 $TOP/tests/lib/h225ras.py"
PUB=203.0.113.1
work=$(mktemp -d)
PARAMS=/sys/module/nf_nat_avaya/parameters

msg() {	# NAME ARGS...: build a RAS message into $work/NAME
	local name=$1
	shift
	$RAS "$@" -o "$work/$name"
}

counter() {
	fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya
}

echo "== 0. autoload"
rmmod nf_nat_avaya nf_conntrack_avaya 2>/dev/null
setup_topology
fw ip addr add $PUB/32 dev gk0
fw nft -f - <<EOF
table inet fw {
	ct helper ras {
		type "avaya-ras" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 ip daddr 10.0.2.2 udp dport 1719 ct helper set "ras" accept
	}
}
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat;
		oifname "gk0" snat to $PUB
	}
}
EOF
check "nft's ct helper loaded nf_conntrack_avaya" test -d /sys/module/nf_conntrack_avaya
check "... and nf_nat_avaya came with it" test -d /sys/module/nf_nat_avaya

for i in 2 3 4; do
	bg ph $NU tcp-serve "10.0.1.$i:1720" --count 1000
done
bg ph $NU tcp-serve 10.0.1.2:1721 --count 1000
wait_listen ph tcp 1720 && wait_listen ph tcp 1721

# exchange REQUEST REPLY PHONE: one RAS round trip; the gatekeeper saves the
# request as $work/rx.REQUEST.0.
exchange() {
	rm -f "$work/rx.$1.0"
	bg gk $NU udp-serve 10.0.2.2:1719 --reply "$work/$2" --count 1 --timeout 5 \
		--save "$work/rx.$1" >/dev/null
	wait_listen gk udp 1719 || return 1
	ph $NU udp-send "$3:49300" 10.0.2.2:1719 "$work/$1" \
		--expect-reply "$work/got" --timeout 3 >/dev/null || return 1
	wait_bg
	cmp -s "$work/got" "$work/$2"
}

# The public source port the firewall mapped a phone's RAS flow to.
ras_port() {
	fw conntrack -L -p udp -s "$1" 2>/dev/null |
		sed -n "s/.*src=10.0.2.2 dst=$PUB sport=1719 dport=\([0-9]*\).*/\1/p" | head -n 1
}

# lands_on SRC_PORT PUBLIC_PORT PHONE: the gatekeeper's connection to the
# public address completes and the firewall sent it to PHONE:1720.
lands_on() {
	forget_tcp
	tcp_try gk "10.0.2.2:$1" "$PUB:$2" 1.5 || return 1
	fw conntrack -L -p tcp --orig-dst $PUB 2>/dev/null |
		grep -q "sport=$1 dport=$2 .*src=$3 dst=10.0.2.2 sport=1720 dport=$1"
}

reverse() {	# SRC_PORT DST_IP DST_PORT: is the handshake admitted at all?
	forget_tcp
	tcp_try gk "10.0.2.2:$1" "$2:$3" 1.5
}

n_expect() {	# how many expectations match a pattern
	expect_lines | grep -c "$1"
}

# A pcap of saved payloads (no scapy: plain IPv4/UDP), for tshark.
pcap_of() {	# OUT FILE...
	local out=$1
	shift
	/usr/bin/python3 - "$out" "$@" <<'PY'
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
for f in sys.argv[2:]:
    pl = open(f, "rb").read()
    udp = struct.pack("!HHHH", 49300, 1719, 8 + len(pl), 0) + pl
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                      bytes([203, 0, 113, 1]), bytes([10, 0, 2, 2]))
    s = sum(struct.unpack("!10H", hdr))
    s = (s & 0xffff) + (s >> 16)
    hdr = hdr[:10] + struct.pack("!H", ~s & 0xffff) + hdr[12:]
    pkt = hdr + udp
    out.write(struct.pack("<IIII", 0, 0, len(pkt), len(pkt)) + pkt)
PY
}

# "ips ports" of every H.225 IPv4 address of each frame, csa before ras.
tshark_addrs() {
	tshark -r "$1" -T fields -E separator=' ' -e h225.ipV4 -e h225.ipV4_port 2>/dev/null
}

echo "== 1. one phone behind $PUB"
msg rrq rrq --seq 11 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 --alias 4711
msg rcf rcf --seq 11 --csa 10.0.2.2:1720 --ttl 3600 --endpoint-id EP4711
msg urq urq --seq 12 --csa 10.0.1.2:1720 --endpoint-id EP4711
msg ucf ucf --seq 12
check "RRQ passes, the RCF comes back" exchange rrq rcf 10.0.1.2
rp=$(ras_port 10.0.1.2)
echo "phone 10.0.1.2:49300 RAS maps to $PUB:${rp:-?}"
msg rrq.want rrq --seq 11 --csa $PUB:1720 --ras "$PUB:${rp:-0}" --alias 4711
check "the gatekeeper's RRQ is the phone's with csa $PUB:1720, ras $PUB:$rp, byte for byte" \
	cmp "$work/rx.rrq.0" "$work/rrq.want"
pcap_of "$work/rrq.pcap" "$work/rx.rrq.0"
got=$(tshark_addrs "$work/rrq.pcap")
echo "tshark: $got"
check "tshark decodes callSignalAddress/rasAddress $PUB:1720/$PUB:$rp" \
	test "$got" = "$PUB,$PUB 1720,$rp"
expect_lines
check "two NATed expectations to $PUB:1720 (61440/14 + 61444/16)" \
	test "$(n_expect "dst=$PUB sport=[0-9]* dport=1720")" -eq 2
check "no expectation to the private address" test "$(n_expect dst=10.0.1.2)" -eq 0
for p in 61440 61444; do
	check "gatekeeper:$p -> $PUB:1720 reaches 10.0.1.2:1720" lands_on $p 1720 10.0.1.2
done
for p in 5555 61445; do
	check_not "gatekeeper:$p -> $PUB:1720 is blocked" reverse $p $PUB 1720
done
check_not "gatekeeper:61440 -> $PUB:1721 is blocked" reverse 61440 $PUB 1721
check_not "gatekeeper:61440 -> 10.0.1.2:1720 (private) is blocked" reverse 61440 10.0.1.2 1720
check "nat_ras_rewritten counted" test "$(counter nat_ras_rewritten)" -ge 1
check "URQ/UCF passes" exchange urq ucf 10.0.1.2
msg urq.want urq --seq 12 --csa $PUB:1720 --endpoint-id EP4711
check "the URQ is rewritten too" cmp "$work/rx.urq.0" "$work/urq.want"
check "no expectation left after URQ" test "$(expect_lines | grep -c dport=1720)" -eq 0
check_not "after URQ gatekeeper:61440 -> $PUB:1720 is blocked" reverse 61440 $PUB 1720

echo "== 2. three phones behind $PUB, TTL 20 s, keepalives every 8 s"
declare -A port
for i in 2 3 4; do
	msg "rrq0.$i" rrq --seq 100 --csa "10.0.1.$i:1720" --ras "10.0.1.$i:49300" --ttl 20
	for round in 0 1 2 3 4; do
		[ "$round" -gt 0 ] && msg "rrq$round.$i" rrq --seq $((100 + round)) --keepalive \
			--csa "10.0.1.$i:1720" --ras "10.0.1.$i:49300" --ttl 20
		msg "rcf$round.$i" rcf --seq $((100 + round)) --csa 10.0.2.2:1720 --ttl 20 \
			--endpoint-id "EP$i"
	done
done
start=$SECONDS
ok=1
frames=()
for round in 0 1 2 3 4; do
	for i in 2 3 4; do
		exchange "rrq$round.$i" "rcf$round.$i" "10.0.1.$i" ||
			{ ok=0; echo "round $round phone $i: no RCF"; }
		frames+=("$work/rx.rrq$round.$i.0")
	done
	d=$((start + 8 * (round + 1) - SECONDS))
	[ "$round" -lt 4 ] && [ "$d" -gt 0 ] && sleep "$d"
done
check "15 RRQ/RCF rounds pass (t=$((SECONDS - start)) s)" test $ok = 1
pcap_of "$work/ka.pcap" "${frames[@]}"
tshark_addrs "$work/ka.pcap" > "$work/ka.txt"
k=0
for round in 0 1 2 3 4; do
	for i in 2 3 4; do
		k=$((k + 1))
		line=$(sed -n "${k}p" "$work/ka.txt")
		csa_port=${line#* }
		csa_port=${csa_port%%,*}
		if [ "$round" = 0 ]; then
			port[$i]=$csa_port
		elif [ "$csa_port" != "${port[$i]}" ]; then
			ok=0
			echo "round $round phone $i: port $csa_port, was ${port[$i]}"
		fi
		[ "${line%% *}" = "$PUB,$PUB" ] || { ok=0; echo "round $round phone $i: $line"; }
	done
done
echo "port plan (nat_sig_ports $(cat $PARAMS/nat_sig_ports)):"
for i in 2 3 4; do
	echo "  10.0.1.$i:1720 -> $PUB:${port[$i]} (RAS 10.0.1.$i:49300 -> $PUB:$(ras_port 10.0.1.$i))"
done
check "every keepalive RRQ carries $PUB and the phone's first port" test $ok = 1
check "the first phone keeps its own port 1720" test "${port[2]}" = 1720
check "three distinct public ports" \
	test "$(printf '%s\n' "${port[@]}" | sort -u | wc -l)" -eq 3
for i in 3 4; do
	check "phone .$i's port ${port[$i]} is in nat_sig_ports 11720-12743" \
		test "${port[$i]:-0}" -ge 11720 -a "${port[$i]:-0}" -le 12743
done
echo "t=$((SECONDS - start)) s after the first RRQ (TTL 20 + grace 10)"
for i in 2 3 4; do
	check "gatekeeper:61441 -> $PUB:${port[$i]} reaches 10.0.1.$i:1720" \
		lands_on 61441 "${port[$i]}" "10.0.1.$i"
done
check_not "gatekeeper:5555 -> $PUB:${port[3]} is blocked" reverse 5555 $PUB "${port[3]}"
for i in 2 3 4; do
	msg "urq$i" urq --seq 200 --csa "10.0.1.$i:1720" --endpoint-id "EP$i"
	msg ucf200 ucf --seq 200
	exchange "urq$i" ucf200 "10.0.1.$i" || echo "URQ $i failed"
done
check "no expectation left after three URQs" test "$(expect_lines | grep -c dport=)" -eq 0

echo "== 2b. a one-port plan: exact ports, then refusal"
echo 11720-11720 > $PARAMS/nat_sig_ports
# Distinct endpointIdentifiers: an equal one would supersede (same phone).
for i in 2 3 4; do
	msg "rcf100.$i" rcf --seq 100 --csa 10.0.2.2:1720 --ttl 60 --endpoint-id "EPB$i"
done
for i in 2 3; do
	msg "rrq$i" rrq --seq 100 --csa "10.0.1.$i:1720" --ras "10.0.1.$i:49300" --ttl 60
	check "phone .$i registers" exchange "rrq$i" "rcf100.$i" "10.0.1.$i"
done
check "phone .2 gets $PUB:1720" test "$(n_expect "dst=$PUB sport=[0-9]* dport=1720 ")" -eq 2
check "phone .3 gets $PUB:11720" test "$(n_expect "dst=$PUB sport=[0-9]* dport=11720 ")" -eq 2
check "gatekeeper:61440 -> $PUB:11720 reaches 10.0.1.3:1720" lands_on 61440 11720 10.0.1.3
before=$(counter nat_refused_no_port)
msg rrq4 rrq --seq 100 --csa 10.0.1.4:1720 --ras 10.0.1.4:49300 --ttl 60
check_not "phone .4's RRQ is refused (never reaches the gatekeeper)" exchange rrq4 rcf100.4 10.0.1.4
check "nat_refused_no_port counted" test "$(counter nat_refused_no_port)" -gt "${before:-0}"
check "phone .4 opened nothing" test "$(expect_lines | grep -c dport=)" -eq 4
dmesg | grep -m1 'nf_nat_avaya: no public signalling port' || true
for i in 2 3; do
	msg "urq$i" urq --seq 201 --csa "10.0.1.$i:1720"
	msg ucf201 ucf --seq 201
	exchange "urq$i" ucf201 "10.0.1.$i" >/dev/null
done
echo 11720-12743 > $PARAMS/nat_sig_ports
check "no expectation left" test "$(expect_lines | grep -c dport=)" -eq 0

echo "== 3. H.235 cryptoTokens: byte-identical, pinhole all the same"
before=$(counter nat_ras_protected_untouched)
msg rrqc rrq --seq 31 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 --crypto-tokens --ttl 60
msg rcfc rcf --seq 31 --csa 10.0.2.2:1720 --ttl 60 --endpoint-id EPC
check "protected RRQ passes, the RCF comes back" exchange rrqc rcfc 10.0.1.2
check "the protected RRQ reaches the gatekeeper byte-identical" cmp "$work/rx.rrqc.0" "$work/rrqc"
check "nat_ras_protected_untouched counted" \
	test "$(counter nat_ras_protected_untouched)" -gt "${before:-0}"
check "NATed pinhole to $PUB:1720" test "$(n_expect "dst=$PUB sport=[0-9]* dport=1720 ")" -eq 2
check "gatekeeper:61440 -> $PUB:1720 reaches 10.0.1.2:1720" lands_on 61440 1720 10.0.1.2
check_not "gatekeeper:5555 -> $PUB:1720 is blocked" reverse 5555 $PUB 1720
msg urqc urq --seq 32 --csa 10.0.1.2:1720 --crypto-tokens
msg ucfc ucf --seq 32
check "protected URQ passes" exchange urqc ucfc 10.0.1.2
check "the protected URQ is byte-identical" cmp "$work/rx.urqc.0" "$work/urqc"
check "no expectation left" test "$(expect_lines | grep -c dport=)" -eq 0

echo "== 4. rmmod/modprobe nf_nat_avaya during a registration"
msg rrq41 rrq --seq 41 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 --ttl 60
msg rcf41 rcf --seq 41 --csa 10.0.2.2:1720 --ttl 60 --endpoint-id EP41
check "registration" exchange rrq41 rcf41 10.0.1.2
check "two NATed expectations" test "$(n_expect "dst=$PUB sport=[0-9]* dport=1720 ")" -eq 2
check "rmmod nf_nat_avaya while registered" rmmod nf_nat_avaya
check "its expectations went with it" test "$(expect_lines | grep -c dport=)" -eq 0
msg rrq42 rrq --seq 42 --keepalive --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 --ttl 60
msg rcf42 rcf --seq 42 --csa 10.0.2.2:1720 --ttl 60 --endpoint-id EP41
check "keepalive passes without the NAT module" exchange rrq42 rcf42 10.0.1.2
expect_lines
check "modprobe nf_nat_avaya" modprobe nf_nat_avaya
msg rrq43 rrq --seq 43 --keepalive --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 --ttl 60
msg rcf43 rcf --seq 43 --csa 10.0.2.2:1720 --ttl 60 --endpoint-id EP41
check "keepalive after reload" exchange rrq43 rcf43 10.0.1.2
msg rrq43.want rrq --seq 43 --keepalive --csa $PUB:1720 --ras "$PUB:$(ras_port 10.0.1.2)" --ttl 60
check "it is rewritten again, same public port 1720" cmp "$work/rx.rrq43.0" "$work/rrq43.want"
check "exactly two NATed expectations again" test "$(expect_lines | grep -c dport=)" -eq 2 -a \
	"$(n_expect "dst=$PUB sport=[0-9]* dport=1720 ")" -eq 2
check "gatekeeper:61440 -> $PUB:1720 reaches 10.0.1.2:1720" lands_on 61440 1720 10.0.1.2
msg urq44 urq --seq 44 --csa 10.0.1.2:1720 --endpoint-id EP41
msg ucf44 ucf --seq 44
check "URQ/UCF" exchange urq44 ucf44 10.0.1.2
check "no expectation left after URQ" test "$(expect_lines | grep -c dport=)" -eq 0

echo "== counters"
fw cat /proc/net/nf_conntrack_avaya | grep -v ' 0$'
finish
