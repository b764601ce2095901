#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# icount.sh [--check] ICOUNT: run the instruction-count harness under
# callgrind and print, per message, `message | bytes | stock | ours |
# ours/stock`, then the geometric mean of ours/stock per class and overall.
# Counts are net of the measurement's own cost (an empty call, "null").
#
# --check (make check): fail if a message does not decode on either side, a
# count is missing, or a row's ratio is above its limit in icount-limits.
# Instruction counts are deterministic for a given compiler, and the limit is
# on the ratio of two counts from the same build, so the gate holds across
# machines; the limits leave a margin for other compiler versions.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
check=0
[ "${1:-}" = --check ] && { check=1; shift; }
bin=${1:?usage: icount.sh [--check] ICOUNT}
command -v valgrind >/dev/null || { echo "icount: valgrind missing (scripts/deps.sh)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
valgrind --tool=callgrind --collect-atstart=no \
	--callgrind-out-file="$tmp/cg.out" "$bin" >"$tmp/msgs" 2>"$tmp/vg.log" || rc=$?
# one "ours NAME<TAB>N" / "stock NAME<TAB>N" line per dump
for f in "$tmp"/cg.out.*; do
	awk '/^desc: Trigger: Client Request: / { sub(/^desc: Trigger: Client Request: /, ""); d = $0 }
	     /^totals: / { print d "\t" $2; exit }' "$f"
done >"$tmp/counts"

awk -F'\t' -v check="$check" -v limits="$here/icount-limits" -v harness_rc="$rc" '
function fail(msg) { print "icount: FAIL " msg; bad++ }
BEGIN {
	while ((getline line < limits) > 0) {
		if (line ~ /^#/ || line == "")
			continue
		split(line, f, "\t")
		limit[f[1]] = f[2]
	}
}
FILENAME ~ /counts$/ { cnt[$1] = $2; next }
$1 == "msg" {
	rows++; cls[rows] = $2; name[rows] = $3; bytes[rows] = $4
	if ($5 < 0 || $6 < 0)
		fail($3 ": does not decode (ours " $5 ", stock " $6 ")")
}
END {
	printf "%-26s | %5s | %7s | %7s | %s\n", "message", "bytes", "stock", "ours", "ours/stock"
	for (i = 1; i <= rows; i++) {
		o = cnt["ours " name[i]]; s = cnt["stock " name[i]]
		if (o == "" || s == "" || cnt["null"] == "") {
			fail(name[i] ": no count")
			continue
		}
		o -= cnt["null"]; s -= cnt["null"]
		if (s <= 0 || o <= 0) {
			fail(name[i] ": no count")
			continue
		}
		r = o / s
		printf "%-26s | %5d | %7d | %7d | %.2f\n", name[i], bytes[i], s, o, r
		lsum[cls[i]] += log(r); lcnt[cls[i]]++; all += log(r); alln++
		if (!(cls[i] in seen)) { seen[cls[i]] = 1; order[++nc] = cls[i] }
		if (check && (name[i] in limit) && r > limit[name[i]] + 0)
			fail(name[i] ": ours/stock " sprintf("%.2f", r) " above its limit " limit[name[i]])
		if (check && !(name[i] in limit))
			fail(name[i] ": no limit in icount-limits")
	}
	for (c = 1; c <= nc; c++)
		printf "geometric mean ours/stock %-6s %.2f (%d messages)\n", order[c] ":", exp(lsum[order[c]] / lcnt[order[c]]), lcnt[order[c]]
	if (alln)
		printf "geometric mean ours/stock all:    %.2f (%d messages)\n", exp(all / alln), alln
	if (harness_rc != 0)
		fail("harness exit " harness_rc)
	if (!rows)
		fail("no messages")
	exit bad ? 1 : 0
}' "$tmp/counts" "$tmp/msgs"
