#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# same-results.sh REF: do the decoders of the tree decode exactly what those
# of commit REF decode? Both sets of lib/ and include/ (REF's from git
# archive) are built into the same driver (same.c), which runs every
# decoder on the same inputs: the KUnit vectors, the UDP/TCP payloads of the
# captures in ../shared/captures (when present), every prefix and single-bit
# flip of those, MUTATIONS fixed-seed random mutations and RANDOM random
# buffers. Every decoded field is compared, decode by decode; any difference
# fails, and the first ones are shown field by field.
#
#   MUTATIONS=2000000 RANDOM_INPUTS=200000 CAPTURES=DIR ./same-results.sh REF
#
# The fields the API declares invalid after an error (partial results) are
# compared too, and counted apart.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
ref=${1:?usage: same-results.sh REF}
mutations=${MUTATIONS:-2000000}
random=${RANDOM_INPUTS:-200000}
captures=${CAPTURES:-$top/../shared/captures}
cc=${CC:-cc}
# The kernel zeroes uninitialised locals; so do both builds here.
cflags="-O2 -g -Wall -fno-strict-aliasing -ftrivial-auto-var-init=zero"
libs="avaya_h225 avaya_ras avaya_q931 avaya_h245 avaya_sip"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/ref" "$tmp/gen"
git -C "$top" archive "$ref" lib include | tar -x -C "$tmp/ref"
echo "same: reference $(git -C "$top" rev-parse --short "$ref"), tree $top"

# Every vector of the KUnit suites, in file order.
for f in ras nat q931 h245 sip; do
	sed -n -e 's/^static const u8 \([a-z0-9_]*\)\[\].*/VEC(\1),/p' \
	       -e 's/^static const char \([a-z0-9_]*\)\[\].*/TXT(\1),/p' \
		"$top/tests/kunit/avaya_${f}_vectors.h"
done >"$tmp/gen/seeds.h"

build() {	# build NAME TOPDIR
	$cc $cflags -I"$2/include" -I"$tmp/gen" -o "$tmp/same-$1" \
		"$here/same.c" $(for l in $libs; do echo "$2/lib/$l.c"; done)
}
build ref "$tmp/ref"
build new "$top"

pcaps=()
if [ -d "$captures" ]; then
	mapfile -t pcaps < <(find "$captures" -name '*.pcap' | LC_ALL=C sort)
	echo "same: ${#pcaps[@]} captures from $captures"
else
	echo "same: no captures ($captures absent): vectors only"
fi

nice -n 10 "$tmp/same-ref" hash "$mutations" "$random" "${pcaps[@]}" >"$tmp/ref.h" &
ref_pid=$!
nice -n 10 "$tmp/same-new" hash "$mutations" "$random" "${pcaps[@]}" >"$tmp/new.h"
wait "$ref_pid"

rc=0
"$tmp/same-new" cmp "$tmp/ref.h" "$tmp/new.h" >"$tmp/cmp" || rc=$?
# the first differences, field by field
sed -n 's/^\(diff\|partial\) input \([0-9]*\) \(.*\)/\2/p' "$tmp/cmp" | uniq | head -n 5 |
while read -r idx; do
	"$tmp/same-ref" show "$idx" "$mutations" "$random" "${pcaps[@]}" >"$tmp/show.ref"
	"$tmp/same-new" show "$idx" "$mutations" "$random" "${pcaps[@]}" >"$tmp/show.new"
	diff -u --label "ref input $idx" --label "new input $idx" \
		"$tmp/show.ref" "$tmp/show.new" | head -n 60 || true
done
cat "$tmp/cmp"
[ "$rc" = 0 ] && echo "same: PASS" || echo "same: FAIL"
exit "$rc"
