// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/* The pure steps of NAT (see avaya_rewrite.h): no skb, no conntrack. */
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

/*
 * Order @n edits of a @msg_len-byte message for application from its end
 * backwards: each edit then finds its bytes where the plan saw them, however
 * the later ones change the length. Returns 0, or -AVAYA_EBADMSG when an
 * edit is empty or leaves the message, or two edits overlap: such a plan
 * would corrupt the message and is refused whole.
 */
int avaya_edits_order(struct avaya_edit *ed, unsigned int n, size_t msg_len)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		if (!ed[i].old_len || (size_t)ed[i].off + ed[i].old_len > msg_len)
			return -AVAYA_EBADMSG;
	for (i = 1; i < n; i++) {
		struct avaya_edit e = ed[i];

		for (j = i; j > 0 && ed[j - 1].off < e.off; j--)
			ed[j] = ed[j - 1];
		ed[j] = e;
	}
	for (i = 1; i < n; i++)
		if (ed[i].off + ed[i].old_len > ed[i - 1].off)
			return -AVAYA_EBADMSG;
	return 0;
}

AVAYA_EXPORT(avaya_edits_order);

/* How much the edits at or after offset @from (a body) change its length. */
int avaya_edits_delta(const struct avaya_edit *ed, unsigned int n,
		      size_t from)
{
	int delta = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ed[i].off >= from)
			delta += (int)ed[i].new_len - (int)ed[i].old_len;
	return delta;
}

AVAYA_EXPORT(avaya_edits_delta);

/*
 * Apply a plan avaya_edits_order() accepted to the @len bytes at @buf, of
 * @cap (tests and userspace; the kernel edits the skb the same way):
 * @txt[i] holds the @ed[i].new_len bytes of edit i. Returns the new length, or
 * -AVAYA_ERANGE (nothing changed) when the result would not fit @cap.
 */
int avaya_edits_apply(u8 *buf, size_t len, size_t cap,
		      const struct avaya_edit *ed, unsigned int n,
		      const char *const *txt)
{
	size_t out = len;
	unsigned int i;

	for (i = 0; i < n; i++)
		out += (long)ed[i].new_len - (long)ed[i].old_len;
	if (out > cap)
		return -AVAYA_ERANGE;
	for (i = 0; i < n; i++) {
		size_t end = ed[i].off + ed[i].old_len;

		memmove(buf + ed[i].off + ed[i].new_len, buf + end, len - end);
		memcpy(buf + ed[i].off, txt[i], ed[i].new_len);
		len = len - ed[i].old_len + ed[i].new_len;
	}
	return len;
}
