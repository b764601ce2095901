/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in so the stock kernel H.323 ASN.1 decoder builds here. */
#ifndef _BENCH_LINUX_KERNEL_H
#define _BENCH_LINUX_KERNEL_H
#include <linux/types.h>
#include <string.h>
#define unlikely(x) (x)
#define likely(x) (x)
#define BITS_PER_BYTE 8
#define fallthrough __attribute__((__fallthrough__))
#endif
