// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * Fuzz driver for the SIP/SDP tokenizer. Built by tests/unit/Makefile under
 * ASan/UBSan, it checks the pinned verdicts of a few seeds, then runs every
 * truncation of the KUnit vectors and a fixed-seed series of mutations; each
 * input sits in a heap buffer of exactly its size, so a read past the end is
 * caught. With -DLIBFUZZER it is a libFuzzer
 * target instead: build this file with lib/avaya_sip.c, -Iinclude and
 * clang's -DLIBFUZZER -fsanitize=fuzzer,address,undefined.
 */
#include <stdio.h>
#include <stdlib.h>

#include "avaya_sip.h"
#include "../kunit/avaya_sip_vectors.h"

#define SEED(v) { (const u8 *)(v), sizeof(v) - 1 }
#define PIN(v) .buf = (const u8 *)(v), .len = sizeof(v) - 1

static const struct {
	const u8 *buf;
	size_t len;
} seeds[] = {
	SEED(sip_ndpi_register), SEED(sip_ndpi_401),
	SEED(sip_ndpi_200_register), SEED(sip_ndpi_invite),
	SEED(sip_ndpi_cancel), SEED(sip_ndpi_unregister),
	SEED(sip_ndpi_183), SEED(sip_hep_invite), SEED(sip_hep_200),
	SEED(sip_hep_bye), SEED(sip_edge_compact_v6), SEED(sip_edge_folded),
	SEED(sip_edge_star), SEED(sip_edge_overflow),
	SEED(sip_edge_short_body), SEED(sip_http_get), SEED(sip_http_403),
	SEED(sip_dup_clen_equal), SEED(sip_dup_clen_compact),
	SEED(sip_dup_clen_three), SEED(sip_mp_sipi), SEED(sip_mp_nested),
	SEED(sip_mp_nosdp), SEED(sip_mp_nodelim), SEED(sip_mp_noclose),
	SEED(sip_bare_v6_invite), SEED(sip_skip_contact),
	SEED(sip_rv_midpart_cr), SEED(sip_rv_early), SEED(sip_rv_alt),
	SEED(sip_rv_dup_bnd), SEED(sip_rv_nested_empty),
	SEED(sip_rv2_alt_nested), SEED(sip_rv2_ct_keep), SEED(sip_rv2_cseq3),
};

/* Fragments that steer mutations into the parser's corners. */
static const char * const tokens[] = {
	"\r\n", "\n", "\r\n ", "\r\n\r\n", " ", "\t", ":", ";", ",", "<", ">",
	"\"", "\\", "[", "]", "=", "/", "@", "*", "0", "65535", "65536",
	"4294967295", "4294967296", "99999999999999999999", "sip:", "SIP/2.0",
	"v: ", "m: ", "l: ", "Content-Length: ", ";rport", ";received=",
	";expires=", "[::1]", "::", "IN IP6 ", "m=audio ", "a=rtcp:",
	"c=IN IP4 ", "--", "\r\n--outer\r\n", "\r\n--b5\r\n", ";boundary=",
	"multipart/mixed", "Content-Type: application/sdp\r\n\r\n",
	"fec0:0:0:0:216:d3ff:fe0d:22c:5060", "fd00::1:5060", ":0:", "\r",
	"Content-Disposition: early-session\r\n", "multipart/alternative",
};

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? (unsigned int)(rng_state % n) : 0;
}

static size_t span_end(struct avaya_sip_span s)
{
	return (size_t)s.off + s.len;
}

static size_t max_sz(size_t a, size_t b)
{
	return a > b ? a : b;
}

static size_t hostport_end(const struct avaya_sip_hostport *hp)
{
	return max_sz(span_end(hp->all),
		      max_sz(span_end(hp->host), span_end(hp->port_txt)));
}

static size_t uri_end(const struct avaya_sip_uri *u)
{
	return max_sz(span_end(u->all), hostport_end(&u->host));
}

/* Largest end of any span the parser reported. */
static size_t msg_max_end(const struct avaya_sip_msg *m)
{
	size_t e = max_sz(span_end(m->start), span_end(m->method_txt));
	unsigned int i;

	e = max_sz(e, uri_end(&m->ruri));
	e = max_sz(e, max_sz(uri_end(&m->from.uri), span_end(m->from.tag)));
	e = max_sz(e, max_sz(uri_end(&m->to.uri), span_end(m->to.tag)));
	e = max_sz(e, max_sz(span_end(m->call_id), span_end(m->clen_txt)));
	e = max_sz(e, span_end(m->cseq_method_txt));
	e = max_sz(e, (size_t)m->body_off + m->body_len);
	e = max_sz(e, max_sz(span_end(m->boundary), span_end(m->sdp_part)));
	e = max_sz(e, span_end(m->part_clen_txt));
	for (i = 0; i < AVAYA_SIP_MAX_VIA; i++) {
		const struct avaya_sip_via *v = &m->via[i];

		e = max_sz(e, max_sz(span_end(v->transport),
				     hostport_end(&v->sent_by)));
		e = max_sz(e, max_sz(span_end(v->received),
				     span_end(v->rport)));
	}
	for (i = 0; i < AVAYA_SIP_MAX_CONTACT; i++)
		e = max_sz(e, max_sz(uri_end(&m->contact[i].uri),
				     span_end(m->contact[i].expires_txt)));
	e = max_sz(e, max_sz(span_end(m->sdp.origin.addr),
			     span_end(m->sdp.conn.addr)));
	for (i = 0; i < AVAYA_SIP_MAX_MEDIA; i++) {
		const struct avaya_sip_media *md = &m->sdp.media[i];

		e = max_sz(e, max_sz(span_end(md->type),
				     span_end(md->port_txt)));
		e = max_sz(e, max_sz(span_end(md->rtcp_txt),
				     span_end(md->conn.addr)));
	}
	return e;
}

static void check_addr(const u8 *buf, struct avaya_sip_span s)
{
	u8 ip[16], family;

	if (!avaya_sip_parse_addr(buf + s.off, s.len, &family, ip) &&
	    family != AVAYA_SIP_IP4 && family != AVAYA_SIP_IP6)
		abort();
}

/* Parses one input from an exact-size heap copy and checks invariants. */
static int run_one(const u8 *data, size_t len)
{
	struct avaya_sip_msg m, again;
	u8 *buf = malloc(len ? len : 1);
	size_t lim = len < AVAYA_SIP_MAX_MSG ? len : AVAYA_SIP_MAX_MSG;
	enum avaya_sip_dgram kind;
	int ret;

	if (!buf)
		abort();
	memcpy(buf, data, len);
	/*
	 * The datagram classifier reads the exact-size copy too (ASan sees a
	 * read past it); a whole message it calls no SIP must not parse.
	 */
	kind = avaya_sip_dgram_kind(buf, len);
	if (kind > AVAYA_SIP_DGRAM_NOT_SIP)
		abort();
	ret = avaya_sip_parse(buf, len, &m);
	if (kind == AVAYA_SIP_DGRAM_NOT_SIP && ret > 0)
		abort();
	if (ret > (int)lim || msg_max_end(&m) > lim)
		abort();
	if (ret > 0 && msg_max_end(&m) > (size_t)ret)
		abort();
	/* The SDP, a whole body or one part of it, lies inside the body. */
	if (ret > 0 && m.is_sdp &&
	    (m.sdp_part.off < m.body_off ||
	     span_end(m.sdp_part) > (size_t)m.body_off + m.body_len))
		abort();
	if (m.n_via > AVAYA_SIP_MAX_VIA ||
	    m.n_contact > AVAYA_SIP_MAX_CONTACT ||
	    m.sdp.n_media > AVAYA_SIP_MAX_MEDIA)
		abort();
	/* Same input, same answer: nothing depends on stale state. */
	if (avaya_sip_parse(buf, len, &again) != ret ||
	    memcmp(&m, &again, sizeof(m)))
		abort();
	check_addr(buf, m.via[0].sent_by.host);
	check_addr(buf, m.via[0].received);
	check_addr(buf, m.contact[0].uri.host.host);
	check_addr(buf, m.sdp.conn.addr);
	free(buf);
	return ret;
}

#ifdef LIBFUZZER
/* libFuzzer's entry point, named through its symbol. */
int fuzz_one_input(const u8 *data, size_t len) asm("LLVMFuzzerTestOneInput");

int fuzz_one_input(const u8 *data, size_t len)
{
	run_one(data, len);
	return 0;
}
#else

static size_t mutate(u8 *out, size_t cap, const u8 *in, size_t len)
{
	size_t n = len, pos, k, i;
	unsigned int rounds = 1 + rnd(4);
	const char *tok;

	memcpy(out, in, len);
	while (rounds--) {
		pos = rnd(n + 1);
		switch (rnd(4)) {
		case 0:		/* flip bits */
			if (pos < n)
				out[pos] ^= 1u << rnd(8);
			break;
		case 1:		/* overwrite with a random byte */
			if (pos < n)
				out[pos] = rnd(256);
			break;
		case 2:		/* insert a token */
			tok = tokens[rnd(ARRAY_SIZE(tokens))];
			k = strlen(tok);
			if (n + k > cap)
				break;
			memmove(out + pos + k, out + pos, n - pos);
			memcpy(out + pos, tok, k);
			n += k;
			break;
		default:	/* delete a range */
			k = rnd(16) + 1;
			if (pos + k > n)
				break;
			for (i = pos; i + k < n; i++)
				out[i] = out[i + k];
			n -= k;
			break;
		}
	}
	return n;
}

/* Seeds whose verdict is pinned: a repeated Content-Length is malformed. */
static const struct {
	const u8 *buf;
	size_t len;
	int ret;
} verdicts[] = {
	{ PIN(sip_dup_clen_equal), .ret = -AVAYA_EBADMSG },
	{ PIN(sip_dup_clen_compact), .ret = -AVAYA_EBADMSG },
	{ PIN(sip_dup_clen_three), .ret = -AVAYA_EBADMSG },
};

/* Returns the number of seeds parsed otherwise than pinned. */
static int check_verdicts(void)
{
	unsigned int i;
	int bad = 0, ret;

	for (i = 0; i < ARRAY_SIZE(verdicts); i++) {
		ret = run_one(verdicts[i].buf, verdicts[i].len);
		if (ret == verdicts[i].ret)
			continue;
		fprintf(stderr, "sip_fuzz: verdict %u: ret %d, want %d\n", i,
			ret, verdicts[i].ret);
		bad++;
	}
	return bad;
}

int main(void)
{
	static u8 work[4096];
	unsigned long runs = 0, parsed = 0;
	unsigned int s, iter;
	size_t cut, n;

	if (check_verdicts())
		return 1;
	for (s = 0; s < ARRAY_SIZE(seeds); s++) {
		for (cut = 0; cut <= seeds[s].len; cut++, runs++)
			run_one(seeds[s].buf, cut);
		for (iter = 0; iter < 20000; iter++, runs++) {
			n = mutate(work, sizeof(work), seeds[s].buf,
				   seeds[s].len);
			if (run_one(work, n) > 0)
				parsed++;
		}
	}
	printf("sip_fuzz: %lu inputs, %lu parsed, no violation\n", runs,
	       parsed);
	return 0;
}
#endif
