#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The story `make demo` tells, run inside the VM: an Avaya H.323 phone
# registers through a default-drop firewall and the gatekeeper calls back.
set -u
. "$(dirname "$0")/../tests/vm/lib.sh"

RAS="python3 $TOP/tests/lib/h225ras.py"
work=$(mktemp -d)

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
show() { sed 's/^/    /'; }

try() {	# LABEL FROM_NS SRC DST
	forget_tcp
	if ip netns exec "$2" $NU tcp-try "$3" "$4" --timeout 1.5 >/dev/null; then
		printf '    %-52s PASSES\n' "$1"
	else
		printf '    %-52s blocked\n' "$1"
	fi
}

say "1. Topology (network namespaces inside a $(uname -r) VM)"
cat <<'EOF' | show
phone 10.0.1.2 ---- firewall (nftables, default drop) ---- gatekeeper 10.0.2.2
                                                     \---- another host 10.0.3.2
EOF
setup_topology

say "2. The firewall ruleset: RAS goes through the avaya-ras helper, nothing else is open"
cat > "$work/rules.nft" <<'EOF'
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
EOF
show < "$work/rules.nft"
fw nft -f "$work/rules.nft"
echo "    module parameters: gk_src_ports=$(cat /sys/module/nf_conntrack_avaya/parameters/gk_src_ports)" \
	"ras_ttl_grace=$(cat /sys/module/nf_conntrack_avaya/parameters/ras_ttl_grace)s"

say "3. The phone listens for the call-signalling connection on tcp/1720"
bg ph $NU tcp-serve 10.0.1.2:1720
bg ph $NU tcp-serve 10.0.1.2:2222
wait_listen ph tcp 1720

say "4. Before registering, the gatekeeper cannot reach the phone"
try "gatekeeper:61440 -> phone:1720" gk 10.0.2.2:61440 10.0.1.2:1720

say "5. The phone registers: RRQ from udp/49300, the gatekeeper confirms (RCF, timeToLive 3600 s)"
$RAS rrq --seq 1 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 --nonstd --alias 4711 -o "$work/rrq"
$RAS rcf --seq 1 --csa 10.0.2.2:1720 --ttl 3600 --endpoint-id 4711EP -o "$work/rcf"
bg fw tcpdump -U -q -i gk0 -w "$work/ras.pcap" udp port 1719 2>/dev/null
dump=$BG
sleep 1
bg gk $NU udp-serve 10.0.2.2:1719 --reply "$work/rcf" --count 1 --timeout 5
wait_listen gk udp 1719
ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/rrq" --expect-reply "$work/got" | show
sleep 1
kill "$dump" 2>/dev/null
sleep 0.5
echo "    what tshark saw on the gatekeeper side of the firewall:"
tshark -r "$work/ras.pcap" -T fields -e ip.src -e ip.dst -e h225.RasMessage \
	-e h225.ipV4 -e h225.ipV4_port -e h225.timeToLive 2>/dev/null |
	awk -F'\t' '{ printf "%s -> %s  RasMessage=%s (3=RRQ 4=RCF) addr=%s port=%s ttl=%s\n", $1, $2, $3, $4, $5, $6 }' | show

say "6. The pinhole the helper opened (conntrack -L expect)"
expect_lines | show
echo "    Two expectations cover exactly 61440-61444 (61440 with port mask 65532, and 61444)."
echo "    The first column is the remaining lifetime: the RCF's timeToLive plus the grace."

say "7. Who may connect now"
try "gatekeeper:61440 -> phone:1720" gk 10.0.2.2:61440 10.0.1.2:1720
try "gatekeeper:61444 -> phone:1720" gk 10.0.2.2:61444 10.0.1.2:1720
try "gatekeeper:61445 -> phone:1720" gk 10.0.2.2:61445 10.0.1.2:1720
try "gatekeeper:5555  -> phone:1720" gk 10.0.2.2:5555 10.0.1.2:1720
try "gatekeeper:61440 -> phone:2222" gk 10.0.2.2:61440 10.0.1.2:2222
try "another host 10.0.3.2:61440 -> phone:1720" x 10.0.3.2:61440 10.0.1.2:1720
echo "    The admitted connection is tracked by avaya-q931:"
gk $NU tcp-try 10.0.2.2:61440 10.0.1.2:1720 >/dev/null
fw conntrack -L -p tcp --dport 1720 2>/dev/null | show

say "8. The phone unregisters (URQ/UCF): the pinhole closes at once"
$RAS urq --seq 2 --csa 10.0.1.2:1720 --endpoint-id 4711EP -o "$work/urq"
$RAS ucf --seq 2 -o "$work/ucf"
bg gk $NU udp-serve 10.0.2.2:1719 --reply "$work/ucf" --count 1 --timeout 5
wait_listen gk udp 1719
ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/urq" --expect-reply "$work/got" >/dev/null
echo "    expectations left: $(expect_lines | grep -c dport=1720)"
try "gatekeeper:61440 -> phone:1720" gk 10.0.2.2:61440 10.0.1.2:1720

say "9. What the firewall admin can read: /proc/net/nf_conntrack_avaya in the firewall's netns"
fw cat /proc/net/nf_conntrack_avaya | grep -v ' 0$' | show

say "10. For contrast, Linux's stock \"RAS\" helper on the same exchange"
fw nft flush ruleset
fw conntrack -F >/dev/null 2>&1
# Both register udp/1719 for automatic assignment: swap the modules.
for i in 1 2 3 4 5; do
	rmmod nf_nat_avaya nf_conntrack_avaya 2>/dev/null && break
	sleep 1
done
lsmod | grep -q '^nf_conntrack_avaya ' && echo "    (could not unload nf_conntrack_avaya: $(lsmod | grep '^nf_conntrack_avaya ')"
modprobe nf_conntrack_h323
sed 's/"avaya-ras"/"RAS"/' "$work/rules.nft" | fw nft -f -
bg gk $NU udp-serve 10.0.2.2:1719 --reply "$work/rcf" --count 1 --timeout 5
wait_listen gk udp 1719
ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/rrq" --expect-reply "$work/got" >/dev/null
expect_lines | show
echo "    sport=0 with mask 0: any source port; lifetime 240 s although the RCF said 3600 s."
try "gatekeeper:5555  -> phone:1720 (stock)" gk 10.0.2.2:5555 10.0.1.2:1720
echo
exit 0
