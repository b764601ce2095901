/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small, bounds-checked ALIGNED variant PER (X.691) bit reader.
 *
 * Every read checks the buffer end. A read past the end, or an encoding we
 * refuse (fragmented lengths), sets a sticky error flag and returns 0, so a
 * decoder can run a whole sequence of reads and test per_failed() once at a
 * point where it is about to act on a value. Nothing here allocates, sleeps or
 * touches global state: readers live on the caller's stack.
 */
#ifndef _AVAYA_PER_H
#define _AVAYA_PER_H

#include "avaya_shim.h"

/*
 * A failed reader is also an empty one (len and pos 0): every later read
 * fails on the bounds check alone, so reads need not test @err first.
 */
struct avaya_per {
	const u8 *buf;
	size_t len;	/* in octets */
	size_t pos;	/* in bits, from buf[0] bit 7 */
	size_t base;	/* octet offset of buf[0] in the outermost message */
	bool err;
};

static inline void per_init(struct avaya_per *r, const u8 *buf, size_t len)
{
	r->buf = buf;
	r->len = len;
	r->pos = 0;
	r->base = 0;
	r->err = false;
}

static inline bool per_failed(const struct avaya_per *r)
{
	return r->err;
}

static inline u32 per_fail(struct avaya_per *r)
{
	r->err = true;
	r->len = 0;
	r->pos = 0;
	return 0;
}

static inline size_t per_bits_left(const struct avaya_per *r)
{
	return r->err ? 0 : r->len * 8 - r->pos;
}

/*
 * The octets at @p, most significant first in a 64-bit word: all eight in
 * one unaligned load where @avail allows it, else just the @need (1..8,
 * at most @avail) the caller reads, the rest zero.
 */
static __always_inline u64 per_load_be64(const u8 *p, size_t avail,
					 unsigned int need)
{
	u64 w = 0;
	unsigned int i;

	if (likely(avail >= 8)) {
		memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		w = __builtin_bswap64(w);
#endif
		return w;
	}
	for (i = 0; i < need; i++)
		w |= (u64)p[i] << (56 - 8 * i);
	return w;
}

/*
 * Read @n (0..32) bits, most significant first. At most 7 + 32 bits span
 * the octets at the read position: one 64-bit load holds them all.
 */
static __always_inline u32 per_bits(struct avaya_per *r, unsigned int n)
{
	size_t pos = r->pos;
	size_t byte = pos >> 3;
	u64 w;

	if (unlikely(n > 32))
		return per_fail(r);
	if (!n)
		return 0;
	/* Eight octets left hold any 32 bits from here: no other check. */
	if (likely(byte + 8 <= r->len)) {
		w = per_load_be64(r->buf + byte, 8, 8);
	} else {
		if (unlikely(r->len * 8 - pos < n))
			return per_fail(r);
		if (r->len >= 8)	/* the last eight, moved up */
			w = per_load_be64(r->buf + r->len - 8, 8, 8) <<
			    (8 * (byte + 8 - r->len));
		else
			w = per_load_be64(r->buf + byte, r->len - byte,
					  ((pos & 7) + n + 7) >> 3);
	}
	r->pos = pos + n;
	return (w << (pos & 7)) >> (64 - n);
}

static __always_inline bool per_bit(struct avaya_per *r)
{
	size_t pos = r->pos;

	if (unlikely(r->len * 8 == pos))
		return per_fail(r);
	r->pos = pos + 1;
	return (r->buf[pos >> 3] >> (7 - (pos & 7))) & 1;
}

static __always_inline void per_align(struct avaya_per *r)
{
	size_t aligned = (r->pos + 7) & ~(size_t)7;

	if (aligned > r->len * 8)
		per_fail(r);
	else
		r->pos = aligned;
}

/* Octet offset of the read position; only meaningful when aligned. */
static inline size_t per_octet_pos(const struct avaya_per *r)
{
	return r->pos >> 3;
}

/* Offset of a local octet offset in the outermost message, for NAT. */
static inline size_t per_abs(const struct avaya_per *r, size_t local)
{
	return r->base + local;
}

static inline void per_skip_bits(struct avaya_per *r, size_t n)
{
	if (r->len * 8 - r->pos < n)
		per_fail(r);
	else
		r->pos += n;
}

/* Aligned octets: align, check that @n octets remain, return their offset. */
static __always_inline size_t per_take_octets(struct avaya_per *r, size_t n)
{
	size_t off = (r->pos + 7) >> 3;

	if (unlikely(off > r->len || r->len - off < n))
		return per_fail(r);
	r->pos = (off + n) * 8;
	return off;
}

/* @n (0..4) aligned octets as a big-endian number. */
static __always_inline u32 per_octets_be(struct avaya_per *r, unsigned int n)
{
	size_t off = (r->pos + 7) >> 3;

	if (n > 4)
		return per_fail(r);
	/* a failed reader has len 0: nothing to read */
	if (unlikely(off > r->len || r->len - off < n))
		return per_fail(r);
	r->pos = (off + n) * 8;
	if (!n)
		return 0;
	if (n == 1)
		return r->buf[off];
	if (n == 2)
		return r->buf[off] << 8 | r->buf[off + 1];
	return per_load_be64(r->buf + off, r->len - off, n) >> (64 - 8 * n);
}

/* Number of bits needed to hold 0..@range-1. */
static __always_inline unsigned int per_width(u32 range)
{
	return range <= 1 ? 0 : 32 - __builtin_clz(range - 1);
}

/* Octets needed to hold 0..@max, at least one. */
static inline unsigned int per_octets_for(u32 max)
{
	unsigned int n = 1;

	while (n < 4 && max >> (8 * n))
		n++;
	return n;
}

/*
 * per_uint() of a range of 256 or 65536 at most: @n (1 or 2) aligned
 * octets, with their own bound check (a failed read returns here).
 */
static __always_inline u32 per_uint_octets(struct avaya_per *r, u32 lb,
					   u32 ub, unsigned int n)
{
	size_t off = (r->pos + 7) >> 3;
	u32 v;

	if (unlikely(off > r->len || r->len - off < n))
		return per_fail(r);
	r->pos = (off + n) * 8;
	v = n == 1 ? r->buf[off] : r->buf[off] << 8 | r->buf[off + 1];
	if (unlikely(v > ub - lb))
		return per_fail(r);
	return lb + v;
}

/*
 * X.691 10.5.7: constrained whole number @lb..@ub, aligned variant. The
 * field is wider than the range except for a power of two, so a value past
 * @ub is an error: truncating or wrapping it would read a different number
 * than the one the peer's decoder sees (a channel 65536 became 0).
 */
static __always_inline u32 per_uint(struct avaya_per *r, u32 lb, u32 ub)
{
	u64 range = (u64)ub - lb + 1;
	unsigned int octets;
	u32 v;

	if (ub < lb)
		return per_fail(r);
	if (range == 1)
		return lb;
	if (range > 255 && range <= 65536)
		return per_uint_octets(r, lb, ub, range == 256 ? 1 : 2);
	if (range <= 255) {
		v = per_bits(r, per_width(range));
	} else {
		/* Indefinite length: a 2-bit octet count, then the octets. */
		octets = per_bits(r, 2) + 1;
		if (octets > per_octets_for(ub - lb))
			return per_fail(r);
		v = per_octets_be(r, octets);
	}
	if (r->err || v > ub - lb)
		return per_fail(r);
	return lb + v;
}

/* One aligned octet: per_octets_be(r, 1) with one bound check. */
static __always_inline u32 per_octet(struct avaya_per *r)
{
	size_t off = (r->pos + 7) >> 3;

	/* a failed reader has len 0: no octet */
	if (unlikely(off >= r->len))
		return per_fail(r);
	r->pos = (off + 1) * 8;
	return r->buf[off];
}

/* X.691 10.9.3.5-7: unconstrained length determinant (no fragments). */
static __always_inline u32 per_length(struct avaya_per *r)
{
	u32 first = per_octet(r);

	if (likely(!(first & 0x80)))
		return first;
	if ((first & 0xc0) == 0x80)
		return ((first & 0x3f) << 8) | per_octet(r);
	/* Fragmented encodings (>= 16K items) never occur in signalling. */
	return per_fail(r);
}

/* X.691 10.9.3.3: length constrained to @lb..@ub (ub < 64K). */
static inline u32 per_length_c(struct avaya_per *r, u32 lb, u32 ub)
{
	return per_uint(r, lb, ub);
}

/* X.691 10.6: normally small non-negative whole number. */
static __always_inline u32 per_small(struct avaya_per *r)
{
	if (!per_bit(r))
		return per_bits(r, 6);
	return per_octets_be(r, per_length(r));
}

/*
 * Semi-constrained whole number (INTEGER (lb..MAX)): length + octets. The
 * sum is taken in 64 bits: one past U32_MAX is an error, not a small value.
 */
static inline u32 per_semi_uint(struct avaya_per *r, u32 lb)
{
	u64 v = (u64)lb + per_octets_be(r, per_length(r));

	if (r->err || v > 0xffffffffU)
		return per_fail(r);
	return v;
}

/*
 * Open type (extension additions, open CHOICE alternatives): a length in
 * octets followed by the encoding. @sub reads just those octets; @r skips
 * them. Returns the octet offset of the contents within @r's buffer.
 */
static inline size_t per_open_type(struct avaya_per *r, struct avaya_per *sub)
{
	u32 n = per_length(r);
	size_t off = per_take_octets(r, n);

	per_init(sub, r->buf + off, r->err ? 0 : n);
	sub->base = r->base + off;
	sub->err = r->err;
	return off;
}

/*
 * Reading an open type in place, without a second reader: per_enter()
 * narrows @r to the contents (positions and offsets stay those of the whole
 * buffer), per_leave() moves past them whatever was read. A failure inside
 * is a failure of @r, unless per_leave_recover() forgives it.
 */
struct per_window {
	size_t whole;	/* @r's length outside */
	size_t end;	/* octet offset just past the open type */
};

static __always_inline struct per_window per_enter(struct avaya_per *r)
{
	u32 n = per_length(r);
	size_t off = per_take_octets(r, n);
	struct per_window w = { .whole = r->len, .end = off + n };

	if (!per_failed(r)) {
		r->len = w.end;
		r->pos = off * 8;
	}
	return w;
}

static __always_inline void per_leave(struct avaya_per *r,
				      struct per_window w)
{
	if (!per_failed(r)) {
		r->len = w.whole;
		r->pos = w.end * 8;
	}
}

/*
 * per_leave() for contents bounded by their length: @r goes on after a
 * failure inside. Returns whether the contents read without one.
 */
static __always_inline bool per_leave_recover(struct avaya_per *r,
					      struct per_window w)
{
	bool ok = !per_failed(r);

	r->err = false;
	r->len = w.whole;
	r->pos = w.end * 8;
	return ok;
}

static inline void per_skip_open_type(struct avaya_per *r)
{
	struct avaya_per sub;

	per_open_type(r, &sub);
}

/* An octet string or character string of @n units of @unit_bits, aligned. */
static inline size_t per_skip_string(struct avaya_per *r, u32 n,
				     unsigned int unit_bits)
{
	size_t bits = (size_t)n * unit_bits;

	per_align(r);
	if (r->err)
		return 0;
	per_skip_bits(r, bits);
	return r->err ? 0 : bits;
}

/*
 * Extension additions of a SEQUENCE, after its extension bit was 1:
 * normally-small count minus one, then one presence bit per addition.
 * Returns the number of additions (0 on error).
 */
static inline u32 per_ext_count(struct avaya_per *r)
{
	u32 n = per_small(r);

	/* n + 1 must not wrap to a count of 0 that reads no bitmap. */
	if (r->err || n == 0xffffffffU)
		return per_fail(r);
	return n + 1;
}

#endif /* _AVAYA_PER_H */
