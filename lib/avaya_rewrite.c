// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
#include "avaya_rewrite.h"

/*
 * Fills @rep with the new ip octets and the big-endian port of @a, in the
 * encoding's own layout, and returns their length. Only addresses of the
 * decoded family that lie wholly inside the buffer are rewritten, so the
 * patch is always length-preserving.
 */
int avaya_taddr_rep(const struct avaya_taddr *a, size_t buflen, const u8 *ip,
		    u16 port, u8 *rep)
{
	unsigned int n;

	if (a->family == 4)
		n = 4;
	else if (a->family == 6)
		n = 16;
	else
		return -AVAYA_EBADMSG;
	if ((size_t)a->off + n + 2 > buflen)
		return -AVAYA_ERANGE;
	memcpy(rep, ip, n);
	rep[n] = port >> 8;
	rep[n + 1] = port & 0xff;
	return n + 2;
}

AVAYA_EXPORT(avaya_taddr_rep);

/* The same patch applied to a plain buffer (tests, userspace tools). */
int avaya_taddr_patch(u8 *buf, size_t buflen, const struct avaya_taddr *a,
		      const u8 *ip, u16 port)
{
	u8 rep[AVAYA_TADDR_MAX_REP];
	int n = avaya_taddr_rep(a, buflen, ip, port, rep);

	if (n < 0)
		return n;
	memcpy(buf + a->off, rep, n);
	return n;
}

AVAYA_EXPORT(avaya_taddr_patch);

/*
 * The public signalling port plan for phones behind one address: attempt 0
 * is the phone's own port; attempt k >= 1 is lo + (hash + k - 1) mod the
 * range size, i.e. a start derived from the private address, then linear
 * probing. Returns 0 when the range is empty or fully probed.
 */
u16 avaya_nat_port_candidate(u16 own, u32 hash, u16 lo, u16 hi,
			     unsigned int attempt)
{
	u32 size;

	if (!attempt)
		return own;
	if (!lo || lo > hi)
		return 0;
	size = (u32)hi - lo + 1;
	if (attempt > size)
		return 0;
	return lo + (u16)((hash % size + attempt - 1) % size);
}

AVAYA_EXPORT(avaya_nat_port_candidate);
