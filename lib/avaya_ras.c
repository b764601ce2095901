// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * H.225.0 RAS decoder (RasMessage, aligned PER).
 *
 * Discovery (GRQ/GCF/GRJ), registration (RRQ/RCF/RRJ) and unregistration
 * (URQ/UCF/URJ) are decoded for addresses, timers and identifiers; any other
 * message only for its type and requestSeqNum. nonStandardData (where
 * Avaya's CCMS rides), tokens and unknown extension additions are skipped
 * by their length.
 */
#include "avaya_shim.h"
#include "avaya_per.h"
#include "avaya_h225.h"
#include "avaya_ras.h"

#define RAS_ROOT_COUNT	(RAS_RIP)	/* root alternatives of RasMessage */
#define RAS_TTL_MAX	0xffffffffU

/*
 * Where a message keeps, among its extension additions, what we read:
 * addition index plus one, so that 0 (the default) means "not defined".
 */
struct ras_ext_map {
	u8 alt_gk;		/* SEQUENCE OF AlternateGK */
	u8 alt_gk_info;		/* AltGKInfo */
	u8 ttl;
	u8 tokens;
	u8 crypto_tokens;
	u8 keep_alive;
	u8 epid;
	u8 gkid;
};

#define X(idx)	((idx) + 1)

/* Indices per H.225.0 (12/2009); later versions only append. */
static const struct ras_ext_map ras_ext_maps[RAS_URJ + 1] = {
	[RAS_GRQ] = { .tokens = X(1), .crypto_tokens = X(2) },
	[RAS_GCF] = { .alt_gk = X(0), .tokens = X(2), .crypto_tokens = X(3) },
	[RAS_GRJ] = { .alt_gk_info = X(0), .tokens = X(1),
		      .crypto_tokens = X(2) },
	[RAS_RRQ] = { .ttl = X(1), .tokens = X(2), .crypto_tokens = X(3),
		      .keep_alive = X(5), .epid = X(6) },
	[RAS_RCF] = { .alt_gk = X(0), .ttl = X(1), .tokens = X(2),
		      .crypto_tokens = X(3) },
	[RAS_RRJ] = { .alt_gk_info = X(0), .tokens = X(1),
		      .crypto_tokens = X(2) },
	[RAS_URQ] = { .gkid = X(1), .tokens = X(2), .crypto_tokens = X(3),
		      .alt_gk = X(8) },
	[RAS_UCF] = { .tokens = X(0), .crypto_tokens = X(1) },
	[RAS_URJ] = { .alt_gk_info = X(0), .tokens = X(1),
		      .crypto_tokens = X(2) },
};

#undef X

/*
 * The same additions as a mask for h225_ext_next_of(): the ones not named
 * here are skipped by their length without looking at the map.
 */
#define W(idx)	H225_EXT_BIT(idx)

static const u64 ras_ext_wanted[RAS_URJ + 1] = {
	[RAS_GRQ] = W(1) | W(2),
	[RAS_GCF] = W(0) | W(2) | W(3),
	[RAS_GRJ] = W(0) | W(1) | W(2),
	[RAS_RRQ] = W(1) | W(2) | W(3) | W(5) | W(6),
	[RAS_RCF] = W(0) | W(1) | W(2) | W(3),
	[RAS_RRJ] = W(0) | W(1) | W(2),
	[RAS_URQ] = W(1) | W(2) | W(3) | W(8),
	[RAS_UCF] = W(0) | W(1),
	[RAS_URJ] = W(0) | W(1) | W(2),
};

#undef W

/*
 * Number of OPTIONAL root components of each message, i.e. the width of the
 * bitmap that precedes requestSeqNum (IRR alone puts nonStandardData first).
 */
static const u8 ras_root_optionals[RAS_ACF_SEQ] = {
	[RAS_GRQ] = 4, [RAS_GCF] = 2, [RAS_GRJ] = 2,
	[RAS_RRQ] = 3, [RAS_RCF] = 3, [RAS_RRJ] = 2,
	[RAS_URQ] = 3, [RAS_UCF] = 1, [RAS_URJ] = 1,
	[RAS_ARQ] = 7, [RAS_ACF] = 2, [RAS_ARJ] = 1,
	[RAS_BRQ] = 2, [RAS_BCF] = 1, [RAS_BRJ] = 1,
	[RAS_DRQ] = 1, [RAS_DCF] = 1, [RAS_DRJ] = 1,
	[RAS_LRQ] = 2, [RAS_LCF] = 1, [RAS_LRJ] = 1,
	[RAS_IRQ] = 2, [RAS_IRR] = 3, [RAS_NSM] = 0, [RAS_XRS] = 0,
	[RAS_RIP] = 4, [RAS_RAI] = 4, [RAS_RAC] = 4, [RAS_IACK] = 4,
	[RAS_INAK] = 5, [RAS_SCI] = 8, [RAS_SCR] = 7,
};

/* The SEQUENCE preamble: extension bit, then the optional-field bitmap. */
struct ras_hdr {
	bool extended;
	u32 opt;
	unsigned int nopt;
};

/* The extension bit and the bitmap together: at most 9 bits, one read. */
static struct ras_hdr read_preamble(struct avaya_per *r, unsigned int nopt)
{
	u32 v = per_bits(r, 1 + nopt);
	struct ras_hdr h = {
		.extended = v >> nopt,
		.opt = v & ((1U << nopt) - 1),
		.nopt = nopt,
	};

	return h;
}

/* Is OPTIONAL root component @i (0 = first declared) present? */
static bool opt_present(struct ras_hdr h, unsigned int i)
{
	return h.opt & (1U << (h.nopt - 1 - i));
}

static void read_seq(struct avaya_per *r, struct avaya_ras *m)
{
	m->seq = per_uint(r, 1, 65535);
	m->has_seq = !per_failed(r);
}

static void skip_nonstd_if(struct avaya_per *r, struct avaya_ras *m,
			   struct ras_hdr h, unsigned int i)
{
	if (!opt_present(h, i))
		return;
	m->has_nonstd = true;
	h225_skip_nonstandard_parameter(r);
}

/* A BMPString (SIZE (1..128)) identifier: absolute offset and length. */
static __always_inline int read_identifier(struct avaya_per *r, u16 *off, u8 *nchars)
{
	u32 n;
	size_t local = h225_bmp_string(r, 1, 128, &n);
	size_t abs = per_abs(r, local);

	if (per_failed(r))
		return -AVAYA_EBADMSG;
	if (abs > 0xffff)
		return -AVAYA_ERANGE;
	*off = abs;
	*nchars = n;
	return 0;
}

static __always_inline int read_gkid(struct avaya_per *r, struct avaya_ras *m)
{
	m->has_gkid = true;
	return read_identifier(r, &m->gkid_off, &m->gkid_chars);
}

static __always_inline int read_epid(struct avaya_per *r, struct avaya_ras *m)
{
	m->has_epid = true;
	return read_identifier(r, &m->epid_off, &m->epid_chars);
}

static __always_inline int read_one_ras_address(struct avaya_per *r, struct avaya_ras *m)
{
	m->n_ras = 1;
	return h225_transport_address(r, &m->ras[0]);
}

static __always_inline int read_ras_list(struct avaya_per *r, struct avaya_ras *m)
{
	return h225_transport_address_seq(r, m->ras, RAS_MAX_ADDRS,
					  &m->n_ras, &m->ras_overflow);
}

static __always_inline int read_csa_list(struct avaya_per *r, struct avaya_ras *m)
{
	return h225_transport_address_seq(r, m->csa, RAS_MAX_ADDRS,
					  &m->n_csa, &m->csa_overflow);
}

/*
 * AlternateGK: rasAddress, gatekeeperIdentifier, needToRegister, priority.
 * The address goes straight into the next free slot; the count says
 * whether it is valid.
 */
static int read_alternate_gk(struct avaya_per *r, struct avaya_ras *m)
{
	u32 lead = per_bits(r, 2);
	bool extended = lead & 2;
	bool has_gkid = lead & 1;
	bool room = m->n_alt_gk < RAS_MAX_ALT_GK;
	u32 n;
	int ret;

	if (room)
		ret = h225_transport_address(r, &m->alt_gk[m->n_alt_gk]);
	else
		ret = h225_discard_transport_address(r);
	if (ret)
		return ret;
	if (has_gkid)
		h225_bmp_string(r, 1, 128, &n);
	per_bits(r, 8);		/* needToRegister, priority (0..127) */
	if (extended)
		h225_skip_extensions(r);
	if (per_failed(r))
		return -AVAYA_EBADMSG;
	if (room)
		m->n_alt_gk++;
	else if (m->alt_gk_overflow < 255)
		m->alt_gk_overflow++;
	return 0;
}

static int read_alternate_gk_seq(struct avaya_per *r, struct avaya_ras *m)
{
	u32 n = per_length(r);
	int ret;

	while (n-- && !per_failed(r)) {
		ret = read_alternate_gk(r, m);
		if (ret)
			return ret;
	}
	return per_failed(r) ? -AVAYA_EBADMSG : 0;
}

/* AltGKInfo: the same list, plus altGKisPermanent, inside a SEQUENCE. */
static int read_alt_gk_info(struct avaya_per *r, struct avaya_ras *m)
{
	bool extended = per_bit(r);
	int ret = read_alternate_gk_seq(r, m);

	if (ret)
		return ret;
	per_bit(r);		/* altGKisPermanent */
	if (extended)
		h225_skip_extensions(r);
	return per_failed(r) ? -AVAYA_EBADMSG : 0;
}

/*
 * One extension addition we care about: @sub is the reader narrowed to its
 * open type.
 */
static __always_inline int read_ext_addition(struct avaya_per *sub,
					     struct avaya_ras *m,
					     const struct ras_ext_map *map,
					     unsigned int idx)
{
	idx++;		/* the map stores index + 1 */
	if (idx == map->tokens) {
		m->has_tokens = true;
		return 0;
	}
	if (idx == map->crypto_tokens) {
		m->has_crypto_tokens = true;
		return 0;
	}
	if (idx == map->ttl) {
		m->ttl = per_uint(sub, 1, RAS_TTL_MAX);
		m->has_ttl = !per_failed(sub);
	} else if (idx == map->keep_alive) {
		m->keep_alive = per_bit(sub);
	} else if (idx == map->epid) {
		return read_epid(sub, m);
	} else if (idx == map->gkid) {
		return read_gkid(sub, m);
	} else if (idx == map->alt_gk) {
		return read_alternate_gk_seq(sub, m);
	} else if (idx == map->alt_gk_info) {
		return read_alt_gk_info(sub, m);
	}
	return per_failed(sub) ? -AVAYA_EBADMSG : 0;
}

/* Walk the extension additions of a decoded message; skip the others. */
static __always_inline int read_extensions(struct avaya_per *r,
					   struct avaya_ras *m,
					   struct ras_hdr h, enum ras_type type)
{
	/* a constant @type: the map and the mask fold into the code */
	const struct ras_ext_map *map = &ras_ext_maps[type];
	u64 wanted = ras_ext_wanted[type];
	struct per_window w;
	struct h225_ext x;
	unsigned int idx;
	int ret;

	if (per_failed(r))
		return -AVAYA_EBADMSG;
	if (!h.extended)
		return 0;
	h225_ext_begin_fast(r, &x);
	while (h225_ext_enter(r, &x, wanted, &idx, &w)) {
		ret = read_ext_addition(r, m, map, idx);
		if (ret)
			return ret;
		per_leave(r, w);
	}
	return per_failed(r) ? -AVAYA_EBADMSG : 0;
}

/* QseriesOptions: seven BOOLEANs and Q954Details, both extensible. */
static void skip_qseries_options(struct avaya_per *r)
{
	bool extended = per_bit(r);
	bool q954_extended;

	per_bits(r, 7);
	q954_extended = per_bit(r);
	per_bits(r, 2);
	if (q954_extended)
		h225_skip_extensions(r);
	if (extended)
		h225_skip_extensions(r);
}

static int decode_grq(struct avaya_per *r, struct avaya_ras *m,
		      struct ras_hdr h)
{
	int ret;

	h225_skip_oid(r);		/* protocolIdentifier */
	skip_nonstd_if(r, m, h, 0);
	ret = read_one_ras_address(r, m);
	if (ret)
		return ret;
	h225_skip_endpoint_type(r);
	if (opt_present(h, 1)) {
		ret = read_gkid(r, m);
		if (ret)
			return ret;
	}
	if (opt_present(h, 2))
		skip_qseries_options(r);
	if (opt_present(h, 3))
		h225_skip_aliases(r);	/* endpointAlias */
	return read_extensions(r, m, h, RAS_GRQ);
}

static int decode_gcf(struct avaya_per *r, struct avaya_ras *m,
		      struct ras_hdr h)
{
	int ret;

	h225_skip_oid(r);
	skip_nonstd_if(r, m, h, 0);
	if (opt_present(h, 1)) {
		ret = read_gkid(r, m);
		if (ret)
			return ret;
	}
	ret = read_one_ras_address(r, m);
	if (ret)
		return ret;
	return read_extensions(r, m, h, RAS_GCF);
}

/* A reject reason CHOICE; extension reasons come and go as open types. */
static void read_reject_reason(struct avaya_per *r, struct avaya_ras *m,
			       u32 nroot)
{
	u32 idx = h225_choice_idx(r, nroot);

	m->reject_reason = idx > 0xff ? 0xff : idx;
	m->has_reject_reason = !per_failed(r);
	/* RegistrationRejectReason's duplicateAlias carries the aliases */
	if (m->type == RAS_RRJ && idx == 4)
		h225_skip_aliases(r);
}

static int decode_grj(struct avaya_per *r, struct avaya_ras *m,
		      struct ras_hdr h)
{
	int ret;

	h225_skip_oid(r);
	skip_nonstd_if(r, m, h, 0);
	if (opt_present(h, 1)) {
		ret = read_gkid(r, m);
		if (ret)
			return ret;
	}
	read_reject_reason(r, m, 4);
	return read_extensions(r, m, h, RAS_GRJ);
}

static int decode_rrq(struct avaya_per *r, struct avaya_ras *m,
		      struct ras_hdr h)
{
	int ret;

	h225_skip_oid(r);
	skip_nonstd_if(r, m, h, 0);
	per_bit(r);			/* discoveryComplete */
	ret = read_csa_list(r, m);
	if (ret)
		return ret;
	ret = read_ras_list(r, m);
	if (ret)
		return ret;
	h225_skip_endpoint_type(r);	/* terminalType */
	if (opt_present(h, 1))
		h225_skip_aliases(r);
	if (opt_present(h, 2)) {
		ret = read_gkid(r, m);
		if (ret)
			return ret;
	}
	h225_skip_vendor_identifier(r);	/* endpointVendor */
	return read_extensions(r, m, h, RAS_RRQ);
}

static int decode_rcf(struct avaya_per *r, struct avaya_ras *m,
		      struct ras_hdr h)
{
	int ret;

	h225_skip_oid(r);
	skip_nonstd_if(r, m, h, 0);
	ret = read_csa_list(r, m);
	if (ret)
		return ret;
	if (opt_present(h, 1))
		h225_skip_aliases(r);
	if (opt_present(h, 2)) {
		ret = read_gkid(r, m);
		if (ret)
			return ret;
	}
	ret = read_epid(r, m);
	if (ret)
		return ret;
	return read_extensions(r, m, h, RAS_RCF);
}

static int decode_rrj(struct avaya_per *r, struct avaya_ras *m,
		      struct ras_hdr h)
{
	int ret;

	h225_skip_oid(r);
	skip_nonstd_if(r, m, h, 0);
	read_reject_reason(r, m, 8);
	if (opt_present(h, 1)) {
		ret = read_gkid(r, m);
		if (ret)
			return ret;
	}
	return read_extensions(r, m, h, RAS_RRJ);
}

static int decode_urq(struct avaya_per *r, struct avaya_ras *m,
		      struct ras_hdr h)
{
	int ret;

	ret = read_csa_list(r, m);
	if (ret)
		return ret;
	if (opt_present(h, 0))
		h225_skip_aliases(r);
	skip_nonstd_if(r, m, h, 1);
	if (opt_present(h, 2)) {
		ret = read_epid(r, m);
		if (ret)
			return ret;
	}
	return read_extensions(r, m, h, RAS_URQ);
}

static int decode_ucf(struct avaya_per *r, struct avaya_ras *m,
		      struct ras_hdr h)
{
	skip_nonstd_if(r, m, h, 0);
	return read_extensions(r, m, h, RAS_UCF);
}

static int decode_urj(struct avaya_per *r, struct avaya_ras *m,
		      struct ras_hdr h)
{
	read_reject_reason(r, m, 3);
	skip_nonstd_if(r, m, h, 0);
	return read_extensions(r, m, h, RAS_URJ);
}

/* A switch, not a table of pointers: no indirect call (retpoline). */
static int decode_body(struct avaya_per *r, struct avaya_ras *m,
		       struct ras_hdr h)
{
	switch (m->type) {
	case RAS_GRQ:
		return decode_grq(r, m, h);
	case RAS_GCF:
		return decode_gcf(r, m, h);
	case RAS_GRJ:
		return decode_grj(r, m, h);
	case RAS_RRQ:
		return decode_rrq(r, m, h);
	case RAS_RCF:
		return decode_rcf(r, m, h);
	case RAS_RRJ:
		return decode_rrj(r, m, h);
	case RAS_URQ:
		return decode_urq(r, m, h);
	case RAS_UCF:
		return decode_ucf(r, m, h);
	default:
		return decode_urj(r, m, h);
	}
}

/* Any message with a requestSeqNum: the preamble, then the number. */
static int decode_message(struct avaya_per *r, struct avaya_ras *m)
{
	struct ras_hdr h;

	h = read_preamble(r, ras_root_optionals[m->type]);
	/* InfoRequestResponse alone starts with its nonStandardData. */
	if (m->type == RAS_IRR)
		skip_nonstd_if(r, m, h, 0);
	read_seq(r, m);
	if (per_failed(r))
		return -AVAYA_EBADMSG;
	if (m->type > RAS_URJ)
		return 0;
	m->decoded = true;
	return decode_body(r, m, h);
}

/* Everything but the address lists, which are only valid up to their counts. */
static void clear_result(struct avaya_ras *m)
{
	memset(m, 0, offsetof(struct avaya_ras, ras));
	m->n_csa = 0;
	m->csa_overflow = 0;
	m->n_alt_gk = 0;
	m->alt_gk_overflow = 0;
	/* from has_ttl to the end: through a byte pointer, not the field */
	memset((u8 *)m + offsetof(struct avaya_ras, has_ttl), 0,
	       sizeof(*m) - offsetof(struct avaya_ras, has_ttl));
}

/* A RasMessage whose first bit says: an extension alternative. */
static noinline int decode_extension_message(struct avaya_per *r,
					     struct avaya_ras *m)
{
	struct avaya_per ext;
	u32 idx = h225_choice_fast(r, RAS_ROOT_COUNT, &ext);

	if (per_failed(r))
		return -AVAYA_EBADMSG;
	m->type = idx < RAS_UNKNOWN ? idx : RAS_UNKNOWN;
	/* SEQUENCE OF ACF or unknown have no seq. */
	if (m->type >= RAS_ACF_SEQ)
		return 0;
	return decode_message(&ext, m);
}

/*
 * Decode a RasMessage from @buf. Returns 0 with @m filled, or a negative
 * error. On error @m may hold partial values and must not be acted on.
 */
int avaya_ras_decode(const u8 *buf, size_t len, struct avaya_ras *m)
{
	struct avaya_per r = { .buf = buf, .len = len };
	u32 idx;

	clear_result(m);
	if (!buf || !len)
		return -AVAYA_EBADMSG;
	if (buf[0] & 0x80)
		return decode_extension_message(&r, m);
	/* a root alternative: a 0 bit and the index in five bits */
	idx = buf[0] >> 2;
	if (idx >= RAS_ROOT_COUNT) {
		per_fail(&r);
		return -AVAYA_EBADMSG;
	}
	r.pos = 6;
	m->type = idx;
	return decode_message(&r, m);
}

AVAYA_EXPORT(avaya_ras_decode);
