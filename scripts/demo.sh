#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make demo`: build, boot a Debian kernel in qemu, load our modules and tell
# the Avaya registration story. DEMO_KERNEL=KVER picks the kernel.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/deps.sh
kver=${DEMO_KERNEL:-$(scripts/kernels.sh | head -n 1)}
echo "Booting Debian kernel $kver in qemu (software emulation, about a minute)..."
exec scripts/vm-run.sh "$kver" scripts/demo-guest.sh
