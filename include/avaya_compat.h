/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Force-included into every kernel object. Differences between the kernels we
 * support are probed here, by feature, never by version number: distribution
 * kernels backport freely.
 */
#ifndef _AVAYA_COMPAT_H
#define _AVAYA_COMPAT_H

/* <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12 (Kbuild probes). */
#ifdef AVAYA_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#endif /* _AVAYA_COMPAT_H */
