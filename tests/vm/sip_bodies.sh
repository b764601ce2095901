#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# avaya-sip and the SIP bodies real trunks carry (issue 15 item 5), under
# masquerade: the SDP inside a multipart body opens the call's media
# pinholes and is rewritten there, with every length fixed.
#
#   ph 10.0.1.200 UA --- fw: default drop, ct helper avaya-sip, --- gk 10.0.2.2 UA/trunk
#                        masquerade to 10.0.2.1 on gk0
#
# 1. SIP-I INVITE (multipart/mixed: SDP, then a binary ISUP IAM): it leaves
#    with the SDP part's c= 10.0.2.1 and its public media port, a true
#    Content-Length, and the ISUP part byte-identical. gk's 200 carries its
#    SDP in a nested multipart/alternative; then RTP from gk:30000 to the
#    public media port reaches 10.0.1.200:49170, and from ph to gk:30000.
# 2. An INVITE whose SDP sits in a nested multipart/alternative part with
#    its own Content-Length (quoted outer boundary, preamble, a line that
#    starts like a boundary): both lengths are true after the rewrite
#    (10.0.1.200 -> 10.0.2.1 shortens the part).
# Hostile and odd cases:
# 3. The SDP three multipart levels down (the helper looks two deep): no
#    media pinhole and the private address is left as it is: a rewrite is
#    never guessed. Headers are still NATed, lengths stay true.
# 4. A multipart body without a delimiter line passes byte-identical, is
#    counted malformed and opens nothing.
# Addresses that are not RFC-clean (issue 15 item 6):
# 5. IPv6 through the same masquerade, the phone writing its hosts without
#    [] (Request-URI, Via, Contact: "fd00:1::2:5070" is an address or an
#    address and a port, nobody can tell): the message is used (not
#    malformed), its SDP c=IN IP6 is rewritten and opens the media
#    pinhole, the ambiguous hosts are left as written and counted
#    (sip_nat_ambiguous_address).
# 6. A Contact that cannot be read (no '>'): left out and counted
#    (sip_header_skipped); the SDP is still rewritten and opens its
#    pinhole. With strict=1 such a message is dropped.
# A BYE on another connection (issue 15 item 7), SIP over TCP:
# 7. Calls A, B, C: INVITE and 200 each on a TCP connection of ph's, which
#    stays open; A's media flows. Then, each on a new connection, none of
#    which ends A (sip_bye_unknown_call, sip_bye_lookup_dropped): another
#    phone behind the same masquerade (10.0.1.2) sending A's exact BYE;
#    10.0.1.200 with A's Call-ID but other tags; A's BYE in a lone UDP
#    datagram (a flow nobody answered: its source may be forged); a CANCEL
#    of A, which a 2xx confirmed; 40 BYEs of no call on one connection (at
#    most 4 looked up). Then 10.0.1.200's true BYE on a connection of its
#    own removes A's pinholes and closes its media flows
#    (sip_bye_other_flow, sip_media_flow_closed); A's connection stays.
#    gk hangs up B on a connection of its own, port-forwarded to ph:5060
#    (DNAT): B's pinholes go. gk's re-INVITE of C on its own connection
#    books C there too (pinholes for its new media); the caller's BYE on
#    C's first connection ends it on both: those pinholes go. gk's UPDATE
#    of E on its own connection books E there; the caller's CANCEL of a
#    re-INVITE (a To tag) ends nothing; its BYE ends E on both. gk's
#    late-offer re-INVITE of F (no SDP) on its own connection books F there
#    at the request; the caller's 200 there carries the offer and opens its
#    pinholes; the caller's BYE on F's first connection ends both.
set -u
. "$(dirname "$0")/lib.sh"

MSG="python3 $TOP/tests/sip/sipmsg.py"
work=$(mktemp -d)
PUB=10.0.2.1
ctr() { fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya; }

inv() {	# NAME SPORT MEDIAPORT BODY: the INVITE, from 10.0.1.200:SPORT
	msg_add sipmsg invite --src "10.0.1.200:$2" --dst 10.0.2.2:5060 \
		--media "10.0.1.200:$3" --body "$4" --call-id "$1@avaya.test" \
		-o "$work/$1.req"
}
inv sipi 5060 49170 sipi
msg_add sipmsg invite-ok --src 10.0.1.200:5060 --dst 10.0.2.2:5060 \
	--media 10.0.2.2:30000 --body nested --call-id sipi@avaya.test \
	-o "$work/sipi.ok"
inv nested 5062 49180 nested
inv deep 5064 49190 deep
inv nodelim 5066 49200 nodelim
msg_add sipmsg invite --src '[fd00:1::2]:5070' --dst '[fd00:2::2]:5060' \
	--media '[fd00:1::2]:49300' --bare-v6 --call-id v6@avaya.test -o "$work/v6.req"
msg_add sipmsg invite --src 10.0.1.200:5072 --dst 10.0.2.2:5060 \
	--media 10.0.1.200:49310 --bad-contact --call-id badc@avaya.test -o "$work/badc.req"
msg_add sipmsg invite --src 10.0.1.200:5074 --dst 10.0.2.2:5060 \
	--media 10.0.1.200:49320 --bad-contact --call-id badc2@avaya.test -o "$work/badc2.req"
tcpm() {	# KIND NAME CALL-ID [ARGS...]: a TCP call message from 10.0.1.200:5080
	local kind=$1 name=$2 id=$3
	shift 3
	msg_add sipmsg "$kind" --tcp --src 10.0.1.200:5080 --dst 10.0.2.2:5060 \
		--call-id "$id" -o "$work/$name" "$@"
}
tcpm invite ta.req ta@avaya.test --media 10.0.1.200:49400
tcpm invite-ok ta.ok ta@avaya.test --media 10.0.2.2:30400
tcpm bye ta.bye ta@avaya.test
tcpm bye ta.badtag ta@avaya.test --from-tag c9 --to-tag p9
tcpm invite tb.req tb@avaya.test --media 10.0.1.200:49410
tcpm invite-ok tb.ok tb@avaya.test --media 10.0.2.2:30410
tcpm bye-callee tb.bye tb@avaya.test
tcpm cancel ta.cancel ta@avaya.test
tcpm invite tc.req tc@avaya.test --media 10.0.1.200:49420
tcpm invite-ok tc.ok tc@avaya.test --media 10.0.2.2:30420
tcpm bye tc.bye tc@avaya.test
# gk's re-INVITE of call C (it moves its media) on a connection of its own.
msg_add sipmsg reinvite --tcp --src 10.0.2.2:5098 --dst "$PUB:5060" \
	--from-tag p1 --to-tag c1 --media 10.0.2.2:30430 --call-id tc@avaya.test \
	-o "$work/tc.reinvite"
tcpm invite te.req te@avaya.test --media 10.0.1.200:49460
tcpm invite-ok te.ok te@avaya.test --media 10.0.2.2:30460
tcpm cancel-reinvite te.cancel te@avaya.test
tcpm bye te.bye te@avaya.test
# gk's UPDATE of call E (it moves its media) on a connection of its own.
msg_add sipmsg update --tcp --src 10.0.2.2:5112 --dst "$PUB:5060" \
	--from-tag p1 --to-tag c1 --media 10.0.2.2:30470 --call-id te@avaya.test \
	-o "$work/te.update"
tcpm invite tf.req tf@avaya.test --media 10.0.1.200:49480
tcpm invite-ok tf.ok tf@avaya.test --media 10.0.2.2:30480
tcpm bye tf.bye tf@avaya.test
# gk's late-offer re-INVITE of call F (no SDP) on a connection of its own,
# and the caller's 200 with the offer on it.
msg_add sipmsg reinvite --tcp --src 10.0.2.2:5114 --dst "$PUB:5060" \
	--from-tag p1 --to-tag c1 --call-id tf@avaya.test -o "$work/tf.reinvite"
msg_add sipmsg invite-ok --tcp --src 10.0.2.2:5114 --dst "$PUB:5060" \
	--from-tag p1 --to-tag c1 --media 10.0.1.200:49490 --call-id tf@avaya.test \
	-o "$work/tf.offer"
for i in $(seq 1 40); do
	tcpm bye "flood$i" "flood$i@avaya.test" --from-tag "f$i" --to-tag "t$i"
done
msg_build || fail "the messages were built"

setup_topology
# Media flows live until the call ends, not 30 s, and offered pinholes
# wait an hour, not 180 s (slow guests: the debug lane took 640 s to reach
# section 7's checks).
fw sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600
echo 3600 > /sys/module/nf_conntrack_avaya/parameters/sip_media_timeout
ip -n ph addr add 10.0.1.200/24 dev eth0
fw nft -f - <<EOF
table inet fw {
	ct helper sip-udp {
		type "avaya-sip" protocol udp;
	}
	ct helper sip-tcp {
		type "avaya-sip" protocol tcp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 udp dport 5060 ct helper set "sip-udp" accept
		ip6 saddr fd00:1::/64 udp dport 5060 ct helper set "sip-udp" accept
		ip saddr 10.0.1.0/24 tcp dport 5060 ct helper set "sip-tcp" accept
		ip daddr 10.0.1.200 tcp dport 5060 ct status dnat ct helper set "sip-tcp" accept
	}
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "gk0" ip daddr $PUB tcp dport 5060 dnat ip to 10.0.1.200:5060
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "gk0" masquerade
	}
}
EOF

# send NAME SPORT: ph's INVITE reaches gk:5060, saved as $work/NAME.rx.
send() {
	bg gk timeout "$(scaled 4)" socat -u UDP4-RECVFROM:5060,bind=10.0.2.2 "CREATE:$work/$1.rx"
	wait_listen gk udp 5060
	ph socat -u "OPEN:$work/$1.req" "UDP4-SENDTO:10.0.2.2:5060,bind=10.0.1.200:$2"
	wait_bg
}
# answer NAME: gk's answer back to the INVITE's public source 10.0.2.1:5060.
answer() {
	bg ph timeout "$(scaled 4)" socat -u UDP4-RECVFROM:5060,bind=10.0.1.200 "CREATE:$work/$1.got"
	wait_listen ph udp 5060
	gk socat -u "OPEN:$work/$1.ok" "UDP4-SENDTO:$PUB:5060,bind=10.0.2.2:5060"
	wait_bg
}
# media FROM_NS SRC DST TO_NS LISTEN: one datagram to DST arrives at LISTEN.
media() {
	local pid

	udp_recv1 "$4" "$5" >"$work/flow" &
	pid=$!
	wait_listen "$4" udp "${5##*:}" || { wait "$pid"; return 2; }
	echo rtp | ip netns exec "$1" socat -u - "UDP4-SENDTO:$3,bind=$2"
	wait "$pid"
}
# tail_same A B N: the last N bytes of A and B are equal.
tail_same() { cmp -s <(tail -c "$3" "$1") <(tail -c "$3" "$2"); }
# isup_tail FILE: bytes from the ISUP part's delimiter to the end.
isup_tail() {
	local at

	at=$(grep -abo 'Content-Type: application/isup' "$1" | head -1 | cut -d: -f1)
	echo $(($(stat -c %s "$1") - ${at:-0}))
}
pinholes_to() { expect_lines | grep -c "dport=$1 "; }

mal0=$(ctr sip_malformed)
# 1. SIP-I.
send sipi 5060
answer sipi
check "1. the INVITE reached gk" [ -s "$work/sipi.rx" ]
check "1. gk's 200 reached the UA" [ -s "$work/sipi.got" ]
mo1=$(ctr sip_media_pinhole_opened)
send nested 5062
mo2=$(ctr sip_media_pinhole_opened)
send deep 5064
mo3=$(ctr sip_media_pinhole_opened)
send nodelim 5066
mo4=$(ctr sip_media_pinhole_opened)
for k in sipi nested deep nodelim; do
	[ -s "$work/$k.rx" ] || : > "$work/$k.rx"
done
$MSG inspect "$work/sipi.rx" "$work/nested.rx" "$work/deep.rx" "$work/nodelim.rx" \
	> "$work/inspect" 2>&1
sed 's/^/   /' "$work/inspect"
field() { awk -v f="$work/$1.rx" -v k="$2" '$1 == f { for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) print substr($i, length(k) + 2) }' "$work/inspect"; }
echo "-- expectations:"; expect_lines | sed 's/^/   /'

p1=$(field sipi sdp); p1=${p1##*:}
check "1. the SDP part left with c= $PUB (got $(field sipi sdp))" [ "$(field sipi sdp)" = "$PUB:${p1:-x}" ]
check "1. Content-Length true after the rewrite" [ "$(field sipi clen)" = ok ]
n=$(isup_tail "$work/sipi.req")
check "1. the ISUP part arrived byte-identical ($n bytes)" tail_same "$work/sipi.req" "$work/sipi.rx" "$n"
check "1. media gk:30000 -> $PUB:${p1:-?} reaches 10.0.1.200:49170" \
	media gk 10.0.2.2:30000 "$PUB:${p1:-1}" ph 10.0.1.200:49170
check "1. media 10.0.1.200:49170 -> gk:30000 passes" \
	media ph 10.0.1.200:49170 10.0.2.2:30000 gk 10.0.2.2:30000

# 2. Nested part with its own Content-Length.
p2=$(field nested sdp); p2=${p2##*:}
check "2. the nested SDP part left with c= $PUB (got $(field nested sdp))" \
	[ "$(field nested sdp)" = "$PUB:${p2:-x}" ]
check "2. the message's Content-Length is true" [ "$(field nested clen)" = ok ]
check "2. the part's Content-Length is true" [ "$(field nested part-clen)" = ok ]
check "2. the offer's media pinhole to $PUB:${p2:-?} (sip_media_pinhole_opened $mo1 -> $mo2)" \
	[ "$(pinholes_to "${p2:-x}")" -ge 1 -a "$mo2" -gt "$mo1" ]
check "2. the rewrite shortened the message" \
	[ "$(stat -c %s "$work/nested.rx")" -lt "$(stat -c %s "$work/nested.req")" ]

# 3. Too deep.
check "3. the SDP three levels down keeps its private address" \
	[ "$(field deep sdp)" = 10.0.1.200:49190 ]
check "3. lengths true" [ "$(field deep clen)" = ok ]
check "3. the headers were still NATed (Via $PUB)" grep -aq "^Via: SIP/2.0/UDP $PUB:" "$work/deep.rx"
check "3. no media pinhole for it (sip_media_pinhole_opened $mo2 -> $mo3)" [ "$mo3" = "$mo2" ]

# 4. No delimiter.
check "4. passed byte-identical" cmp -s "$work/nodelim.req" "$work/nodelim.rx"
check "4. counted malformed (sip_malformed ${mal0:-?} -> $(ctr sip_malformed))" \
	[ "$(ctr sip_malformed)" = $((${mal0:-0} + 1)) ]
check "4. no media pinhole for it (sip_media_pinhole_opened $mo3 -> $mo4)" [ "$mo4" = "$mo3" ]
# 5. Unbracketed IPv6.
mal0=$(ctr sip_malformed)
msgs0=$(ctr sip_messages)
amb0=$(ctr sip_nat_ambiguous_address)
bg gk timeout "$(scaled 4)" socat -u UDP6-RECVFROM:5060,bind=[fd00:2::2] "CREATE:$work/v6.rx"
wait_listen gk udp 5060
ph socat -u "OPEN:$work/v6.req" "UDP6-SENDTO:[fd00:2::2]:5060,bind=[fd00:1::2]:5070"
wait_bg
$MSG inspect "$work/v6.rx" > "$work/inspect" 2>&1
sed 's/^/   /' "$work/inspect"
check "5. the INVITE reached gk" [ -s "$work/v6.rx" ]
check "5. used, not malformed (sip_messages ${msgs0:-?} -> $(ctr sip_messages), sip_malformed ${mal0:-?} -> $(ctr sip_malformed))" \
	[ "$(ctr sip_messages)" = $((${msgs0:-0} + 1)) -a "$(ctr sip_malformed)" = "$mal0" ]
p5=$(field v6 sdp); p5=${p5##*:}
check "5. its SDP left with c= fd00:2::1 (got $(field v6 sdp))" [ "$(field v6 sdp)" = "fd00:2::1:${p5:-x}" ]
check "5. the bare Via is left as written" grep -aq '^Via: SIP/2.0/UDP fd00:1::2:5070;' "$work/v6.rx"
check "5. ... and the Contact" grep -aq '^Contact: <sip:carol@fd00:1::2:5070>' "$work/v6.rx"
check "5. counted (sip_nat_ambiguous_address ${amb0:-?} -> $(ctr sip_nat_ambiguous_address))" \
	[ "$(ctr sip_nat_ambiguous_address)" -gt "${amb0:-0}" ]
check "5. the media pinhole to [fd00:2::1]:${p5:-?}" \
	sh -c "ip netns exec fw conntrack -L expect -f ipv6 2>/dev/null | grep -q 'dst=fd00:2::1 .*dport=${p5:-x} '"

# 6. An unreadable Contact.
sk0=$(ctr sip_header_skipped)
mo5=$(ctr sip_media_pinhole_opened)
send badc 5072
$MSG inspect "$work/badc.rx" > "$work/inspect" 2>&1
sed 's/^/   /' "$work/inspect"
p6=$(field badc sdp); p6=${p6##*:}
check "6. the SDP left with c= $PUB (got $(field badc sdp))" [ "$(field badc sdp)" = "$PUB:${p6:-x}" ]
check "6. lengths true" [ "$(field badc clen)" = ok ]
check "6. counted (sip_header_skipped ${sk0:-?} -> $(ctr sip_header_skipped))" \
	[ "$(ctr sip_header_skipped)" = $((${sk0:-0} + 1)) ]
check "6. its media pinhole opened (sip_media_pinhole_opened ${mo5:-?} -> $(ctr sip_media_pinhole_opened))" \
	[ "$(ctr sip_media_pinhole_opened)" = $((${mo5:-0} + 1)) ]
STRICT=/sys/module/nf_conntrack_avaya/parameters/strict
echo 1 > "$STRICT"
send badc2 5074
echo 0 > "$STRICT"
check_not "6. strict: it is dropped" [ -s "$work/badc2.rx" ]
# 7. A BYE on another TCP connection.
# tcp_call NAME SPORT: NAME.req over TCP from 10.0.1.200:SPORT, gk answers
# NAME.ok on it half a second later (the INVITE is saved as NAME.rx; a
# background job's stdin would be /dev/null). The connection stays open
# until the scenario ends; what is appended to NAME.in is sent on it.
tcp_call() {
	cp "$work/$1.req" "$work/$1.in"
	bg gk timeout "$(scaled 300)" socat TCP4-LISTEN:5060,bind=10.0.2.2,reuseaddr \
		SYSTEM:"(sleep $(scaled 0.5); cat $work/$1.ok; exec sleep $(scaled 300)) & exec cat > $work/$1.rx"
	wait_listen gk tcp 5060
	bg ph sh -c "tail -c +1 -f $work/$1.in |
		timeout $(scaled 300) socat - TCP4:10.0.2.2:5060,bind=10.0.1.200:$2 > $work/$1.got"
	eventually grep -q '^SIP/2.0 200' "$work/$1.got"
}
# tcp_once NS SRC DST FILE: FILE alone on a new connection from SRC to DST.
tcp_once() {
	ip netns exec "$1" timeout "$(scaled 5)" socat -u "OPEN:$4" "TCP4:$3,bind=$2"
}
flows_to() { fw conntrack -L -p udp 2>/dev/null | grep -c "port=$1 "; }
# call_pinholes PUBPORT GKPORT: the call's RTP and RTCP pinholes both ways.
call_pinholes() {
	expect_lines | grep -cE "dport=($1|$(($1 + 1))|$2|$(($2 + 1))) "
}
grew() { [ "$(ctr "$1")" -gt "$2" ]; }
grew_cmd() { [ "$("$@")" -gt 0 ]; }	# grew_cmd CMD...: CMD prints > 0
none() { [ "$("$@")" = 0 ]; }	# none CMD...: CMD prints 0
check "7. call A: INVITE and 200 on one TCP connection" tcp_call ta 5080
check "7. call B: INVITE and 200 on another" tcp_call tb 5082
check "7. call C: INVITE and 200 on a third" tcp_call tc 5088
check "7. call E: INVITE and 200 on a fourth" tcp_call te 5110
check "7. call F: INVITE and 200 on a fifth" tcp_call tf 5116
$MSG inspect "$work/ta.rx" "$work/tb.rx" > "$work/inspect" 2>&1
sed 's/^/   /' "$work/inspect"
pa=$(field ta sdp); pa=${pa##*:}
pb=$(field tb sdp); pb=${pb##*:}
for k in ta tb; do
	check "7. $k: the INVITE left with c= $PUB, its length true ($(field $k sdp) clen=$(field $k clen))" \
		[ "$(field $k clen)" = ok -a "$(field $k sdp)" != none ]
	[ "$(field $k clen)" = ok ] || cat -A "$work/$k.rx" | head -n 30 | sed 's/^/   | /'
done
case $pa in *[!0-9]* | "") pa=1 ;; esac
case $pb in *[!0-9]* | "") pb=1 ;; esac
check "7. A: media gk:30400 -> $PUB:$pa reaches 10.0.1.200:49400" \
	media gk 10.0.2.2:30400 "$PUB:$pa" ph 10.0.1.200:49400
check "7. A: media 10.0.1.200:49400 -> gk:30400 passes" \
	media ph 10.0.1.200:49400 10.0.2.2:30400 gk 10.0.2.2:30400
fa=$(flows_to 30400) ha=$(call_pinholes "$pa" 30400) hb=$(call_pinholes "$pb" 30410)
check "7. A: its media flow exists ($fa)" [ "$fa" -ge 1 ]
check "7. A: its RTCP pinholes stay ($ha)" [ "$ha" -ge 2 ]
check "7. B: its pinholes ($hb)" [ "$hb" -ge 4 ]
bg gk timeout "$(scaled 200)" socat -u TCP4-LISTEN:5060,bind=10.0.2.2,reuseaddr,fork OPEN:/dev/null
wait_listen gk tcp 5060
bg ph timeout "$(scaled 200)" socat -u TCP4-LISTEN:5060,bind=10.0.1.200,reuseaddr,fork OPEN:/dev/null
wait_listen ph tcp 5060
# Hostile and odd: none of these ends A.
unk=$(ctr sip_bye_unknown_call) oth=$(ctr sip_bye_other_flow)
tcp_once ph 10.0.1.2:5090 10.0.2.2:5060 "$work/ta.bye"
check "7. another phone's copy of A's BYE was looked up" eventually grew sip_bye_unknown_call "${unk:-0}"
unk=$(ctr sip_bye_unknown_call)
tcp_once ph 10.0.1.200:5084 10.0.2.2:5060 "$work/ta.badtag"
check "7. a BYE with A's Call-ID and other tags was looked up" eventually grew sip_bye_unknown_call "${unk:-0}"
unk=$(ctr sip_bye_unknown_call)
ph socat -u "OPEN:$work/ta.bye" UDP4-SENDTO:10.0.2.2:5060,bind=10.0.1.200:5096
check "7. A's BYE in a lone datagram (a flow nobody answered: a forged source could send it) is not looked up" \
	eventually grew sip_bye_unknown_call "${unk:-0}"
unk=$(ctr sip_bye_unknown_call)
tcp_once ph 10.0.1.200:5102 10.0.2.2:5060 "$work/ta.cancel"
check "7. a CANCEL of A (confirmed) on another connection was looked up" \
	eventually grew sip_bye_unknown_call "${unk:-0}"
drop=$(ctr sip_bye_lookup_dropped)
cat "$work"/flood*  > "$work/flood"
tcp_once ph 10.0.1.200:5100 10.0.2.2:5060 "$work/flood"
check "7. 40 BYEs of no call on one connection: at most 4 looked up ($(ctr sip_bye_lookup_dropped) dropped, from ${drop:-?})" \
	[ "$(ctr sip_bye_lookup_dropped)" -ge $((${drop:-0} + 30)) ]
check "7. ... none ended A: its pinholes stay" [ "$(call_pinholes "$pa" 30400)" = "$ha" ]
check "7. ... nor its media flows ($(flows_to 30400))" [ "$(flows_to 30400)" = "$fa" ]
check "7. ... (sip_bye_other_flow ${oth:-?} -> $(ctr sip_bye_other_flow))" \
	[ "$(ctr sip_bye_other_flow)" = "${oth:-0}" ]
closed=$(ctr sip_media_flow_closed)
tcp_once ph 10.0.1.200:5086 10.0.2.2:5060 "$work/ta.bye"
check "7. A's BYE on a connection of its own ended A (sip_bye_other_flow grew from ${oth:-?})" \
	eventually grew sip_bye_other_flow "${oth:-0}"
check "7. ... its pinholes are gone" eventually none call_pinholes "$pa" 30400
check "7. ... its media flows are closed" eventually none flows_to 30400
check "7. ... counted (sip_media_flow_closed ${closed:-?} -> $(ctr sip_media_flow_closed))" \
	grew sip_media_flow_closed "${closed:-0}"
check "7. ... A's own connection is still up" \
	sh -c "ip netns exec fw conntrack -L -p tcp --sport 5080 2>/dev/null | grep -q ESTABLISHED"
check "7. ... B is untouched: its pinholes" [ "$(call_pinholes "$pb" 30410)" = "$hb" ]
oth=$(ctr sip_bye_other_flow)
tcp_once gk 10.0.2.2:5094 "$PUB:5060" "$work/tb.bye"
check "7. gk's BYE of B on its own connection, port-forwarded, ended B" \
	eventually grew sip_bye_other_flow "${oth:-0}"
check "7. ... B's pinholes are gone" eventually none call_pinholes "$pb" 30410
# C: gk moves its media with a re-INVITE on its own connection (booked
# there too); the caller's BYE on C's first connection ends it on both.
tcp_once gk 10.0.2.2:5098 "$PUB:5060" "$work/tc.reinvite"
moved() { expect_lines | grep -cE "dport=(30430|30431) "; }
check "7. C: gk's re-INVITE on its own connection opened its pinholes ($(moved))" eventually grew_cmd moved
sleep 1		# the re-INVITE's lookup marks C shared on the first connection
oth=$(ctr sip_bye_other_flow)
cat "$work/tc.bye" >> "$work/tc.in"
check "7. C's BYE on its first connection ended it on the other too" \
	eventually grew sip_bye_other_flow "${oth:-0}"
check "7. ... the re-INVITE's pinholes are gone" eventually none moved
# E: gk's UPDATE on its own connection books E there; the caller's CANCEL
# of a re-INVITE (To tag) on E's first connection ends nothing, there or
# on gk's connection; its BYE ends both.
tcp_once gk 10.0.2.2:5112 "$PUB:5060" "$work/te.update"
updated() { expect_lines | grep -cE "dport=(30470|30471) "; }
check "7. E: gk's UPDATE on its own connection opened its pinholes ($(updated))" eventually grew_cmd updated
sleep 1		# the UPDATE's lookup marks E shared on the first connection
cat "$work/te.cancel" >> "$work/te.in"
sleep 1		# a wrong end would be queued now and done 100 ms later
check "7. E: a CANCEL of a re-INVITE (To tag) leaves the UPDATE's pinholes ($(updated))" \
	[ "$(updated)" -ge 2 ]
oth=$(ctr sip_bye_other_flow)
cat "$work/te.bye" >> "$work/te.in"
check "7. E's BYE on its first connection ended it on the other too" \
	eventually grew sip_bye_other_flow "${oth:-0}"
check "7. ... the UPDATE's pinholes are gone" eventually none updated
# F: gk's late-offer re-INVITE (no SDP) on its own connection books F
# there at the request; the caller's 200 carries the offer, which opens
# pinholes there; the caller's BYE on F's first connection ends both.
# ph's sink gives the port up (bg's pid is a subshell: kill socat itself).
pkill -f "TCP4-LISTEN:5060,bind=10.0.1.200,"
unbound() { [ -z "$(ip netns exec ph ss -Hltn 'sport = :5060')" ]; }
eventually unbound || echo "   ph's sink still holds port 5060"
bg ph timeout "$(scaled 60)" socat TCP4-LISTEN:5060,bind=10.0.1.200,reuseaddr \
	SYSTEM:"(sleep $(scaled 0.5); cat $work/tf.offer; exec sleep $(scaled 60)) & exec cat > $work/tf.rerx"
wait_listen ph tcp 5060
bg gk sh -c "(cat $work/tf.reinvite; sleep $(scaled 60)) |
	timeout $(scaled 60) socat - TCP4:$PUB:5060,bind=10.0.2.2:5114 > $work/tf.got"
check "7. F: gk's late-offer re-INVITE on its own connection was answered with the offer" \
	eventually grep -q '^SIP/2.0 200' "$work/tf.got"
sleep 0.5	# the rest of the 200
pf=$($MSG inspect "$work/tf.got" | sed -n 's/.* sdp=\([^ ]*\) .*/\1/p')
check "7. ... the offer left with c= $PUB (got ${pf:-nothing})" [ "${pf%:*}" = "$PUB" ]
pf=${pf##*:}
case $pf in *[!0-9]* | "") pf=1 ;; esac
offered() { expect_lines | grep -cE "dport=($pf|$((pf + 1))) "; }
check "7. ... which opened its pinholes ($(offered))" eventually grew_cmd offered
sleep 1		# the re-INVITE's lookup marks F shared on the first connection
oth=$(ctr sip_bye_other_flow)
cat "$work/tf.bye" >> "$work/tf.in"
check "7. F's BYE on its first connection ended it on the other too" \
	eventually grew sip_bye_other_flow "${oth:-0}"
check "7. ... the late offer's pinholes are gone" eventually none offered
echo "-- counters:"; fw grep -E '^sip_' /proc/net/nf_conntrack_avaya | grep -v ' 0$' | sed 's/^/   /'
finish
