// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * KUnit suite for TPKT framing and the Q.931 / H.225.0 UUIE decoder: values
 * from real and built messages, then every truncation and every single-bit
 * flip of each of them.
 */
#include <kunit/test.h>

#include "avaya_q931.h"
#include "avaya_q931_vectors.h"

struct q931_exp_addr {
	u8 family;
	u8 ip[16];
	u16 port;
	u8 flags;	/* media only */
	u16 channel;	/* media only */
};

struct q931_case {
	const char *name;
	const u8 *buf;
	size_t len;
	u8 msg_type;
	u8 uuie;
	u16 call_ref;
	bool call_ref_flag;
	bool tunnelling;
	bool tokens;
	bool crypto_tokens;
	struct q931_exp_addr h245;
	struct q931_exp_addr src_csa;
	struct q931_exp_addr dst_csa;
	u8 n_faststart;
	u8 n_tunnelled;
	unsigned int n_media;
	struct q931_exp_addr media[6];
	unsigned int n_h245;
	struct avaya_q931_h245 h245_msgs[2];
};

#define VEC(v)			.buf = (v), .len = sizeof(v)
#define IP4(a, b, c, d)		.family = 4, .ip = { a, b, c, d }
#define IP6_DB8(last)		.family = 6, \
				.ip = { 0x20, 0x01, 0x0d, 0xb8, [15] = (last) }
#define M_FS			AVAYA_MEDIA_FASTSTART
#define M_TUN			AVAYA_MEDIA_TUNNELLED
#define M_RTCP			AVAYA_MEDIA_RTCP
#define M_REV			AVAYA_MEDIA_REVERSE
#define M_ACK			AVAYA_MEDIA_ACK

static const struct q931_case q931_cases[] = {
	{
		.name = "f6_setup", VEC(q931_f6_setup),
		.msg_type = Q931_SETUP, .uuie = AVAYA_UUIE_SETUP,
		.call_ref = 30708,
		.src_csa = { IP4(10, 1, 3, 143), .port = 32803 },
		.dst_csa = { IP4(10, 1, 6, 18), .port = 1720 },
	},
	{
		.name = "f10_call_proceeding", VEC(q931_f10_call_proceeding),
		.msg_type = Q931_CALL_PROCEEDING,
		.uuie = AVAYA_UUIE_CALL_PROCEEDING,
		.call_ref = 30708, .call_ref_flag = true,
	},
	{
		.name = "f14_alerting", VEC(q931_f14_alerting),
		.msg_type = Q931_ALERTING, .uuie = AVAYA_UUIE_ALERTING,
		.call_ref = 30708, .call_ref_flag = true,
	},
	{
		.name = "f18_connect", VEC(q931_f18_connect),
		.msg_type = Q931_CONNECT, .uuie = AVAYA_UUIE_CONNECT,
		.call_ref = 30708, .call_ref_flag = true,
		.h245 = { IP4(10, 1, 6, 18), .port = 1232 },
	},
	{
		.name = "f47_setup", VEC(q931_f47_setup),
		.msg_type = Q931_SETUP, .uuie = AVAYA_UUIE_SETUP,
		.call_ref = 1,
		.dst_csa = { IP4(192, 168, 0, 1), .port = 1720 },
	},
	{
		.name = "f48_f50_split_alerting", VEC(q931_f48_f50_alerting),
		.msg_type = Q931_ALERTING, .uuie = AVAYA_UUIE_ALERTING,
		.call_ref = 1, .call_ref_flag = true,
	},
	{
		.name = "f65_setup", VEC(q931_f65_setup),
		.msg_type = Q931_SETUP, .uuie = AVAYA_UUIE_SETUP,
		.call_ref = 1,
		.src_csa = { IP4(17, 2, 0, 124), .port = 1720 },
		.dst_csa = { IP4(17, 2, 0, 122), .port = 1720 },
	},
	{
		.name = "f66_release_complete", VEC(q931_f66_release),
		.msg_type = Q931_RELEASE_COMPLETE,
		.uuie = AVAYA_UUIE_RELEASE_COMPLETE,
		.call_ref = 1, .call_ref_flag = true,
	},
	{
		.name = "built_setup_faststart_nonstd_control",
		VEC(q931_built_setup_fs),
		.msg_type = Q931_SETUP, .uuie = AVAYA_UUIE_SETUP,
		.call_ref = 7,
		.h245 = { IP4(10, 0, 0, 1), .port = 1300 },
		.src_csa = { IP4(10, 0, 0, 1), .port = 40000 },
		.dst_csa = { IP4(10, 0, 0, 2), .port = 1720 },
		.n_faststart = 2, .n_media = 6,
		.media = {
			{ IP4(10, 0, 0, 1), .port = 5001, .channel = 1,
			  .flags = M_FS | M_RTCP },
			{ IP4(10, 0, 0, 1), .port = 5000, .channel = 1,
			  .flags = M_FS | M_REV },
			{ IP4(10, 0, 0, 1), .port = 5001, .channel = 1,
			  .flags = M_FS | M_REV | M_RTCP },
			{ IP4(10, 0, 0, 1), .port = 5003, .channel = 2,
			  .flags = M_FS | M_RTCP },
			{ IP4(10, 0, 0, 1), .port = 5002, .channel = 2,
			  .flags = M_FS | M_REV },
			{ IP4(10, 0, 0, 1), .port = 5003, .channel = 2,
			  .flags = M_FS | M_REV | M_RTCP },
		},
	},
	{
		.name = "built_connect_tunnelled_olc_and_ack",
		VEC(q931_built_connect_tunnel),
		.msg_type = Q931_CONNECT, .uuie = AVAYA_UUIE_CONNECT,
		.call_ref = 1, .call_ref_flag = true, .tunnelling = true,
		.n_tunnelled = 2, .n_media = 3,
		.media = {
			{ IP4(10, 0, 0, 2), .port = 6001, .channel = 1,
			  .flags = M_TUN | M_RTCP },
			{ IP4(10, 0, 0, 2), .port = 6002, .channel = 1,
			  .flags = M_TUN | M_ACK },
			{ IP4(10, 0, 0, 2), .port = 6003, .channel = 1,
			  .flags = M_TUN | M_ACK | M_RTCP },
		},
		.n_h245 = 2,
		.h245_msgs = {
			{ .kind = AVAYA_H245_OLC, .channel = 1 },
			{ .kind = AVAYA_H245_OLC_ACK, .channel = 1 },
		},
	},
	{
		.name = "built_facility_tunnelled_olc_nonstd_data",
		VEC(q931_built_facility_tunnel),
		.msg_type = Q931_FACILITY, .uuie = AVAYA_UUIE_FACILITY,
		.call_ref = 1, .call_ref_flag = true, .tunnelling = true,
		.n_tunnelled = 1, .n_media = 1,
		.media = {
			{ IP4(10, 0, 0, 1), .port = 5001, .channel = 1,
			  .flags = M_TUN | M_RTCP },
		},
		.n_h245 = 1,
		.h245_msgs = { { .kind = AVAYA_H245_OLC, .channel = 1 } },
	},
	{
		.name = "built_connect_ipv6", VEC(q931_built_connect_ip6),
		.msg_type = Q931_CONNECT, .uuie = AVAYA_UUIE_CONNECT,
		.call_ref = 1, .call_ref_flag = true,
		.h245 = { IP6_DB8(2), .port = 1302 },
		.n_faststart = 1, .n_media = 2,
		.media = {
			{ IP6_DB8(2), .port = 6000, .channel = 1, .flags = M_FS },
			{ IP6_DB8(2), .port = 6001, .channel = 1,
			  .flags = M_FS | M_RTCP },
		},
	},
	{
		.name = "built_release_complete_end_session",
		VEC(q931_built_release_end),
		.msg_type = Q931_RELEASE_COMPLETE,
		.uuie = AVAYA_UUIE_RELEASE_COMPLETE,
		.call_ref = 1, .call_ref_flag = true, .tunnelling = true,
		.n_tunnelled = 1, .n_h245 = 1,
		.h245_msgs = { { .kind = AVAYA_H245_END_SESSION } },
	},
	/* H.235 tokens, one per addition index the UUIEs put them at. */
	{
		.name = "built_setup_tokens_crypto_faststart",
		VEC(q931_built_setup_tokens),
		.msg_type = Q931_SETUP, .uuie = AVAYA_UUIE_SETUP,
		.call_ref = 9, .tokens = true, .crypto_tokens = true,
		.src_csa = { IP4(10, 0, 0, 1), .port = 40001 },
		.n_faststart = 1, .n_media = 3,
		.media = {
			{ IP4(10, 0, 0, 1), .port = 5001, .channel = 1,
			  .flags = M_FS | M_RTCP },
			{ IP4(10, 0, 0, 1), .port = 5000, .channel = 1,
			  .flags = M_FS | M_REV },
			{ IP4(10, 0, 0, 1), .port = 5001, .channel = 1,
			  .flags = M_FS | M_REV | M_RTCP },
		},
	},
	{
		.name = "built_connect_crypto_tokens",
		VEC(q931_built_connect_crypto),
		.msg_type = Q931_CONNECT, .uuie = AVAYA_UUIE_CONNECT,
		.call_ref = 9, .call_ref_flag = true, .crypto_tokens = true,
		.h245 = { IP4(10, 0, 0, 2), .port = 1302 },
	},
	{
		.name = "built_facility_tokens_h245",
		VEC(q931_built_facility_tokens),
		.msg_type = Q931_FACILITY, .uuie = AVAYA_UUIE_FACILITY,
		.call_ref = 1, .call_ref_flag = true, .tokens = true,
		.h245 = { IP4(10, 0, 0, 1), .port = 1300 },
	},
	{
		.name = "built_release_complete_tokens",
		VEC(q931_built_release_tokens),
		.msg_type = Q931_RELEASE_COMPLETE,
		.uuie = AVAYA_UUIE_RELEASE_COMPLETE,
		.call_ref = 1, .call_ref_flag = true, .tokens = true,
	},
	{
		.name = "built_call_proceeding_tokens",
		VEC(q931_built_proceeding_tokens),
		.msg_type = Q931_CALL_PROCEEDING,
		.uuie = AVAYA_UUIE_CALL_PROCEEDING,
		.call_ref = 1, .call_ref_flag = true, .tokens = true,
		.h245 = { IP4(10, 0, 0, 2), .port = 1301 },
	},
	{
		.name = "built_alerting_crypto_faststart",
		VEC(q931_built_alerting_crypto),
		.msg_type = Q931_ALERTING, .uuie = AVAYA_UUIE_ALERTING,
		.call_ref = 1, .call_ref_flag = true, .crypto_tokens = true,
		.n_faststart = 1, .n_media = 2,
		.media = {
			{ IP4(10, 0, 0, 2), .port = 6000, .channel = 1,
			  .flags = M_FS },
			{ IP4(10, 0, 0, 2), .port = 6001, .channel = 1,
			  .flags = M_FS | M_RTCP },
		},
	},
	{
		.name = "built_status_tokens", VEC(q931_built_status_tokens),
		.msg_type = Q931_STATUS, .uuie = AVAYA_UUIE_STATUS,
		.call_ref = 1, .call_ref_flag = true, .tokens = true,
	},
};

static void q931_case_desc(const struct q931_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(q931, q931_cases, q931_case_desc);

static unsigned int ip_len(u8 family)
{
	return family == 4 ? 4 : 16;
}

static void expect_addr_in_bounds(struct kunit *test,
				  const struct avaya_taddr *a, size_t len)
{
	if (!a->family)
		return;
	KUNIT_EXPECT_TRUE(test, a->family == 4 || a->family == 6);
	KUNIT_EXPECT_LE(test, (size_t)a->off + ip_len(a->family) + 2, len);
}

/* A success must never point NAT outside the message. */
static void expect_in_bounds(struct kunit *test, const struct avaya_q931 *m,
			     size_t len)
{
	unsigned int i;

	expect_addr_in_bounds(test, &m->h245_addr, len);
	expect_addr_in_bounds(test, &m->src_csa, len);
	expect_addr_in_bounds(test, &m->dst_csa, len);
	KUNIT_ASSERT_LE(test, m->n_media, AVAYA_Q931_MAX_MEDIA);
	KUNIT_ASSERT_LE(test, m->n_h245, AVAYA_Q931_MAX_H245);
	for (i = 0; i < m->n_media; i++) {
		KUNIT_EXPECT_NE(test, m->media[i].addr.family, 0);
		expect_addr_in_bounds(test, &m->media[i].addr, len);
	}
}

/* Value, and where NAT would write it: the address, then the port. */
static void expect_addr(struct kunit *test, const u8 *msg,
			const struct avaya_taddr *a,
			const struct q931_exp_addr *x)
{
	unsigned int n = ip_len(x->family);

	KUNIT_ASSERT_EQ(test, a->family, x->family);
	if (!x->family)
		return;
	KUNIT_EXPECT_EQ(test, a->port, x->port);
	KUNIT_EXPECT_EQ(test, memcmp(a->ip, x->ip, n), 0);
	KUNIT_EXPECT_EQ(test, memcmp(msg + a->off, x->ip, n), 0);
	KUNIT_EXPECT_EQ(test, msg[a->off + n], x->port >> 8);
	KUNIT_EXPECT_EQ(test, msg[a->off + n + 1], x->port & 0xff);
}

static const u8 *q931_msg(struct kunit *test, const struct q931_case *c,
			  size_t *len)
{
	size_t off;

	KUNIT_ASSERT_EQ(test, avaya_tpkt_frame(c->buf, c->len, &off, len),
			(int)c->len);
	KUNIT_ASSERT_EQ(test, off, (size_t)AVAYA_TPKT_HDR_LEN);
	return c->buf + off;
}

static void q931_values(struct kunit *test)
{
	const struct q931_case *c = test->param_value;
	struct avaya_q931 *m;
	const u8 *msg;
	unsigned int i;
	size_t len;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	msg = q931_msg(test, c, &len);
	KUNIT_ASSERT_EQ(test, avaya_q931_decode(msg, len, m), 0);
	KUNIT_EXPECT_EQ(test, m->msg_type, c->msg_type);
	KUNIT_EXPECT_EQ(test, m->uuie, c->uuie);
	KUNIT_EXPECT_EQ(test, m->call_ref, c->call_ref);
	KUNIT_EXPECT_EQ(test, m->call_ref_flag, c->call_ref_flag);
	KUNIT_EXPECT_EQ(test, m->h245_tunnelling, c->tunnelling);
	KUNIT_EXPECT_EQ(test, m->has_tokens, c->tokens);
	KUNIT_EXPECT_EQ(test, m->has_crypto_tokens, c->crypto_tokens);
	KUNIT_EXPECT_EQ(test, m->n_faststart, c->n_faststart);
	KUNIT_EXPECT_EQ(test, m->n_tunnelled, c->n_tunnelled);
	KUNIT_EXPECT_EQ(test, m->n_bad, 0);
	KUNIT_EXPECT_EQ(test, m->media_dropped, 0);
	expect_in_bounds(test, m, len);
	expect_addr(test, msg, &m->h245_addr, &c->h245);
	expect_addr(test, msg, &m->src_csa, &c->src_csa);
	expect_addr(test, msg, &m->dst_csa, &c->dst_csa);
	KUNIT_ASSERT_EQ(test, m->n_media, c->n_media);
	for (i = 0; i < c->n_media; i++) {
		expect_addr(test, msg, &m->media[i].addr, &c->media[i]);
		KUNIT_EXPECT_EQ(test, m->media[i].flags, c->media[i].flags);
		KUNIT_EXPECT_EQ(test, m->media[i].channel,
				c->media[i].channel);
	}
	KUNIT_ASSERT_EQ(test, m->n_h245, c->n_h245);
	for (i = 0; i < c->n_h245; i++) {
		KUNIT_EXPECT_EQ(test, m->h245[i].kind, c->h245_msgs[i].kind);
		KUNIT_EXPECT_EQ(test, m->h245[i].channel,
				c->h245_msgs[i].channel);
	}
}

static void q931_truncated(struct kunit *test)
{
	const struct q931_case *c = test->param_value;
	struct avaya_q931 *m;
	size_t len, n;
	const u8 *msg;
	u8 *buf;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	msg = q931_msg(test, c, &len);
	for (n = 0; n < len; n++) {
		/* An exact-size copy, so reading past it is a real overrun. */
		buf = kunit_kmalloc(test, n ? n : 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, buf);
		memcpy(buf, msg, n);
		if (avaya_q931_decode(buf, n, m) == 0)
			expect_in_bounds(test, m, n);
		kunit_kfree(test, buf);
	}
}

static void q931_bit_flips(struct kunit *test)
{
	const struct q931_case *c = test->param_value;
	struct avaya_q931 *m;
	size_t len, bit;
	const u8 *msg;
	u8 *buf;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	msg = q931_msg(test, c, &len);
	buf = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (bit = 0; bit < len * 8; bit++) {
		memcpy(buf, msg, len);
		buf[bit / 8] ^= 0x80 >> (bit % 8);
		if (avaya_q931_decode(buf, len, m) == 0)
			expect_in_bounds(test, m, len);
	}
}

static const u8 tpkt_keepalive[] = { 0x03, 0x00, 0x00, 0x04 };
static const u8 tpkt_short_length[] = { 0x03, 0x00, 0x00, 0x03, 0x08 };
static const u8 tpkt_bad_version[] = { 0x08, 0x02, 0x00, 0x01, 0x05 };
static const u8 tpkt_bad_reserved[] = { 0x03, 0x01, 0x00, 0x05, 0x08 };

struct tpkt_case {
	const char *name;
	const u8 *buf;
	size_t len;
	int ret;
	size_t msg_len;
};

static const struct tpkt_case tpkt_cases[] = {
	{
		/* Frame 48 carries only the TPKT header of the Alerting. */
		.name = "f48_header_only", VEC(q931_f48_tpkt_head),
		.ret = AVAYA_TPKT_INCOMPLETE,
	},
	{
		.name = "f48_f50_reassembled", VEC(q931_f48_f50_alerting),
		.ret = 0x2b, .msg_len = 0x2b - 4,
	},
	{
		/* The first 100 octets of a 160-octet TPKT. */
		.name = "f6_setup_truncated", .buf = q931_f6_setup, .len = 100,
		.ret = AVAYA_TPKT_INCOMPLETE,
	},
	{
		.name = "f18_connect", VEC(q931_f18_connect),
		.ret = 0x61, .msg_len = 0x61 - 4,
	},
	{ .name = "empty", .buf = tpkt_keepalive, .len = 0,
	  .ret = AVAYA_TPKT_INCOMPLETE },
	{ .name = "keepalive", VEC(tpkt_keepalive), .ret = 4 },
	{ .name = "length_below_header", VEC(tpkt_short_length),
	  .ret = -AVAYA_EBADMSG },
	{ .name = "bare_q931", VEC(tpkt_bad_version),
	  .ret = -AVAYA_EBADMSG },
	{ .name = "bad_reserved", VEC(tpkt_bad_reserved),
	  .ret = -AVAYA_EBADMSG },
};

static void tpkt_case_desc(const struct tpkt_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tpkt, tpkt_cases, tpkt_case_desc);

static void tpkt_framing(struct kunit *test)
{
	const struct tpkt_case *c = test->param_value;
	size_t off = 0, len = 0;

	KUNIT_ASSERT_EQ(test, avaya_tpkt_frame(c->buf, c->len, &off, &len), c->ret);
	if (c->ret <= 0)
		return;
	KUNIT_EXPECT_EQ(test, off, (size_t)AVAYA_TPKT_HDR_LEN);
	KUNIT_EXPECT_EQ(test, len, c->msg_len);
}

static struct kunit_case avaya_q931_test_cases[] = {
	KUNIT_CASE_PARAM(tpkt_framing, tpkt_gen_params),
	KUNIT_CASE_PARAM(q931_values, q931_gen_params),
	KUNIT_CASE_PARAM(q931_truncated, q931_gen_params),
	KUNIT_CASE_PARAM(q931_bit_flips, q931_gen_params),
	{}
};

static struct kunit_suite avaya_q931_suite = {
	.name = "avaya_q931",
	.test_cases = avaya_q931_test_cases,
};

kunit_test_suite(avaya_q931_suite);
