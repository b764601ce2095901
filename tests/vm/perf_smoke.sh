#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# avaya-vm: ownboot (perf_forward unloads our modules to load the stock RAS helper)
# avaya-vm: kernel newest (figures; make check-perf measures both kernels)
#
# Issue 16's two VM benchmarks at the size make check affords: the same
# scenarios and assertions as make check-perf, fewer messages.
#   scale_registrations: 200 phones and 200 SIP contacts (its minimum),
#     100 operations per cost, 2,000 extra conntracks, 50 calls: every
#     pinhole present, the keepalive storm loses none, a full expectation
#     table is refused loudly; the time(N)/time(100) ratios are printed
#     only (200 against 100 says little: make check-perf and
#     AVAYA_SCALE=20000 are the measurements).
#   perf_forward: 5,000 datagrams per media run, 200 exchanges per
#     signalling run, one timed run after the warm-up: every case produced
#     a number and the traffic passed; ratios printed, never asserted.
# Sizes come from the same variables, which a caller may still set.
set -u
here=$(dirname "$0")
export AVAYA_SCALE=${AVAYA_SCALE:-200}
export AVAYA_SCALE_OPS=${AVAYA_SCALE_OPS:-100}
export AVAYA_SCALE_FLOWS=${AVAYA_SCALE_FLOWS:-2000}
export AVAYA_SCALE_CALLS=${AVAYA_SCALE_CALLS:-50}
export AVAYA_PERF_PACKETS=${AVAYA_PERF_PACKETS:-5000}
export AVAYA_PERF_MSGS=${AVAYA_PERF_MSGS:-200}
export AVAYA_PERF_REPS=${AVAYA_PERF_REPS:-1}

out=$(mktemp -d /tmp/perf_smoke.XXXXXX)
rc=0
for s in scale_registrations perf_forward; do
	echo "== $s"
	bash "$here/$s.sh" | tee "$out/$s.log"
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
done

# One summary line for both (check.sh reads the last one).
awk '/^[0-9]+ passed, [0-9]+ failed/ { p += $1; f += $3; s += $5 }
	END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' \
	"$out"/scale_registrations.log "$out"/perf_forward.log
rm -rf "$out"
exit $rc
