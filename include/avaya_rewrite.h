/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * The pure steps of NAT: the replacement bytes of an H.323
 * TransportAddress the decoder located, the deterministic public port plan,
 * and the edit plan of a SIP rewrite (which spans change, in which order).
 * No skb, so KUnit and userspace test them on plain buffers.
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

/*
 * One text edit of a message: the @old_len bytes at @off become @new_len
 * bytes. @kind and @idx are the caller's, to find the new text again.
 */
struct avaya_edit {
	u16 off;
	u16 old_len;
	u16 new_len;
	u8 kind;
	u8 idx;
};

int avaya_edits_order(struct avaya_edit *ed, unsigned int n, size_t msg_len);
int avaya_edits_delta(const struct avaya_edit *ed, unsigned int n,
		      size_t from);
int avaya_edits_apply(u8 *buf, size_t len, size_t cap,
		      const struct avaya_edit *ed, unsigned int n,
		      const char *const *txt);

#endif /* _AVAYA_REWRITE_H */
