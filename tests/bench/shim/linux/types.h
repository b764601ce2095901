/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in so the stock kernel H.323 ASN.1 decoder builds here. */
#ifndef _BENCH_LINUX_TYPES_H
#define _BENCH_LINUX_TYPES_H
#include <stddef.h>
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned int __be32;
#endif
