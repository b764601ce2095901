// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * H.245 (MULTIMEDIA-SYSTEM-CONTROL) decoder over the aligned-PER reader.
 *
 * Only OpenLogicalChannel and OpenLogicalChannelAck carry transport addresses
 * that a firewall must open and NAT must rewrite. Everything around them is
 * skipped: by length where the encoding gives one (extension additions,
 * open-type CHOICE alternatives), otherwise by walking just the root of the
 * few capability types that can precede the addresses in an OLC.
 */
#include "avaya_h245.h"

/* An extension index above this is garbage: no H.245 CHOICE comes close. */
#define H245_CHOICE_EXT_MAX	0xffff

/*
 * Index of an extensible CHOICE. Alternatives added after the root come
 * back as @root + n, and their encoding is an open type the caller skips.
 * A root index past the root (the field is wider) is an error, and so is
 * an extension index that could wrap @root + n back into the root: either
 * would make us act on an alternative the sender did not encode.
 */
static __always_inline u32 choice_ext(struct avaya_per *r, u32 root)
{
	unsigned int w = per_width(root);
	u32 n;

	if (!root)
		return per_fail(r);
	/*
	 * A root index of up to six bits: the bit and the index in one read.
	 * If that read fails, so would the two reads: seven bits or fewer
	 * cannot hold an extension index either (at least 1 + 7 bits).
	 */
	if (root <= 64) {
		n = per_bits(r, 1 + w);
		if (!(n >> w))
			return n < root ? n : per_fail(r);
		r->pos -= 1 + w;
	}
	if (!per_bit(r))
		return per_uint(r, 0, root - 1);
	n = per_small(r);
	if (per_failed(r) || n > H245_CHOICE_EXT_MAX)
		return per_fail(r);
	return root + n;
}

/* OCTET STRING or OBJECT IDENTIFIER with an unconstrained length. */
static void skip_octets(struct avaya_per *r)
{
	per_take_octets(r, per_length(r));
}

/* H.245 NonStandardParameter: identifier, then data, both skipped. */
static void skip_nonstandard(struct avaya_per *r)
{
	if (per_uint(r, 0, 1) == 0) {
		skip_octets(r);			/* object identifier */
	} else {
		/* t35CountryCode, t35Extension, manufacturerCode */
		per_take_octets(r, 4);
	}
	skip_octets(r);
}

static void skip_nonstandard_list(struct avaya_per *r)
{
	u32 n = per_length(r);

	while (n-- && !per_failed(r))
		skip_nonstandard(r);
}

/*
 * Capability SEQUENCEs whose root holds only BOOLEANs and constrained
 * INTEGERs (a BOOLEAN encodes exactly like INTEGER (0..1)), so one table
 * walker skips them all.
 */
struct simple_field {
	u32 lb;
	u32 ub;
	bool opt;
};

#define BOOL_F		{ .lb = 0, .ub = 1 }
#define INT_F(l, u)	{ .lb = (l), .ub = (u) }
#define OPT_F(l, u)	{ .lb = (l), .ub = (u), .opt = true }

struct simple_seq {
	const struct simple_field *f;
	unsigned int n;
	bool extensible;
};

static void skip_simple_seq(struct avaya_per *r, const struct simple_seq *seq)
{
	const struct simple_field *f = seq->f;
	unsigned int n = seq->n;
	bool ext = seq->extensible && per_bit(r);
	struct avaya_per present;
	unsigned int i, nopt = 0;

	for (i = 0; i < n; i++)
		nopt += f[i].opt;
	present = *r;
	per_skip_bits(r, nopt);
	for (i = 0; i < n && !per_failed(r); i++) {
		if (f[i].opt && !per_bit(&present))
			continue;
		per_uint(r, f[i].lb, f[i].ub);
	}
	if (ext)
		h225_skip_extensions(r);
}

static const struct simple_field h261_video_f[] = {
	OPT_F(1, 4), OPT_F(1, 4), BOOL_F, INT_F(1, 19200), BOOL_F,
};

static const struct simple_field h262_video_f[] = {
	BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F,
	BOOL_F, BOOL_F, BOOL_F,
	OPT_F(0, 1073741823), OPT_F(0, 262143), OPT_F(0, 16383),
	OPT_F(0, 16383), OPT_F(0, 15), OPT_F(0, 4294967295U),
};

static const struct simple_field h263_video_f[] = {
	OPT_F(1, 32), OPT_F(1, 32), OPT_F(1, 32), OPT_F(1, 32), OPT_F(1, 32),
	INT_F(1, 192400), BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F,
	OPT_F(0, 524287), OPT_F(0, 65535),
};

static const struct simple_field is11172_video_f[] = {
	BOOL_F, OPT_F(0, 1073741823), OPT_F(0, 262143), OPT_F(0, 16383),
	OPT_F(0, 16383), OPT_F(0, 15), OPT_F(0, 4294967295U),
};

static const struct simple_field g7231_audio_f[] = {
	INT_F(1, 256), BOOL_F,
};

static const struct simple_field is11172_audio_f[] = {
	BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F,
	INT_F(1, 448),
};

static const struct simple_field is13818_audio_f[] = {
	BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F,
	BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F,
	BOOL_F, BOOL_F, BOOL_F, BOOL_F, INT_F(1, 1130),
};

static const struct simple_field t84_restricted_f[] = {
	BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F,
	BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F, BOOL_F,
	BOOL_F, BOOL_F, BOOL_F,
};

static const struct simple_field h223_al3_f[] = {
	INT_F(0, 2), INT_F(0, 16777215),
};

#define SIMPLE_SEQ(name, ext) \
	static const struct simple_seq name = { \
		.f = name##_f, .n = ARRAY_SIZE(name##_f), .extensible = ext \
	}

SIMPLE_SEQ(h261_video, true);
SIMPLE_SEQ(h262_video, true);
SIMPLE_SEQ(h263_video, true);
SIMPLE_SEQ(is11172_video, true);
SIMPLE_SEQ(g7231_audio, false);
SIMPLE_SEQ(is11172_audio, true);
SIMPLE_SEQ(is13818_audio, true);
SIMPLE_SEQ(t84_restricted, true);
SIMPLE_SEQ(h223_al3, false);

static void skip_video_capability(struct avaya_per *r)
{
	switch (choice_ext(r, 5)) {
	case 0:
		skip_nonstandard(r);
		break;
	case 1:
		skip_simple_seq(r, &h261_video);
		break;
	case 2:
		skip_simple_seq(r, &h262_video);
		break;
	case 3:
		skip_simple_seq(r, &h263_video);
		break;
	case 4:
		skip_simple_seq(r, &is11172_video);
		break;
	default:
		per_skip_open_type(r);
	}
}

static void skip_audio_capability(struct avaya_per *r)
{
	u32 alt = choice_ext(r, 14);

	switch (alt) {
	case 0:
		skip_nonstandard(r);
		break;
	case 8:
		skip_simple_seq(r, &g7231_audio);
		break;
	case 12:
		skip_simple_seq(r, &is11172_audio);
		break;
	case 13:
		skip_simple_seq(r, &is13818_audio);
		break;
	default:
		if (alt < 14)
			per_uint(r, 1, 256);	/* G.711/722/728/729 frames */
		else
			per_skip_open_type(r);
	}
}

/* DataProtocolCapability: all root alternatives but nonStandard are NULL. */
static void skip_data_protocol(struct avaya_per *r)
{
	u32 alt = choice_ext(r, 7);

	if (alt == 0)
		skip_nonstandard(r);
	else if (alt >= 7)
		per_skip_open_type(r);
}

static void skip_data_application(struct avaya_per *r)
{
	bool ext = per_bit(r);

	switch (choice_ext(r, 10)) {
	case 0:
		skip_nonstandard(r);
		break;
	case 4:				/* t84: protocol, then profile */
		skip_data_protocol(r);
		if (per_uint(r, 0, 1))
			skip_simple_seq(r, &t84_restricted);
		break;
	case 7:				/* nlpid: protocol, then data */
		skip_data_protocol(r);
		skip_octets(r);
		break;
	case 8:				/* dsvdControl */
		break;
	case 1: case 2: case 3: case 5: case 6: case 9:
		skip_data_protocol(r);
		break;
	default:
		per_skip_open_type(r);
	}
	per_uint(r, 0, 4294967295U);	/* maxBitRate */
	if (ext)
		h225_skip_extensions(r);
}

static void skip_encryption_mode(struct avaya_per *r)
{
	u32 alt = choice_ext(r, 2);

	if (alt == 0)
		skip_nonstandard(r);
	else if (alt > 1)		/* 1 is h233Encryption: NULL */
		per_skip_open_type(r);
}

static void skip_data_type(struct avaya_per *r)
{
	switch (choice_ext(r, 6)) {
	case 0:
		skip_nonstandard(r);
		break;
	case 1:				/* nullData */
		break;
	case 2:
		skip_video_capability(r);
		break;
	case 3:
		skip_audio_capability(r);
		break;
	case 4:
		skip_data_application(r);
		break;
	case 5:				/* encryptionData */
		skip_encryption_mode(r);
		break;
	default:
		per_skip_open_type(r);
	}
}

/*
 * An IP address of @n octets and its tsapIdentifier, kept in @a, after the
 * SEQUENCE's extension bit @ext. The two octets of the port follow the
 * address, aligned: one take.
 */
static void read_ip_after(struct avaya_per *r, unsigned int n,
			  struct avaya_taddr *a, bool ext)
{
	size_t off = per_take_octets(r, n + 2);

	if (ext)
		h225_skip_extensions(r);
	if (per_failed(r))
		return;
	a->family = n == 4 ? 4 : 6;
	memcpy(a->ip, r->buf + off, n);
	a->port = r->buf[off + n] << 8 | r->buf[off + n + 1];
	a->off = per_abs(r, off);
}

static void read_ip(struct avaya_per *r, unsigned int n,
		    struct avaya_taddr *a)
{
	read_ip_after(r, n, a, per_bit(r));
}

static void read_unicast(struct avaya_per *r, struct avaya_taddr *a)
{
	bool ext = false;
	u32 n;

	switch (choice_ext(r, 5)) {
	case 0:
		read_ip(r, 4, a);
		break;
	case 1:				/* iPXAddress: node, netnum, tsap */
		ext = per_bit(r);
		per_take_octets(r, 6);
		per_take_octets(r, 4);
		per_skip_bits(r, 16);	/* two octets: not aligned */
		break;
	case 2:
		read_ip(r, 16, a);
		break;
	case 3:				/* netBios */
		per_take_octets(r, 16);
		break;
	case 4:				/* iPSourceRouteAddress */
		ext = per_bit(r);
		per_uint(r, 0, 1);	/* routing */
		per_take_octets(r, 4);
		per_uint(r, 0, 65535);
		n = per_length(r);
		while (n-- && !per_failed(r))
			per_take_octets(r, 4);
		break;
	default:
		per_skip_open_type(r);
	}
	if (ext)
		h225_skip_extensions(r);
}

/* Multicast media are not NATed or expected: skipped. */
static void skip_multicast(struct avaya_per *r)
{
	u32 alt = choice_ext(r, 2);

	if (alt < 2) {
		bool ext = per_bit(r);

		per_take_octets(r, alt == 0 ? 4 : 16);
		per_uint(r, 0, 65535);
		if (ext)
			h225_skip_extensions(r);
	} else {
		per_skip_open_type(r);
	}
}

static void read_transport(struct avaya_per *r, struct avaya_taddr *a)
{
	u32 alt;

	memset(a, 0, sizeof(*a));
	/*
	 * The common case first: unicastAddress, iPAddress, no extension bit
	 * anywhere: seven 0 bits (two CHOICE indices and the address's
	 * extension bit).
	 */
	if (per_bits(r, 7) == 0) {
		read_ip_after(r, 4, a, false);
		return;
	}
	if (per_failed(r))
		return;
	r->pos -= 7;
	alt = choice_ext(r, 2);
	if (alt == 0)
		read_unicast(r, a);
	else if (alt == 1)
		skip_multicast(r);
	else
		per_skip_open_type(r);
}

static void add_media(struct avaya_per *r, struct avaya_h245 *m,
		      const struct avaya_taddr *a, u8 flags)
{
	struct avaya_media *e;

	if (per_failed(r) || !a->family || m->n_media >= AVAYA_H245_MAX_MEDIA)
		return;
	e = &m->media[m->n_media++];
	e->addr = *a;
	e->channel = m->channel;
	e->flags = flags;
}

/* mediaChannel or mediaControlChannel, if its presence bit is set. */
static void read_media(struct avaya_per *r, bool present,
		       struct avaya_h245 *m, u8 flags)
{
	struct avaya_taddr a;

	if (!present)
		return;
	read_transport(r, &a);
	add_media(r, m, &a, flags);
}

/*
 * H2250LogicalChannelParameters, always inside an open type: we stop after
 * mediaControlChannel, the last field we need.
 */
static void read_h2250_params(struct avaya_per *r, struct avaya_h245 *m,
			      u8 flags)
{
	/* extension bit, then ten presence bits: we need the first five */
	u32 opt = per_bits(r, 11);

	if (opt & 0x200)
		skip_nonstandard_list(r);
	per_uint(r, 0, 255);		/* sessionID */
	if (opt & 0x100)
		per_uint(r, 1, 255);	/* associatedSessionID */
	read_media(r, opt & 0x80, m, flags);
	if (opt & 0x40)
		per_bit(r);		/* mediaGuaranteedDelivery */
	read_media(r, opt & 0x20, m, flags | AVAYA_MEDIA_RTCP);
}

/* H2250LogicalChannelAckParameters, inside an open type too. */
static void read_h2250_ack_params(struct avaya_per *r, struct avaya_h245 *m,
				  u8 flags)
{
	/* extension bit, then five presence bits: we need the first four */
	u32 opt = per_bits(r, 6);

	if (opt & 0x10)
		skip_nonstandard_list(r);
	if (opt & 0x08)
		per_uint(r, 1, 255);	/* sessionID */
	read_media(r, opt & 0x04, m, flags);
	read_media(r, opt & 0x02, m, flags | AVAYA_MEDIA_RTCP);
}

/* An open type we decode: a failure inside it fails the message. */
static void read_open(struct avaya_per *r, struct avaya_h245 *m, u8 flags,
		      void (*fn)(struct avaya_per *, struct avaya_h245 *, u8))
{
	struct avaya_per sub;

	per_open_type(r, &sub);
	if (per_failed(r))
		return;
	fn(&sub, m, flags);
	if (per_failed(&sub))
		per_fail(r);
}

static void skip_h222_params(struct avaya_per *r)
{
	bool ext = per_bit(r);
	bool pcr = per_bit(r);
	u32 lead = per_bits(r, 2);
	bool prog = lead & 2;
	bool stream = lead & 1;

	per_uint(r, 0, 8191);		/* resourceID */
	per_uint(r, 0, 8191);		/* subChannelID */
	if (pcr)
		per_uint(r, 0, 8191);
	if (prog)
		skip_octets(r);
	if (stream)
		skip_octets(r);
	if (ext)
		h225_skip_extensions(r);
}

static void skip_h223_params(struct avaya_per *r)
{
	bool ext = per_bit(r);
	u32 alt = choice_ext(r, 6);

	if (alt == 0)
		skip_nonstandard(r);
	else if (alt == 5)
		skip_simple_seq(r, &h223_al3);
	else if (alt > 5)
		per_skip_open_type(r);
	per_bit(r);			/* segmentableFlag */
	if (ext)
		h225_skip_extensions(r);
}

/*
 * forwardLogicalChannelParameters.multiplexParameters: H.222, H.223 and
 * V.76 are the root; H.225.0 (the only one on IP) is an extension.
 * V.76 (PSTN modems) is refused rather than walked.
 */
static void read_forward_mux(struct avaya_per *r, struct avaya_h245 *m)
{
	switch (choice_ext(r, 3)) {
	case 0:
		skip_h222_params(r);
		break;
	case 1:
		skip_h223_params(r);
		break;
	case 2:
		per_fail(r);
		break;
	case 3:
		read_open(r, m, 0, read_h2250_params);
		break;
	default:
		per_skip_open_type(r);
	}
}

static void read_forward_params(struct avaya_per *r, struct avaya_h245 *m)
{
	bool ext = per_bit(r);

	if (per_bit(r))
		per_uint(r, 0, 65535);	/* portNumber */
	skip_data_type(r);
	read_forward_mux(r, m);
	if (ext)
		h225_skip_extensions(r);
}

static void read_reverse_params(struct avaya_per *r, struct avaya_h245 *m)
{
	u32 lead = per_bits(r, 2);
	bool ext = lead & 2;
	bool mux = lead & 1;

	skip_data_type(r);
	if (mux) {
		switch (choice_ext(r, 2)) {
		case 0:
			skip_h223_params(r);
			break;
		case 1:
			per_fail(r);	/* V.76, as above */
			break;
		case 2:
			read_open(r, m, AVAYA_MEDIA_REVERSE,
				  read_h2250_params);
			break;
		default:
			per_skip_open_type(r);
		}
	}
	if (ext)
		h225_skip_extensions(r);
}

static void read_olc(struct avaya_per *r, struct avaya_h245 *m)
{
	u32 lead = per_bits(r, 2);
	bool ext = lead & 2;
	bool rev = lead & 1;

	m->kind = AVAYA_H245_OLC;
	m->channel = per_uint(r, 1, 65535);
	read_forward_params(r, m);
	if (rev)
		read_reverse_params(r, m);
	if (ext)
		h225_skip_extensions(r);
}

static void read_ack_reverse_params(struct avaya_per *r, struct avaya_h245 *m)
{
	bool ext = per_bit(r);
	u32 lead = per_bits(r, 2);
	bool port = lead & 2;
	bool mux = lead & 1;

	per_uint(r, 1, 65535);		/* reverseLogicalChannelNumber */
	if (port)
		per_uint(r, 0, 65535);
	if (mux) {
		switch (choice_ext(r, 1)) {
		case 0:
			skip_h222_params(r);
			break;
		case 1:
			read_open(r, m, AVAYA_MEDIA_ACK | AVAYA_MEDIA_REVERSE,
				  read_h2250_params);
			break;
		default:
			per_skip_open_type(r);
		}
	}
	if (ext)
		h225_skip_extensions(r);
}

/* forwardMultiplexAckParameters: a one-alternative extensible CHOICE. */
static void read_forward_mux_ack(struct avaya_per *r, struct avaya_h245 *m,
				 u8 flags)
{
	if (choice_ext(r, 1) == 0)
		read_h2250_ack_params(r, m, flags);
}

/* Extension additions of OpenLogicalChannelAck, by position. */
#define OLC_ACK_FORWARD_MUX_ACK	1

static void read_olc_ack(struct avaya_per *r, struct avaya_h245 *m)
{
	u32 lead = per_bits(r, 2);
	bool ext = lead & 2;
	bool rev = lead & 1;
	struct avaya_per sub;
	unsigned int idx;
	struct h225_ext x;

	m->kind = AVAYA_H245_OLC_ACK;
	m->channel = per_uint(r, 1, 65535);
	if (rev)
		read_ack_reverse_params(r, m);
	if (!ext)
		return;
	h225_ext_begin_fast(r, &x);
	while (h225_ext_next_of(r, &x, H225_EXT_BIT(OLC_ACK_FORWARD_MUX_ACK),
				&idx, &sub)) {
		if (idx != OLC_ACK_FORWARD_MUX_ACK)
			continue;
		read_forward_mux_ack(&sub, m, AVAYA_MEDIA_ACK);
		if (per_failed(&sub))
			per_fail(r);
	}
}

/*
 * OpenLogicalChannel and its Ack, out of line on a copy of the reader
 * (made from its fields: the caller's reader stays in registers). Nothing
 * reads on after them, so only a failure comes back.
 */
static noinline bool olc_failed(const u8 *buf, size_t len, size_t pos,
				size_t base, struct avaya_h245 *m, bool ack)
{
	struct avaya_per r = { .buf = buf, .len = len, .pos = pos,
			       .base = base };

	if (ack)
		read_olc_ack(&r, m);
	else
		read_olc(&r, m);
	return per_failed(&r);
}

static u8 clamp_index(u32 idx)
{
	return idx > 255 ? 255 : idx;
}

/* media[] is only valid up to n_media: the rest is not cleared. */
static void clear_result(struct avaya_h245 *m)
{
	memset(m, 0, offsetof(struct avaya_h245, media));
}

static __always_inline int h245_decode_msg(struct avaya_per *r,
					   struct avaya_h245 *m)
{
	u32 idx;

	clear_result(m);
	m->branch = clamp_index(choice_ext(r, 4));
	switch (m->branch) {
	case AVAYA_H245_REQUEST:
		idx = choice_ext(r, 11);
		if (idx == AVAYA_H245_REQ_OLC) {
			if (olc_failed(r->buf, r->len, r->pos, r->base, m,
				       false))
				per_fail(r);
		} else if (idx == AVAYA_H245_REQ_CLC) {
			per_bit(r);	/* extension bit */
			m->kind = AVAYA_H245_CLC;
			m->channel = per_uint(r, 1, 65535);
		}
		break;
	case AVAYA_H245_RESPONSE:
		idx = choice_ext(r, 19);
		if (idx == AVAYA_H245_RSP_OLC_ACK &&
		    olc_failed(r->buf, r->len, r->pos, r->base, m, true))
			per_fail(r);
		break;
	case AVAYA_H245_COMMAND:
		idx = choice_ext(r, 7);
		if (idx == AVAYA_H245_CMD_END_SESSION)
			m->kind = AVAYA_H245_END_SESSION;
		break;
	case AVAYA_H245_INDICATION:
		idx = choice_ext(r, 14);
		break;
	default:
		/* Whatever a later version added: nothing for us in it. */
		m->branch = AVAYA_H245_EXTENSION;
		idx = 0;
	}
	m->index = clamp_index(idx);
	if (per_failed(r)) {
		m->n_media = 0;
		return -AVAYA_EBADMSG;
	}
	return 0;
}

int h245_decode_per(struct avaya_per *r, struct avaya_h245 *m)
{
	return h245_decode_msg(r, m);
}

int h245_decode_olc_per(struct avaya_per *r, struct avaya_h245 *m)
{
	clear_result(m);
	m->branch = AVAYA_H245_REQUEST;
	m->index = AVAYA_H245_REQ_OLC;
	read_olc(r, m);
	if (per_failed(r)) {
		m->n_media = 0;
		return -AVAYA_EBADMSG;
	}
	return 0;
}

int avaya_h245_decode(const u8 *buf, size_t len, struct avaya_h245 *m)
{
	struct avaya_per r = { .buf = buf, .len = len };

	/* Offsets are u16: one TPKT never carries more. */
	if (len > 65535) {
		clear_result(m);
		return -AVAYA_ERANGE;
	}
	return h245_decode_msg(&r, m);
}

AVAYA_EXPORT(avaya_h245_decode);
