// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * Fuzz driver for the TPKT, Q.931/H.225.0 and H.245 decoders.
 *
 * Built by tests/unit/Makefile under ASan/UBSan, it runs fixed-seed
 * mutations of the KUnit vectors: "call_fuzz [iterations] [seed]", after
 * checking the pinned verdicts of the out-of-range vectors. With
 * -DLIBFUZZER it provides the libFuzzer entry point instead; its name comes
 * from the command line, keeping this file to kernel naming:
 *   clang -DLIBFUZZER -DFUZZ_ENTRY=LLVMFuzzerTestOneInput \
 *	-fsanitize=fuzzer,address,undefined -I../../include this file \
 *	../../lib/avaya_h225.c ../../lib/avaya_h245.c ../../lib/avaya_q931.c
 * Either way, a success that points outside the input aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avaya_q931.h"
#include "../kunit/avaya_h245_vectors.h"
#include "../kunit/avaya_q931_vectors.h"

static void check_addr(const struct avaya_taddr *a, size_t len)
{
	size_t n = a->family == 4 ? 4 : 16;

	if (!a->family)
		return;
	if ((a->family != 4 && a->family != 6) || a->off + n + 2 > len) {
		fprintf(stderr, "offset %u (family %u) outside %zu octets\n",
			a->off, a->family, len);
		abort();
	}
}

static void run_one(const u8 *buf, size_t len)
{
	struct avaya_q931 q;
	struct avaya_h245 h;
	size_t off, mlen;
	unsigned int i;

	if (avaya_tpkt_frame(buf, len, &off, &mlen) > 0 && off + mlen > len)
		abort();
	if (avaya_q931_decode(buf, len, &q) == 0) {
		check_addr(&q.h245_addr, len);
		check_addr(&q.src_csa, len);
		check_addr(&q.dst_csa, len);
		if (q.n_media > AVAYA_Q931_MAX_MEDIA ||
		    q.n_h245 > AVAYA_Q931_MAX_H245)
			abort();
		for (i = 0; i < q.n_media; i++)
			check_addr(&q.media[i].addr, len);
	}
	if (avaya_h245_decode(buf, len, &h) == 0) {
		if (h.n_media > AVAYA_H245_MAX_MEDIA)
			abort();
		for (i = 0; i < h.n_media; i++)
			check_addr(&h.media[i].addr, len);
	}
}

#ifdef LIBFUZZER
#ifndef FUZZ_ENTRY
#error "build with -DFUZZ_ENTRY=LLVMFuzzerTestOneInput"
#endif
int FUZZ_ENTRY(const u8 *data, size_t size);

int FUZZ_ENTRY(const u8 *data, size_t size)
{
	run_one(data, size);
	return 0;
}
#else

struct vec {
	const u8 *buf;
	size_t len;
};

#define V(x) { x, sizeof(x) }

static const struct vec vecs[] = {
	V(h245_f25_tcs), V(h245_f27_msd), V(h245_f38_olc), V(h245_f39_olc),
	V(h245_f41_olc_ack), V(h245_f42_olc_ack), V(h245_built_olc_rev),
	V(h245_built_olc_ack_ip6), V(h245_built_clc),
	V(h245_built_end_session), V(h245_clc_channel_65536),
	V(h245_clc_channel_65535), V(h245_clc_channel_1),
	V(h245_request_past_root), V(h245_ext_index_wraps),
	V(h245_olc_mux_past_root),
	V(q931_f6_setup), V(q931_f10_call_proceeding), V(q931_f14_alerting),
	V(q931_f18_connect), V(q931_f47_setup), V(q931_f48_tpkt_head),
	V(q931_f48_f50_alerting), V(q931_f65_setup), V(q931_f66_release),
	V(q931_built_setup_fs), V(q931_built_connect_tunnel),
	V(q931_built_facility_tunnel), V(q931_built_connect_ip6),
	V(q931_built_release_end), V(q931_built_setup_tokens),
	V(q931_built_connect_crypto), V(q931_built_facility_tokens),
	V(q931_built_release_tokens), V(q931_built_status_tokens),
	V(q931_built_proceeding_tokens), V(q931_built_alerting_crypto),
};

/* Vectors whose verdict is pinned: out-of-range encodings must fail. */
static const struct {
	struct vec v;
	int ret;
	u8 kind;
	u16 channel;
} verdicts[] = {
	{ V(h245_built_clc), .kind = AVAYA_H245_CLC, .channel = 5 },
	{ V(h245_clc_channel_65536), .ret = -AVAYA_EBADMSG },
	{ V(h245_clc_channel_65535), .kind = AVAYA_H245_CLC,
	  .channel = 65535 },
	{ V(h245_clc_channel_1), .kind = AVAYA_H245_CLC, .channel = 1 },
	{ V(h245_request_past_root), .ret = -AVAYA_EBADMSG },
	{ V(h245_ext_index_wraps), .ret = -AVAYA_EBADMSG },
	{ V(h245_olc_mux_past_root), .ret = -AVAYA_EBADMSG },
};

/* Returns the number of vectors decoded otherwise than pinned. */
static int check_verdicts(void)
{
	size_t i, off, mlen;
	struct avaya_h245 h;
	int bad = 0, ret;

	for (i = 0; i < ARRAY_SIZE(verdicts); i++) {
		const struct vec *v = &verdicts[i].v;

		if (avaya_tpkt_frame(v->buf, v->len, &off, &mlen) != (int)v->len)
			return -1;
		ret = avaya_h245_decode(v->buf + off, mlen, &h);
		if (ret != verdicts[i].ret ||
		    (!ret && (h.kind != verdicts[i].kind ||
			      h.channel != verdicts[i].channel))) {
			fprintf(stderr,
				"call_fuzz: verdict %zu: ret %d kind %u channel %u, want %d %u %u\n",
				i, ret, h.kind, h.channel, verdicts[i].ret,
				verdicts[i].kind, verdicts[i].channel);
			bad++;
		}
	}
	return bad;
}

static u64 rng_state;

static u32 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state >> 32;
}

static const u8 edges[] = { 0x00, 0x01, 0x7f, 0x80, 0xbf, 0xc0, 0xff };

/* One random edit of @buf (@len octets now, @cap at most). */
static size_t mutate(u8 *buf, size_t len, size_t cap)
{
	size_t pos = len ? rnd() % len : 0;

	switch (rnd() % 6) {
	case 0:
		if (len)
			buf[pos] ^= 1 << (rnd() % 8);
		return len;
	case 1:
		if (len)
			buf[pos] = rnd();
		return len;
	case 2:		/* lengths love boundary values */
		if (len)
			buf[pos] = edges[rnd() % ARRAY_SIZE(edges)];
		return len;
	case 3:
		return len ? rnd() % len : 0;
	case 4:
		if (len < cap) {
			memmove(buf + pos + 1, buf + pos, len - pos);
			buf[pos] = rnd();
			return len + 1;
		}
		return len;
	default:
		if (len) {
			memmove(buf + pos, buf + pos + 1, len - pos - 1);
			return len - 1;
		}
		return len;
	}
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
	static u8 buf[2048];
	unsigned long i;
	size_t len;
	u8 *copy;
	int k;

	if (check_verdicts())
		return 1;
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x5eed1234abcdULL;
	for (i = 0; i < iters; i++) {
		const struct vec *v = &vecs[rnd() % ARRAY_SIZE(vecs)];
		size_t skip = rnd() % 2 ? AVAYA_TPKT_HDR_LEN : 0;

		if (v->len <= skip)
			continue;
		len = v->len - skip;
		memcpy(buf, v->buf + skip, len);
		for (k = rnd() % 8 + 1; k; k--)
			len = mutate(buf, len, sizeof(buf));
		/* An exact-size heap copy, so ASan sees any overrun. */
		copy = malloc(len ? len : 1);
		if (!copy)
			return 1;
		memcpy(copy, buf, len);
		run_one(copy, len);
		free(copy);
	}
	printf("call_fuzz: %lu iterations clean\n", iters);
	return 0;
}
#endif
