#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# avaya-vm: ownboot (it unloads our modules: a guest of its own)
# avaya-vm: kernel newest (make check's 60 minutes; avaya_ras covers registration pinholes on both kernels)
#
# The reverse pinhole lives exactly as long as the registration, and the same
# exchange through Linux's stock "RAS" helper, in the same run, for contrast.
#
#   phone 10.0.1.2:49300 --- fw: default drop, ct helper avaya-ras | RAS --- gatekeeper 10.0.2.2:1719
#
# A. RCF timeToLive 20 s, no keepalive: the pinhole closes after 20 s + grace.
# B. keepAlive RRQ/RCF every 10 s for 60 s: still open, and the expectation's
#    remaining time follows the TTL.
# C. Stock "RAS": which source ports pass, and how long its pinhole lives.
set -u
. "$(dirname "$0")/lib.sh"

RAS="python3 $TOP/tests/lib/h225ras.py"
work=$(mktemp -d)
GRACE=$(cat /sys/module/nf_conntrack_avaya/parameters/ras_ttl_grace)
TTL=20

$RAS rrq --seq 1 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 -o "$work/rrq1"
$RAS rcf --seq 1 --csa 10.0.2.2:1720 --ttl $TTL --endpoint-id EP1 -o "$work/rcf1"
$RAS rcf --seq 1 --csa 10.0.2.2:1720 --ttl 3600 --endpoint-id EP1 -o "$work/rcf1-long"
for s in $(seq 2 8); do
	$RAS rrq --seq "$s" --keepalive --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 \
		--endpoint-id EP1 -o "$work/rrq$s"
	$RAS rcf --seq "$s" --csa 10.0.2.2:1720 --ttl $TTL --endpoint-id EP1 -o "$work/rcf$s"
done

setup_topology
ruleset() {	# HELPER_TYPE
	fw nft flush ruleset
	fw nft -f - <<EOF
table inet fw {
	ct helper ras {
		type "$1" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.2 ip daddr 10.0.2.2 udp dport 1719 ct helper set "ras" accept
	}
}
EOF
	fw conntrack -F 2>/dev/null
	fw conntrack -F expect 2>/dev/null
}

bg ph $NU tcp-serve 10.0.1.2:1720
wait_listen ph tcp 1720

exchange() {	# REQUEST REPLY
	bg gk $NU udp-serve 10.0.2.2:1719 --reply "$work/$2" --count 1 --timeout 5
	wait_listen gk udp 1719 || return 1
	ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/$1" \
		--expect-reply "$work/got" --timeout 3 >/dev/null || return 1
	wait_bg
	cmp -s "$work/got" "$work/$2"
}

reverse() {	# SRC_PORT
	forget_tcp
	tcp_try gk "10.0.2.2:$1" 10.0.1.2:1720 1.5
}

remaining() {
	expect_lines | awk '/dport=1720/ { print $1; exit }'
}

echo "== A. avaya-ras, RCF timeToLive $TTL s, grace $GRACE s, no keepalive"
ruleset avaya-ras
check "RRQ/RCF (TTL $TTL) exchange" exchange rrq1 rcf1
t0=$(date +%s)
r=$(remaining)
echo "remaining after RCF: ${r:-none} s"
check "remaining time follows the TTL: ${r:-?} in ($((TTL - 2)), $((TTL + GRACE))]" \
	test "${r:-0}" -gt $((TTL - 2)) -a "${r:-0}" -le $((TTL + GRACE))
check "reverse connection from 61440 passes at once" reverse 61440
sleep $((TTL + GRACE + 2 - ($(date +%s) - t0)))
check "no expectation left after TTL + grace ($(($(date +%s) - t0)) s)" test -z "$(remaining)"
check_not "reverse connection from 61440 blocked after TTL + grace" reverse 61440

echo "== B. keepAlive RRQ/RCF every 10 s for 60 s"
check "RRQ/RCF (TTL $TTL) exchange" exchange rrq1 rcf1
t0=$(date +%s)
for s in $(seq 2 7); do
	sleep $((10 * (s - 1) - ($(date +%s) - t0)))
	check "t=$(($(date +%s) - t0)) s keepAlive RRQ/RCF seq $s" exchange "rrq$s" "rcf$s"
	r=$(remaining)
	check "t=$(($(date +%s) - t0)) s remaining ${r:-none} s follows the TTL" \
		test "${r:-0}" -gt $((TTL - 2)) -a "${r:-0}" -le $((TTL + GRACE))
	check "t=$(($(date +%s) - t0)) s reverse connection from 6144$((s % 5)) passes" reverse "6144$((s % 5))"
done
check "keepalives counted" \
	test "$(fw awk '$1 == "ras_rrq_keepalive" { print $2 }' /proc/net/nf_conntrack_avaya)" -ge 6
avaya_long=$((TTL + GRACE))

echo "== C. the same through the stock \"RAS\" helper"
# Both register udp/1719 and tcp/1720 for automatic assignment, which the
# kernel allows only once: swap the modules within this run.
fw nft flush ruleset
check "our modules unload with the RAS flow gone" rmmod nf_nat_avaya nf_conntrack_avaya
check "stock nf_conntrack_h323 loads" modprobe nf_conntrack_h323
ruleset RAS
check "stock: RRQ/RCF (TTL $TTL) exchange" exchange rrq1 rcf1
stock_ttl20=$(remaining)
stock_ports=
for p in 61440 61444 61445 5555 1720; do
	exchange rrq1 rcf1 >/dev/null
	reverse "$p" && stock_ports="$stock_ports $p"
done
exchange rrq1 rcf1-long >/dev/null
stock_ttl3600=$(remaining)
check "stock admits a source port outside 61440-61444 (the looseness we fix)" \
	grep -q 5555 <<< "$stock_ports"

echo
echo "                      avaya-ras                       stock RAS"
printf '  source ports        %-36s %s\n' "61440-61444 (gk_src_ports)" "any (tried:$stock_ports passed)"
printf '  lifetime, TTL 20    %-36s %s\n' "$avaya_long s (TTL + grace), kept by keepalives" "${stock_ttl20:-none} s"
printf '  lifetime, TTL 3600  %-36s %s\n' "3610 s (see avaya_ras.sh)" "${stock_ttl3600:-none} s"
finish
