#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# avaya-vm: ownboot (it unloads our modules to load the stock RAS helper)
# avaya-vm: long (3-4 min per kernel under TCG: make check-perf, not make check)
#
# Forwarding cost through the default-drop firewall (issue 16, item 3):
# printed figures and ratios, never asserted on timing. Asserted only that
# every measurement produced a number and that the traffic passed.
#
#   phone ns "ph" 10.0.1.2-4, 10.1.0.0/16 (phones)  --- fw ---  gatekeeper / registrar / media peer "gk" 10.0.2.2
#
# 1. Media: UDP datagrams of 172 octets (G.711, 20 ms) from gk to ph, as
#    fast as one process sends them (tests/lib/udpblast.c, compiled in the
#    guest: sendmmsg, then recvmmsg of what arrived), through
#    (a) a flow the ruleset admits, then "ct state established";
#    (b) a flow admitted by our SIP media pinhole: it carries the helper
#        avaya-sipm, whose help function runs on every packet;
#    (c) the stock nf_conntrack_sip media flow (no helper on the flow).
#    Each flow has seen one datagram back before the clock starts: every
#    timed datagram is "established" (an unreplied flow's would be "new"
#    in (a), "related" in (b) and (c): different rule paths).
#    Received packets per second, the median of 5 runs after a warm-up
#    run; within a run the cases take turns every 1,000 datagrams (a
#    loaded host's stalls fall on all alike); ratios (b)/(a), (c)/(a).
# 2. Signalling, request/answer pairs per second (one process holds both
#    ends, 16 endpoints in lockstep windows): SIP OPTIONS and SIP REGISTER
#    over UDP through avaya-sip, the stock "sip" (nf_conntrack_sip loaded
#    with ports=5062 beside ours) and no helper; RAS keepalive RRQ/RCF of
#    16 phones through avaya-ras and no helper, then, our modules unloaded,
#    through the stock "RAS" helper and no helper again (one python
#    process per batch, the cases interleaved). The median of
#    AVAYA_PERF_REPS runs (default 3) after a warm-up run of each case.
#
# AVAYA_PERF_PACKETS (default 50000) datagrams per media run,
# AVAYA_PERF_MSGS (default 2000) exchanges per signalling run.
set -u
. "$(dirname "$0")/lib.sh"

PK="python3 $TOP/tests/lib/perfkit.py"
PACKETS=${AVAYA_PERF_PACKETS:-50000}
MSGS=${AVAYA_PERF_MSGS:-2000}
REPS=${AVAYA_PERF_REPS:-3}
MEDIA_REPS=5
W=16
ROUNDS=$(( (MSGS + W - 1) / W ))
work=$(mktemp -d /tmp/perf.XXXXXX)
T0=$(date +%s)
SUMMARY=$work/summary

restore_modules() {
	modprobe -r nf_conntrack_h323 2>/dev/null
	modprobe -r nf_conntrack_sip 2>/dev/null
	modprobe nf_conntrack_avaya 2>/dev/null && modprobe nf_nat_avaya 2>/dev/null
	return 0
}
trap 'cleanup; restore_modules; rm -rf "$work"' EXIT

info() { echo "INFO: $*" | tee -a "$SUMMARY"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print 0 }'; }
best() { sort -g | tail -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }
isnum() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v v="$1" 'BEGIN { exit !(v > 0) }'; }
elapsed() { echo "$(( $(date +%s) - T0 )) s"; }

# ---------------------------------------------------------------- setup
setup_topology
# The phones of the RAS runs: any address of 10.1.0.0/16 is local in ph.
ip -n ph route add local 10.1.0.0/16 dev lo
ip -n fw route add 10.1.0.0/16 via 10.0.1.2
# One-way media flows stay unreplied: keep them across the runs.
fw sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600 \
	net.netfilter.nf_conntrack_udp_timeout_stream=3600

BLAST=
if cc -O2 -o "$work/udpblast" "$TOP/tests/lib/udpblast.c" > "$work/cc.log" 2>&1; then
	BLAST=$work/udpblast
	info "media sender: tests/lib/udpblast.c (compiled in the guest: sendmmsg/recvmmsg, one process)"
else
	info "media sender: perfkit.py blast (no C compiler in the guest: python, slower; the ratios still compare)"
	sed 's/^/   /' "$work/cc.log" | head -n 5
fi

STOCK_SIP=0
if modprobe nf_conntrack_sip ports=5062; then
	STOCK_SIP=1
	pass "stock nf_conntrack_sip loads beside ours (ports=5062)"
else
	skip "stock nf_conntrack_sip not loadable: no stock SIP figures"
fi

ruleset() {	# the default-drop firewall of phase 1
	local stock=

	# Loaded with ports=5062, not its default, the stock helper is "sip-0".
	[ "$STOCK_SIP" = 1 ] && stock='ct helper sipstock { type "sip-0" protocol udp; }'
	fw nft -f - <<EOF
table inet fw {
	ct helper ras { type "avaya-ras" protocol udp; }
	ct helper sip { type "avaya-sip" protocol udp; }
	$stock
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "ph0" oifname "gk0" udp dport 1719 ct helper set "ras" accept
		iifname "ph0" oifname "gk0" udp dport 1718 accept
		iifname "ph0" oifname "gk0" udp dport 5060 ct helper set "sip" accept
		$([ "$STOCK_SIP" = 1 ] && echo 'iifname "ph0" oifname "gk0" udp dport 5062 ct helper set "sipstock" accept')
		iifname "ph0" oifname "gk0" udp dport 5064 accept
		iifname "gk0" oifname "ph0" udp dport 21000 accept
	}
}
EOF
}
check "default-drop ruleset with avaya-ras, avaya-sip$([ "$STOCK_SIP" = 1 ] && echo ', stock sip') loads" ruleset

# blast PREFIX CASE...: one media run of every CASE, interleaved in chunks
# of 1,000 datagrams (udpblast); appends each case's packets/s to
# $work/PREFIXCASE.pps and its received count to .recv.
blast() {
	local pre=$1 c k=0 out args=()
	shift

	for c in "$@"; do args+=("${SRC[$c]}" "${DST[$c]}"); done
	if [ -n "$BLAST" ]; then
		out=$("$BLAST" gk ph "$PACKETS" 172 1000 "${args[@]}")
	else
		out=$(for c in "$@"; do
			$PK blast --snd-ns gk --src "${SRC[$c]}" --rcv-ns ph \
				--dst "${DST[$c]}" --count "$PACKETS" --size 172 |
				sed "s/^udpblast:/udpblast: case $k/"
			k=$((k + 1))
		done)
	fi
	k=0
	for c in "$@"; do
		# udpblast: case K sent S received R secs T pps P
		set -- $(grep "^udpblast: case $k " <<<"$out")
		echo "   $pre$c: ${*:-nothing}"
		echo "${7:-0}" >> "$work/$pre$c.recv"
		echo "${11:-0}" >> "$work/$pre$c.pps"
		k=$((k + 1))
	done
}


# ---------------------------------------------------------------- 1. media
echo "== 1. media ($PACKETS datagrams of 172 octets per run, $MEDIA_REPS runs per case) ($(elapsed))"
# Our pinhole: an INVITE from 10.0.1.2:5060 offering 10.0.1.2:20000.
check "(b) our INVITE with SDP passes and is answered" \
	$PK sip invite --cli-ns ph --srv-ns gk --srv 10.0.2.2:5060 --ip 10.0.1.2 --port 5060 \
	--count 1 --media-port 20000 --gen b
check "(b) our media pinhole gk -> 10.0.1.2:20000 is there" \
	sh -c "ip netns exec fw conntrack -L expect 2>/dev/null | grep -q 'dst=10.0.1.2 .*dport=20000 .*helper=avaya-sip'"
if [ "$STOCK_SIP" = 1 ]; then
	check "(c) the stock helper's INVITE with SDP passes and is answered" \
		$PK sip invite --cli-ns ph --srv-ns gk --srv 10.0.2.2:5062 --ip 10.0.1.3 --port 5060 \
		--count 1 --media-port 20000 --gen c
	check "(c) the stock media pinhole gk -> 10.0.1.3:20000 is there" \
		sh -c "ip netns exec fw conntrack -L expect 2>/dev/null | grep -q 'dst=10.0.1.3 .*dport=20000 .*helper=sip'"
fi
expect_lines | sed 's/^/   /'
# blocked: 200 datagrams to a port no rule and no pinhole admits.
blocked() {
	if [ -n "$BLAST" ]; then
		! "$BLAST" gk ph 200 172 200 10.0.2.2:30009 10.0.1.2:22222 >/dev/null
	else
		! $PK blast --snd-ns gk --src 10.0.2.2:30009 --rcv-ns ph --dst 10.0.1.2:22222 --count 200 >/dev/null
	fi
}
check "default drop: nothing reaches 10.0.1.2:22222 (no rule, no pinhole)" blocked

cases="a b"
[ "$STOCK_SIP" = 1 ] && cases="a b c"
declare -A SRC=([a]=10.0.2.2:30000 [b]=10.0.2.2:30001 [c]=10.0.2.2:30002)
declare -A DST=([a]=10.0.1.2:21000 [b]=10.0.1.2:20000 [c]=10.0.1.3:20000)
blast warm-up- $cases
for rep in $(seq 1 "$MEDIA_REPS"); do
	# Rotate the order too: a chunk's position must not matter.
	set -- $cases
	for _ in $(seq 2 "$rep"); do set -- "$@" "$1"; shift; done
	blast "" "$@"
	if [ "$rep" = 1 ]; then
		echo "-- media flows in the firewall:"
		for p in 30000 30001 30002; do
			fw conntrack -L -p udp --orig-port-src $p 2>/dev/null | sed 's/^/   /'
		done
		check "(b)'s flow carries the helper avaya-sipm" \
			sh -c "ip netns exec fw conntrack -L -p udp --orig-port-src 30001 2>/dev/null | grep -q 'helper=avaya-sipm'"
	fi
done
declare -A PPS BEST
for c in $cases; do
	PPS[$c]=$(median < "$work/$c.pps")
	BEST[$c]=$(best < "$work/$c.pps")
	ok=1
	while read -r v; do isnum "$v" || ok=0; done < "$work/$c.pps"
	check "($c) every run measured a rate ($(tr '\n' ' ' < "$work/$c.pps"))" [ "$ok" = 1 ]
	check "($c) traffic passed in every run (received: $(tr '\n' ' ' < "$work/$c.recv"))" \
		sh -c "! grep -qx 0 '$work/$c.recv'"
done
info "media (a) plain established flow:     ${PPS[a]} packets/s (median of $MEDIA_REPS; best ${BEST[a]})"
info "media (b) our pinhole, avaya-sipm: ${PPS[b]} packets/s (best ${BEST[b]})"
[ "$STOCK_SIP" = 1 ] && info "media (c) stock nf_conntrack_sip:     ${PPS[c]} packets/s (best ${BEST[c]})"
info "media ratio (b)/(a) = $(ratio "${PPS[b]}" "${PPS[a]}") (of the bests: $(ratio "${BEST[b]}" "${BEST[a]}"))"
[ "$STOCK_SIP" = 1 ] && info "media ratio (c)/(a) = $(ratio "${PPS[c]}" "${PPS[a]}") (bests $(ratio "${BEST[c]}" "${BEST[a]}")), (b)/(c) = $(ratio "${PPS[b]}" "${PPS[c]}") (bests $(ratio "${BEST[b]}" "${BEST[c]}"))"

# ---------------------------------------------------------------- 2. signalling
# sig CMD...: one python process runs a batch of tagged signalling runs
# (":::"-separated, the cases interleaved); each run's rate goes to
# $work/sig-TAG.rate, a run with no answer marks $work/sig-TAG.zero.
sig() {
	$PK "$@" > "$work/sig.out" 2>&1
	sed 's/^/   /' "$work/sig.out"
	awk -v d="$work" '$1 == "perfkit:" && $2 !~ /^warm/ {
		r = 0; z = 0
		for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "rate") r = kv[2]; if ($i == "answered=0") z = 1 }
		print r >> (d "/sig-" $2 ".rate")
		if (z) print 1 >> (d "/sig-" $2 ".zero")
	}' "$work/sig.out"
}

# sig_report TAG LABEL VAR: the checks that every run measured something;
# VAR gets the median.
sig_report() {
	local ok=1 v f=$work/sig-$1.rate

	[ -s "$f" ] || echo 0 > "$f"
	while read -r v; do isnum "$v" || ok=0; done < "$f"
	check "$2: every run measured a rate ($(tr '\n' ' ' < "$f"))" [ "$ok" = 1 ]
	check "$2: answers came back in every run" [ ! -e "$work/sig-$1.zero" ]
	printf -v "$3" '%s' "$(median < "$f")"
}

echo "== 2. SIP over UDP, $((W * ROUNDS)) exchanges per run ($(elapsed))"
sipcases="ours none"
[ "$STOCK_SIP" = 1 ] && sipcases="ours stock none"
declare -A SIPDST=([ours]=10.0.2.2:5060 [stock]=10.0.2.2:5062 [none]=10.0.2.2:5064)
declare -A SIPSRC=([ours]=10.0.1.2 [stock]=10.0.1.3 [none]=10.0.1.4)
for op in options register; do
	port=5100
	[ $op = register ] && port=5200
	cmd=()
	# Run 0 warms up (python, page cache): not counted.
	for rep in $(seq 0 "$REPS"); do
		for c in $sipcases; do
			cmd+=(::: sip "$op" --cli-ns ph --srv-ns gk --count "$W" --window "$W"
			      --srv "${SIPDST[$c]}" --ip "${SIPSRC[$c]}" --port "$port" --seq "$((rep * 100 + 1))")
			if [ "$rep" = 0 ]; then
				cmd+=(--rounds 20 --tag "warm-$c")
			else
				cmd+=(--rounds "$ROUNDS" --tag "sip-$op-$c")
			fi
		done
	done
	sig "${cmd[@]}"
done
declare -A SIPR
for op in options register; do
	for c in $sipcases; do
		sig_report "sip-$op-$c" "SIP $op through $c" "SIPR[$op-$c]"
	done
	info "SIP $op/200 pairs/s: ours ${SIPR[$op-ours]}, stock ${SIPR[$op-stock]:-n/a}, no helper ${SIPR[$op-none]}"
	info "SIP $op ratio ours/none = $(ratio "${SIPR[$op-ours]}" "${SIPR[$op-none]}")${SIPR[$op-stock]:+, stock/none = $(ratio "${SIPR[$op-stock]}" "${SIPR[$op-none]}"), ours/stock = $(ratio "${SIPR[$op-ours]}" "${SIPR[$op-stock]}")}"
done
check "our REGISTERs opened registration pinholes" \
	sh -c "ip netns exec fw conntrack -L expect 2>/dev/null | grep -q 'dst=10.0.1.2 .*dport=5200 .*helper=avaya-sip'"

# ras_runs HELPER: one process: 16 phones (10.1.0.x) register through
# HELPER (udp/1719) and 16 others without a helper (udp/1718), a warm-up,
# then $REPS keepalive runs of each, interleaved.
ras_runs() {
	local h=$1 rep cmd=() first=0 via port
	local a="--cli-ns ph --srv-ns gk --net 10.1 --count $W --window $W"

	[ "$h" = stock ] && first=200
	for via in "$h" "none-$h"; do
		port=1719
		[ "$via" = "$h" ] || port=1718
		cmd+=(::: ras rrq $a --srv "10.0.2.2:$port" --first "$first" --tag "warm-reg-$via"
		      ::: ras keepalive $a --srv "10.0.2.2:$port" --first "$first" --rounds 20 --seq 500 --tag "warm-$via")
		first=$((first + 100))
	done
	for rep in $(seq 1 "$REPS"); do
		first=0
		[ "$h" = stock ] && first=200
		for via in "$h" "none-$h"; do
			port=1719
			[ "$via" = "$h" ] || port=1718
			cmd+=(::: ras keepalive $a --srv "10.0.2.2:$port" --first "$first" \
			      --rounds "$ROUNDS" --seq $((rep * 1000)) --tag "ras-$via")
			first=$((first + 100))
		done
	done
	sig "${cmd[@]}"
}

echo "== 3. RAS keepalive RRQ/RCF, 16 phones, $((W * ROUNDS)) exchanges per run ($(elapsed))"
ras_runs ours
check "our RCFs opened the reverse pinholes (2 per phone)" \
	[ "$(expect_lines | grep -c 'dport=1720 .*helper=avaya-ras')" -ge $((2 * W)) ]
sig_report ras-ours "RAS through ours" RAS_OURS
sig_report ras-none-ours "RAS without helper (phase 1)" RAS_NONE1

echo "== 4. the stock RAS helper: our modules unloaded ($(elapsed))"
fw nft flush ruleset
fw conntrack -F >/dev/null 2>&1
fw conntrack -F expect >/dev/null 2>&1
unloaded=0
for i in 1 2 3 4 5; do
	if modprobe -r nf_nat_avaya nf_conntrack_avaya 2>/dev/null; then unloaded=1; break; fi
	sleep 1
done
if [ $unloaded = 1 ] && modprobe nf_conntrack_h323; then
	pass "our modules unloaded, stock nf_conntrack_h323 loaded"
	check "default-drop ruleset with the stock RAS helper loads" fw nft -f - <<'EOF'
table inet fw {
	ct helper ras { type "RAS" protocol udp; }
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "ph0" oifname "gk0" udp dport 1719 ct helper set "ras" accept
		iifname "ph0" oifname "gk0" udp dport 1718 accept
	}
}
EOF
	ras_runs stock
	sig_report ras-stock "RAS through stock" RAS_STOCK
	sig_report ras-none-stock "RAS without helper (phase 2)" RAS_NONE2
else
	skip "stock nf_conntrack_h323 could not replace ours: no stock RAS figures"
fi
info "RAS keepalive RRQ/RCF pairs/s: ours $RAS_OURS (no helper $RAS_NONE1), stock ${RAS_STOCK:-n/a} (no helper ${RAS_NONE2:-n/a})"
info "RAS ratio ours/none = $(ratio "$RAS_OURS" "$RAS_NONE1")${RAS_STOCK:+, stock/none = $(ratio "$RAS_STOCK" "$RAS_NONE2"), ours/stock = $(ratio "$RAS_OURS" "$RAS_STOCK") (different phases: compare through the no-helper runs)}"

echo "== summary ($(elapsed), kernel ${AVAYA_KVER:-$(uname -r)}; printed, not asserted)"
cat "$SUMMARY"
finish
