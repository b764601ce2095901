// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * H.225.0 call signalling decoder: TPKT, Q.931 information elements, and
 * the H323-UserInformation in the User-user IE.
 *
 * Only the fields that open pinholes or need NAT are decoded. The UUIE
 * roots are walked field by field up to their extension additions, where
 * fastStart, sourceCallSignalAddress and the Facility h245Address live;
 * every other addition is skipped by its length.
 */
#include "avaya_q931.h"

#define Q931_PROTOCOL_DISCRIMINATOR	0x08
#define Q931_IE_USER_USER		0x7e
#define Q931_UU_X208			0x05	/* H.225.0 user information */
#define TPKT_VERSION			3

/* Extension additions of the UUIEs, by position. */
#define SETUP_EXT_SOURCE_CSA		0
#define SETUP_EXT_TOKENS		4
#define SETUP_EXT_FASTSTART		6
#define CALL_PROCEEDING_EXT_TOKENS	2
#define CALL_PROCEEDING_EXT_FASTSTART	4
#define CONNECT_EXT_TOKENS		2
#define CONNECT_EXT_FASTSTART		4
#define ALERTING_EXT_TOKENS		2
#define ALERTING_EXT_FASTSTART		4
#define INFORMATION_EXT_TOKENS		1
#define INFORMATION_EXT_FASTSTART	3
#define RELEASE_COMPLETE_EXT_TOKENS	1
#define FACILITY_EXT_TOKENS		3
#define FACILITY_EXT_H245_ADDRESS	6
#define FACILITY_EXT_FASTSTART		7
/* In every UUIE, cryptoTokens is the addition right after tokens. */
#define EXT_CRYPTO_TOKENS(tokens)	((tokens) + 1)
#define UU_PDU_EXT_TUNNELLING		1
#define UU_PDU_EXT_H245_CONTROL		2

/*
 * TPKT (RFC 1006): version 3, a reserved octet, and a 16-bit length that
 * includes the 4-octet header. An empty TPKT is a keep-alive.
 */
int avaya_tpkt_frame(const u8 *buf, size_t len, size_t *msg_off, size_t *msg_len)
{
	size_t total;

	if (likely(len >= AVAYA_TPKT_HDR_LEN)) {
		if (buf[0] != TPKT_VERSION || buf[1] != 0)
			return -AVAYA_EBADMSG;
		total = (size_t)buf[2] << 8 | buf[3];
		if (total < AVAYA_TPKT_HDR_LEN)
			return -AVAYA_EBADMSG;
		if (len < total)
			return AVAYA_TPKT_INCOMPLETE;
		*msg_off = AVAYA_TPKT_HDR_LEN;
		*msg_len = total - AVAYA_TPKT_HDR_LEN;
		return total;
	}
	/* fewer than four octets: as far as they go */
	if (len >= 1 && buf[0] != TPKT_VERSION)
		return -AVAYA_EBADMSG;
	if (len >= 2 && buf[1] != 0)
		return -AVAYA_EBADMSG;
	if (len < AVAYA_TPKT_HDR_LEN)
		return AVAYA_TPKT_INCOMPLETE;
	total = (size_t)buf[2] << 8 | buf[3];
	if (total < AVAYA_TPKT_HDR_LEN)
		return -AVAYA_EBADMSG;
	if (len < total)
		return AVAYA_TPKT_INCOMPLETE;
	*msg_off = AVAYA_TPKT_HDR_LEN;
	*msg_len = total - AVAYA_TPKT_HDR_LEN;
	return total;
}

AVAYA_EXPORT(avaya_tpkt_frame);

static u8 inc_sat(u8 v)
{
	return v < 255 ? v + 1 : v;
}

static void read_taddr(struct avaya_per *r, struct avaya_taddr *out)
{
	if (h225_transport_address(r, out)) {
		memset(out, 0, sizeof(*out));
		per_fail(r);
	}
}

static void add_media(struct avaya_q931 *m, const struct avaya_h245 *h,
		      u8 flags)
{
	unsigned int i;

	for (i = 0; i < h->n_media; i++) {
		if (m->n_media >= AVAYA_Q931_MAX_MEDIA) {
			m->media_dropped = inc_sat(m->media_dropped);
			continue;
		}
		m->media[m->n_media] = h->media[i];
		m->media[m->n_media++].flags |= flags;
	}
}

/*
 * fastStart: SEQUENCE OF OCTET STRING, each an encoded OpenLogicalChannel.
 * The octet string bounds each element, so one we cannot decode is
 * counted and skipped without losing our place.
 */
static void read_faststart(struct avaya_per *r, struct avaya_q931 *m)
{
	u32 n = per_length(r);
	struct avaya_per item;
	struct avaya_h245 h;

	while (n-- && !per_failed(r)) {
		per_open_type(r, &item);
		if (per_failed(r))
			break;
		if (h245_decode_olc_per(&item, &h)) {
			m->n_bad = inc_sat(m->n_bad);
			continue;
		}
		m->n_faststart = inc_sat(m->n_faststart);
		add_media(m, &h, AVAYA_MEDIA_FASTSTART);
	}
}

/* h245Control: SEQUENCE OF OCTET STRING, each a whole H.245 message. */
static void read_h245_control(struct avaya_per *r, struct avaya_q931 *m)
{
	u32 n = per_length(r);
	struct avaya_per item;
	struct avaya_h245 h;

	while (n-- && !per_failed(r)) {
		per_open_type(r, &item);
		if (per_failed(r))
			break;
		if (h245_decode_per(&item, &h)) {
			m->n_bad = inc_sat(m->n_bad);
			continue;
		}
		m->n_tunnelled = inc_sat(m->n_tunnelled);
		add_media(m, &h, AVAYA_MEDIA_TUNNELLED);
		if (h.kind == AVAYA_H245_OTHER)
			continue;
		if (m->n_h245 >= AVAYA_Q931_MAX_H245) {
			m->h245_dropped = inc_sat(m->h245_dropped);
			continue;
		}
		m->h245[m->n_h245].kind = h.kind;
		m->h245[m->n_h245++].channel = h.channel;
	}
}

/*
 * H.235 protection (tokens, cryptoTokens) is told by presence alone: the
 * contents stay unread, and a message carrying either must not be changed.
 */
static void note_ext_tokens(const struct h225_ext *x, unsigned int tok_idx,
			    struct avaya_q931 *m)
{
	if (x->present & H225_EXT_BIT(tok_idx))
		m->has_tokens = true;
	if (x->present & H225_EXT_BIT(EXT_CRYPTO_TOKENS(tok_idx)))
		m->has_crypto_tokens = true;
}

/*
 * Walk a UUIE's extension additions: @tok_idx is where its tokens are, the
 * one at @fs_idx is fastStart, and @fn, if any, reads the others we want;
 * the rest are skipped by length.
 */
static void read_uuie_ext(struct avaya_per *r, struct avaya_q931 *m,
			  unsigned int tok_idx, unsigned int fs_idx,
			  void (*fn)(struct avaya_per *, unsigned int,
				     struct avaya_q931 *))
{
	u64 wanted = H225_EXT_BIT(fs_idx);
	struct avaya_per sub;
	unsigned int idx;
	struct h225_ext x;

	/* Setup reads sourceCallSignalAddress, Facility h245Address. */
	if (fn)
		wanted |= H225_EXT_BIT(SETUP_EXT_SOURCE_CSA) |
			  H225_EXT_BIT(FACILITY_EXT_H245_ADDRESS);
	h225_ext_begin_fast(r, &x);
	note_ext_tokens(&x, tok_idx, m);
	while (h225_ext_next_of(r, &x, wanted, &idx, &sub)) {
		if (idx == fs_idx)
			read_faststart(&sub, m);
		else if (fn)
			fn(&sub, idx, m);
		if (per_failed(&sub))
			per_fail(r);
	}
}

/* Additions without fastStart: only token presence is of interest. */
static void read_token_ext(struct avaya_per *r, struct avaya_q931 *m,
			   unsigned int tok_idx)
{
	struct avaya_per sub;
	unsigned int idx;
	struct h225_ext x;

	h225_ext_begin_fast(r, &x);
	note_ext_tokens(&x, tok_idx, m);
	while (h225_ext_next_of(r, &x, 0, &idx, &sub))
		;
}

static void skip_crv(struct avaya_per *r)
{
	per_uint(r, 0, 65535);
}

/* QseriesOptions: seven BOOLEANs and Q954Details (two more), extensible. */
static void skip_qseries_options(struct avaya_per *r)
{
	bool ext = per_bit(r);
	bool q954_ext;

	per_bits(r, 7);
	q954_ext = per_bit(r);
	per_bits(r, 2);
	if (q954_ext)
		h225_skip_extensions(r);
	if (ext)
		h225_skip_extensions(r);
}

/* A CHOICE of NULLs: only an extension alternative has contents. */
static void skip_null_choice(struct avaya_per *r, u32 nroot)
{
	h225_choice_idx(r, nroot);
}

static void read_setup_ext(struct avaya_per *r, unsigned int idx,
			   struct avaya_q931 *m)
{
	if (idx == SETUP_EXT_SOURCE_CSA)
		read_taddr(r, &m->src_csa);
}

/* Setup-UUIE root: seven optional fields, in this presence-bit order. */
#define SETUP_OPT_H245_ADDRESS	0x40
#define SETUP_OPT_SOURCE_ADDR	0x20
#define SETUP_OPT_DEST_ADDR	0x10
#define SETUP_OPT_DEST_CSA	0x08
#define SETUP_OPT_DEST_EXTRA	0x04
#define SETUP_OPT_DEST_CRV	0x02
#define SETUP_OPT_CALL_SERVICES	0x01

static void read_setup(struct avaya_per *r, struct avaya_q931 *m)
{
	u32 opt = per_bits(r, 8);	/* extension bit, 7 presence bits */
	bool ext = opt >> 7;

	h225_skip_oid(r);
	if (opt & SETUP_OPT_H245_ADDRESS)
		read_taddr(r, &m->h245_addr);
	if (opt & SETUP_OPT_SOURCE_ADDR)
		h225_skip_aliases(r);
	h225_skip_endpoint_type(r);		/* sourceInfo */
	if (opt & SETUP_OPT_DEST_ADDR)
		h225_skip_aliases(r);
	if (opt & SETUP_OPT_DEST_CSA)
		read_taddr(r, &m->dst_csa);
	if (opt & SETUP_OPT_DEST_EXTRA)
		h225_skip_aliases(r);
	if (opt & SETUP_OPT_DEST_CRV)
		h225_skip_seqof(r, skip_crv);
	per_bit(r);				/* activeMC */
	per_take_octets(r, 16);			/* conferenceID */
	skip_null_choice(r, 3);			/* conferenceGoal */
	if (opt & SETUP_OPT_CALL_SERVICES)
		skip_qseries_options(r);
	skip_null_choice(r, 4);			/* callType */
	if (ext)
		read_uuie_ext(r, m, SETUP_EXT_TOKENS, SETUP_EXT_FASTSTART,
			      read_setup_ext);
}

/* CallProceeding and Alerting share their root: id, endpoint, address. */
static void read_proceeding_or_alerting(struct avaya_per *r,
					struct avaya_q931 *m,
					unsigned int tok_idx,
					unsigned int fs_idx)
{
	u32 lead = per_bits(r, 2);
	bool ext = lead & 2;
	bool h245 = lead & 1;

	h225_skip_oid(r);
	h225_skip_endpoint_type(r);		/* destinationInfo */
	if (h245)
		read_taddr(r, &m->h245_addr);
	if (ext)
		read_uuie_ext(r, m, tok_idx, fs_idx, NULL);
}

static void read_connect(struct avaya_per *r, struct avaya_q931 *m)
{
	u32 lead = per_bits(r, 2);
	bool ext = lead & 2;
	bool h245 = lead & 1;

	h225_skip_oid(r);
	if (h245)
		read_taddr(r, &m->h245_addr);
	h225_skip_endpoint_type(r);		/* destinationInfo */
	per_take_octets(r, 16);			/* conferenceID */
	if (ext)
		read_uuie_ext(r, m, CONNECT_EXT_TOKENS, CONNECT_EXT_FASTSTART,
			      NULL);
}

static void read_information(struct avaya_per *r, struct avaya_q931 *m)
{
	bool ext = per_bit(r);

	h225_skip_oid(r);
	if (ext)
		read_uuie_ext(r, m, INFORMATION_EXT_TOKENS,
			      INFORMATION_EXT_FASTSTART, NULL);
}

static void read_release_complete(struct avaya_per *r, struct avaya_q931 *m)
{
	u32 lead = per_bits(r, 2);
	bool ext = lead & 2;
	bool reason = lead & 1;

	h225_skip_oid(r);
	if (reason)
		skip_null_choice(r, 12);
	if (ext)
		read_token_ext(r, m, RELEASE_COMPLETE_EXT_TOKENS);
}

static void read_facility_ext(struct avaya_per *r, unsigned int idx,
			      struct avaya_q931 *m)
{
	if (idx == FACILITY_EXT_H245_ADDRESS)
		read_taddr(r, &m->h245_addr);
}

static void read_facility(struct avaya_per *r, struct avaya_q931 *m)
{
	u32 opt = per_bits(r, 4);	/* extension bit, 3 presence bits */
	bool ext = opt >> 3;
	u32 reason;

	h225_skip_oid(r);
	if (opt & 4)
		h225_skip_transport_address(r);	/* alternativeAddress */
	if (opt & 2)
		h225_skip_aliases(r);
	if (opt & 1)
		per_take_octets(r, 16);		/* conferenceID */
	reason = h225_choice_idx(r, 4);	/* the shim's min_t() is a macro */
	m->facility_reason = min_t(u32, reason, 255);
	if (ext)
		read_uuie_ext(r, m, FACILITY_EXT_TOKENS, FACILITY_EXT_FASTSTART,
			      read_facility_ext);
}

/* SecurityServiceMode: nonStandard, none, default. */
static void skip_security_mode(struct avaya_per *r)
{
	if (h225_choice_idx(r, 3) == 0)
		h225_skip_nonstandard_parameter(r);
}

/* H245Security: nonStandard, noSecurity, tls and ipsec capabilities. */
static void skip_h245_security(struct avaya_per *r)
{
	u32 alt = h225_choice_idx(r, 4);
	bool extended;

	if (alt == 0) {
		h225_skip_nonstandard_parameter(r);
	} else if (alt == 2 || alt == 3) {
		extended = per_bit(r);
		if (per_bit(r))
			h225_skip_nonstandard_parameter(r);
		skip_security_mode(r);		/* encryption */
		skip_security_mode(r);		/* authenticaton */
		skip_security_mode(r);		/* integrity */
		if (extended)
			h225_skip_extensions(r);
	}
}

/* Progress-UUIE root: five optional fields, in this presence-bit order. */
#define PROGRESS_OPT_H245_ADDRESS	0x10
#define PROGRESS_OPT_SECURITY		0x08
#define PROGRESS_OPT_TOKENS		0x04
#define PROGRESS_OPT_CRYPTO_TOKENS	0x02
#define PROGRESS_OPT_FASTSTART		0x01

static void read_progress(struct avaya_per *r, struct avaya_q931 *m)
{
	u32 opt = per_bits(r, 6);	/* extension bit, 5 presence bits */
	bool ext = opt >> 5;
	bool call_id_ext;

	h225_skip_oid(r);
	h225_skip_endpoint_type(r);		/* destinationInfo */
	if (opt & PROGRESS_OPT_H245_ADDRESS)
		read_taddr(r, &m->h245_addr);
	call_id_ext = per_bit(r);		/* callIdentifier */
	per_take_octets(r, 16);
	if (call_id_ext)
		h225_skip_extensions(r);
	if (opt & PROGRESS_OPT_SECURITY)
		skip_h245_security(r);
	if (opt & PROGRESS_OPT_TOKENS) {
		m->has_tokens = true;
		h225_skip_seqof(r, h225_skip_clear_token);
	}
	if (opt & PROGRESS_OPT_CRYPTO_TOKENS) {
		m->has_crypto_tokens = true;
		h225_skip_seqof(r, h225_skip_crypto_h323_token);
	}
	if (opt & PROGRESS_OPT_FASTSTART)
		read_faststart(r, m);
	if (ext)
		h225_skip_extensions(r);
}

/*
 * Status, StatusInquiry, SetupAcknowledge and Notify: an extension bit,
 * then the presence of tokens and cryptoTokens lead their roots. Nothing
 * else in them matters: the rest stays unread in its open type.
 */
static void read_short_uuie_tokens(struct avaya_per *r, struct avaya_q931 *m)
{
	u32 opt = per_bits(r, 3);

	if (per_failed(r))
		return;
	m->has_tokens |= !!(opt & 2);
	m->has_crypto_tokens |= opt & 1;
}

static void read_message_body(struct avaya_per *r, struct avaya_q931 *m)
{
	struct avaya_per ext;
	u32 alt = h225_choice_fast(r, 7, &ext);

	m->uuie = alt < AVAYA_UUIE_NOTIFY + 1 ? alt : AVAYA_UUIE_NONE;
	switch (alt) {
	case AVAYA_UUIE_SETUP:
		read_setup(r, m);
		break;
	case AVAYA_UUIE_CALL_PROCEEDING:
		read_proceeding_or_alerting(r, m, CALL_PROCEEDING_EXT_TOKENS,
					    CALL_PROCEEDING_EXT_FASTSTART);
		break;
	case AVAYA_UUIE_CONNECT:
		read_connect(r, m);
		break;
	case AVAYA_UUIE_ALERTING:
		read_proceeding_or_alerting(r, m, ALERTING_EXT_TOKENS,
					    ALERTING_EXT_FASTSTART);
		break;
	case AVAYA_UUIE_INFORMATION:
		read_information(r, m);
		break;
	case AVAYA_UUIE_RELEASE_COMPLETE:
		read_release_complete(r, m);
		break;
	case AVAYA_UUIE_FACILITY:
		read_facility(r, m);
		break;
	case AVAYA_UUIE_PROGRESS:
		/* An extension alternative: decoded inside its open type. */
		if (per_failed(r))
			break;
		read_progress(&ext, m);
		if (per_failed(&ext))
			per_fail(r);
		break;
	case AVAYA_UUIE_STATUS:
	case AVAYA_UUIE_STATUS_INQUIRY:
	case AVAYA_UUIE_SETUP_ACK:
	case AVAYA_UUIE_NOTIFY:
		if (!per_failed(r))
			read_short_uuie_tokens(&ext, m);
		break;
	default:
		/* empty, later additions: already skipped by length */
		break;
	}
}

/*
 * H323-UU-PDU: the message body, an optional nonStandardData, then the
 * additions, where h245Tunnelling and h245Control live.
 */
static void read_uu_pdu(struct avaya_per *r, struct avaya_q931 *m)
{
	u32 lead = per_bits(r, 2);
	bool ext = lead & 2;
	bool nonstd = lead & 1;
	struct avaya_per sub;
	unsigned int idx;
	struct h225_ext x;

	read_message_body(r, m);
	if (nonstd)
		h225_skip_nonstandard_parameter(r);
	if (!ext || per_failed(r))
		return;
	h225_ext_begin_fast(r, &x);
	while (h225_ext_next_of(r, &x, H225_EXT_BIT(UU_PDU_EXT_TUNNELLING) |
				H225_EXT_BIT(UU_PDU_EXT_H245_CONTROL),
				&idx, &sub)) {
		if (idx == UU_PDU_EXT_TUNNELLING)
			m->h245_tunnelling = per_bit(&sub);
		else if (idx == UU_PDU_EXT_H245_CONTROL)
			read_h245_control(&sub, m);
		/* nonStandardControl, genericData...: skipped by length */
		if (per_failed(&sub))
			per_fail(r);
	}
}

static int decode_user_user(const u8 *buf, size_t off, size_t len,
			    struct avaya_q931 *m)
{
	struct avaya_per r;

	if (len < 1 || buf[off] != Q931_UU_X208)
		return -AVAYA_EBADMSG;
	per_init(&r, buf + off + 1, len - 1);
	r.base = off + 1;
	/* H323-UserInformation: extension bit, user-data presence, PDU. */
	per_bits(&r, 2);
	read_uu_pdu(&r, m);
	if (per_failed(&r)) {
		m->n_media = 0;
		return -AVAYA_EBADMSG;
	}
	return 0;
}

/* Walk the information elements to the User-user IE. */
static int find_user_user(const u8 *buf, size_t len, size_t pos,
			  struct avaya_q931 *m)
{
	size_t ielen;

	while (pos < len) {
		if (buf[pos] & 0x80) {		/* single-octet IE */
			pos++;
			continue;
		}
		if (buf[pos] == Q931_IE_USER_USER) {
			if (len - pos < 3)
				return -AVAYA_EBADMSG;
			ielen = (size_t)buf[pos + 1] << 8 | buf[pos + 2];
			pos += 3;
			if (ielen > len - pos)
				return -AVAYA_EBADMSG;
			return decode_user_user(buf, pos, ielen, m);
		}
		if (len - pos < 2)
			return -AVAYA_EBADMSG;
		ielen = buf[pos + 1];
		pos += 2;
		if (ielen > len - pos)
			return -AVAYA_EBADMSG;
		pos += ielen;
	}
	return 0;
}

int avaya_q931_decode(const u8 *buf, size_t len, struct avaya_q931 *m)
{
	size_t crlen, pos, i;

	/* The arrays at the end are only valid up to their counts. */
	memset(m, 0, offsetof(struct avaya_q931, media));
	m->uuie = AVAYA_UUIE_NONE;
	/* Offsets are u16: one TPKT never carries more. */
	if (len > 65535)
		return -AVAYA_ERANGE;
	if (len < 3 || buf[0] != Q931_PROTOCOL_DISCRIMINATOR)
		return -AVAYA_EBADMSG;
	crlen = buf[1];
	if (crlen > 2 || len < 3 + crlen)
		return -AVAYA_EBADMSG;
	for (i = 0; i < crlen; i++)
		m->call_ref = m->call_ref << 8 | buf[2 + i];
	if (crlen) {
		m->call_ref_flag = buf[2] & 0x80;
		m->call_ref &= crlen == 2 ? 0x7fff : 0x7f;
	}
	pos = 2 + crlen;
	m->msg_type = buf[pos++];
	return find_user_user(buf, len, pos, m);
}

AVAYA_EXPORT(avaya_q931_decode);
