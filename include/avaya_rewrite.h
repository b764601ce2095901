/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * The pure steps of H.323 NAT: the replacement bytes of a TransportAddress
 * the decoder located, and the deterministic public port plan. No skb, so
 * KUnit and userspace test them on plain buffers.
 */
#ifndef _AVAYA_REWRITE_H
#define _AVAYA_REWRITE_H

#include "avaya_shim.h"
#include "avaya_h225.h"

/* The ip octets plus the port: 6 bytes for IPv4, 18 for IPv6. */
#define AVAYA_TADDR_MAX_REP	18

int avaya_taddr_rep(const struct avaya_taddr *a, size_t buflen, const u8 *ip,
		    u16 port, u8 *rep);
int avaya_taddr_patch(u8 *buf, size_t buflen, const struct avaya_taddr *a,
		      const u8 *ip, u16 port);
u16 avaya_nat_port_candidate(u16 own, u32 hash, u16 lo, u16 hi,
			     unsigned int attempt);

#endif /* _AVAYA_REWRITE_H */
