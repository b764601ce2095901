#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# avaya-vm: long (4-7 min per kernel under TCG: make check-perf, not make check)
#
# Scale (issue 16, item 4): N H.323 phones and N SIP contacts registered
# through the default-drop firewall. N = AVAYA_SCALE: 500 by default (the
# make check-perf size); the issue's full size is
#   AVAYA_SCALE=20000 AVAYA_VM_TIMEOUT=7200 scripts/vm-run.sh KVER tests/vm/scale_registrations.sh
#
#   ph: phones 10.1.x.y:49300, SIP UAs 10.2.x.y:5060, 4 PBXs 10.0.1.2:6000+4k
#   (10.1/16 and 10.2/16 are local in ph: one address per endpoint)
#   fw: avaya-ras on udp/1719, avaya-sip on udp/5060, default drop
#   gk: gatekeeper and registrar 10.0.2.2 (one process answers everything)
#
# 1. The first 100 phones (RRQ/RCF, TTL 3600) and 100 UAs (REGISTER/200,
#    one Contact each); the per-message costs with 100 registered: full
#    RRQ/RCF, keepalive RRQ/RCF, URQ/UCF, REGISTER/200, BYE/200 (of a call
#    with its media pinholes), each AVAYA_SCALE_OPS times (default 500,
#    1000 from N = 5000 on) over those 100, in 5 runs: the median and the
#    best run (on a loaded host the best is the least disturbed).
# 2. The rest, and 4 PBXs with 4 Contacts each: every pinhole present
#    (asserted), slab memory per registration (/proc/slabinfo deltas).
# 3. The same per-message costs with N registered: printed as the ratio
#    time(N) / time(100), not asserted.
# 4. Keepalive storm: every phone refreshes, as fast as the guest goes:
#    0 pinholes lost (asserted).
# 5. The flow-close worker: calls with a media flow each are ended by BYE;
#    ended calls per second until every media flow is closed, with the
#    registrations only and with AVAYA_SCALE_FLOWS (default 10 N, at most
#    200,000) more conntracks in the table (printed).
# 6. A full expectation table: nf_conntrack_expect_max set to what the
#    firewall holds; one more phone's RCF and one more UA's 200 are refused
#    by the kernel: counted by our helpers (asserted) and logged.
# Sizing (nf_conntrack_expect_max, what a registration needs) is printed.
# One python process per batch of exchanges (tests/lib/perfkit.py).
set -u
. "$(dirname "$0")/lib.sh"

PK="python3 $TOP/tests/lib/perfkit.py"
N=${AVAYA_SCALE:-500}
[ "$N" -ge 200 ] || N=200
BASE=100
OPS=${AVAYA_SCALE_OPS:-$([ "$N" -ge 5000 ] && echo 1000 || echo 500)}
R=$(( (OPS + BASE - 1) / BASE ))
FLOWS=${AVAYA_SCALE_FLOWS:-$(( 10 * N > 200000 ? 200000 : 10 * N ))}
CALLS=${AVAYA_SCALE_CALLS:-$(( N / 2 > 1000 ? 1000 : N / 2 ))}
REPS=5
WIN=64
work=$(mktemp -d /tmp/scale.XXXXXX)
SUMMARY=$work/summary
T0=$(date +%s)

EXP_DEF=$(sysctl -n net.netfilter.nf_conntrack_expect_max)
CT_DEF=$(sysctl -n net.netfilter.nf_conntrack_max)
restore_sysctls() {
	sysctl -qw "net.netfilter.nf_conntrack_expect_max=$EXP_DEF" \
		"net.netfilter.nf_conntrack_max=$CT_DEF"
}
trap 'cleanup; restore_sysctls; rm -rf "$work"' EXIT

info() { echo "INFO: $*" | tee -a "$SUMMARY"; }
elapsed() { echo "$(( $(date +%s) - T0 )) s"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
ctr() { fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya; }
n_ras() { expect_lines | grep -c 'dport=1720 .*helper=avaya-ras'; }
n_sipreg() { expect_lines | grep -c 'PERMANENT.*helper=avaya-sip'; }

# -------------------------------------------------------------- memory
cat > "$work/slab.py" <<'EOF_PY'
import json
import os
import sys


def snap():
    d = {}
    with open('/proc/slabinfo') as f:
        for line in f.read().splitlines()[2:]:
            x = line.split()
            d[x[0]] = [int(x[1]), int(x[3])]        # active objects, size
    for c in ('nf_conntrack', 'nf_conntrack_expect'):
        p = f'/sys/kernel/slab/{c}'
        if os.path.exists(p):
            objs = int(open(f'{p}/objects').read().split()[0])
            size = int(open(f'{p}/slab_size').read())
            d['sys:' + c] = [objs, size]
    return d


if sys.argv[1] == 'snap':
    json.dump(snap(), open(sys.argv[2], 'w'))
    sys.exit(0)
# diff A B N WHAT: bytes per registration, and where they went.
a, b = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
n, what = int(sys.argv[4]), sys.argv[5]
bytes_ = {k: b[k][0] * b[k][1] - a.get(k, [0, 0])[0] * a.get(k, [0, 0])[1]
          for k in b if not k.startswith('sys:')}
total = sum(bytes_.values())
kmalloc = sum(v for k, v in bytes_.items() if k.startswith('kmalloc'))
objs = {k: b[k][0] - a.get(k, [0, 0])[0] for k in b if k.startswith('sys:')}
top = sorted(bytes_.items(), key=lambda kv: -kv[1])[:5]
print(f'INFO: memory per {what}: {total / n:.0f} bytes of slab in all '
      f'({n} registrations); kmalloc-* {kmalloc / n:.0f}; '
      + ', '.join(f'{k.split(":")[1]} {v / n:.2f} objects '
                  f'({v * b[k][1] / n:.0f} bytes)' for k, v in objs.items()))
print(f'INFO:   largest slab deltas per {what}: '
      + ', '.join(f'{k} {v / n:.0f}' for k, v in top))
EOF_PY
slab() { python3 "$work/slab.py" "$@"; }
# Let freed sockets and RCU-deferred frees settle before a snapshot.
snap() { real_sleep 6; slab snap "$work/$1.json"; }

# -------------------------------------------------------------- setup
setup_topology
ip -n ph route add local 10.1.0.0/16 dev lo
ip -n ph route add local 10.2.0.0/16 dev lo
for net in 10.1.0.0/16 10.2.0.0/16 10.3.0.0/16; do
	ip -n fw route add "$net" via 10.0.1.2
done
# Background flows go to a host that is not there: no answer, no ICMP.
ip -n fw neigh add 10.0.3.99 lladdr 02:00:00:00:03:99 dev x0 nud permanent
fw sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600 \
	net.netfilter.nf_conntrack_udp_timeout_stream=3600
check "default-drop ruleset with avaya-ras and avaya-sip loads" fw nft -f - <<'EOF'
table inet fw {
	ct helper ras { type "avaya-ras" protocol udp; }
	ct helper sip { type "avaya-sip" protocol udp; }
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "ph0" oifname "gk0" udp dport 1719 ct helper set "ras" accept
		iifname "ph0" oifname "gk0" udp dport 5060 ct helper set "sip" accept
		iifname "ph0" oifname "x0" udp dport 9 accept
	}
}
EOF

echo "== 0. sizing (N=$N, ops=$((R * BASE)) per kind, flows=$FLOWS, calls=$CALLS)"
EXP_NEED=$((3 * N + 16 + 4 * CALLS + 1000))
CT_NEED=$((2 * N + FLOWS + 4 * CALLS + 10000))
info "nf_conntrack_expect_max: $EXP_DEF by default on this guest (1.5 GiB), set to $EXP_NEED; expect_hashsize $(cat /sys/module/nf_conntrack/parameters/expect_hashsize 2>/dev/null || echo ?) buckets (fixed at nf_conntrack's load)"
info "nf_conntrack_max: $CT_DEF by default, set to $((CT_NEED > CT_DEF ? CT_NEED : CT_DEF)); hashsize $(cat /sys/module/nf_conntrack/parameters/hashsize 2>/dev/null || echo ?)"
info "a registration needs: H.323 RRQ/RCF 1 conntrack (the RAS flow) + 2 expectations per gatekeeper source address (gk_src_ports $(cat /sys/module/nf_conntrack_avaya/parameters/gk_src_ports) = 2 port blocks); SIP REGISTER/200 1 conntrack + 1 expectation per granted Contact (at most 4 per REGISTER); a call 2 expectations (RTP, RTCP) per media stream and side until its media flows"
sysctl -qw "net.netfilter.nf_conntrack_expect_max=$EXP_NEED"
[ "$CT_NEED" -gt "$CT_DEF" ] &&
	sysctl -qw "net.netfilter.nf_conntrack_max=$CT_NEED"

RAS_ARGS="--cli-ns ph --srv-ns gk --srv 10.0.2.2:1719 --net 10.1 --window $WIN"
SIP_ARGS="--cli-ns ph --srv-ns gk --srv 10.0.2.2:5060 --net 10.2 --window $WIN"
SAMPLE="--first 0 --count $BASE"

# ops SIZE REP: one run of every per-message cost, one python process;
# its lines go to $work/ops.SIZE.REP.
ops() {
	local size=$1 rep=$2 r cmd

	cmd=(ras rrq $RAS_ARGS $SAMPLE --rounds "$R" --seq $((rep * 100)) --tag rcf
	     ::: ras keepalive $RAS_ARGS $SAMPLE --rounds "$R" --seq $((rep * 100 + 20)) --tag keepalive)
	for r in $(seq 1 "$R"); do
		cmd+=(::: ras urq $RAS_ARGS $SAMPLE --seq $((rep * 100 + 40 + r)) --tag urq
		      ::: ras rrq $RAS_ARGS $SAMPLE --seq $((rep * 100 + 60 + r)) --tag rereg)
	done
	cmd+=(::: sip register $SIP_ARGS $SAMPLE --rounds "$R" --seq $((rep * 100)) --tag register)
	for r in $(seq 1 "$R"); do
		cmd+=(::: sip invite $SIP_ARGS $SAMPLE --gen "$size-$rep-$r" --tag invite
		      ::: sip bye $SIP_ARGS $SAMPLE --gen "$size-$rep-$r" --tag bye)
	done
	$PK "${cmd[@]}" > "$work/ops.$size.$rep" 2>&1
	sed 's/^/   /' "$work/ops.$size.$rep"
}

# rate_of SIZE TAG [best]: the median (or the best) over the runs of
# answered / seconds.
rate_of() {
	local rep

	for rep in $(seq 1 "$REPS"); do
		awk -v t="$2" '$1 == "perfkit:" && $2 == t {
			for (i = 4; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] }
		} END { if (v["secs"] > 0) printf "%.1f\n", v["answered"] / v["secs"]; else print 0 }' \
			"$work/ops.$1.$rep"
	done | if [ "${3:-}" = best ]; then sort -g | tail -n 1; else median; fi
}

all_answered() {	# SIZE: every exchange of every run answered
	! awk '$1 == "perfkit:" { split($4, s, "="); split($5, a, "="); if (s[2] != a[2]) bad = 1 }
		END { exit !bad }' "$work"/ops."$1".*
}

# -------------------------------------------------------------- 1.
echo "== 1. $BASE phones and $BASE SIP UAs ($(elapsed))"
snap s0
$PK ras rrq $RAS_ARGS $SAMPLE --tag reg-ras ::: sip register $SIP_ARGS $SAMPLE --tag reg-sip | sed 's/^/   /'
check "$BASE phones' pinholes (2 each)" [ "$(n_ras)" = $((2 * BASE)) ]
check "$BASE UAs' pinholes" [ "$(n_sipreg)" = "$BASE" ]
for rep in $(seq 1 "$REPS"); do ops base "$rep"; done
check "every exchange with $BASE registered was answered" all_answered base
echo "-- counters:"; fw grep -v ' 0$' /proc/net/nf_conntrack_avaya | sed 's/^/   /'

# -------------------------------------------------------------- 2.
echo "== 2. registering up to $N phones and $N SIP UAs ($(elapsed))"
snap s1
$PK ras rrq $RAS_ARGS --first $BASE --count $((N - BASE)) --tag reg-ras | tee "$work/reg-ras" | sed 's/^/   /'
snap s2
$PK sip register $SIP_ARGS --first $BASE --count $((N - BASE)) --tag reg-sip \
	::: sip pbx --cli-ns ph --srv-ns gk --srv 10.0.2.2:5060 --ip 10.0.1.2 --port 6000 \
	--step 4 --count 4 --contacts 4 --tag reg-pbx | tee "$work/reg-sip" | sed 's/^/   /'
snap s3
ras=$(n_ras)
sip=$(n_sipreg)
check "all $N phones' pinholes present: $ras of $((2 * N)) (2 per phone)" [ "$ras" = $((2 * N)) ]
check "all $N UAs' and 16 PBX Contacts' pinholes present: $sip of $((N + 16))" [ "$sip" = $((N + 16)) ]
check "no expectation refused so far" \
	[ "$(ctr refused_expect_failed)" = 0 -a "$(ctr sip_refused_expect_failed)" = 0 ]
info "registration rates with 100 to $N present: H.323 RRQ/RCF $(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' "$work/reg-ras")/s, SIP REGISTER/200 $(sed -n '/reg-sip /s/.* rate=\([0-9.]*\).*/\1/p' "$work/reg-sip")/s"
slab diff "$work/s1.json" "$work/s2.json" $((N - BASE)) "H.323 registration" | tee -a "$SUMMARY"
slab diff "$work/s2.json" "$work/s3.json" $((N - BASE)) "SIP registration (+4 PBXs)" | tee -a "$SUMMARY"
esz=$(cat /sys/kernel/slab/nf_conntrack_expect/slab_size 2>/dev/null || echo '?')
csz=$(cat /sys/kernel/slab/nf_conntrack/slab_size 2>/dev/null || echo '?')
info "memory by count: an expectation is $esz bytes of slab, a conntrack $csz (+ its extension area, kmalloc); an H.323 registration holds 2 expectations + 1 conntrack, a SIP one 1 + 1 (the slab deltas above are coarse: SLUB counts whole per-CPU slabs, and nf_conntrack_expect shares a merged cache: $(basename "$(readlink /sys/kernel/slab/nf_conntrack_expect 2>/dev/null)" 2>/dev/null))"
echo "-- conntracks $(fw conntrack -C 2>/dev/null), expectations $(expect_lines | grep -c .)"

# -------------------------------------------------------------- 3.
echo "== 3. the same per-message costs with $N registered ($(elapsed))"
for rep in $(seq 1 "$REPS"); do ops full "$rep"; done
check "every exchange with $N registered was answered" all_answered full
for t in rcf keepalive urq register bye; do
	b=$(rate_of base $t)
	f=$(rate_of full $t)
	bb=$(rate_of base $t best)
	fb=$(rate_of full $t best)
	info "$t exchanges/s: $b with $BASE registered, $f with $N (medians; best runs $bb, $fb): time ratio $N/$BASE = $(ratio "$b" "$f") (best runs: $(ratio "$bb" "$fb"))"
done

# -------------------------------------------------------------- 4.
echo "== 4. keepalive storm: all $N phones ($(elapsed))"
before=$(n_ras)
refused=$(ctr refused_expect_failed)
refreshed=$(ctr reverse_pinhole_refreshed)
$PK ras keepalive $RAS_ARGS --first 0 --count "$N" --seq 9000 --tag storm | tee "$work/storm" | sed 's/^/   /'
after=$(n_ras)
check "storm: every keepalive answered" grep -q "sent=$N answered=$N " "$work/storm"
check "storm: every phone's pinholes refreshed (reverse_pinhole_refreshed +$(( $(ctr reverse_pinhole_refreshed) - refreshed )))" \
	[ "$(( $(ctr reverse_pinhole_refreshed) - refreshed ))" = "$N" ]
check "storm: 0 pinholes lost ($before before, $after after)" [ "$after" = "$before" ]
check "storm: no expectation refused" [ "$(ctr refused_expect_failed)" = "$refused" ]
info "keepalive storm: $N phones at $(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' "$work/storm") RRQ/RCF per second, $before pinholes before, $after after"

# -------------------------------------------------------------- 5.
# close_calls TAG: $CALLS calls with a media flow each, then their BYEs;
# the worker must close every media flow.
close_calls() {
	local closed=$(ctr sip_media_flow_closed)

	$PK sip invite $SIP_ARGS --first 0 --count "$CALLS" --gen "$1" \
		--media-ns gk --media-from 10.0.2.2:30000 --tag invite | sed 's/^/   /'
	echo "   media flows: $(fw conntrack -L -p udp --orig-port-src 30000 2>/dev/null | grep -c 'helper=avaya-sipm'), conntracks: $(fw conntrack -C 2>/dev/null)"
	$PK sip bye $SIP_ARGS --first 0 --count "$CALLS" --gen "$1" \
		--counter sip_media_flow_closed --expect-delta "$CALLS" --tag "$1" |
		tee "$work/$1" | sed 's/^/   /'
	check "$1: every media flow closed ($(( $(ctr sip_media_flow_closed) - closed )) of $CALLS)" \
		[ "$(( $(ctr sip_media_flow_closed) - closed ))" -ge "$CALLS" ]
}
# close_rate TAG: "calls/s (BYE to the last media flow closed), the last
# closed W s after the last BYE/200".
close_rate() {
	awk -v c="$CALLS" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
		END { t = v["secs"] + v["waited"]; if (t > 0) printf "%.1f/s, the last closed %.3f s after the last BYE/200", c / t, v["waited"] }' "$work/$1"
}

echo "== 5. the flow-close worker ($(elapsed))"
close_calls close-few
few_ct=$(fw conntrack -C 2>/dev/null)
$PK flows --ns ph --net 10.3 --dst 10.0.3.99:9 --count "$FLOWS" | sed 's/^/   /'
close_calls close-many
many_ct=$(fw conntrack -C 2>/dev/null)
info "flow-close worker: $CALLS calls with a media flow each ended by BYE, to every media flow closed: $(close_rate close-few), with $few_ct conntracks"
info "flow-close worker: the same with $many_ct conntracks: $(close_rate close-many); flow_close_queue_full $(ctr flow_close_queue_full)"

# -------------------------------------------------------------- 6.
echo "== 6. a full expectation table ($(elapsed))"
held=$(expect_lines | grep -c .)
sysctl -qw "net.netfilter.nf_conntrack_expect_max=$held"
refused=$(ctr refused_expect_failed)
sipref=$(ctr sip_refused_expect_failed)
dmesg -C
$PK ras rrq $RAS_ARGS --first "$N" --count 1 --timeout 1 --tag full-ras ::: \
	sip register $SIP_ARGS --first "$N" --count 1 --timeout 1 --tag full-sip | tee "$work/full" | sed 's/^/   /'
check "table full ($held expectations): the phone's refused pinhole is counted (refused_expect_failed $refused -> $(ctr refused_expect_failed))" \
	[ "$(ctr refused_expect_failed)" -gt "$refused" ]
check "table full: the UA's refused pinhole is counted (sip_refused_expect_failed $sipref -> $(ctr sip_refused_expect_failed))" \
	[ "$(ctr sip_refused_expect_failed)" -gt "$sipref" ]
echo "-- kernel log:"; dmesg | grep -E 'expectation table full|avaya' | sed 's/^/   /'
check "table full: logged (ratelimited)" sh -c "dmesg | grep -q 'refused_expect_failed'"
check "nothing was inserted past the limit ($(expect_lines | grep -c .) of $held)" \
	[ "$(expect_lines | grep -c .)" -le "$held" ]
info "table full: the phone's RCF $(grep -q 'full-ras .*answered=1 ' "$work/full" && echo 'reached it' || echo 'was dropped (no answer reached the phone)'), the UA's 200 $(grep -q 'full-sip .*answered=1 ' "$work/full" && echo 'reached it' || echo 'was dropped'); both refusals counted and logged"
sysctl -qw "net.netfilter.nf_conntrack_expect_max=$EXP_NEED"

echo "== summary ($(elapsed), kernel ${AVAYA_KVER:-$(uname -r)}, N=$N; printed, not asserted)"
cat "$SUMMARY"
finish
