# SPDX-License-Identifier: GPL-2.0-only
# Shared pieces of the call scenarios (tests/vm/call_*.sh), sourced after
# tests/vm/lib.sh: the firewall ruleset, media probes and the call player.

CALL="python3 $TOP/tests/lib/h323call.py"
PLAY="python3 $TOP/tests/lib/callplay.py"

# Default drop; calls start phone -> gatekeeper on 1720 with avaya-q931,
# and the RAS flow (e2e) with avaya-ras; all else must be related.
call_firewall() {
	fw nft -f - <<'NFT'
table inet fw {
	ct helper ras {
		type "avaya-ras" protocol udp;
	}
	ct helper q931 {
		type "avaya-q931" protocol tcp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 ip daddr 10.0.2.2 udp dport 1719 ct helper set "ras" accept
		ip saddr 10.0.1.0/24 ip daddr 10.0.2.2 tcp dport 1720 ct helper set "q931" accept
	}
}
NFT
}

# udp_flow FROM_NS SRC_IP:PORT TO_NS DST_IP:PORT: one datagram gets through.
udp_flow() {
	local pid rc

	udp_recv1 "$3" "$4" >/dev/null &
	pid=$!
	if ! wait_listen "$3" udp "${4##*:}"; then
		wait "$pid"
		return 2
	fi
	# socat, not python: the timeout runs while the sender starts.
	echo rtp | ip netns exec "$1" socat -u - "UDP4-SENDTO:$4,bind=$2"
	wait "$pid"
	rc=$?
	return $rc
}

counter() {
	fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya
}

# Destination ports of the firewall's udp expectations, sorted, one line.
media_dports() {
	expect_lines | awk '$2 == "proto=17" {
		for (i = 3; i <= NF; i++)
			if (sub(/^dport=/, "", $i)) { print $i; break }
	}' | sort -n -u | tr '\n' ' '
}

# stray_sources DST SRC: udp pinholes to DST that admit anybody but SRC.
stray_sources() {
	expect_lines | awk -v d="dst=$1" -v s="src=$2" \
		'$2 == "proto=17" && $4 == d && $3 != s' | wc -l
}

# hexof FILE: a built message as hex, for a plan.
hexof() {
	od -An -v -tx1 "$1" | tr -d ' \n'
}

# wait_file FILE: the player reached a mark (it exits on failure).
wait_file() {
	local i

	for i in $(seq 1 150); do
		[ -e "$1" ] && return 0
		kill -0 "$PLAYER" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

show_counters() {
	echo "== counters"
	fw cat /proc/net/nf_conntrack_avaya | grep -v ' 0$'
}
