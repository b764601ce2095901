// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * KUnit suite for the H.245 decoder: values from real and built messages,
 * then every truncation and every single-bit flip of each of them.
 */
#include <kunit/test.h>

#include "avaya_h245.h"
#include "avaya_q931.h"
#include "avaya_h245_vectors.h"

struct h245_exp_media {
	u8 family;
	u8 ip[16];
	u16 port;
	u8 flags;
};

struct h245_case {
	const char *name;
	const u8 *buf;
	size_t len;
	int ret;		/* 0, or the error avaya_h245_decode() must return */
	u8 kind;
	u8 branch;
	u8 index;
	u16 channel;
	unsigned int n_media;
	struct h245_exp_media media[AVAYA_H245_MAX_MEDIA];
};

#define VEC(v)			.buf = (v), .len = sizeof(v)
#define IP4(a, b, c, d)		.family = 4, .ip = { a, b, c, d }
#define IP6_DB8(last)		.family = 6, \
				.ip = { 0x20, 0x01, 0x0d, 0xb8, [15] = (last) }

static const struct h245_case h245_cases[] = {
	{
		.name = "f25_terminal_capability_set", VEC(h245_f25_tcs),
		.kind = AVAYA_H245_OTHER, .branch = AVAYA_H245_REQUEST,
		.index = 2,
	},
	{
		.name = "f27_master_slave_determination", VEC(h245_f27_msd),
		.kind = AVAYA_H245_OTHER, .branch = AVAYA_H245_REQUEST,
		.index = 1,
	},
	{
		.name = "f38_olc", VEC(h245_f38_olc),
		.kind = AVAYA_H245_OLC, .branch = AVAYA_H245_REQUEST,
		.index = AVAYA_H245_REQ_OLC, .channel = 101, .n_media = 1,
		.media = {
			{ IP4(10, 1, 3, 143), .port = 5001,
			  .flags = AVAYA_MEDIA_RTCP },
		},
	},
	{
		.name = "f39_olc", VEC(h245_f39_olc),
		.kind = AVAYA_H245_OLC, .branch = AVAYA_H245_REQUEST,
		.index = AVAYA_H245_REQ_OLC, .channel = 61, .n_media = 1,
		.media = {
			{ IP4(10, 1, 6, 18), .port = 2007,
			  .flags = AVAYA_MEDIA_RTCP },
		},
	},
	{
		.name = "f41_olc_ack", VEC(h245_f41_olc_ack),
		.kind = AVAYA_H245_OLC_ACK, .branch = AVAYA_H245_RESPONSE,
		.index = AVAYA_H245_RSP_OLC_ACK, .channel = 61, .n_media = 2,
		.media = {
			{ IP4(10, 1, 3, 143), .port = 5000,
			  .flags = AVAYA_MEDIA_ACK },
			{ IP4(10, 1, 3, 143), .port = 5001,
			  .flags = AVAYA_MEDIA_ACK | AVAYA_MEDIA_RTCP },
		},
	},
	{
		.name = "f42_olc_ack", VEC(h245_f42_olc_ack),
		.kind = AVAYA_H245_OLC_ACK, .branch = AVAYA_H245_RESPONSE,
		.index = AVAYA_H245_RSP_OLC_ACK, .channel = 101, .n_media = 2,
		.media = {
			{ IP4(10, 1, 6, 18), .port = 2006,
			  .flags = AVAYA_MEDIA_ACK },
			{ IP4(10, 1, 6, 18), .port = 2007,
			  .flags = AVAYA_MEDIA_ACK | AVAYA_MEDIA_RTCP },
		},
	},
	{
		.name = "built_olc_with_reverse", VEC(h245_built_olc_rev),
		.kind = AVAYA_H245_OLC, .branch = AVAYA_H245_REQUEST,
		.index = AVAYA_H245_REQ_OLC, .channel = 5, .n_media = 3,
		.media = {
			{ IP4(10, 0, 0, 1), .port = 5001,
			  .flags = AVAYA_MEDIA_RTCP },
			{ IP4(10, 0, 0, 1), .port = 5000,
			  .flags = AVAYA_MEDIA_REVERSE },
			{ IP4(10, 0, 0, 1), .port = 5001,
			  .flags = AVAYA_MEDIA_REVERSE | AVAYA_MEDIA_RTCP },
		},
	},
	{
		.name = "built_olc_ack_ipv6", VEC(h245_built_olc_ack_ip6),
		.kind = AVAYA_H245_OLC_ACK, .branch = AVAYA_H245_RESPONSE,
		.index = AVAYA_H245_RSP_OLC_ACK, .channel = 5, .n_media = 2,
		.media = {
			{ IP6_DB8(1), .port = 5000, .flags = AVAYA_MEDIA_ACK },
			{ IP6_DB8(1), .port = 5001,
			  .flags = AVAYA_MEDIA_ACK | AVAYA_MEDIA_RTCP },
		},
	},
	{
		.name = "built_close_logical_channel", VEC(h245_built_clc),
		.kind = AVAYA_H245_CLC, .branch = AVAYA_H245_REQUEST,
		.index = AVAYA_H245_REQ_CLC, .channel = 5,
	},
	{
		.name = "built_end_session", VEC(h245_built_end_session),
		.kind = AVAYA_H245_END_SESSION, .branch = AVAYA_H245_COMMAND,
		.index = AVAYA_H245_CMD_END_SESSION,
	},
	{
		.name = "clc_channel_65536", VEC(h245_clc_channel_65536),
		.ret = -AVAYA_EBADMSG,
	},
	{
		.name = "clc_channel_65535", VEC(h245_clc_channel_65535),
		.kind = AVAYA_H245_CLC, .branch = AVAYA_H245_REQUEST,
		.index = AVAYA_H245_REQ_CLC, .channel = 65535,
	},
	{
		.name = "clc_channel_1", VEC(h245_clc_channel_1),
		.kind = AVAYA_H245_CLC, .branch = AVAYA_H245_REQUEST,
		.index = AVAYA_H245_REQ_CLC, .channel = 1,
	},
	{
		.name = "request_index_past_root", VEC(h245_request_past_root),
		.ret = -AVAYA_EBADMSG,
	},
	{
		.name = "extension_index_wraps", VEC(h245_ext_index_wraps),
		.ret = -AVAYA_EBADMSG,
	},
	{
		.name = "olc_mux_index_past_root", VEC(h245_olc_mux_past_root),
		.ret = -AVAYA_EBADMSG,
	},
};

static void h245_case_desc(const struct h245_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(h245, h245_cases, h245_case_desc);

static unsigned int ip_len(u8 family)
{
	return family == 4 ? 4 : 16;
}

/* A success must never point NAT outside the message. */
static void expect_in_bounds(struct kunit *test, const struct avaya_h245 *m,
			     size_t len)
{
	unsigned int i;

	KUNIT_ASSERT_LE(test, m->n_media, AVAYA_H245_MAX_MEDIA);
	for (i = 0; i < m->n_media; i++) {
		const struct avaya_taddr *a = &m->media[i].addr;

		KUNIT_EXPECT_TRUE(test, a->family == 4 || a->family == 6);
		KUNIT_EXPECT_LE(test, (size_t)a->off + ip_len(a->family) + 2,
				len);
	}
}

/* The H.245 message inside the TPKT of a vector. */
static const u8 *h245_msg(struct kunit *test, const struct h245_case *c,
			  size_t *len)
{
	size_t off;

	KUNIT_ASSERT_EQ(test, avaya_tpkt_frame(c->buf, c->len, &off, len),
			(int)c->len);
	return c->buf + off;
}

static void h245_values(struct kunit *test)
{
	const struct h245_case *c = test->param_value;
	struct avaya_h245 m;
	const u8 *msg;
	unsigned int i;
	size_t len;

	msg = h245_msg(test, c, &len);
	KUNIT_ASSERT_EQ(test, avaya_h245_decode(msg, len, &m), c->ret);
	if (c->ret)
		return;
	KUNIT_EXPECT_EQ(test, m.kind, c->kind);
	KUNIT_EXPECT_EQ(test, m.branch, c->branch);
	KUNIT_EXPECT_EQ(test, m.index, c->index);
	KUNIT_EXPECT_EQ(test, m.channel, c->channel);
	KUNIT_ASSERT_EQ(test, m.n_media, c->n_media);
	expect_in_bounds(test, &m, len);
	for (i = 0; i < c->n_media; i++) {
		const struct avaya_media *e = &m.media[i];
		const struct h245_exp_media *x = &c->media[i];
		unsigned int n = ip_len(x->family);

		KUNIT_EXPECT_EQ(test, e->addr.family, x->family);
		KUNIT_EXPECT_EQ(test, e->addr.port, x->port);
		KUNIT_EXPECT_EQ(test, e->flags, x->flags);
		KUNIT_EXPECT_EQ(test, e->channel, c->channel);
		KUNIT_EXPECT_EQ(test, memcmp(e->addr.ip, x->ip, n), 0);
		/* The offset is where NAT writes: the address, then port. */
		KUNIT_EXPECT_EQ(test, memcmp(msg + e->addr.off, x->ip, n), 0);
		KUNIT_EXPECT_EQ(test, msg[e->addr.off + n], x->port >> 8);
		KUNIT_EXPECT_EQ(test, msg[e->addr.off + n + 1], x->port & 0xff);
	}
}

static void h245_truncated(struct kunit *test)
{
	const struct h245_case *c = test->param_value;
	struct avaya_h245 m;
	size_t len, n;
	const u8 *msg;
	u8 *buf;

	msg = h245_msg(test, c, &len);
	for (n = 0; n < len; n++) {
		/* An exact-size copy, so reading past it is a real overrun. */
		buf = kunit_kmalloc(test, n ? n : 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, buf);
		memcpy(buf, msg, n);
		if (avaya_h245_decode(buf, n, &m) == 0)
			expect_in_bounds(test, &m, n);
		kunit_kfree(test, buf);
	}
}

static void h245_bit_flips(struct kunit *test)
{
	const struct h245_case *c = test->param_value;
	struct avaya_h245 m;
	size_t len, bit;
	const u8 *msg;
	u8 *buf;

	msg = h245_msg(test, c, &len);
	buf = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (bit = 0; bit < len * 8; bit++) {
		memcpy(buf, msg, len);
		buf[bit / 8] ^= 0x80 >> (bit % 8);
		if (avaya_h245_decode(buf, len, &m) == 0)
			expect_in_bounds(test, &m, len);
	}
}

/*
 * The aligned-PER reader itself: every bound of X.691 10.5.7 (constrained
 * whole numbers), the semi-constrained sum and the extension count. A value
 * past its bound is an error, never a value truncated or wrapped into range.
 */
enum per_op {
	PER_UINT,
	PER_SEMI_UINT,
	PER_EXT_COUNT,
};

struct per_case {
	const char *name;
	u8 buf[8];
	size_t len;
	u8 op;		/* enum per_op */
	u32 lb;
	u32 ub;		/* PER_UINT only */
	bool fails;
	u32 value;	/* when it does not fail */
	size_t bits;	/* bits consumed, when it does not fail */
};

#define PER_BUF(...)	.buf = { __VA_ARGS__ }, \
			.len = sizeof((u8[]){ __VA_ARGS__ })
#define UINT(l, u)	.op = PER_UINT, .lb = (l), .ub = (u)

static const struct per_case per_cases[] = {
	{ .name = "uint_0_4_is_4", PER_BUF(0x80), UINT(0, 4),
	  .value = 4, .bits = 3 },
	{ .name = "uint_0_4_field_5", PER_BUF(0xa0), UINT(0, 4),
	  .fails = true },
	{ .name = "uint_0_4_field_7", PER_BUF(0xe0), UINT(0, 4),
	  .fails = true },
	{ .name = "uint_8_128_field_127", PER_BUF(0xfe), UINT(8, 128),
	  .fails = true },
	{ .name = "uint_8_128_is_128", PER_BUF(0xf0), UINT(8, 128),
	  .value = 128, .bits = 7 },
	{ .name = "uint_1_256_is_256", PER_BUF(0xff), UINT(1, 256),
	  .value = 256, .bits = 8 },
	{ .name = "uint_0_2048_is_2048", PER_BUF(0x08, 0x00), UINT(0, 2048),
	  .value = 2048, .bits = 16 },
	{ .name = "uint_0_2048_field_2049", PER_BUF(0x08, 0x01),
	  UINT(0, 2048), .fails = true },
	{ .name = "uint_1_65535_is_65535", PER_BUF(0xff, 0xfe),
	  UINT(1, 65535), .value = 65535, .bits = 16 },
	{ .name = "uint_1_65535_field_65536", PER_BUF(0xff, 0xff),
	  UINT(1, 65535), .fails = true },
	{ .name = "uint_0_65535_is_65535", PER_BUF(0xff, 0xff),
	  UINT(0, 65535), .value = 65535, .bits = 16 },
	{ .name = "uint_1_max_1_octet", PER_BUF(0x00, 0x05),
	  UINT(1, 0xffffffff), .value = 6, .bits = 16 },
	{ .name = "uint_1_max_is_max", PER_BUF(0xc0, 0xff, 0xff, 0xff, 0xfe),
	  UINT(1, 0xffffffff), .value = 0xffffffff, .bits = 40 },
	{ .name = "uint_1_max_field_wraps",
	  PER_BUF(0xc0, 0xff, 0xff, 0xff, 0xff), UINT(1, 0xffffffff),
	  .fails = true },
	{ .name = "uint_0_max_is_max", PER_BUF(0xc0, 0xff, 0xff, 0xff, 0xff),
	  UINT(0, 0xffffffff), .value = 0xffffffff, .bits = 40 },
	{ .name = "uint_1_192400_is_192400", PER_BUF(0x80, 0x02, 0xef, 0x8f),
	  UINT(1, 192400), .value = 192400, .bits = 32 },
	{ .name = "uint_1_192400_field_192400",
	  PER_BUF(0x80, 0x02, 0xef, 0x90), UINT(1, 192400), .fails = true },
	{ .name = "uint_0_2p24_4_octets", PER_BUF(0xc0, 0x00, 0x00, 0x00, 0x01),
	  UINT(0, 16777215), .fails = true },
	{ .name = "uint_0_2p24_3_octets", PER_BUF(0x80, 0xff, 0xff, 0xff),
	  UINT(0, 16777215), .value = 16777215, .bits = 32 },
	{ .name = "uint_single_value", PER_BUF(0xff), UINT(7, 7),
	  .value = 7, .bits = 0 },
	{ .name = "uint_ub_below_lb", PER_BUF(0x00), UINT(2, 1),
	  .fails = true },
	{ .name = "semi_uint_1_max", PER_BUF(0x04, 0xff, 0xff, 0xff, 0xfe),
	  .op = PER_SEMI_UINT, .lb = 1, .value = 0xffffffff, .bits = 40 },
	{ .name = "semi_uint_1_wraps", PER_BUF(0x04, 0xff, 0xff, 0xff, 0xff),
	  .op = PER_SEMI_UINT, .lb = 1, .fails = true },
	{ .name = "ext_count_64", PER_BUF(0x7e), .op = PER_EXT_COUNT,
	  .value = 64, .bits = 7 },
	{ .name = "ext_count_wraps", PER_BUF(0x80, 0x04, 0xff, 0xff, 0xff, 0xff),
	  .op = PER_EXT_COUNT, .fails = true },
};

static void per_case_desc(const struct per_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(per, per_cases, per_case_desc);

static u32 per_run(struct avaya_per *r, const struct per_case *c)
{
	switch (c->op) {
	case PER_SEMI_UINT:
		return per_semi_uint(r, c->lb);
	case PER_EXT_COUNT:
		return per_ext_count(r);
	default:
		return per_uint(r, c->lb, c->ub);
	}
}

static void per_values(struct kunit *test)
{
	const struct per_case *c = test->param_value;
	struct avaya_per r;
	u32 v;

	per_init(&r, c->buf, c->len);
	v = per_run(&r, c);
	KUNIT_ASSERT_EQ(test, per_failed(&r), c->fails);
	if (c->fails) {
		KUNIT_EXPECT_EQ(test, v, 0);
		/* Sticky: the next read fails too. */
		KUNIT_EXPECT_EQ(test, per_bits(&r, 0), 0);
		KUNIT_EXPECT_TRUE(test, per_failed(&r));
		return;
	}
	KUNIT_EXPECT_EQ(test, v, c->value);
	KUNIT_EXPECT_EQ(test, r.pos, c->bits);
}

static struct kunit_case avaya_h245_test_cases[] = {
	KUNIT_CASE_PARAM(h245_values, h245_gen_params),
	KUNIT_CASE_PARAM(h245_truncated, h245_gen_params),
	KUNIT_CASE_PARAM(h245_bit_flips, h245_gen_params),
	KUNIT_CASE_PARAM(per_values, per_gen_params),
	{}
};

static struct kunit_suite avaya_h245_suite = {
	.name = "avaya_h245",
	.test_cases = avaya_h245_test_cases,
};

kunit_test_suite(avaya_h245_suite);
