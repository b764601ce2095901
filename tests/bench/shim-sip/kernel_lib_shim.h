/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Forced include for the kernel library functions extract-stock.sh cuts out
 * (string.c, ctype.c, hexdump.c, in4/in6_pton): they replace the C library's
 * versions in the benchmark, so both decoders call the kernel's code.
 */
#ifndef _BENCH_KERNEL_LIB_SHIM_H
#define _BENCH_KERNEL_LIB_SHIM_H
#include <stddef.h>
#include <stdbool.h>
#include <string.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned short __be16;
typedef unsigned int __be32;

#define __visible
#define EXPORT_SYMBOL(sym)
#define CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS 1
/* x86 loads unaligned words directly, as the kernel's get_unaligned() does */
#define get_unaligned(p) (*(p))
#endif
