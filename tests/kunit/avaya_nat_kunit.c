// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * KUnit suite avaya_nat: the pure rewrite step of nf_nat_avaya. Every
 * address the decoder located in a private message is patched at its byte
 * offset; the result must equal, byte for byte, the message h225ras.py
 * encodes with the public addresses (so the patch is length-preserving and
 * touches nothing else), and must decode to the new values. Also the
 * bounds checks of the patch and the documented port plan.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "avaya_ras.h"
#include "avaya_rewrite.h"
#include "avaya_nat_vectors.h"

struct nat_case {
	const char *name;
	const u8 *priv;
	size_t priv_len;
	const u8 *pub;
	size_t pub_len;
	u8 family;
	u8 ip[16];		/* the public address */
	u16 csa_port, ras_port;	/* the public ports */
};

#define PRIV(v) .priv = v, .priv_len = sizeof(v)
#define PUB(v) .pub = v, .pub_len = sizeof(v)

static const struct nat_case nat_cases[] = {
	{
		.name = "rrq", PRIV(nat_rrq_priv), PUB(nat_rrq_pub),
		.family = 4, .ip = { 203, 0, 113, 1 },
		.csa_port = 11988, .ras_port = 6263,
	}, {
		.name = "rrq_exotic", PRIV(nat_rrq_exotic_priv),
		PUB(nat_rrq_exotic_pub), .family = 4,
		.ip = { 203, 0, 113, 1 }, .csa_port = 1720, .ras_port = 49301,
	}, {
		.name = "urq", PRIV(nat_urq_priv), PUB(nat_urq_pub),
		.family = 4, .ip = { 203, 0, 113, 1 }, .csa_port = 11776,
	}, {
		.name = "rrq_v6", PRIV(nat_rrq6_priv), PUB(nat_rrq6_pub),
		.family = 6, .ip = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
		.csa_port = 1720, .ras_port = 49300,
	},
};

static void nat_case_desc(const struct nat_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nat, nat_cases, nat_case_desc);

/* Patch every address of @a[0..n) of the wanted family; returns how many. */
static int patch_all(struct kunit *test, u8 *buf, size_t len,
		     const struct avaya_taddr *a, unsigned int n,
		     const struct nat_case *c, u16 port)
{
	unsigned int i;
	int done = 0;

	for (i = 0; i < n; i++) {
		if (a[i].family != c->family)
			continue;
		KUNIT_EXPECT_EQ(test, avaya_taddr_patch(buf, len, &a[i], c->ip, port),
				c->family == 4 ? 6 : 18);
		done++;
	}
	return done;
}

static void nat_patch_matches_encoding(struct kunit *test)
{
	const struct nat_case *c = test->param_value;
	struct avaya_ras before, after;
	u8 *buf;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, c->priv_len, c->pub_len);
	buf = kunit_kmalloc(test, c->priv_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, c->priv, c->priv_len);
	KUNIT_ASSERT_EQ(test, avaya_ras_decode(buf, c->priv_len, &before), 0);

	KUNIT_EXPECT_EQ(test, patch_all(test, buf, c->priv_len, before.csa,
					before.n_csa, c, c->csa_port), 1);
	if (c->ras_port)
		KUNIT_EXPECT_EQ(test, patch_all(test, buf, c->priv_len,
						before.ras, before.n_ras, c,
						c->ras_port), 1);
	KUNIT_EXPECT_EQ(test, memcmp(buf, c->pub, c->pub_len), 0);

	/* The patched message decodes to the public values, same offsets. */
	KUNIT_ASSERT_EQ(test, avaya_ras_decode(buf, c->priv_len, &after), 0);
	KUNIT_EXPECT_EQ(test, after.type, before.type);
	KUNIT_EXPECT_EQ(test, after.seq, before.seq);
	KUNIT_ASSERT_EQ(test, after.n_csa, before.n_csa);
	for (i = 0; i < after.n_csa; i++) {
		if (after.csa[i].family != c->family)
			continue;
		KUNIT_EXPECT_EQ(test, after.csa[i].off, before.csa[i].off);
		KUNIT_EXPECT_EQ(test, after.csa[i].port, c->csa_port);
		KUNIT_EXPECT_EQ(test, memcmp(after.csa[i].ip, c->ip,
					     c->family == 4 ? 4 : 16), 0);
	}
	for (i = 0; c->ras_port && i < after.n_ras; i++) {
		if (after.ras[i].family != c->family)
			continue;
		KUNIT_EXPECT_EQ(test, after.ras[i].off, before.ras[i].off);
		KUNIT_EXPECT_EQ(test, after.ras[i].port, c->ras_port);
	}
}

/* An address that would not lie wholly inside the buffer is never patched. */
static void nat_patch_bounds(struct kunit *test)
{
	static const u8 ip[16] = { 203, 0, 113, 1 };
	struct avaya_ras m;
	struct avaya_taddr a;
	u8 buf[sizeof(nat_rrq_priv)];
	u8 rep[AVAYA_TADDR_MAX_REP];

	memcpy(buf, nat_rrq_priv, sizeof(buf));
	KUNIT_ASSERT_EQ(test, avaya_ras_decode(buf, sizeof(buf), &m), 0);
	a = m.csa[0];
	KUNIT_EXPECT_EQ(test, a.off, 14);
	/* Exactly long enough, then one octet short. */
	KUNIT_EXPECT_EQ(test, avaya_taddr_rep(&a, a.off + 6, ip, 1720, rep), 6);
	KUNIT_EXPECT_EQ(test, rep[4], 0x06);
	KUNIT_EXPECT_EQ(test, rep[5], 0xb8);
	KUNIT_EXPECT_EQ(test, avaya_taddr_rep(&a, a.off + 5, ip, 1720, rep),
			-AVAYA_ERANGE);
	KUNIT_EXPECT_EQ(test, avaya_taddr_patch(buf, a.off + 5, &a, ip, 1),
			-AVAYA_ERANGE);
	KUNIT_EXPECT_EQ(test, memcmp(buf, nat_rrq_priv, sizeof(buf)), 0);
	/* Another TransportAddress choice (family 0) is left alone. */
	a.family = 0;
	KUNIT_EXPECT_EQ(test, avaya_taddr_patch(buf, sizeof(buf), &a, ip, 1),
			-AVAYA_EBADMSG);
	KUNIT_EXPECT_EQ(test, memcmp(buf, nat_rrq_priv, sizeof(buf)), 0);
	/* An IPv6 address near the end. */
	a.family = 6;
	a.off = sizeof(buf) - 18;
	KUNIT_EXPECT_EQ(test, avaya_taddr_rep(&a, sizeof(buf), ip, 2, rep), 18);
	a.off++;
	KUNIT_EXPECT_EQ(test, avaya_taddr_rep(&a, sizeof(buf), ip, 2, rep),
			-AVAYA_ERANGE);
}

/* The documented plan: own port, then lo + hash mod size, then linear. */
static void nat_port_plan(struct kunit *test)
{
	unsigned int k;
	u32 seen = 0;

	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 7, 11720, 12743, 0), 1720);
	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 7, 11720, 12743, 1), 11727);
	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 7, 11720, 12743, 2), 11728);
	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 1030, 11720, 12743, 1), 11726);
	/* Wraps at hi, then stops after every port was offered once. */
	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 1023, 11720, 12743, 1), 12743);
	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 1023, 11720, 12743, 2), 11720);
	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 1023, 11720, 12743, 1024), 12742);
	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 1023, 11720, 12743, 1025), 0);
	/* A one-port plan has exactly one fallback. */
	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 0xdeadbeef, 11720, 11720, 1), 11720);
	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 0xdeadbeef, 11720, 11720, 2), 0);
	/* An empty plan: only the own port. */
	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 3, 0, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, avaya_nat_port_candidate(1720, 3, 20, 10, 1), 0);
	/* Each port of a small range is offered exactly once. */
	for (k = 1; k <= 32; k++)
		seen |= 1U << (avaya_nat_port_candidate(5, 0x1234567, 100, 131, k) - 100);
	KUNIT_EXPECT_EQ(test, seen, 0xffffffffU);
}

/* The SIP edit plan: order, overlaps, length deltas, buffer limits. */
static void nat_edits_order(struct kunit *test)
{
	struct avaya_edit ed[] = {
		{ .off = 5, .old_len = 2 }, { .off = 20, .old_len = 4 },
		{ .off = 0, .old_len = 5 }, { .off = 12, .old_len = 1 },
	};

	KUNIT_ASSERT_EQ(test, avaya_edits_order(ed, ARRAY_SIZE(ed), 24), 0);
	/* From the end backwards; touching spans (0-5, 5-7) are fine. */
	KUNIT_EXPECT_EQ(test, ed[0].off, 20);
	KUNIT_EXPECT_EQ(test, ed[1].off, 12);
	KUNIT_EXPECT_EQ(test, ed[2].off, 5);
	KUNIT_EXPECT_EQ(test, ed[3].off, 0);
	KUNIT_EXPECT_EQ(test, avaya_edits_order(ed, 0, 0), 0);
}

static void nat_edits_refused(struct kunit *test)
{
	struct avaya_edit overlap[] = {
		{ .off = 10, .old_len = 5 }, { .off = 14, .old_len = 2 },
	};
	struct avaya_edit same[] = {
		{ .off = 10, .old_len = 1 }, { .off = 10, .old_len = 1 },
	};
	struct avaya_edit inside[] = {
		{ .off = 12, .old_len = 1 }, { .off = 10, .old_len = 8 },
	};
	struct avaya_edit empty[] = { { .off = 3, .old_len = 0 } };
	struct avaya_edit at_end[] = { { .off = 20, .old_len = 4 } };

	KUNIT_EXPECT_EQ(test, avaya_edits_order(overlap, 2, 64), -AVAYA_EBADMSG);
	KUNIT_EXPECT_EQ(test, avaya_edits_order(same, 2, 64), -AVAYA_EBADMSG);
	KUNIT_EXPECT_EQ(test, avaya_edits_order(inside, 2, 64), -AVAYA_EBADMSG);
	KUNIT_EXPECT_EQ(test, avaya_edits_order(empty, 1, 64), -AVAYA_EBADMSG);
	/* A span must lie inside the message: its last byte is 23. */
	KUNIT_EXPECT_EQ(test, avaya_edits_order(at_end, 1, 24), 0);
	KUNIT_EXPECT_EQ(test, avaya_edits_order(at_end, 1, 23), -AVAYA_EBADMSG);
}

static void nat_edits_delta(struct kunit *test)
{
	const struct avaya_edit ed[] = {
		{ .off = 40, .old_len = 2, .new_len = 12 },
		{ .off = 30, .old_len = 4, .new_len = 2 },
		{ .off = 5, .old_len = 8, .new_len = 11 },
	};

	/* The body starts at 30: only its edits change Content-Length. */
	KUNIT_EXPECT_EQ(test, avaya_edits_delta(ed, 3, 30), 8);
	KUNIT_EXPECT_EQ(test, avaya_edits_delta(ed, 3, 31), 10);
	KUNIT_EXPECT_EQ(test, avaya_edits_delta(ed, 3, 0), 11);
	KUNIT_EXPECT_EQ(test, avaya_edits_delta(ed, 3, 41), 0);
}

#define NAT_SIP_MSG	"Via: SIP/2.0/UDP 10.0.1.2:5060\r\n" \
			"Content-Length: 9\r\n\r\n" \
			"c=10.0.1.2"
#define NAT_SIP_NATED	"Via: SIP/2.0/UDP 203.0.113.1:5060\r\n" \
			"Content-Length: 12\r\n\r\n" \
			"c=203.0.113.1"

enum { ED_VIA, ED_CLEN, ED_CONN };

static void nat_edits_apply(struct kunit *test)
{
	static const char *const text[] = {
		[ED_VIA] = "203.0.113.1", [ED_CLEN] = "12", [ED_CONN] = "203.0.113.1",
	};
	/* Collected in message order, as sip_nat_collect() does. */
	struct avaya_edit ed[] = {
		{ .off = 17, .old_len = 8, .new_len = 11, .kind = ED_VIA },
		{ .off = 48, .old_len = 1, .new_len = 2, .kind = ED_CLEN },
		{ .off = 55, .old_len = 8, .new_len = 11, .kind = ED_CONN },
	};
	const char *txt[ARRAY_SIZE(ed)];
	size_t len = sizeof(NAT_SIP_MSG) - 1, want = sizeof(NAT_SIP_NATED) - 1;
	unsigned int i;
	u8 buf[96];

	KUNIT_ASSERT_EQ(test, memcmp(NAT_SIP_MSG + 17, "10.0.1.2", 8), 0);
	KUNIT_ASSERT_EQ(test, memcmp(NAT_SIP_MSG + 48, "9", 1), 0);
	KUNIT_ASSERT_EQ(test, memcmp(NAT_SIP_MSG + 55, "10.0.1.2", 8), 0);
	KUNIT_EXPECT_EQ(test, avaya_edits_delta(ed, 3, 53), 3);
	KUNIT_ASSERT_EQ(test, avaya_edits_order(ed, ARRAY_SIZE(ed), len), 0);
	for (i = 0; i < ARRAY_SIZE(ed); i++)
		txt[i] = text[ed[i].kind];

	/* One byte short of the result: refused, the buffer untouched. */
	memcpy(buf, NAT_SIP_MSG, len);
	KUNIT_EXPECT_EQ(test, avaya_edits_apply(buf, len, want - 1, ed, 3, txt),
			-AVAYA_ERANGE);
	KUNIT_EXPECT_EQ(test, memcmp(buf, NAT_SIP_MSG, len), 0);

	KUNIT_ASSERT_EQ(test, avaya_edits_apply(buf, len, want, ed, 3, txt),
			(int)want);
	KUNIT_EXPECT_EQ(test, memcmp(buf, NAT_SIP_NATED, want), 0);
}

/* Shrinking edits (the way back in): the message gets shorter. */
static void nat_edits_shrink(struct kunit *test)
{
	static const char *const back[] = { "10.0.1.2", "9", "10.0.1.2" };
	struct avaya_edit ed[] = {
		{ .off = 17, .old_len = 11, .new_len = 8 },
		{ .off = 51, .old_len = 2, .new_len = 1, .kind = 1 },
		{ .off = 59, .old_len = 11, .new_len = 8, .kind = 2 },
	};
	size_t len = sizeof(NAT_SIP_NATED) - 1, want = sizeof(NAT_SIP_MSG) - 1;
	const char *txt[ARRAY_SIZE(ed)];
	unsigned int i;
	u8 buf[96];

	memcpy(buf, NAT_SIP_NATED, len);
	KUNIT_ASSERT_EQ(test, avaya_edits_order(ed, ARRAY_SIZE(ed), len), 0);
	for (i = 0; i < ARRAY_SIZE(ed); i++)
		txt[i] = back[ed[i].kind];
	KUNIT_ASSERT_EQ(test, avaya_edits_apply(buf, len, len, ed, 3, txt),
			(int)want);
	KUNIT_EXPECT_EQ(test, memcmp(buf, NAT_SIP_MSG, want), 0);
}

static struct kunit_case avaya_nat_cases[] = {
	KUNIT_CASE_PARAM(nat_patch_matches_encoding, nat_gen_params),
	KUNIT_CASE(nat_patch_bounds),
	KUNIT_CASE(nat_port_plan),
	KUNIT_CASE(nat_edits_order),
	KUNIT_CASE(nat_edits_refused),
	KUNIT_CASE(nat_edits_delta),
	KUNIT_CASE(nat_edits_apply),
	KUNIT_CASE(nat_edits_shrink),
	{}
};

static struct kunit_suite avaya_nat_suite = {
	.name = "avaya_nat",
	.test_cases = avaya_nat_cases,
};

kunit_test_suite(avaya_nat_suite);
