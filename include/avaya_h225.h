/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * H.225.0 building blocks shared by the RAS and the Q.931/UUIE decoders:
 * TransportAddress, and skippers for the types we walk over but never act on.
 *
 * Skippers return nothing: a bad or truncated encoding sets the reader's
 * sticky error flag, which the caller tests before it trusts a value.
 */
#ifndef _AVAYA_H225_H
#define _AVAYA_H225_H

#include "avaya_shim.h"
#include "avaya_per.h"

/* TransportAddress CHOICE indices (root alternatives). */
enum h225_taddr_choice {
	H225_TA_IP = 0,
	H225_TA_IP_SOURCE_ROUTE,
	H225_TA_IPX,
	H225_TA_IP6,
	H225_TA_NETBIOS,
	H225_TA_NSAP,
	H225_TA_NONSTANDARD,
	H225_TA_ROOT_COUNT,
};

struct avaya_taddr {
	u8 family;	/* 4, 6, or 0 = another TransportAddress choice, skipped */
	u8 ip[16];
	u16 port;
	u16 off;	/* absolute offset of the ip octets; the port follows */
};

/*
 * Extension additions of a SEQUENCE whose extension bit was set: the count,
 * the presence bitmap and an iterator over the present additions' open types.
 */
struct h225_ext {
	u64 present;	/* bit 63 - i set: addition i (i < 64) present, not yet visited */
	u32 n;		/* additions in the encoding */
	u32 beyond;	/* present additions with index >= 64 */
};	/* 16 octets: h225_ext_read() returns it in registers */

/* A CHOICE index above this is garbage: no H.225.0 type comes close. */
#define H225_CHOICE_EXT_MAX	0xffff

/*
 * h225_choice(), inlined where it is hot: with a constant @nroot the root
 * index is one bit field read. @ext is left empty and failed unless an
 * extension alternative was chosen.
 */
static __always_inline u32 h225_choice_fast(struct avaya_per *r, u32 nroot,
					    struct avaya_per *ext)
{
	unsigned int w = per_width(nroot);
	u32 idx;

	per_init(ext, r->buf, 0);
	ext->err = true;
	/*
	 * A root index of up to six bits: the bit and the index in one read.
	 * If that read fails, so would the two reads: seven bits or fewer
	 * cannot hold an extension index either (at least 1 + 7 bits).
	 */
	if (nroot <= 64) {
		idx = per_bits(r, 1 + w);
		if (!(idx >> w))
			return idx < nroot ? idx : per_fail(r);
		r->pos -= 1 + w;
	}
	if (!per_bit(r)) {
		/* the index field may hold values past the last alternative */
		idx = per_uint(r, 0, nroot - 1);
		return idx < nroot ? idx : per_fail(r);
	}
	idx = per_small(r);
	if (idx > H225_CHOICE_EXT_MAX)
		return per_fail(r);
	per_open_type(r, ext);
	return per_failed(r) ? 0 : nroot + idx;
}

int h225_transport_address_slow(struct avaya_per *r, struct avaya_taddr *out);

/* An IPv4 or IPv6 address and its port, both octet-aligned, back to back. */
static __always_inline int h225_read_ip_port(struct avaya_per *r,
					     struct avaya_taddr *out,
					     unsigned int iplen)
{
	/* the port's two octets follow the address, aligned too: one take */
	size_t off = per_take_octets(r, iplen + 2);
	size_t abs;

	if (per_failed(r))
		return -AVAYA_EBADMSG;
	out->port = r->buf[off + iplen] << 8 | r->buf[off + iplen + 1];
	abs = per_abs(r, off);
	if (abs > 0xffff)
		return -AVAYA_ERANGE;
	memcpy(out->ip, r->buf + off, iplen);
	out->off = abs;
	out->family = iplen == 4 ? 4 : 6;
	return 0;
}

/*
 * h225_choice_fast() for a caller that does not read an extension
 * alternative: its open type is skipped by length, no reader made for it.
 */
static __always_inline u32 h225_choice_idx(struct avaya_per *r, u32 nroot)
{
	unsigned int w = per_width(nroot);
	u32 idx;

	if (nroot <= 64) {
		idx = per_bits(r, 1 + w);
		if (!(idx >> w))
			return idx < nroot ? idx : per_fail(r);
		r->pos -= 1 + w;
	}
	if (!per_bit(r)) {
		idx = per_uint(r, 0, nroot - 1);
		return idx < nroot ? idx : per_fail(r);
	}
	idx = per_small(r);
	if (idx > H225_CHOICE_EXT_MAX)
		return per_fail(r);
	per_take_octets(r, per_length(r));
	return per_failed(r) ? 0 : nroot + idx;
}

/*
 * Read a TransportAddress. Returns 0, or a negative error (the reader's
 * error flag is set then). Partial results: @out is zeroed first; after an
 * error it may hold a partial address and must not be acted on. Inline for
 * the common case (no extension bit, root index 0: IPv4); the other
 * alternatives are read out of line.
 */
static __always_inline int h225_transport_address(struct avaya_per *r,
						  struct avaya_taddr *out)
{
	memset(out, 0, sizeof(*out));
	if (per_bits(r, 4) == 0)
		return h225_read_ip_port(r, out, 4);
	if (per_failed(r))
		return -AVAYA_EBADMSG;
	r->pos -= 4;
	return h225_transport_address_slow(r, out);
}

void h225_skip_transport_address(struct avaya_per *r);
int h225_discard_transport_address(struct avaya_per *r);

/*
 * SEQUENCE OF TransportAddress into @out[0..@max-1]. Addresses that do not
 * fit are counted in @overflow (saturating), never an error: the caller
 * decides whether it can act on a partial list. Inline: RAS reads its
 * address lists with it.
 */
static __always_inline int
h225_transport_address_seq(struct avaya_per *r, struct avaya_taddr *out,
			   unsigned int max, u8 *count, u8 *overflow)
{
	u32 n = per_length(r);
	bool room;
	int ret;

	*count = 0;
	*overflow = 0;
	while (n-- && !per_failed(r)) {
		/* straight into the list while it has room */
		room = *count < max && *count < 255;
		if (room)
			ret = h225_transport_address(r, &out[*count]);
		else
			ret = h225_discard_transport_address(r);
		if (ret)
			return ret;
		if (room)
			(*count)++;
		else if (*overflow < 255)
			(*overflow)++;
	}
	return per_failed(r) ? -AVAYA_EBADMSG : 0;
}

void h225_ext_begin(struct avaya_per *r, struct h225_ext *x);
struct h225_ext h225_ext_read(struct avaya_per *r);
u32 h225_ext_skip_beyond(struct avaya_per *r, u32 n);
bool h225_ext_next(struct avaya_per *r, struct h225_ext *x,
		   unsigned int *idx, struct avaya_per *sub);
void h225_skip_extensions(struct avaya_per *r);

/* Bit of addition @i in h225_ext.present and in h225_ext_next_of()'s mask. */
#define H225_EXT_BIT(i)	((u64)1 << (63 - (i)))

/*
 * h225_ext_begin() for the common case, inlined: a count of 1..64
 * additions (a normally small number under 64: a 0 bit and six bits), read
 * with its bitmap in two or three bit-field reads. A longer count goes
 * the general way.
 */
static __always_inline void h225_ext_begin_fast(struct avaya_per *r,
						struct h225_ext *x)
{
	u32 head = per_bits(r, 7);
	u32 n = (head & 0x3f) + 1;

	if (unlikely(head & 0x40)) {
		r->pos -= 7;	/* read again, length form and all */
		/* by value: @x stays a register candidate in the caller */
		*x = h225_ext_read(r);
		return;
	}
	x->beyond = 0;
	if (n <= 32) {
		x->present = (u64)per_bits(r, n) << (64 - n);
	} else {
		x->present = (u64)per_bits(r, 32) << 32;
		x->present |= (u64)per_bits(r, n - 32) << (64 - n);
	}
	x->n = per_failed(r) ? 0 : n;
	if (per_failed(r))
		x->present = 0;
}

/*
 * Skip the present additions before the next one in @wanted, each by its
 * length: per_take_octets(r, per_length(r)) in a loop that keeps the
 * octet position in a register. False if one does not fit (@r failed).
 * @x->present is not 0.
 */
static __always_inline bool h225_ext_skip_unwanted(struct avaya_per *r,
						   struct h225_ext *x,
						   u64 wanted)
{
	size_t off, len, n;
	u64 present = x->present;
	u32 i;

	if (per_failed(r))
		return false;
	/* the next one is wanted: nothing to skip */
	if (wanted & H225_EXT_BIT(__builtin_clzll(present)))
		return true;
	off = (r->pos + 7) >> 3;
	len = r->len;
	while (present) {
		i = __builtin_clzll(present);
		if (wanted & H225_EXT_BIT(i))
			break;
		present &= ~H225_EXT_BIT(i);
		if (unlikely(off >= len))
			goto fail;
		n = r->buf[off++];
		if (unlikely(n & 0x80)) {
			if ((n & 0xc0) != 0x80 || off >= len)
				goto fail;
			n = (n & 0x3f) << 8 | r->buf[off++];
		}
		if (unlikely(len - off < n))
			goto fail;
		off += n;
	}
	x->present = present;
	r->pos = off * 8;
	return true;
fail:
	x->present = present;
	per_fail(r);
	return false;
}

/*
 * h225_ext_next() for a caller that reads only the additions in @wanted
 * (H225_EXT_BIT of each): the others are skipped by their length in a
 * tight loop, without a sub-reader or a return to the caller.
 */
static __always_inline bool h225_ext_next_of(struct avaya_per *r,
					     struct h225_ext *x, u64 wanted,
					     unsigned int *idx,
					     struct avaya_per *sub)
{
	while (x->present && h225_ext_skip_unwanted(r, x, wanted) &&
	       x->present) {
		u32 i = __builtin_clzll(x->present);

		x->present &= ~H225_EXT_BIT(i);
		per_open_type(r, sub);
		if (per_failed(r))
			return false;
		*idx = i;
		return true;
	}
	/* h225_ext_next() past the last present addition, by value */
	if (unlikely(x->beyond))
		x->beyond = h225_ext_skip_beyond(r, x->beyond);
	x->present = 0;
	return false;
}

/*
 * h225_ext_next_of() without a sub-reader: @r itself is narrowed to the
 * next wanted addition (per_enter()); the caller reads it from @r, then
 * calls per_leave(r, *w).
 */
static __always_inline bool h225_ext_enter(struct avaya_per *r,
					   struct h225_ext *x, u64 wanted,
					   unsigned int *idx,
					   struct per_window *w)
{
	while (x->present && h225_ext_skip_unwanted(r, x, wanted) &&
	       x->present) {
		u32 i = __builtin_clzll(x->present);

		x->present &= ~H225_EXT_BIT(i);
		*w = per_enter(r);
		if (per_failed(r))
			return false;
		*idx = i;
		return true;
	}
	if (unlikely(x->beyond))
		x->beyond = h225_ext_skip_beyond(r, x->beyond);
	x->present = 0;
	return false;
}

u32 h225_choice(struct avaya_per *r, u32 nroot, struct avaya_per *ext);

void h225_skip_seqof(struct avaya_per *r, void (*skip)(struct avaya_per *r));
void h225_skip_aliases(struct avaya_per *r);

/* OCTET STRING, OBJECT IDENTIFIER: a length in octets, then the contents. */
static __always_inline void h225_skip_octet_string(struct avaya_per *r)
{
	per_take_octets(r, per_length(r));
}

static __always_inline void h225_skip_oid(struct avaya_per *r)
{
	per_take_octets(r, per_length(r));
}

/*
 * BMPString (SIZE (@lb..@ub)), @ub > 1 so always octet-aligned. Returns the
 * local octet offset of the characters and their number in @nchars.
 * Inline: the bounds are constants at every call.
 */
static __always_inline size_t h225_bmp_string(struct avaya_per *r, u32 lb,
					      u32 ub, u32 *nchars)
{
	u32 n = per_uint(r, lb, ub);
	size_t off = per_take_octets(r, (size_t)n * 2);

	*nchars = per_failed(r) ? 0 : n;
	return per_failed(r) ? 0 : off;
}

void h225_skip_bit_string(struct avaya_per *r);
void h225_skip_h221_nonstandard(struct avaya_per *r);
void h225_skip_nonstandard_parameter(struct avaya_per *r);
void h225_skip_alias_address(struct avaya_per *r);
void h225_skip_vendor_identifier(struct avaya_per *r);
void h225_skip_endpoint_type(struct avaya_per *r);
void h225_skip_clear_token(struct avaya_per *r);
void h225_skip_crypto_h323_token(struct avaya_per *r);

#endif /* _AVAYA_H225_H */
