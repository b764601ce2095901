#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Host-side checks of the Debian package (nothing is installed on the host):
#
# 1. `make deb` builds build/deb/nf-conntrack-avaya-dkms_VER_all.deb, VER
#    being debian/changelog's, the only place the version is written
#    (dkms.conf holds the #MODULE_VERSION# placeholder).
# 2. lintian reports no error (its tag summary is printed).
# 3. The package holds what the README promises: the DKMS sources (every
#    object Kbuild names has its .c), dkms.conf with VER and the three
#    modules, the modprobe.d file, /usr/sbin/avaya-nft-profile, its man
#    page, the matrices, avaya-prom and its help file; Depends on dkms.
# 4. Unpacked into a scratch directory (dpkg-deb -x, the installed layout):
#    avaya-nft-profile finds its matrices relative to itself and generates
#    the same ruleset as the source tree's copy; avaya-prom reads the
#    shipped help file and prints the same HELP lines as the tree's copy;
#    no file carries a build-machine path.
# Prints PASS/FAIL lines and "N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
pass=0
fail=0
ok() { echo "PASS: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
check() { local d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ver=$(sed -n '1s/^[^ ]* (\([^)-]*\).*/\1/p' debian/changelog)
deb=build/deb/nf-conntrack-avaya-dkms_${ver}_all.deb
check "debian/changelog names a version ($ver)" test -n "$ver"
check "dkms.conf has the placeholder, no version of its own" \
	grep -qx 'PACKAGE_VERSION="#MODULE_VERSION#"' dkms.conf
if make -s deb > "$work/make.log" 2>&1; then ok "make deb"; else bad "make deb"; tail -n 30 "$work/make.log"; fi
check "$deb exists" test -f "$deb"
[ -f "$deb" ] || { echo "$pass passed, $fail failed"; exit 1; }

# lintian refuses nothing as root but says it is not recommended: run it as
# nobody when we are root, on a copy nobody can read.
cp "$deb" "$work/pkg.deb"
chmod 755 "$work"
chmod 644 "$work/pkg.deb"
if [ "$(id -u)" = 0 ]; then
	runuser -u nobody -- env HOME="$work" lintian --display-info "$work/pkg.deb" > "$work/lintian.log" 2>&1
else
	lintian --display-info "$work/pkg.deb" > "$work/lintian.log" 2>&1
fi
echo "lintian summary: $(grep -c '^E:' "$work/lintian.log") errors, $(grep -c '^W:' "$work/lintian.log") warnings, $(grep -c '^I:' "$work/lintian.log") info"
sed 's/^/  /' "$work/lintian.log"
check "lintian: no errors" sh -c "! grep -q '^E:' '$work/lintian.log'"
mkdir -p build/deb && cp "$work/lintian.log" build/deb/lintian.log

dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$work/list"
for f in /usr/src/nf_conntrack_avaya-$ver/Kbuild /usr/src/nf_conntrack_avaya-$ver/dkms.conf \
	/usr/src/nf_conntrack_avaya-$ver/nf_conntrack_avaya.c /usr/src/nf_conntrack_avaya-$ver/nf_nat_avaya.c \
	/etc/modprobe.d/nf-conntrack-avaya-dkms.conf /usr/sbin/avaya-nft-profile \
	/usr/share/man/man8/avaya-nft-profile.8.gz /usr/share/nf-conntrack-avaya/avaya-prom \
	/usr/share/nf-conntrack-avaya/counters.help /usr/share/doc/nf-conntrack-avaya-dkms/README.gz \
	/usr/share/doc/nf-conntrack-avaya-dkms/examples/conntrackd.conf \
	/usr/share/doc/nf-conntrack-avaya-dkms/examples/keepalived.conf \
	/usr/share/doc/nf-conntrack-avaya-dkms/examples/avaya-ha.nft; do
	check "package holds $f" grep -qx "$f" "$work/list"
done
for m in scripts/matrices/*.tsv; do
	check "package holds matrix $(basename "$m")" grep -qx "/usr/share/nf-conntrack-avaya/matrices/$(basename "$m")" "$work/list"
done
check "Depends names dkms" sh -c "dpkg-deb -f '$deb' Depends | grep -q 'dkms'"
check "Recommends names the kernel headers" sh -c "dpkg-deb -f '$deb' Recommends | grep -q 'linux-headers'"

x=$work/root
dpkg-deb -x "$deb" "$x"
src=$x/usr/src/nf_conntrack_avaya-$ver
check "shipped dkms.conf: PACKAGE_VERSION=\"$ver\"" grep -qx "PACKAGE_VERSION=\"$ver\"" "$src/dkms.conf"
check "shipped dkms.conf builds the three modules" \
	test "$(grep -c '^BUILT_MODULE_NAME\[' "$src/dkms.conf")" -eq 3
# Kbuild's objects: obj-m entries, a multi-object module by its -y list.
objs=$(awk '/^obj-m|^[a-z_]+-y/ { c = 1 } c { print } !/\\$/ { c = 0 }' Kbuild |
	tr -d '\\' | tr ' \t' '\n\n' | grep '\.o$')
missing=
for o in $objs; do
	grep -q "^${o%.o}-y" Kbuild && continue
	[ -f "$src/${o%.o}.c" ] || missing="$missing ${o%.o}.c"
done
echo "  Kbuild objects: $(echo $objs)"
check "every object Kbuild names has its source in the package${missing:+ (missing:$missing)}" test -z "$missing"
check "the shipped modprobe.d file has the softdep" \
	grep -qx 'softdep nf_conntrack_avaya post: nf_nat_avaya' "$x/etc/modprobe.d/nf-conntrack-avaya-dkms.conf"

check "installed avaya-nft-profile --list finds its 4 matrices" \
	test "$("$x/usr/sbin/avaya-nft-profile" --list 2>&1 | grep -c ' rows$')" -eq 4
"$x/usr/sbin/avaya-nft-profile" h323-handsets --phones 10.1.0.0/16 --servers 10.2.0.10/32 \
	--trunk 203.0.113.0/24 --admin 198.51.100.0/24 > "$work/inst.nft" 2>/dev/null
scripts/avaya-nft-profile h323-handsets --phones 10.1.0.0/16 --servers 10.2.0.10/32 \
	--trunk 203.0.113.0/24 --admin 198.51.100.0/24 > "$work/tree.nft" 2>/dev/null
check "installed and tree avaya-nft-profile generate the same ruleset" \
	sh -c "test -s '$work/inst.nft' && cmp -s '$work/inst.nft' '$work/tree.nft'"
printf 'ras_grq 1\nras_rrq 2\n' > "$work/proc"
"$x/usr/share/nf-conntrack-avaya/avaya-prom" --file "fw=$work/proc" > "$work/inst.prom"
scripts/avaya-prom --file "fw=$work/proc" > "$work/tree.prom"
check "installed avaya-prom (shipped help file) prints what the tree's prints (README)" \
	sh -c "grep -q '^# HELP nf_conntrack_avaya_ras_rrq_total full RAS' '$work/inst.prom' && cmp -s '$work/inst.prom' '$work/tree.prom'"
leaks=$(grep -rlI -e "$top" -e '/work/' -e '/home/' "$x" 2>/dev/null | sed "s|^$x||")
check "no shipped file names a build-machine path${leaks:+ ($leaks)}" test -z "$leaks"
leaks=$(zcat "$x/usr/share/man/man8/avaya-nft-profile.8.gz" | grep -l -e "$top" -e '/work/' -)
check "the man page names no build-machine path" test -z "$leaks"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
