#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Run the KUnit suites in tests/kunit/ on UML, built from Debian's
# linux-source-6.1 and cached outside the repo (the cold build takes minutes,
# warm runs seconds). Our decoders and suites are copied into net/avaya_kunit/
# of the cached tree, only when they changed, so the rebuild stays incremental.
#
# Prints the kunit.py log, then "KUNIT: <passed> passed, <failed> failed".
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${NF_AVAYA_CACHE:-$HOME/.cache/nf-avaya}
tree=$cache/linux-6.1
build=$cache/uml-6.1
jobs=$(nproc)

mkdir -p "$cache"
exec 9>"$cache/kunit.lock"
flock 9

"$top/scripts/linux-src.sh" > /dev/null

dst=$tree/net/avaya_kunit
mkdir -p "$dst/include" "$dst/lib"
grep -q avaya_kunit "$tree/net/Kconfig" ||
	sed -i '$i source "net/avaya_kunit/Kconfig"' "$tree/net/Kconfig"
grep -q avaya_kunit "$tree/net/Makefile" ||
	echo 'obj-$(CONFIG_NF_AVAYA_KUNIT) += avaya_kunit/' >> "$tree/net/Makefile"

# Copy a file only when its content changed, so make sees stable mtimes.
sync_file() {
	cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"
}

for f in "$top"/include/*.h; do sync_file "$f" "$dst/include/$(basename "$f")"; done
libobjs=
for f in "$top"/lib/*.c; do
	[ -e "$f" ] || continue
	[ "$(basename "$f")" = avaya_codec.c ] && continue
	sync_file "$f" "$dst/lib/$(basename "$f")"
	libobjs="$libobjs lib/$(basename "${f%.c}").o"
done
testobjs=
for f in "$top"/tests/kunit/*.c "$top"/tests/kunit/*.h; do
	[ -e "$f" ] || continue
	sync_file "$f" "$dst/$(basename "$f")"
	case $f in *.c) testobjs="$testobjs $(basename "${f%.c}").o" ;; esac
done
# Drop copies of files that no longer exist in the repo.
for f in "$dst"/*.c "$dst"/lib/*.c "$dst"/include/*.h; do
	[ -e "$f" ] || continue
	case $f in
	"$dst"/lib/*) [ -e "$top/lib/$(basename "$f")" ] || rm -f "$f" ;;
	"$dst"/include/*) [ -e "$top/include/$(basename "$f")" ] || rm -f "$f" ;;
	*) [ -e "$top/tests/kunit/$(basename "$f")" ] || rm -f "$f" ;;
	esac
done

cat > "$dst/Kconfig.new" <<'KC'
config NF_AVAYA_KUNIT
	bool "KUnit suites for the nf_conntrack_avaya decoders" if !KUNIT_ALL_TESTS
	depends on KUNIT && NETFILTER
	default KUNIT_ALL_TESTS
KC
sync_file "$dst/Kconfig.new" "$dst/Kconfig"
printf 'ccflags-y += -I$(srctree)/$(src)/include -DAVAYA_KUNIT\nobj-y += avaya_kunit_all.o\navaya_kunit_all-y :=%s%s\n' \
	"$libobjs" "$testobjs" > "$dst/Makefile.new"
sync_file "$dst/Makefile.new" "$dst/Makefile"
rm -f "$dst/Kconfig.new" "$dst/Makefile.new"

cat > "$cache/avaya.kunitconfig.new" <<'KC'
CONFIG_KUNIT=y
CONFIG_NET=y
CONFIG_INET=y
CONFIG_IPV6=y
CONFIG_NETFILTER=y
CONFIG_NETFILTER_ADVANCED=y
CONFIG_NF_CONNTRACK=y
CONFIG_NF_NAT=y
CONFIG_NF_CONNTRACK_H323=y
CONFIG_NF_CONNTRACK_SIP=y
CONFIG_NF_AVAYA_KUNIT=y
KC
sync_file "$cache/avaya.kunitconfig.new" "$cache/avaya.kunitconfig"

log=$cache/kunit-last.log
set +e
(cd "$tree" && python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$cache/avaya.kunitconfig" --build_dir="$build" \
	--jobs="$jobs" --timeout=300 "$@") 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# kunit.py's summary: "Testing complete. Ran N tests: passed: P, failed: F..."
summary=$(grep -E 'Testing complete\.' "$log" | tail -n 1)
passed=$(echo "$summary" | sed -n 's/.*passed: \([0-9]*\).*/\1/p')
failed=$(echo "$summary" | sed -n 's/.*failed: \([0-9]*\).*/\1/p')
passed=${passed:-0}
failed=${failed:-0}
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1	# build or boot failure: count it, never hide it
fi
echo "KUNIT: $passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
