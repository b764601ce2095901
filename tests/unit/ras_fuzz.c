// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * Userspace fuzz driver for avaya_ras_decode(), meant to run under ASan/UBSan
 * (make -C tests/unit). Without arguments it feeds every RAS test vector,
 * every prefix of each, every single-bit flip, and then a fixed-seed run of
 * random mutations; any result that points outside its input aborts. The
 * vectors with a pinned verdict (out-of-range encodings) are checked first.
 *
 *   bin/ras_fuzz [iterations [seed]]
 *
 * Built with -DLIBFUZZER (and clang's -fsanitize=fuzzer, linked with the
 * lib/ decoders like the default build) it is a libFuzzer target instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avaya_ras.h"
#include "../kunit/avaya_ras_vectors.h"

#define VEC(v) { v, sizeof(v) }
#define PIN(v) .buf = v, .len = sizeof(v)

static const struct {
	const u8 *buf;
	size_t len;
} vectors[] = {
	VEC(ras_cap_f59), VEC(ras_cap_f60), VEC(ras_cap_f61),
	VEC(ras_cap_f62), VEC(ras_cap_f63), VEC(ras_cap_f64),
	VEC(ras_cap_f67), VEC(ras_cap_f69), VEC(ras_cap_f71),
	VEC(ras_cap_f72), VEC(ras_cap_f73), VEC(ras_cap_f74),
	VEC(ras_cap_f75), VEC(ras_junk_dht),
	VEC(ras_avaya_grq), VEC(ras_avaya_gcf), VEC(ras_avaya_grj),
	VEC(ras_avaya_rrq), VEC(ras_avaya_rrq_keepalive),
	VEC(ras_avaya_rrq_multi), VEC(ras_avaya_rrq_v6),
	VEC(ras_avaya_rrq_exotic),
	VEC(ras_avaya_rcf), VEC(ras_avaya_rcf_v6), VEC(ras_avaya_rrj),
	VEC(ras_avaya_urq), VEC(ras_avaya_urq_v6), VEC(ras_avaya_ucf),
	VEC(ras_avaya_urj), VEC(ras_rcf_ttl_wraps), VEC(ras_rcf_ttl_max),
	VEC(ras_rcf_seq_65536),
};

static size_t taddr_end(const struct avaya_taddr *a)
{
	return a->off + (a->family == 6 ? 18 : 6);
}

static int taddrs_ok(const struct avaya_taddr *a, unsigned int n,
		     unsigned int max, size_t len)
{
	unsigned int i;

	if (n > max)
		return 0;
	for (i = 0; i < n; i++) {
		if (a[i].family != 0 && a[i].family != 4 && a[i].family != 6)
			return 0;
		if (a[i].family && taddr_end(&a[i]) > len)
			return 0;
	}
	return 1;
}

/* A successful decode may only point inside the input. */
static void check(const u8 *buf, size_t len)
{
	struct avaya_ras m;
	u8 *copy;

	/* an exact-size heap copy, so ASan catches any overread */
	copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	if (len)
		memcpy(copy, buf, len);
	if (avaya_ras_decode(copy, len, &m) == 0) {
		int ok = m.type <= RAS_UNKNOWN &&
			 taddrs_ok(m.ras, m.n_ras, RAS_MAX_ADDRS, len) &&
			 taddrs_ok(m.csa, m.n_csa, RAS_MAX_ADDRS, len) &&
			 taddrs_ok(m.alt_gk, m.n_alt_gk, RAS_MAX_ALT_GK, len) &&
			 (!m.has_epid ||
			  m.epid_off + 2 * (size_t)m.epid_chars <= len) &&
			 (!m.has_gkid ||
			  m.gkid_off + 2 * (size_t)m.gkid_chars <= len);

		if (!ok) {
			fprintf(stderr, "ras_fuzz: out-of-bounds result, len %zu\n",
				len);
			abort();
		}
	}
	free(copy);
}

#ifdef LIBFUZZER
/* libFuzzer calls this by its ABI name, given here as an asm label. */
int ras_fuzz_one_input(const u8 *data, size_t size)
	asm("LLVMFuzzerTestOneInput");

int ras_fuzz_one_input(const u8 *data, size_t size)
{
	check(data, size);
	return 0;
}
#else
#define MAX_INPUT 2048

/* Vectors whose verdict is pinned: out-of-range encodings must fail. */
static const struct {
	const u8 *buf;
	size_t len;
	int ret;
	u32 ttl;
	u16 seq;
} verdicts[] = {
	{ PIN(ras_avaya_rcf), .ttl = 20, .seq = 5 },
	{ PIN(ras_rcf_ttl_wraps), .ret = -AVAYA_EBADMSG },
	{ PIN(ras_rcf_ttl_max), .ttl = 0xffffffff, .seq = 5 },
	{ PIN(ras_rcf_seq_65536), .ret = -AVAYA_EBADMSG },
};

/* Returns the number of vectors decoded otherwise than pinned. */
static int check_verdicts(void)
{
	struct avaya_ras m;
	int bad = 0, ret;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verdicts); i++) {
		ret = avaya_ras_decode(verdicts[i].buf, verdicts[i].len, &m);
		if (ret == verdicts[i].ret &&
		    (ret || (m.has_ttl && m.ttl == verdicts[i].ttl &&
			     m.seq == verdicts[i].seq)))
			continue;
		fprintf(stderr,
			"ras_fuzz: verdict %zu: ret %d ttl %u seq %u, want %d %u %u\n",
			i, ret, m.ttl, m.seq, verdicts[i].ret, verdicts[i].ttl,
			verdicts[i].seq);
		bad++;
	}
	return bad;
}

static u64 rng_state;

static u64 rng(void)
{
	/* xorshift64*: fixed seed, reproducible runs */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static size_t mutate(u8 *buf, size_t len)
{
	unsigned int rounds = 1 + rng() % 8;
	size_t pos, n;

	while (rounds--) {
		pos = len ? rng() % len : 0;
		switch (rng() % 6) {
		case 0:		/* flip a bit */
			if (len)
				buf[pos] ^= 1 << (rng() % 8);
			break;
		case 1:		/* set an octet: lengths and counts live here */
			if (len)
				buf[pos] = (rng() & 1) ? 0xff : rng();
			break;
		case 2:		/* delete an octet */
			if (len) {
				memmove(buf + pos, buf + pos + 1, len - pos - 1);
				len--;
			}
			break;
		case 3:		/* insert an octet */
			if (len < MAX_INPUT) {
				memmove(buf + pos + 1, buf + pos, len - pos);
				buf[pos] = rng();
				len++;
			}
			break;
		case 4:		/* truncate */
			len = pos;
			break;
		default:	/* duplicate a chunk onto another place */
			n = rng() % 16;
			if (len && n <= len) {
				size_t from = rng() % (len - n + 1);
				size_t to = rng() % (len - n + 1);

				memmove(buf + to, buf + from, n);
			}
			break;
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	unsigned long iterations = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
	static u8 buf[MAX_INPUT];
	unsigned long i, inputs = 0;
	size_t v, n, bit;

	if (check_verdicts())
		return 1;
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x41564159414e4154ULL;
	if (!rng_state)
		rng_state = 1;
	for (v = 0; v < ARRAY_SIZE(vectors); v++) {
		for (n = 0; n <= vectors[v].len; n++, inputs++)
			check(vectors[v].buf, n);
		for (bit = 0; bit < vectors[v].len * 8; bit++, inputs++) {
			memcpy(buf, vectors[v].buf, vectors[v].len);
			buf[bit / 8] ^= 0x80 >> (bit % 8);
			check(buf, vectors[v].len);
		}
	}
	for (i = 0; i < iterations; i++, inputs++) {
		v = rng() % ARRAY_SIZE(vectors);
		memcpy(buf, vectors[v].buf, vectors[v].len);
		n = mutate(buf, vectors[v].len);
		check(buf, n);
	}
	printf("ras_fuzz: %lu inputs, no out-of-bounds result\n", inputs);
	return 0;
}
#endif
