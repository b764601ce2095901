// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * KUnit suite avaya_ras: avaya_ras_decode() over real RAS captures and over
 * Avaya-shaped messages built by tests/lib/h225ras.py (and checked with
 * tshark by tests/h323/check_ras_tshark.sh).
 *
 * Frame 59 (GRQ) is "malformed" for Wireshark, which fails inside the
 * integrity extension addition (an iso9797 IntegrityMechanism with a bad
 * length). We do not use that addition and skip it by its open-type length,
 * so the GRQ decodes: its root, with the rasAddress a NAT helper rewrites,
 * is intact. Rejecting it would break a real endpoint's discovery.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "avaya_ras.h"
#include "avaya_ras_vectors.h"

#define V4(a, b, c, d, p, o) \
	{ .family = 4, .ip = { a, b, c, d }, .port = p, .off = o }
/* 2001:db8::@last, the documentation prefix the vectors use */
#define V6(last, p, o) \
	{ .family = 6, .ip = { 0x20, 0x01, 0x0d, 0xb8, [15] = last }, \
	  .port = p, .off = o }
#define VEC(v) .buf = v, .len = sizeof(v)

struct ras_case {
	const char *name;
	const u8 *buf;
	size_t len;
	int ret;
	struct avaya_ras want;
	const char *epid;	/* expected EndpointIdentifier, ASCII */
	const char *gkid;	/* expected GatekeeperIdentifier, ASCII */
};

#define OPENH323_GK "OpenH323 Gatekeeper on mfottekin"
#define TANDBERG_EPID "bd020b80-6d41-11e1-a7fb-0010f30f65a0_17"

static const struct ras_case ras_cases[] = {
	{
		.name = "cap59_grq_malformed_integrity", VEC(ras_cap_f59),
		.want = { .type = RAS_GRQ, .decoded = true, .has_seq = true,
			  .seq = 1, .n_ras = 1,
			  .ras = { V4(17, 2, 0, 124, 2034, 12) } },
	}, {
		.name = "cap60_gcf", VEC(ras_cap_f60),
		.want = { .type = RAS_GCF, .decoded = true, .has_seq = true,
			  .seq = 1, .n_ras = 1,
			  .ras = { V4(17, 2, 0, 161, 1719, 77) },
			  .has_gkid = true, .gkid_off = 12, .gkid_chars = 32 },
		.gkid = OPENH323_GK,
	}, {
		.name = "cap61_rrq", VEC(ras_cap_f61),
		.want = { .type = RAS_RRQ, .decoded = true, .has_seq = true,
			  .seq = 2, .n_ras = 1,
			  .ras = { V4(17, 2, 0, 124, 2034, 22) }, .n_csa = 1,
			  .csa = { V4(17, 2, 0, 124, 1720, 14) },
			  .has_gkid = true, .gkid_off = 53, .gkid_chars = 32 },
		.gkid = OPENH323_GK,
	}, {
		.name = "cap62_rcf_ttl3600", VEC(ras_cap_f62),
		.want = { .type = RAS_RCF, .decoded = true, .has_seq = true,
			  .seq = 2, .n_csa = 1,
			  .csa = { V4(17, 2, 0, 124, 1720, 13) },
			  .has_ttl = true, .ttl = 3600,
			  .has_epid = true, .epid_off = 85, .epid_chars = 12,
			  .has_gkid = true, .gkid_off = 20, .gkid_chars = 32 },
		.epid = "474a74c8:274", .gkid = OPENH323_GK,
	}, {
		.name = "cap63_arq", VEC(ras_cap_f63),
		.want = { .type = RAS_ARQ, .has_seq = true, .seq = 3 },
	}, {
		.name = "cap64_acf", VEC(ras_cap_f64),
		.want = { .type = RAS_ACF, .has_seq = true, .seq = 3 },
	}, {
		.name = "cap67_irq", VEC(ras_cap_f67),
		.want = { .type = RAS_IRQ, .has_seq = true, .seq = 4180 },
	}, {
		.name = "cap69_drq", VEC(ras_cap_f69),
		.want = { .type = RAS_DRQ, .has_seq = true, .seq = 4181 },
	}, {
		.name = "cap71_rrq_keepalive", VEC(ras_cap_f71),
		.want = { .type = RAS_RRQ, .decoded = true, .has_seq = true,
			  .seq = 18067, .n_ras = 1,
			  .ras = { V4(10, 47, 208, 204, 1719, 22) }, .n_csa = 1,
			  .csa = { V4(10, 47, 208, 204, 1720, 14) },
			  .keep_alive = true,
			  .has_epid = true, .epid_off = 120, .epid_chars = 39 },
		.epid = TANDBERG_EPID,
	}, {
		.name = "cap72_rcf_3_alt_gk", VEC(ras_cap_f72),
		.want = { .type = RAS_RCF, .decoded = true, .has_seq = true,
			  .seq = 18067, .n_csa = 1,
			  .csa = { V4(10, 47, 208, 50, 1720, 13) },
			  .n_alt_gk = 3,
			  .alt_gk = { V4(10, 47, 208, 54, 1719, 153),
				      V4(10, 47, 208, 51, 1719, 184),
				      V4(10, 47, 208, 53, 1719, 215) },
			  .has_ttl = true, .ttl = 60,
			  .has_epid = true, .epid_off = 68, .epid_chars = 39,
			  .has_gkid = true, .gkid_off = 51, .gkid_chars = 8 },
		.epid = TANDBERG_EPID, .gkid = "am-vcs-0",
	}, {
		.name = "cap73_rrq_keepalive", VEC(ras_cap_f73),
		.want = { .type = RAS_RRQ, .decoded = true, .has_seq = true,
			  .seq = 18068, .n_ras = 1,
			  .ras = { V4(10, 47, 208, 204, 1719, 22) }, .n_csa = 1,
			  .csa = { V4(10, 47, 208, 204, 1720, 14) },
			  .keep_alive = true,
			  .has_epid = true, .epid_off = 120, .epid_chars = 39 },
		.epid = TANDBERG_EPID,
	}, {
		.name = "cap74_rcf", VEC(ras_cap_f74),
		.want = { .type = RAS_RCF, .decoded = true, .has_seq = true,
			  .seq = 18068, .n_csa = 1,
			  .csa = { V4(10, 47, 208, 50, 1720, 13) },
			  .n_alt_gk = 3,
			  .alt_gk = { V4(10, 47, 208, 54, 1719, 153),
				      V4(10, 47, 208, 51, 1719, 184),
				      V4(10, 47, 208, 53, 1719, 215) },
			  .has_ttl = true, .ttl = 60,
			  .has_epid = true, .epid_off = 68, .epid_chars = 39,
			  .has_gkid = true, .gkid_off = 51, .gkid_chars = 8 },
		.epid = TANDBERG_EPID, .gkid = "am-vcs-0",
	}, {
		.name = "cap75_rrq_keepalive", VEC(ras_cap_f75),
		.want = { .type = RAS_RRQ, .decoded = true, .has_seq = true,
			  .seq = 18069, .n_ras = 1,
			  .ras = { V4(10, 47, 208, 204, 1719, 22) }, .n_csa = 1,
			  .csa = { V4(10, 47, 208, 204, 1720, 14) },
			  .keep_alive = true,
			  .has_epid = true, .epid_off = 120, .epid_chars = 39 },
		.epid = TANDBERG_EPID,
	}, {
		.name = "junk_bittorrent_dht", VEC(ras_junk_dht),
		.ret = -AVAYA_EBADMSG,
	}, {
		.name = "avaya_grq_nonstd", VEC(ras_avaya_grq),
		.want = { .type = RAS_GRQ, .decoded = true, .has_seq = true,
			  .seq = 1, .n_ras = 1,
			  .ras = { V4(10, 0, 1, 2, 49300, 39) },
			  .has_nonstd = true },
	}, {
		.name = "avaya_gcf_alt_gk", VEC(ras_avaya_gcf),
		.want = { .type = RAS_GCF, .decoded = true, .has_seq = true,
			  .seq = 1, .n_ras = 1,
			  .ras = { V4(10, 0, 0, 1, 1719, 27) }, .n_alt_gk = 2,
			  .alt_gk = { V4(10, 0, 0, 2, 1719, 37),
				      V4(10, 0, 0, 3, 1719, 45) },
			  .has_gkid = true, .gkid_off = 12, .gkid_chars = 7 },
		.gkid = "AvayaGK",
	}, {
		.name = "avaya_grj_crypto", VEC(ras_avaya_grj),
		.want = { .type = RAS_GRJ, .decoded = true, .has_seq = true,
			  .seq = 2, .n_alt_gk = 1,
			  .alt_gk = { V4(10, 0, 0, 9, 1719, 17) },
			  .has_crypto_tokens = true,
			  .has_reject_reason = true, .reject_reason = 1 },
	}, {
		.name = "avaya_rrq_tokens_nonstd", VEC(ras_avaya_rrq),
		.want = { .type = RAS_RRQ, .decoded = true, .has_seq = true,
			  .seq = 5, .n_ras = 1,
			  .ras = { V4(10, 0, 1, 2, 49300, 49) }, .n_csa = 1,
			  .csa = { V4(10, 0, 1, 2, 1720, 41) },
			  .has_ttl = true, .ttl = 3600, .has_tokens = true,
			  .has_crypto_tokens = true, .has_nonstd = true,
			  .has_gkid = true, .gkid_off = 86, .gkid_chars = 3 },
		.gkid = "GK1",
	}, {
		.name = "avaya_rrq_keepalive", VEC(ras_avaya_rrq_keepalive),
		.want = { .type = RAS_RRQ, .decoded = true, .has_seq = true,
			  .seq = 6, .n_ras = 1,
			  .ras = { V4(10, 0, 1, 2, 49300, 22) }, .n_csa = 1,
			  .csa = { V4(10, 0, 1, 2, 1720, 14) },
			  .has_ttl = true, .ttl = 600, .keep_alive = true,
			  .has_crypto_tokens = true,
			  .has_epid = true, .epid_off = 132, .epid_chars = 8,
			  .has_gkid = true, .gkid_off = 54, .gkid_chars = 3 },
		.epid = "00000001", .gkid = "GK1",
	}, {
		.name = "avaya_rrq_5_csa_overflow", VEC(ras_avaya_rrq_multi),
		.want = { .type = RAS_RRQ, .decoded = true, .has_seq = true,
			  .seq = 7, .n_ras = 2,
			  .ras = { V4(10, 0, 1, 2, 49300, 50),
				   V4(10, 0, 1, 3, 49301, 57) },
			  .n_csa = 4, .csa_overflow = 1,
			  .csa = { V4(10, 0, 1, 2, 1720, 14),
				   V4(10, 0, 1, 3, 1720, 21),
				   V4(192, 168, 1, 2, 1721, 28),
				   V4(172, 16, 0, 2, 1722, 35) } },
	}, {
		.name = "avaya_rrq_ipv6", VEC(ras_avaya_rrq_v6),
		.want = { .type = RAS_RRQ, .decoded = true, .has_seq = true,
			  .seq = 8, .n_ras = 1, .ras = { V6(2, 49300, 34) },
			  .n_csa = 1, .csa = { V6(2, 1720, 14) },
			  .has_ttl = true, .ttl = 120 },
	}, {
		/* non-IP alternatives hold their list places as family 0 */
		.name = "avaya_rrq_non_ip_addresses", VEC(ras_avaya_rrq_exotic),
		.want = { .type = RAS_RRQ, .decoded = true, .has_seq = true,
			  .seq = 11, .n_ras = 3,
			  .ras = { {}, {}, V4(10, 0, 1, 2, 49300, 109) },
			  .n_csa = 4,
			  .csa = { {}, {}, {}, V4(10, 0, 1, 2, 1720, 60) } },
	}, {
		.name = "avaya_rcf_ttl20_alt_gk", VEC(ras_avaya_rcf),
		.want = { .type = RAS_RCF, .decoded = true, .has_seq = true,
			  .seq = 5, .n_csa = 1,
			  .csa = { V4(10, 0, 0, 1, 1720, 40) }, .n_alt_gk = 1,
			  .alt_gk = { V4(10, 0, 0, 2, 1719, 61) },
			  .has_ttl = true, .ttl = 20, .has_nonstd = true,
			  .has_epid = true, .epid_off = 54, .epid_chars = 1,
			  .has_gkid = true, .gkid_off = 47, .gkid_chars = 3 },
		.epid = "X", .gkid = "GK1",
	}, {
		.name = "avaya_rcf_ipv6", VEC(ras_avaya_rcf_v6),
		.want = { .type = RAS_RCF, .decoded = true, .has_seq = true,
			  .seq = 9, .n_csa = 1, .csa = { V6(1, 1720, 13) },
			  .n_alt_gk = 1, .alt_gk = { V6(3, 1719, 43) },
			  .has_ttl = true, .ttl = 300,
			  .has_epid = true, .epid_off = 32, .epid_chars = 3 },
		.epid = "EP6",
	}, {
		.name = "avaya_rrj_duplicate_alias", VEC(ras_avaya_rrj),
		.want = { .type = RAS_RRJ, .decoded = true, .has_seq = true,
			  .seq = 7, .n_alt_gk = 1,
			  .alt_gk = { V4(10, 0, 0, 2, 1719, 23) },
			  .has_tokens = true,
			  .has_reject_reason = true, .reject_reason = 4 },
	}, {
		.name = "avaya_urq", VEC(ras_avaya_urq),
		.want = { .type = RAS_URQ, .decoded = true, .has_seq = true,
			  .seq = 8, .n_csa = 1,
			  .csa = { V4(10, 0, 1, 2, 1720, 6) }, .n_alt_gk = 1,
			  .alt_gk = { V4(10, 0, 0, 2, 1719, 108) },
			  .has_crypto_tokens = true, .has_nonstd = true,
			  .has_epid = true, .epid_off = 40, .epid_chars = 8,
			  .has_gkid = true, .gkid_off = 60, .gkid_chars = 3 },
		.epid = "00000001", .gkid = "GK1",
	}, {
		.name = "avaya_urq_v6_and_v4", VEC(ras_avaya_urq_v6),
		.want = { .type = RAS_URQ, .decoded = true, .has_seq = true,
			  .seq = 10, .n_csa = 2,
			  .csa = { V6(2, 1720, 6),
				   V4(10, 0, 1, 2, 1720, 25) } },
	}, {
		.name = "avaya_ucf_tokens", VEC(ras_avaya_ucf),
		.want = { .type = RAS_UCF, .decoded = true, .has_seq = true,
			  .seq = 8, .has_tokens = true },
	}, {
		.name = "avaya_urj_alt_gk", VEC(ras_avaya_urj),
		.want = { .type = RAS_URJ, .decoded = true, .has_seq = true,
			  .seq = 9, .n_alt_gk = 1,
			  .alt_gk = { V4(10, 0, 0, 2, 1719, 35) },
			  .has_nonstd = true,
			  .has_reject_reason = true, .reject_reason = 0 },
	}, {
		.name = "rcf_ttl_wraps", VEC(ras_rcf_ttl_wraps),
		.ret = -AVAYA_EBADMSG,
	}, {
		.name = "rcf_ttl_max", VEC(ras_rcf_ttl_max),
		.want = { .type = RAS_RCF, .decoded = true, .has_seq = true,
			  .seq = 5, .n_csa = 1,
			  .csa = { V4(10, 0, 0, 1, 1720, 40) }, .n_alt_gk = 1,
			  .alt_gk = { V4(10, 0, 0, 2, 1719, 61) },
			  .has_ttl = true, .ttl = 0xffffffff, .has_nonstd = true,
			  .has_epid = true, .epid_off = 54, .epid_chars = 1,
			  .has_gkid = true, .gkid_off = 47, .gkid_chars = 3 },
		.epid = "X", .gkid = "GK1",
	}, {
		.name = "rcf_seq_65536", VEC(ras_rcf_seq_65536),
		.ret = -AVAYA_EBADMSG,
	},
};

static void ras_case_desc(const struct ras_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ras, ras_cases, ras_case_desc);

static size_t taddr_size(const struct avaya_taddr *a)
{
	return a->family == 6 ? 18 : 6;	/* address octets + port */
}

/* Everything a NAT helper would patch lies inside the first @len octets. */
static bool ras_in_bounds(const struct avaya_ras *m, size_t len)
{
	const struct avaya_taddr *lists[] = { m->ras, m->csa, m->alt_gk };
	const u8 counts[] = { m->n_ras, m->n_csa, m->n_alt_gk };
	const u8 maxes[] = { RAS_MAX_ADDRS, RAS_MAX_ADDRS, RAS_MAX_ALT_GK };
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		if (counts[i] > maxes[i])
			return false;
		for (j = 0; j < counts[i]; j++) {
			const struct avaya_taddr *a = &lists[i][j];

			if (a->family && a->off + taddr_size(a) > len)
				return false;
		}
	}
	if (m->has_epid && m->epid_off + 2 * m->epid_chars > len)
		return false;
	if (m->has_gkid && m->gkid_off + 2 * m->gkid_chars > len)
		return false;
	return m->type <= RAS_UNKNOWN;
}

static void expect_bmp(struct kunit *test, const u8 *buf, u16 off, u8 n,
		       const char *ascii)
{
	unsigned int i;

	KUNIT_ASSERT_EQ(test, (size_t)n, strlen(ascii));
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, buf[off + 2 * i], 0);
		KUNIT_EXPECT_EQ(test, buf[off + 2 * i + 1], (u8)ascii[i]);
	}
}

static void expect_taddrs(struct kunit *test, const u8 *buf,
			  const struct avaya_taddr *got,
			  const struct avaya_taddr *want, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		size_t iplen = want[i].family == 6 ? 16 : 4;
		const u8 *at = buf + got[i].off;

		KUNIT_EXPECT_EQ(test, got[i].family, want[i].family);
		if (!want[i].family)
			continue;
		KUNIT_EXPECT_EQ(test, got[i].port, want[i].port);
		KUNIT_EXPECT_EQ(test, got[i].off, want[i].off);
		KUNIT_EXPECT_EQ(test, memcmp(got[i].ip, want[i].ip, iplen), 0);
		/* the offset really points at the address, then the port */
		KUNIT_EXPECT_EQ(test, memcmp(at, want[i].ip, iplen), 0);
		KUNIT_EXPECT_EQ(test, (at[iplen] << 8) | at[iplen + 1],
				want[i].port);
	}
}

static void ras_values(struct kunit *test)
{
	const struct ras_case *t = test->param_value;
	const struct avaya_ras *w = &t->want;
	struct avaya_ras m;
	int ret = avaya_ras_decode(t->buf, t->len, &m);

	KUNIT_ASSERT_EQ(test, ret, t->ret);
	if (ret)
		return;
	KUNIT_EXPECT_TRUE(test, ras_in_bounds(&m, t->len));
	KUNIT_EXPECT_EQ(test, m.type, w->type);
	KUNIT_EXPECT_EQ(test, m.decoded, w->decoded);
	KUNIT_EXPECT_EQ(test, m.has_seq, w->has_seq);
	KUNIT_EXPECT_EQ(test, m.seq, w->seq);
	KUNIT_ASSERT_EQ(test, m.n_ras, w->n_ras);
	KUNIT_ASSERT_EQ(test, m.n_csa, w->n_csa);
	KUNIT_ASSERT_EQ(test, m.n_alt_gk, w->n_alt_gk);
	KUNIT_EXPECT_EQ(test, m.ras_overflow, w->ras_overflow);
	KUNIT_EXPECT_EQ(test, m.csa_overflow, w->csa_overflow);
	KUNIT_EXPECT_EQ(test, m.alt_gk_overflow, w->alt_gk_overflow);
	expect_taddrs(test, t->buf, m.ras, w->ras, m.n_ras);
	expect_taddrs(test, t->buf, m.csa, w->csa, m.n_csa);
	expect_taddrs(test, t->buf, m.alt_gk, w->alt_gk, m.n_alt_gk);
	KUNIT_EXPECT_EQ(test, m.has_ttl, w->has_ttl);
	KUNIT_EXPECT_EQ(test, m.ttl, w->ttl);
	KUNIT_EXPECT_EQ(test, m.keep_alive, w->keep_alive);
	KUNIT_EXPECT_EQ(test, m.has_tokens, w->has_tokens);
	KUNIT_EXPECT_EQ(test, m.has_crypto_tokens, w->has_crypto_tokens);
	KUNIT_EXPECT_EQ(test, m.has_nonstd, w->has_nonstd);
	KUNIT_EXPECT_EQ(test, m.has_reject_reason, w->has_reject_reason);
	KUNIT_EXPECT_EQ(test, m.reject_reason, w->reject_reason);
	KUNIT_ASSERT_EQ(test, m.has_epid, w->has_epid);
	if (m.has_epid) {
		KUNIT_EXPECT_EQ(test, m.epid_off, w->epid_off);
		expect_bmp(test, t->buf, m.epid_off, m.epid_chars, t->epid);
	}
	KUNIT_ASSERT_EQ(test, m.has_gkid, w->has_gkid);
	if (m.has_gkid) {
		KUNIT_EXPECT_EQ(test, m.gkid_off, w->gkid_off);
		expect_bmp(test, t->buf, m.gkid_off, m.gkid_chars, t->gkid);
	}
}

/*
 * Every prefix, in a buffer of exactly its length: an error, or a result
 * that points only inside the prefix.
 */
static void ras_truncation(struct kunit *test)
{
	const struct ras_case *t = test->param_value;
	struct avaya_ras m;
	size_t n;

	for (n = 0; n < t->len; n++) {
		u8 *p = kmemdup(t->buf, n ? n : 1, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, p);
		if (!avaya_ras_decode(p, n, &m))
			KUNIT_EXPECT_TRUE_MSG(test, ras_in_bounds(&m, n),
					      "prefix of %zu octets", n);
		kfree(p);
	}
	KUNIT_EXPECT_EQ(test, avaya_ras_decode(NULL, 0, &m), -AVAYA_EBADMSG);
}

/* Every single-bit flip: no crash, and no offset outside the message. */
static void ras_bit_flips(struct kunit *test)
{
	const struct ras_case *t = test->param_value;
	u8 *p = kunit_kmalloc(test, t->len, GFP_KERNEL);
	struct avaya_ras m;
	size_t bit;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (bit = 0; bit < t->len * 8; bit++) {
		memcpy(p, t->buf, t->len);
		p[bit / 8] ^= 0x80 >> (bit % 8);
		if (!avaya_ras_decode(p, t->len, &m))
			KUNIT_EXPECT_TRUE_MSG(test, ras_in_bounds(&m, t->len),
					      "bit %zu flipped", bit);
	}
}

static struct kunit_case avaya_ras_cases[] = {
	KUNIT_CASE_PARAM(ras_values, ras_gen_params),
	KUNIT_CASE_PARAM(ras_truncation, ras_gen_params),
	KUNIT_CASE_PARAM(ras_bit_flips, ras_gen_params),
	{}
};

static struct kunit_suite avaya_ras_suite = {
	.name = "avaya_ras",
	.test_cases = avaya_ras_cases,
};

kunit_test_suite(avaya_ras_suite);
