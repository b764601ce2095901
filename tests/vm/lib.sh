# SPDX-License-Identifier: GPL-2.0-only
# Shared pieces of the VM scenarios, sourced by tests/vm/*.sh.
#
# Topology (every scenario):
#
#   phone ns "ph"              firewall ns "fw"               gatekeeper ns "gk"
#   10.0.1.2 fd00:1::2 ---- 10.0.1.1 | 10.0.2.1 ---- 10.0.2.2 fd00:2::2
#   10.0.1.3 fd00:1::3      fd00:1::1 | fd00:2::1     (phones may use .3/.4 too)
#                                     | 10.0.3.1 ---- third host "x"
#                                     | fd00:3::1     10.0.3.2 fd00:3::2

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
NU="python3 $TOP/tests/lib/netutil.py"
passed=0
failed=0
skipped=0
ret=0
PIDS=()

# AVAYA_TIME_SCALE (vm-run.sh sets it; > 1 on the debug lane, whose KASAN
# kernel runs several times slower under TCG): every wait a scenario takes,
# here and in the python tools, stretches by it. Settling pauses too, through
# this sleep(); a scenario that measures a lifetime against the clock uses
# `command sleep` (or real_sleep) so that its arithmetic stays its own.
TIME_SCALE=${AVAYA_TIME_SCALE:-1}
export AVAYA_TIME_SCALE=$TIME_SCALE
scaled() { awk -v t="$1" -v s="$TIME_SCALE" 'BEGIN { print t * s }'; }
if [ "$TIME_SCALE" != 1 ]; then
	sleep() { command sleep "$(scaled "$1")"; }
	timeout() { local t=$1; shift; command timeout "$(scaled "$t")" "$@"; }
fi
real_sleep() { command sleep "$@"; }

# Each verdict carries the scenario's elapsed seconds: the log shows where
# its time goes (make check's budget).
pass() { echo "PASS: $* [${SECONDS}s]"; passed=$((passed + 1)); }
fail() { echo "FAIL: $* [${SECONDS}s]"; failed=$((failed + 1)); ret=1; }
skip() { echo "SKIP: $*"; skipped=$((skipped + 1)); }

# check DESC CMD...: the command must succeed.
check() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# check_not DESC CMD...: the command must fail.
check_not() {
	local desc=$1
	shift
	if "$@"; then fail "$desc"; else pass "$desc"; fi
}

ph() { ip netns exec ph "$@"; }
fw() { ip netns exec fw "$@"; }
gk() { ip netns exec gk "$@"; }
x() { ip netns exec x "$@"; }

# stop_netns NS...: every process in the namespaces ends, then they go. A
# process started as `bg ph CMD` is the child of a subshell whose pid is the
# one in PIDS, so killing PIDS alone leaves CMD running; a process kept alive
# keeps its namespace, with its ruleset (ct helper objects) and flows, and
# so our modules, after `ip netns del`.
stop_netns() {
	local ns pids

	for ns in "$@"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill $pids 2>/dev/null
	done
	wait 2>/dev/null
	for ns in "$@"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill -9 $pids 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

# kill_tree PID...: each process and its children (`bg ph CMD` runs CMD as a
# child of the subshell whose pid bg recorded).
kill_tree() {
	local p

	for p in "$@"; do
		pkill -P "$p" 2>/dev/null
		kill "$p" 2>/dev/null
	done
	return 0
}

cleanup() {
	kill_tree "${PIDS[@]}"
	stop_netns ph fw gk x
}

# bg CMD...: start in the background; $BG is its pid, for wait_bg.
bg() {
	"$@" &
	BG=$!
	PIDS+=("$BG")
}

wait_bg() {
	wait "$BG"
}

link() {	# link NS1 IF1 NS2 IF2
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

setup_topology() {
	local ns

	for ns in ph fw gk x; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0
	done
	link ph eth0 fw ph0
	link fw gk0 gk eth0
	link fw x0 x eth0
	ip -n ph addr add 10.0.1.2/24 dev eth0
	ip -n ph addr add 10.0.1.3/24 dev eth0
	ip -n ph addr add 10.0.1.4/24 dev eth0
	ip -n ph addr add fd00:1::2/64 dev eth0 nodad
	ip -n ph addr add fd00:1::3/64 dev eth0 nodad
	ip -n fw addr add 10.0.1.1/24 dev ph0
	ip -n fw addr add fd00:1::1/64 dev ph0 nodad
	ip -n fw addr add 10.0.2.1/24 dev gk0
	ip -n fw addr add fd00:2::1/64 dev gk0 nodad
	ip -n fw addr add 10.0.3.1/24 dev x0
	ip -n fw addr add fd00:3::1/64 dev x0 nodad
	ip -n gk addr add 10.0.2.2/24 dev eth0
	ip -n gk addr add fd00:2::2/64 dev eth0 nodad
	ip -n x addr add 10.0.3.2/24 dev eth0
	ip -n x addr add fd00:3::2/64 dev eth0 nodad
	ip -n ph route add default via 10.0.1.1
	ip -n ph -6 route add default via fd00:1::1
	ip -n gk route add default via 10.0.2.1
	ip -n gk -6 route add default via fd00:2::1
	ip -n x route add default via 10.0.3.1
	ip -n x -6 route add default via fd00:3::1
	fw sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	# Helpers are attached by the ruleset only (upstream default since 4.7).
	fw sysctl -qw net.netfilter.nf_conntrack_helper=0 2>/dev/null || true
}

# Message builders, many in one python (a start costs a second or more
# under TCG): "msg_add MODULE ARGS..." queues MODULE.main(ARGS) of
# tests/lib or tests/sip, msg_build runs the queue and fails if one did.
msg_add() {
	[ -n "${MSG_QUEUE:-}" ] || MSG_QUEUE=$(mktemp)
	printf '%q ' "$@" >> "$MSG_QUEUE"
	echo >> "$MSG_QUEUE"
}

msg_build() {
	[ -s "${MSG_QUEUE:-}" ] || return 0
	python3 -c '
import importlib, shlex, sys
sys.path[:0] = [sys.argv[1] + "/tests/lib", sys.argv[1] + "/tests/sip"]
for line in open(sys.argv[2]):
    words = shlex.split(line)
    if words and importlib.import_module(words[0]).main(words[1:]):
        sys.exit("msg_build: failed: " + line.strip())
' "$TOP" "$MSG_QUEUE" || return 1
	: > "$MSG_QUEUE"
}

# udp_recv1 NS IP:PORT [SECONDS]: waits (2 s) for one datagram to IP:PORT in
# NS and prints "udp-recv: from PEER:PORT"; fails on timeout. socat, not
# python: a python start costs a second or more under TCG.
udp_recv1() {
	# shellcheck disable=SC2016 # $SOCAT_PEER* are socat's, for its shell
	ip netns exec "$1" timeout "$(scaled "${3:-2}")" socat -u \
		"UDP4-RECVFROM:${2##*:},bind=${2%:*}" \
		SYSTEM:'echo "udp-recv: from $SOCAT_PEERADDR:$SOCAT_PEERPORT"'
}

# tcp_try NS SRC_IP:PORT DST_IP:PORT [SECONDS]: a TCP connection from SRC
# to DST is set up within SECONDS (2, scaled), then reset (no TIME_WAIT:
# the same source port can try again). socat, not python, as above.
tcp_try() {
	local fam=4

	case $3 in "["*) fam=6 ;; esac
	ip netns exec "$1" socat -u /dev/null \
		"TCP$fam:$3,bind=$2,linger=0,shut-none,reuseaddr,connect-timeout=$(scaled "${4:-2}")" \
		2>/dev/null
}

# wait_bound NS IP:PORT: poll until a UDP socket is bound to exactly that
# address (wait_listen by port alone would take another socket's).
wait_bound() {
	local i

	for i in $(seq 1 50); do
		ip netns exec "$1" ss -H -lun src "$2" | grep -q . && return 0
		sleep 0.1
	done
	echo "wait_bound: nothing is bound to $1 udp $2"
	return 1
}

# udp_answer NS IP:PORT REPLY [SECONDS] [SAVE]: in the background ($BG),
# the first datagram to IP:PORT in NS (within SECONDS, 4, scaled) is
# answered with REPLY's bytes, to its sender; SAVE keeps what came. After
# the one datagram socat sees its end on that side and waits -t for the
# answering child (a fork and an exec, slow under TCG); it ends as soon as
# the child has answered.
udp_answer() {
	local fam=4

	case $2 in "["*) fam=6 ;; esac
	bg ip netns exec "$1" timeout "$(scaled "${4:-4}")" socat -t "$(scaled 3)" \
		-r "${5:-/dev/null}" "UDP$fam-RECVFROM:${2##*:},bind=${2%:*}" EXEC:"cat $3"
}

# udp_ask NS SRC_IP:PORT DST_IP:PORT REQ GOT [SECONDS]: REQ from SRC to
# DST; true when an answer comes back to SRC within SECONDS (3, scaled),
# kept in GOT. tests/lib/udpask.c, compiled once per boot: one socket that
# sends and receives (socat would need two, racing for the answer).
# vm-run.sh compiles it on the host; else it is compiled here once per
# boot, when a scenario starts (in udp_ask a server started before would
# time out during the compile: half a minute under TCG).
UDPASK=$TOP/build/tools/udpask
if [ ! -x "$UDPASK" ]; then
	UDPASK=/tmp/avaya-udpask
	[ -x "$UDPASK" ] || { cc -O2 -o "$UDPASK.$$" "$TOP/tests/lib/udpask.c" &&
				mv "$UDPASK.$$" "$UDPASK"; }
fi
udp_ask() {
	rm -f "$5"
	ip netns exec "$1" "$UDPASK" "$2" "$3" "$4" "$5" "$(scaled "${6:-3}")"
}

# udp_send NS SRC_IP:PORT DST_IP:PORT FILE: FILE's bytes in one datagram.
udp_send() {
	local fam=4

	case $3 in "["*) fam=6 ;; esac
	ip netns exec "$1" socat -u "OPEN:$4" "UDP$fam-SENDTO:$3,bind=$2"
}

# wait_listen NS PROTO PORT: poll until a socket listens, never sleep blindly.
wait_listen() {
	local i flag=-ltn

	[ "$2" = udp ] && flag=-lun
	for i in $(seq 1 50); do
		ip netns exec "$1" ss -H "$flag" "sport = :$3" | grep -q . && return 0
		sleep 0.1
	done
	echo "wait_listen: nothing listens on $1 $2/$3"
	return 1
}

# eventually CMD...: poll up to 5 s (times the scale, through sleep) for CMD
# to succeed. For what the flow-close worker does right after a packet (it
# runs in process context).
eventually() {
	local i

	for i in $(seq 1 50); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# Remove forwarded TCP connections so that the next attempt from the same
# source port is judged by the expectations again, not by an old entry.
forget_tcp() {
	fw conntrack -D -p tcp >/dev/null 2>&1 || true
	fw conntrack -D -f ipv6 -p tcp >/dev/null 2>&1 || true
}

# expect_lines [FILTER...]: the firewall's expectation table.
expect_lines() {
	fw conntrack -L expect "$@" 2>/dev/null
}

finish() {
	echo "$passed passed, $failed failed, $skipped skipped"
	exit "$ret"
}

# The captures are shared material: skip cleanly when they are absent.
need_captures() {
	CAPTURES=${CAPTURES:-$TOP/../shared/captures}
	if [ ! -d "$CAPTURES" ]; then
		skip "$(basename "$0"): $CAPTURES is absent"
		finish
	fi
}

trap cleanup EXIT
