#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Extract Debian's linux-source-6.1 once into the cache (outside the repo) and
# print its path. KUnit builds UML from it; checkpatch.pl and the benchmark's
# stock H.323 decoder come from it too.
set -eu
cache=${NF_AVAYA_CACHE:-$HOME/.cache/nf-avaya}
tree=$cache/linux-6.1
mkdir -p "$cache"
exec 8>"$cache/extract.lock"
flock 8
if [ ! -f "$tree/Makefile" ]; then
	src=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
	[ -n "$src" ] || { echo "linux-src: linux-source-6.1 is not installed" >&2; exit 2; }
	echo "linux-src: extracting $src into $tree" >&2
	rm -rf "$cache/linux-source-6.1" "$tree"
	tar -C "$cache" -xf "$src"
	mv "$cache/linux-source-6.1" "$tree"
fi
echo "$tree"
