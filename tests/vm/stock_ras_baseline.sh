#!/bin/bash
# avaya-vm: nomodules
# SPDX-License-Identifier: GPL-2.0-only
#
# The reference our helper must beat: Linux's stock "RAS" helper
# (nf_conntrack_h323) on a real RRQ/RCF pair.
#
#   phone 10.0.1.2 ---- fw (default drop, ct helper "RAS" on udp/1719) ---- gatekeeper 10.0.2.2
#
# The phone registers from udp/49300 with frames 61 (RRQ) and 62 (RCF, TTL
# 3600) of ndpi-h323.pcap, addresses patched to this topology. We assert what
# the stock helper does today: an expectation to phone:1720 with a wildcard
# source port (61440 and 5555 both pass, phone:2222 does not) that lives at
# most 240 s although the RCF grants 3600 s.
set -u
. "$(dirname "$0")/lib.sh"
need_captures

work=$(mktemp -d)
pcap=$CAPTURES/h323/ndpi-h323.pcap
patch_frame() {	# FRAME OUT
	python3 "$TOP/tests/lib/pcapkit.py" payload "$pcap" "$1" -o "$2" \
		--map-ep 17.2.0.124:2034=10.0.1.2:49300 \
		--map 17.2.0.124=10.0.1.2 --map 17.2.0.161=10.0.2.2
}
check "RRQ (frame 61) patched to the topology" patch_frame 61 "$work/rrq"
check "RCF (frame 62) patched to the topology" patch_frame 62 "$work/rcf"

setup_topology
# The stock module claims udp/1719 and tcp/1720 for automatic assignment,
# which the kernel grants once: ours must not be loaded (vm-run honours the
# nomodules line above; this also covers a manual run).
rmmod nf_nat_avaya nf_conntrack_avaya 2>/dev/null
check "stock nf_conntrack_h323 loads" modprobe nf_conntrack_h323
# Without its ruleset the firewall would forward everything and every
# "passes" below would be meaningless: loading it is an assertion.
check "default-drop ruleset with ct helper \"RAS\" loads" fw nft -f - <<'EOF'
table inet fw {
	ct helper ras {
		type "RAS" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.2 ip daddr 10.0.2.2 udp dport 1719 ct helper set "ras" accept
	}
}
EOF

bg ph $NU tcp-serve 10.0.1.2:1720
bg ph $NU tcp-serve 10.0.1.2:2222
wait_listen ph tcp 1720 && wait_listen ph tcp 2222

# register: one RRQ/RCF exchange through the firewall; the helper's
# expectation is single-use, so every reverse attempt registers first.
register() {
	local out

	bg gk $NU udp-serve 10.0.2.2:1719 --reply "$work/rcf" --count 1 --timeout 5
	wait_listen gk udp 1719 || return 1
	out=$(ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/rrq" \
		--expect-reply "$work/got-rcf" --timeout 3)
	echo "$out"
	cmp -s "$work/got-rcf" "$work/rcf"
}

reverse() {	# SRC_PORT DST_PORT
	forget_tcp
	tcp_try gk "10.0.2.2:$1" "10.0.1.2:$2" 2
}

check "RRQ passes and the RCF comes back byte-identical" register
exp=$(expect_lines)
echo "expectations after RRQ/RCF:"
echo "$exp"
check "stock RAS expects tcp to phone:1720" \
	grep -q 'proto=6 .*dst=10.0.1.2 .*dport=1720' <<< "$exp"
check "the expectation's source port is a wildcard (sport mask 0)" \
	grep -Eq 'mask-src=[^ ]+ mask-dst=[^ ]+ sport=0 ' <<< "$exp"
timeout=$(awk '/dport=1720/ { print $1; exit }' <<< "$exp")
echo "expectation timeout: ${timeout:-none} s (the RCF grants timeToLive 3600 s)"
check "stock expectation lives <= 240 s although the RCF says 3600 s" \
	test "${timeout:-99999}" -le 240

check "stock: gatekeeper:61440 -> phone:1720 passes" reverse 61440 1720
check "re-register" register
check "stock: gatekeeper:5555 -> phone:1720 ALSO passes (any source port)" reverse 5555 1720
check "re-register" register
check_not "stock: gatekeeper -> phone:2222 is blocked" reverse 61441 2222

finish
