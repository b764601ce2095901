// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * The word-at-a-time PER reader and the inline extension walk against
 * bit-at-a-time models of them (the reader as it was before the 64-bit
 * loads). Every buffer is an exact-size allocation, so under ASan a load
 * past its end aborts even where the result would be right:
 *   - per_bits(), per_bit(), per_octets_be() at every bit position of
 *     buffers of 0..12 octets, for every width;
 *   - h225_ext_begin_fast() and h225_ext_next_of() over random extension
 *     bitmaps of 1..200 additions (both count forms), random wanted masks,
 *     cut at random lengths: same additions, offsets and end position.
 * "per_fuzz [iterations] [seed]"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avaya_h225.h"

static unsigned long long rng_state;
static int failures;

static unsigned int rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state >> 11;
}

static void fail(const char *what, size_t len, size_t pos, unsigned int n)
{
	if (failures++ < 20)
		printf("FAIL: %s len %zu pos %zu n %u\n", what, len, pos, n);
}

/* Bit @pos of @buf, most significant first. */
static unsigned int bit_at(const u8 *buf, size_t pos)
{
	return (buf[pos >> 3] >> (7 - (pos & 7))) & 1;
}

static void check_reads(const u8 *buf, size_t len, size_t pos,
			unsigned int n)
{
	struct avaya_per r;
	int ok = n <= 32 && pos + n <= len * 8;
	unsigned long long want = 0;
	unsigned int i;
	u32 got;

	for (i = 0; ok && i < n; i++)
		want = want << 1 | bit_at(buf, pos + i);
	per_init(&r, buf, len);
	per_skip_bits(&r, pos);
	got = per_bits(&r, n);
	if (per_failed(&r) == ok || (ok && (got != want || r.pos != pos + n)))
		fail("per_bits", len, pos, n);

	per_init(&r, buf, len);
	per_skip_bits(&r, pos);
	got = per_bit(&r);
	ok = pos < len * 8;
	if (per_failed(&r) == ok || (ok && got != bit_at(buf, pos)))
		fail("per_bit", len, pos, 1);

	if (n > 5)
		return;
	/* n octets from the next octet boundary */
	per_init(&r, buf, len);
	per_skip_bits(&r, pos);
	got = per_octets_be(&r, n);
	ok = n <= 4 && (pos + 7) / 8 + n <= len;
	want = 0;
	for (i = 0; ok && i < n; i++)
		want = want << 8 | buf[(pos + 7) / 8 + i];
	if (per_failed(&r) == ok || (ok && got != want))
		fail("per_octets_be", len, pos, n);
}

static void reader_cases(void)
{
	size_t len, pos;
	unsigned int n, k;

	for (len = 0; len <= 12; len++) {
		for (k = 0; k < 8; k++) {
			u8 *buf = malloc(len ? len : 1);
			size_t i;

			for (i = 0; i < len; i++)
				buf[i] = k == 0 ? 0xff : rnd();
			for (pos = 0; pos <= len * 8; pos++)
				for (n = 0; n <= 33; n++)
					check_reads(buf, len, pos, n);
			free(buf);
		}
	}
}

/* A bit writer for the extension encodings. */
struct bw {
	u8 *b;
	size_t pos;
};

static void put(struct bw *w, unsigned int v, unsigned int n)
{
	while (n--) {
		if ((v >> n) & 1)
			w->b[w->pos >> 3] |= 0x80 >> (w->pos & 7);
		w->pos++;
	}
}

static void put_align(struct bw *w)
{
	w->pos = (w->pos + 7) & ~(size_t)7;
}

/* What a walk saw: wanted additions, their contents, where it ended. */
struct walk {
	unsigned int n_seen;
	unsigned int idx[256];
	size_t off[256], len[256];
	int failed;
	size_t end;
};

/* The model: the count, the bitmap a bit at a time, each addition in turn. */
static void walk_model(const u8 *buf, size_t len, size_t start, u64 wanted,
		       struct walk *out)
{
	size_t pos = start, total = len * 8;
	unsigned int n, i, k;
	u8 present[256];

	memset(out, 0, sizeof(*out));
	out->failed = 1;
	if (pos + 7 > total)
		return;
	if (!bit_at(buf, pos)) {
		for (n = 0, k = 1; k <= 6; k++)
			n = n << 1 | bit_at(buf, pos + k);
		n++;
		pos += 7;
	} else {
		/* length form, always one or two octets in these encodings */
		unsigned int first;

		pos = (pos + 1 + 7) & ~(size_t)7;
		if (pos + 8 > total)
			return;
		first = buf[pos / 8];
		pos += 8;
		if (first & 0x80) {
			if (pos + 8 > total)
				return;
			first = (first & 0x3f) << 8 | buf[pos / 8];
			pos += 8;
		}
		if (first > 4)
			return;	/* the encoder below writes one octet of value */
		/* normally small number, length form: first octets of value */
		n = 0;
		for (k = 0; k < first; k++) {
			if (pos + 8 > total)
				return;
			n = n << 8 | buf[pos / 8];
			pos += 8;
		}
		n++;
	}
	if (n > 256 || pos + n > total)
		return;
	for (i = 0; i < n; i++)
		present[i] = bit_at(buf, pos++);
	for (i = 0; i < n; i++) {
		unsigned int l;

		if (!present[i])
			continue;
		pos = (pos + 7) & ~(size_t)7;
		if (pos + 8 > total)
			return;
		l = buf[pos / 8];
		if (l & 0x80)
			return;	/* the encoder writes short lengths only */
		pos += 8;
		if (pos + 8 * l > total)
			return;
		if (i < 64 && (wanted & H225_EXT_BIT(i))) {
			out->idx[out->n_seen] = i;
			out->off[out->n_seen] = pos / 8;
			out->len[out->n_seen++] = l;
		}
		pos += 8 * l;
	}
	out->failed = 0;
	out->end = pos;
}

static void walk_lib(const u8 *buf, size_t len, size_t start, u64 wanted,
		     struct walk *out)
{
	struct avaya_per r, sub;
	struct h225_ext x;
	unsigned int idx;

	memset(out, 0, sizeof(*out));
	per_init(&r, buf, len);
	per_skip_bits(&r, start);
	h225_ext_begin_fast(&r, &x);
	while (h225_ext_next_of(&r, &x, wanted, &idx, &sub)) {
		if (idx >= 64 || !(wanted & H225_EXT_BIT(idx)))
			continue;	/* h225_ext_next() yields the rest */
		out->idx[out->n_seen] = idx;
		out->off[out->n_seen] = sub.base;
		out->len[out->n_seen++] = sub.len;
	}
	out->failed = per_failed(&r);
	out->end = out->failed ? 0 : r.pos;
}

static void ext_case(void)
{
	static u8 scratch[4096];
	struct bw w = { scratch, 0 };
	struct walk a, b;
	unsigned int lead = rnd() % 8, n, i, dens = rnd() % 4;
	u8 present[256];
	u64 wanted = (u64)rnd() << 32 ^ rnd();
	size_t len;
	u8 *buf;

	memset(scratch, 0, sizeof(scratch));
	put(&w, rnd(), lead);
	n = 1 + (rnd() % 4 ? rnd() % 70 : rnd() % 200);
	if (n <= 64 && rnd() % 8) {
		put(&w, 0, 1);
		put(&w, n - 1, 6);
	} else {
		put(&w, 1, 1);
		put_align(&w);
		put(&w, 1, 8);		/* one octet of value */
		put(&w, n - 1, 8);
	}
	for (i = 0; i < n; i++) {
		present[i] = dens == 0 ? rnd() % 2 : dens == 1 ? !(rnd() % 8) :
			     dens == 2 ? 1 : !!(rnd() % 8);
		put(&w, present[i], 1);
	}
	for (i = 0; i < n; i++) {
		unsigned int l = rnd() % 6, k;

		if (!present[i])
			continue;
		put_align(&w);
		put(&w, l, 8);
		for (k = 0; k < l; k++)
			put(&w, rnd(), 8);
	}
	len = (w.pos + 7) / 8;
	if (!(rnd() % 4) && len)
		len = rnd() % len;
	buf = malloc(len ? len : 1);
	memcpy(buf, scratch, len);
	if (rnd() % 2)
		wanted = 0;
	walk_model(buf, len, lead, wanted, &a);
	walk_lib(buf, len, lead, wanted, &b);
	if (a.failed != b.failed || (!a.failed && a.end != b.end) ||
	    (!a.failed && (a.n_seen != b.n_seen ||
	     memcmp(a.idx, b.idx, sizeof(a.idx[0]) * a.n_seen) ||
	     memcmp(a.off, b.off, sizeof(a.off[0]) * a.n_seen) ||
	     memcmp(a.len, b.len, sizeof(a.len[0]) * a.n_seen))))
		fail("extension walk", len, lead, n);
	free(buf);
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
	unsigned long i;

	rng_state = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x5045526d6f64ULL;
	if (!rng_state)
		rng_state = 1;
	reader_cases();
	for (i = 0; i < iters; i++)
		ext_case();
	printf("%s: per_fuzz, %lu extension walks\n",
	       failures ? "FAIL" : "PASS", iters);
	return failures ? 1 : 0;
}
