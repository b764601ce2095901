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
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/module.h>

#define AVAYA_EXPORT(sym) EXPORT_SYMBOL_GPL(sym)
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;

#define AVAYA_EXPORT(sym)
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#ifndef min_t
#define min_t(type, a, b) ((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#endif
#endif /* __KERNEL__ */

#endif /* _AVAYA_SHIM_H */
