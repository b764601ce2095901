#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# help2man.sh PROGRAM SECTION VERSION SUMMARY: a man page whose body is the
# program's own --help, so the two cannot disagree.
set -eu
prog=$1 sect=$2 ver=$3 summary=$4
name=$(basename "$prog")
upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
printf '.TH %s %s "" "nf-conntrack-avaya %s" "System Administration"\n' "$upper" "$sect" "$ver"
printf '.SH NAME\n%s \\- %s\n' "$name" "$summary"
printf '.SH DESCRIPTION\nThe text below is the output of\n.B %s \\-\\-help\\fR.\n.PP\n.nf\n' "$name"
# Escape backslashes, and lines that roff would read as requests.
COLUMNS=80 python3 "$prog" --help | sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" -e 's/-/\\-/g'
printf '.fi\n.SH SEE ALSO\n.BR nft (8),\n.BR modprobe (8),\n/usr/share/doc/nf-conntrack-avaya-dkms/README.gz\n'
