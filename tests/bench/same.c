// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * same-results driver (same-results.sh): built once against the decoders of
 * a reference commit and once against the tree's, it runs every decoder on
 * the same inputs and prints what each one decoded, so that the two builds
 * can be compared decode by decode, field by field.
 *
 * Inputs, each a pure function of its index (so that one can be shown
 * again): the KUnit vectors (seeds.h, generated), the UDP/TCP payloads of
 * the capture files named on the command line, every prefix and every
 * single-bit flip of those seeds, fixed-seed random mutations of them, and
 * random buffers.
 *
 * Every input goes through every decoder (slots below). A decode's result is
 * written as "field value" pairs; a field the API says is not valid after the
 * decode's return code (a partial result after an error) is marked partial.
 *
 *   same hash MUTATIONS RANDOM [PCAP...]   per decode: two 32-bit hashes
 *                                          (valid fields, partial fields)
 *   same show INDEX MUTATIONS RANDOM [PCAP...]
 *                                          the fields of one input's decodes
 *   same cmp REF NEW                       compare two hash streams
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avaya_ras.h"
#include "avaya_q931.h"
#include "avaya_h245.h"
#include "avaya_sip.h"
#include "../kunit/avaya_ras_vectors.h"
#include "../kunit/avaya_nat_vectors.h"
#include "../kunit/avaya_q931_vectors.h"
#include "../kunit/avaya_h245_vectors.h"
#include "../kunit/avaya_sip_vectors.h"

#define MAX_IN		8192
#define MAX_SEEDS	4096

struct seed {
	const u8 *buf;
	size_t len;
	const char *name;
};

#define VEC(v)	{ (const u8 *)(v), sizeof(v), #v }
#define TXT(v)	{ (const u8 *)(v), sizeof(v) - 1, #v }

static const struct seed vectors[] = {
#include "seeds.h"
};

static struct seed seeds[MAX_SEEDS];
static size_t n_seeds;

/* ---- output: text, or two FNV-1a hashes (valid and partial fields) ---- */

enum { SLOT_RAS, SLOT_TPKT, SLOT_Q931, SLOT_H245, SLOT_OLC, SLOT_SIP, SLOTS };

static const char *const slot_name[SLOTS] = {
	"ras", "tpkt", "q931", "h245", "olc", "sip",
};

struct out {
	FILE *text;		/* show mode */
	u32 h[2];		/* hash mode: [0] valid fields, [1] partial */
	bool partial;		/* the fields now written are partial */
	int rc;			/* the decode's return code */
};

static void hash_bytes(u32 *h, const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		*h = (*h ^ *b++) * 16777619U;
}

static void put(struct out *o, const char *name, unsigned long long v)
{
	if (o->text) {
		fprintf(o->text, "  %s%s %llu\n", o->partial ? "(partial) " : "",
			name, v);
		return;
	}
	hash_bytes(&o->h[o->partial], &v, sizeof(v));
}

static void put_bytes(struct out *o, const char *name, const u8 *p, size_t n)
{
	size_t i;

	if (o->text) {
		fprintf(o->text, "  %s%s ", o->partial ? "(partial) " : "", name);
		for (i = 0; i < n; i++)
			fprintf(o->text, "%02x", p[i]);
		fprintf(o->text, "\n");
		return;
	}
	hash_bytes(&o->h[o->partial], p, n);
}

/* A field's name, made only where it is printed (show). */
static bool naming;

#define PREFIX(b, ...) \
	((void)(naming ? snprintf(b, sizeof(b), __VA_ARGS__) : (b[0] = 0)))

static char *fname(char *b, const char *pre, const char *f, int i)
{
	if (!naming)
		b[0] = 0;
	else if (i >= 0)
		snprintf(b, 96, "%s[%d].%s", pre, i, f);
	else
		snprintf(b, 96, "%s.%s", pre, f);
	return b;
}

#define PUT(pre, i, s, f)	put(o, fname(nb, pre, #f, i), (s)->f)

static void put_taddr(struct out *o, const char *pre, int i,
		      const struct avaya_taddr *a)
{
	char nb[96];

	PUT(pre, i, a, family);
	PUT(pre, i, a, port);
	PUT(pre, i, a, off);
	put_bytes(o, fname(nb, pre, "ip", i), a->ip, sizeof(a->ip));
}

/* ---- RAS ---- */

static void put_ras(struct out *o, int rc, const struct avaya_ras *m)
{
	char nb[96];
	int i;

	put(o, "rc", rc);
	o->rc = rc;
	o->partial = rc != 0;
	PUT("m", -1, m, type);
	PUT("m", -1, m, decoded);
	PUT("m", -1, m, has_seq);
	PUT("m", -1, m, seq);
	PUT("m", -1, m, n_ras);
	PUT("m", -1, m, ras_overflow);
	for (i = 0; i < m->n_ras && i < RAS_MAX_ADDRS; i++)
		put_taddr(o, "ras", i, &m->ras[i]);
	PUT("m", -1, m, n_csa);
	PUT("m", -1, m, csa_overflow);
	for (i = 0; i < m->n_csa && i < RAS_MAX_ADDRS; i++)
		put_taddr(o, "csa", i, &m->csa[i]);
	PUT("m", -1, m, n_alt_gk);
	PUT("m", -1, m, alt_gk_overflow);
	for (i = 0; i < m->n_alt_gk && i < RAS_MAX_ALT_GK; i++)
		put_taddr(o, "alt_gk", i, &m->alt_gk[i]);
	PUT("m", -1, m, has_ttl);
	PUT("m", -1, m, keep_alive);
	PUT("m", -1, m, has_tokens);
	PUT("m", -1, m, has_crypto_tokens);
	PUT("m", -1, m, has_nonstd);
	PUT("m", -1, m, has_reject_reason);
	PUT("m", -1, m, reject_reason);
	PUT("m", -1, m, ttl);
	PUT("m", -1, m, has_epid);
	PUT("m", -1, m, epid_chars);
	PUT("m", -1, m, epid_off);
	PUT("m", -1, m, has_gkid);
	PUT("m", -1, m, gkid_chars);
	PUT("m", -1, m, gkid_off);
}

/* ---- TPKT, Q.931, H.245 ---- */

static void put_media(struct out *o, const char *pre, int i,
		      const struct avaya_media *e)
{
	char nb[96], p[64];

	PREFIX(p, "%s[%d].addr", pre, i);
	put_taddr(o, p, -1, &e->addr);
	PUT(pre, i, e, channel);
	PUT(pre, i, e, flags);
}

static void put_h245(struct out *o, int rc, const struct avaya_h245 *m)
{
	char nb[96];
	int i;

	put(o, "rc", rc);
	o->rc = rc;
	o->partial = rc != 0;
	PUT("m", -1, m, kind);
	PUT("m", -1, m, branch);
	PUT("m", -1, m, index);
	PUT("m", -1, m, n_media);
	PUT("m", -1, m, channel);
	for (i = 0; i < m->n_media && i < AVAYA_H245_MAX_MEDIA; i++)
		put_media(o, "media", i, &m->media[i]);
}

static void put_q931(struct out *o, int rc, const struct avaya_q931 *m)
{
	char nb[96];
	int i;

	put(o, "rc", rc);
	o->rc = rc;
	/* After an error the message header stays valid (avaya_q931.h). */
	PUT("m", -1, m, call_ref);
	PUT("m", -1, m, call_ref_flag);
	PUT("m", -1, m, msg_type);
	o->partial = rc != 0;
	PUT("m", -1, m, uuie);
	PUT("m", -1, m, facility_reason);
	PUT("m", -1, m, h245_tunnelling);
	put_taddr(o, "h245_addr", -1, &m->h245_addr);
	put_taddr(o, "src_csa", -1, &m->src_csa);
	put_taddr(o, "dst_csa", -1, &m->dst_csa);
	PUT("m", -1, m, n_faststart);
	PUT("m", -1, m, n_tunnelled);
	PUT("m", -1, m, n_bad);
	PUT("m", -1, m, n_media);
	PUT("m", -1, m, media_dropped);
	PUT("m", -1, m, n_h245);
	PUT("m", -1, m, h245_dropped);
	for (i = 0; i < m->n_media && i < AVAYA_Q931_MAX_MEDIA; i++)
		put_media(o, "media", i, &m->media[i]);
	for (i = 0; i < m->n_h245 && i < AVAYA_Q931_MAX_H245; i++) {
		PUT("h245", i, &m->h245[i], kind);
		PUT("h245", i, &m->h245[i], channel);
	}
}

/* ---- SIP ---- */

static void put_span(struct out *o, const char *name,
		     const struct avaya_sip_span *s)
{
	char nb[96];

	put(o, fname(nb, name, "off", -1), s->off);
	put(o, fname(nb, name, "len", -1), s->len);
}

#define SPAN(pre, s, f)	put_span(o, fname(sb, pre, #f, -1), &(s)->f)
#define VAL(pre, s, f)	put(o, fname(sb, pre, #f, -1), (s)->f)

/* The glue turns host spans into addresses: so do we, on every one. */
static void put_addr(struct out *o, const char *pre, const u8 *buf,
		     size_t len, const struct avaya_sip_span *s)
{
	bool was = o->partial;
	u8 family = 0xa5, ip[16];
	char sb[96];
	int rc;

	if (!s->len || s->off + s->len > len)
		return;
	memset(ip, 0xa5, sizeof(ip));
	rc = avaya_sip_parse_addr(buf + s->off, s->len, &family, ip);
	put(o, fname(sb, pre, "parse_addr.rc", -1), rc);
	o->partial = was || rc;
	put(o, fname(sb, pre, "parse_addr.family", -1), family);
	put_bytes(o, fname(sb, pre, "parse_addr.ip", -1), ip, sizeof(ip));
	o->partial = was;
}

static void put_hostport(struct out *o, const char *pre, const u8 *buf,
			 size_t len, const struct avaya_sip_hostport *h)
{
	char sb[96];

	SPAN(pre, h, all);
	SPAN(pre, h, host);
	SPAN(pre, h, port_txt);
	VAL(pre, h, port);
	VAL(pre, h, has_port);
	VAL(pre, h, v6ref);
	put_addr(o, pre, buf, len, &h->host);
}

static void put_uri(struct out *o, const char *pre, const u8 *buf,
		    size_t len, const struct avaya_sip_uri *u)
{
	char sb[96];

	SPAN(pre, u, all);
	PREFIX(sb, "%s.host", pre);
	put_hostport(o, sb, buf, len, &u->host);
}

static void put_conn(struct out *o, const char *pre, const u8 *buf,
		     size_t len, const struct avaya_sip_sdp_conn *c)
{
	char sb[96];

	SPAN(pre, c, addr);
	VAL(pre, c, family);
	put_addr(o, pre, buf, len, &c->addr);
}

static void put_sip(struct out *o, int rc, const u8 *buf, size_t len,
		    const struct avaya_sip_msg *m)
{
	char sb[96], p[64];
	int i;

	put(o, "rc", rc);
	o->rc = rc;
	/*
	 * Valid after an error: the headers of an incomplete message whose
	 * headers were all read, and of one whose SDP body is malformed.
	 */
	o->partial = rc < 0 && !(rc == -AVAYA_SIP_EBADSDP ||
				 (rc == -AVAYA_SIP_INCOMPLETE && m->hdr_done));
	VAL("m", m, is_request);
	VAL("m", m, method);
	VAL("m", m, status);
	SPAN("m", m, start);
	SPAN("m", m, method_txt);
	put_uri(o, "ruri", buf, len, &m->ruri);
	for (i = 0; i < m->n_via && i < AVAYA_SIP_MAX_VIA; i++) {
		PREFIX(p, "via[%d]", i);
		SPAN(p, &m->via[i], transport);
		PREFIX(sb, "%s.sent_by", p);
		put_hostport(o, sb, buf, len, &m->via[i].sent_by);
		SPAN(p, &m->via[i], received);
		SPAN(p, &m->via[i], rport);
		VAL(p, &m->via[i], rport_val);
		VAL(p, &m->via[i], has_received);
		VAL(p, &m->via[i], has_rport);
		put_addr(o, p, buf, len, &m->via[i].received);
	}
	for (i = 0; i < m->n_contact && i < AVAYA_SIP_MAX_CONTACT; i++) {
		PREFIX(p, "contact[%d]", i);
		PREFIX(sb, "%s.uri", p);
		put_uri(o, sb, buf, len, &m->contact[i].uri);
		SPAN(p, &m->contact[i], expires_txt);
		VAL(p, &m->contact[i], expires);
		VAL(p, &m->contact[i], has_expires);
		VAL(p, &m->contact[i], star);
	}
	put_uri(o, "from.uri", buf, len, &m->from.uri);
	SPAN("from", &m->from, tag);
	put_uri(o, "to.uri", buf, len, &m->to.uri);
	SPAN("to", &m->to, tag);
	SPAN("m", m, call_id);
	SPAN("m", m, cseq_method_txt);
	SPAN("m", m, clen_txt);
	VAL("m", m, cseq);
	VAL("m", m, expires);
	VAL("m", m, clen);
	VAL("m", m, n_via);
	VAL("m", m, n_contact);
	VAL("m", m, cseq_method);
	VAL("m", m, has_expires);
	VAL("m", m, has_clen);
	VAL("m", m, is_sdp);
	VAL("m", m, hdr_done);
	VAL("m", m, overflow);
	VAL("m", m, body_off);
	VAL("m", m, body_len);
	VAL("m", m, msg_len);
	/* The SDP body is valid on success only. */
	if (rc < 0)
		o->partial = true;
	put_conn(o, "sdp.origin", buf, len, &m->sdp.origin);
	put_conn(o, "sdp.conn", buf, len, &m->sdp.conn);
	VAL("sdp", &m->sdp, n_media);
	for (i = 0; i < m->sdp.n_media && i < AVAYA_SIP_MAX_MEDIA; i++) {
		const struct avaya_sip_media *md = &m->sdp.media[i];

		PREFIX(p, "sdp.media[%d]", i);
		SPAN(p, md, type);
		SPAN(p, md, port_txt);
		SPAN(p, md, rtcp_txt);
		VAL(p, md, port);
		VAL(p, md, rtcp_port);
		VAL(p, md, kind);
		VAL(p, md, has_rtcp);
		PREFIX(sb, "%s.conn", p);
		put_conn(o, sb, buf, len, &md->conn);
	}
}

/* ---- one input through every decoder ---- */

/* Results start from a fixed pattern: even bytes a decoder leaves alone. */
static union {
	struct avaya_ras ras;
	struct avaya_q931 q931;
	struct avaya_h245 h245;
	struct avaya_sip_msg sip;
} res;

static void decode(int slot, const u8 *buf, size_t len, struct out *o)
{
	const u8 *p = len >= 4 ? buf + 4 : buf;
	size_t n = len >= 4 ? len - 4 : len;
	size_t off = 0xa5a5, mlen = 0x5a5a;
	struct avaya_per r;
	int rc;

	memset(&res, 0xa5, sizeof(res));
	o->partial = false;
	switch (slot) {
	case SLOT_RAS:
		put_ras(o, avaya_ras_decode(buf, len, &res.ras), &res.ras);
		break;
	case SLOT_TPKT:
		rc = avaya_tpkt_frame(buf, len, &off, &mlen);
		put(o, "rc", rc);
	o->rc = rc;
		o->partial = rc <= 0;
		put(o, "msg_off", off);
		put(o, "msg_len", mlen);
		break;
	case SLOT_Q931:
		put_q931(o, avaya_q931_decode(p, n, &res.q931), &res.q931);
		break;
	case SLOT_H245:
		put_h245(o, avaya_h245_decode(p, n, &res.h245), &res.h245);
		break;
	case SLOT_OLC:
		/* a fastStart element: a bare OpenLogicalChannel */
		per_init(&r, p, n);
		rc = h245_decode_olc_per(&r, &res.h245);
		put_h245(o, rc, &res.h245);
		break;
	case SLOT_SIP:
		rc = avaya_sip_parse(buf, len, &res.sip);
		put_sip(o, rc, buf, len, &res.sip);
		break;
	}
}

/* ---- inputs ---- */

static u64 rng_state;

static u64 rng(void)
{
	/* splitmix64: every input's stream from its index alone */
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t below(size_t n)
{
	return n ? rng() % n : 0;
}

static const char *const dict[] = {
	"\r\n", "\r\n\r\n", "\n", " ", "\t", ":", ";", ",", "<", ">", "@",
	"[", "]", "\"", "\\", "=", "/", "*", "sip:", "sips:", "tel:",
	"SIP/2.0", "SIP/2.0 200 OK\r\n", "INVITE ", "REGISTER ",
	"Via: SIP/2.0/UDP ", "v: SIP/2.0/TCP [::1]:5060;rport;received=",
	"Contact: ", "m: ", "Contact: *", ";expires=", "From: ", "To: ",
	";tag=", "Call-ID: ", "CSeq: 1 ", "Expires: ", "Content-Length: ",
	"l: ", "Content-Type: application/sdp", "c: application/sdp",
	" \r\n ", "\r\n\t", "0", "65535", "65536", "4294967295",
	"4294967296", "999", "::", "::ffff:1.2.3.4", "[2001:db8::1]",
	"1.2.3.4", "256.1.1.1", "v=0\r\n", "o=- 1 1 IN IP4 10.0.0.1\r\n",
	"c=IN IP4 10.0.0.2/127\r\n", "c=IN IP6 ::2\r\n",
	"m=audio 4000 RTP/AVP 0\r\n", "m=video ", "m=image ", "a=rtcp:",
	"a=rtcp:4001 IN IP4 1.1.1.1\r\n", "rport", "received", "branch=z9",
};

/* Interesting PER octets: length forms, extension bits, all ones. */
static const u8 per_bytes[] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0f, 0x10,
	0x1f, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xbf, 0xc0, 0xc1, 0xfe, 0xff,
};

static size_t mutate_once(u8 *b, size_t len)
{
	size_t i, n, at;
	const struct seed *s;
	const char *w;

	switch (below(11)) {
	case 0:		/* flip a bit */
		if (len)
			b[below(len)] ^= 1 << below(8);
		break;
	case 1:		/* an interesting octet */
		if (len)
			b[below(len)] = per_bytes[below(sizeof(per_bytes))];
		break;
	case 2:		/* a random octet */
		if (len)
			b[below(len)] = rng();
		break;
	case 3:		/* a small step, e.g. of a length */
		if (len)
			b[below(len)] += (int)below(9) - 4;
		break;
	case 4:		/* insert random octets */
		n = 1 + below(4);
		if (len + n > MAX_IN)
			break;
		at = below(len + 1);
		memmove(b + at + n, b + at, len - at);
		for (i = 0; i < n; i++)
			b[at + i] = rng();
		len += n;
		break;
	case 5:		/* delete a range */
		if (!len)
			break;
		at = below(len);
		n = 1 + below(min_t(size_t, 16, len - at));
		memmove(b + at, b + at + n, len - at - n);
		len -= n;
		break;
	case 6:		/* copy a range over another place */
		if (len < 2)
			break;
		at = below(len);
		n = 1 + below(min_t(size_t, 32, len - at));
		i = below(len - n + 1);
		memmove(b + i, b + at, n);
		break;
	case 7:		/* truncate */
		len = below(len + 1);
		break;
	case 8:		/* splice in the tail of another seed */
		s = &seeds[below(n_seeds)];
		at = below(len + 1);
		i = below(s->len + 1);
		n = min_t(size_t, s->len - i, MAX_IN - at);
		memcpy(b + at, s->buf + i, n);
		len = at + n;
		break;
	default:	/* insert a word of SIP or SDP */
		w = dict[below(ARRAY_SIZE(dict))];
		n = strlen(w);
		if (len + n > MAX_IN)
			break;
		at = below(len + 1);
		if (below(2)) {
			/* at a line start, where the words make sense */
			while (at > 0 && b[at - 1] != '\n')
				at--;
		}
		memmove(b + at + n, b + at, len - at);
		memcpy(b + at, w, n);
		len += n;
		break;
	}
	return len;
}

struct plan {
	size_t seeds, prefixes, flips, mutations, random, total;
};

static struct plan plan;

static void make_plan(size_t mutations, size_t random)
{
	size_t i;

	plan.seeds = n_seeds;
	for (i = 0; i < n_seeds; i++) {
		plan.prefixes += seeds[i].len;
		plan.flips += seeds[i].len * 8;
	}
	plan.mutations = mutations;
	plan.random = random;
	plan.total = plan.seeds + plan.prefixes + plan.flips + mutations +
		     random;
}

/* Input @idx into @b; returns its length. */
static size_t input(size_t idx, u8 *b, const char **what)
{
	size_t i, len, k;

	rng_state = 0x5eed0000ULL + idx;
	if (idx < plan.seeds) {
		*what = seeds[idx].name;
		memcpy(b, seeds[idx].buf, seeds[idx].len);
		return seeds[idx].len;
	}
	idx -= plan.seeds;
	if (idx < plan.prefixes) {
		for (i = 0; idx >= seeds[i].len; i++)
			idx -= seeds[i].len;
		*what = "prefix";
		memcpy(b, seeds[i].buf, idx);
		return idx;
	}
	idx -= plan.prefixes;
	if (idx < plan.flips) {
		for (i = 0; idx >= seeds[i].len * 8; i++)
			idx -= seeds[i].len * 8;
		*what = "bit flip";
		memcpy(b, seeds[i].buf, seeds[i].len);
		b[idx / 8] ^= 0x80 >> (idx % 8);
		return seeds[i].len;
	}
	idx -= plan.flips;
	if (idx < plan.mutations) {
		const struct seed *s = &seeds[below(n_seeds)];

		*what = "mutation";
		memcpy(b, s->buf, s->len);
		len = s->len;
		for (k = 1 + below(8); k; k--)
			len = mutate_once(b, len);
		return len;
	}
	*what = "random";
	len = below(below(4) ? 64 : 600);
	for (i = 0; i < len; i++)
		b[i] = below(4) ? rng() : per_bytes[below(sizeof(per_bytes))];
	return len;
}

/* ---- capture files: UDP and TCP payloads of classic pcaps ---- */

static u32 rd32(const u8 *p, bool swap)
{
	u32 v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static void add_seed(const u8 *p, size_t n, const char *name)
{
	u8 *copy;
	size_t i;

	if (!n || n > MAX_IN || n_seeds >= MAX_SEEDS)
		return;
	for (i = 0; i < n_seeds; i++)
		if (seeds[i].len == n && !memcmp(seeds[i].buf, p, n))
			return;
	copy = malloc(n);
	if (!copy)
		abort();
	memcpy(copy, p, n);
	seeds[n_seeds].buf = copy;
	seeds[n_seeds].len = n;
	seeds[n_seeds++].name = name;
}

/* Signalling ports; media (RTP) payloads only dilute the seeds. */
static bool signalling(unsigned int sp, unsigned int dp, bool tcp)
{
	static const unsigned int ports[] = { 1718, 1719, 1720, 5060, 5061 };
	size_t i;

	if (tcp)
		return true;	/* H.245 runs on negotiated TCP ports */
	for (i = 0; i < ARRAY_SIZE(ports); i++)
		if (sp == ports[i] || dp == ports[i])
			return true;
	return false;
}

static void add_packet(const u8 *p, size_t n, unsigned int link,
		       const char *name)
{
	unsigned int proto, sp, dp, hl;

	if (link == 1) {		/* Ethernet */
		if (n < 14)
			return;
		proto = p[12] << 8 | p[13];
		p += 14;
		n -= 14;
		if (proto == 0x8100 && n >= 4) {
			proto = p[2] << 8 | p[3];
			p += 4;
			n -= 4;
		}
	} else if (link == 113) {	/* Linux cooked */
		if (n < 16)
			return;
		proto = p[14] << 8 | p[15];
		p += 16;
		n -= 16;
	} else if (link == 101 || link == 228 || link == 229) {	/* raw IP */
		proto = n && (p[0] >> 4) == 6 ? 0x86dd : 0x800;
	} else {
		return;
	}
	if (proto == 0x800 && n >= 20 && (p[0] >> 4) == 4) {
		hl = (p[0] & 15) * 4;
		proto = p[9];
	} else if (proto == 0x86dd && n >= 40) {
		hl = 40;
		proto = p[6];
	} else {
		return;
	}
	if (hl > n)
		return;
	p += hl;
	n -= hl;
	if (proto == 17 && n >= 8) {
		sp = p[0] << 8 | p[1];
		dp = p[2] << 8 | p[3];
		if (signalling(sp, dp, false))
			add_seed(p + 8, n - 8, name);
	} else if (proto == 6 && n >= 20) {
		hl = (p[12] >> 4) * 4;
		if (hl < 20 || hl > n)
			return;
		add_seed(p + hl, n - hl, name);
	}
}

/* pcapng: section headers, interface descriptions, packet blocks. */
static void add_pcapng(FILE *f, const char *path)
{
	unsigned int link[16] = { 0 }, n_if = 0, type, ifc;
	u8 head[8], *blk;
	bool swap = false;
	size_t len, cap;

	while (fread(head, 1, 8, f) == 8) {
		type = rd32(head, swap);
		if (type == 0x0a0d0d0a) {
			/* the byte-order magic decides how to read the rest */
			u8 bom[4];

			if (fread(bom, 1, 4, f) != 4)
				goto bad;
			swap = rd32(bom, false) != 0x1a2b3c4d;
			if (rd32(bom, swap) != 0x1a2b3c4d)
				goto bad;
			len = rd32(head + 4, swap);
			if (len < 16 || len > 1 << 20 ||
			    fseek(f, len - 12, SEEK_CUR))
				goto bad;
			n_if = 0;
			continue;
		}
		len = rd32(head + 4, swap);
		if (len < 12 || len > 1 << 20)
			goto bad;
		blk = malloc(len);
		if (!blk || fread(blk, 1, len - 8, f) != len - 8)
			goto bad;
		if (type == 1 && n_if < ARRAY_SIZE(link) && len >= 16) {
			link[n_if++] = (swap ? __builtin_bswap16(*(u16 *)blk) :
					*(u16 *)blk);
		} else if (type == 6 && len >= 32) {
			ifc = rd32(blk, swap);
			cap = rd32(blk + 12, swap);
			if (ifc < n_if && cap <= len - 32)
				add_packet(blk + 20, cap, link[ifc], path);
		} else if (type == 3 && len >= 16 && n_if) {
			cap = min_t(size_t, rd32(blk, swap), len - 16);
			add_packet(blk + 4, cap, link[0], path);
		}
		free(blk);
	}
	fclose(f);
	return;
bad:
	fprintf(stderr, "same: %s: bad pcapng\n", path);
	exit(2);
}

static void add_pcap(const char *path)
{
	FILE *f = fopen(path, "rb");
	u8 hdr[24], rec[16], *pkt;
	unsigned int link;
	size_t incl;
	bool swap;

	if (!f) {
		perror(path);
		exit(2);
	}
	if (fread(hdr, 1, 24, f) != 24)
		goto bad;
	if (rd32(hdr, false) == 0x0a0d0d0a) {
		rewind(f);
		add_pcapng(f, path);
		return;
	}
	if (rd32(hdr, false) == 0xa1b2c3d4 || rd32(hdr, false) == 0xa1b23c4d)
		swap = false;
	else if (rd32(hdr, true) == 0xa1b2c3d4 ||
		 rd32(hdr, true) == 0xa1b23c4d)
		swap = true;
	else
		goto bad;
	link = rd32(hdr + 20, swap) & 0xffff;
	while (fread(rec, 1, 16, f) == 16) {
		incl = rd32(rec + 8, swap);
		if (incl > 262144)
			goto bad;
		pkt = malloc(incl ? incl : 1);
		if (!pkt || fread(pkt, 1, incl, f) != incl)
			goto bad;
		add_packet(pkt, incl, link, path);
		free(pkt);
	}
	fclose(f);
	return;
bad:
	fprintf(stderr, "same: %s: not a classic pcap\n", path);
	exit(2);
}

static void load(int argc, char **argv, int first)
{
	size_t i;
	int a;

	for (i = 0; i < ARRAY_SIZE(vectors); i++)
		add_seed(vectors[i].buf, vectors[i].len, vectors[i].name);
	for (a = first; a < argc; a++)
		add_pcap(argv[a]);
}

/* ---- modes ---- */

static int run_hash(size_t mutations, size_t random)
{
	static u8 b[MAX_IN];
	const char *what;
	struct out o = { 0 };
	size_t ok[SLOTS] = { 0 };
	u32 rec[2];
	size_t idx, len;
	int s;

	make_plan(mutations, random);
	fprintf(stderr, "same: %zu seeds, %zu inputs, %zu decodes\n",
		plan.seeds, plan.total, plan.total * SLOTS);
	for (idx = 0; idx < plan.total; idx++) {
		len = input(idx, b, &what);
		for (s = 0; s < SLOTS; s++) {
			o.h[0] = o.h[1] = 2166136261U;
			decode(s, b, len, &o);
			/* tpkt: a whole frame; sip: a message length */
			ok[s] += s == SLOT_TPKT || s == SLOT_SIP ? o.rc > 0 :
				 o.rc == 0;
			rec[0] = o.h[0];
			rec[1] = o.h[1];
			if (fwrite(rec, sizeof(rec), 1, stdout) != 1)
				return 2;
		}
	}
	fprintf(stderr, "same: decoded without error:");
	for (s = 0; s < SLOTS; s++)
		fprintf(stderr, " %s %zu", slot_name[s], ok[s]);
	fprintf(stderr, "\n");
	return fflush(stdout) ? 2 : 0;
}

static int run_show(size_t idx, size_t mutations, size_t random)
{
	static u8 b[MAX_IN];
	struct out o = { .text = stdout };
	const char *what;
	size_t len, i;
	int s;

	naming = true;
	make_plan(mutations, random);
	if (idx >= plan.total)
		return 2;
	len = input(idx, b, &what);
	printf("input %zu (%s), %zu octets:", idx, what, len);
	for (i = 0; i < len; i++)
		printf("%s%02x", i % 32 ? "" : "\n  ", b[i]);
	printf("\n");
	for (s = 0; s < SLOTS; s++) {
		printf("%s\n", slot_name[s]);
		decode(s, b, len, &o);
	}
	return 0;
}

/*
 * Compare two hash streams. Prints the number of decodes compared, the
 * differences in valid results, the differences only in partial results
 * after an error (which no caller may act on), and the input index and
 * decoder of the first differences, for `same show`.
 */
static int run_cmp(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	unsigned long long n = 0, diff = 0, pdiff = 0;
	u32 ra[2], rb[2];
	size_t ga, gb;

	if (!fa || !fb) {
		perror("same cmp");
		return 2;
	}
	for (;;) {
		ga = fread(ra, sizeof(ra), 1, fa);
		gb = fread(rb, sizeof(rb), 1, fb);
		if (ga != gb) {
			printf("same: the streams differ in length after %llu decodes\n",
			       n);
			return 1;
		}
		if (!ga)
			break;
		if (ra[0] != rb[0]) {
			if (diff < 20)
				printf("diff input %llu %s\n", n / SLOTS,
				       slot_name[n % SLOTS]);
			diff++;
		} else if (ra[1] != rb[1]) {
			if (pdiff < 20)
				printf("partial input %llu %s\n", n / SLOTS,
				       slot_name[n % SLOTS]);
			pdiff++;
		}
		n++;
	}
	printf("decodes compared %llu, differences %llu, differences in partial results after an error %llu\n",
	       n, diff, pdiff);
	return diff || pdiff ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "cmp"))
		return run_cmp(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "hash")) {
		load(argc, argv, 4);
		return run_hash(strtoull(argv[2], NULL, 0),
				strtoull(argv[3], NULL, 0));
	}
	if (argc >= 5 && !strcmp(argv[1], "show")) {
		load(argc, argv, 5);
		return run_show(strtoull(argv[2], NULL, 0),
				strtoull(argv[3], NULL, 0),
				strtoull(argv[4], NULL, 0));
	}
	fprintf(stderr, "usage: same hash MUTATIONS RANDOM [PCAP...]\n"
		"       same show INDEX MUTATIONS RANDOM [PCAP...]\n"
		"       same cmp REF NEW\n");
	return 2;
}
