// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * Fuzz driver for the TCP stream engine. Built by tests/unit/Makefile under
 * ASan/UBSan; every segment and every storage sits in a heap buffer of
 * exactly its size, so a read or write past the end is caught.
 *
 * Valid streams (TPKT and SIP, with CRLF keep-alives) are cut at random,
 * segments are duplicated, swapped, dropped by the "verdict" and sent
 * again, and messages are rewritten to another length as NAT would. Every
 * message must come out exactly once as NEW, whole, in order and unchanged,
 * whatever the cutting; a retransmission must report the length its first
 * copy left with. Then oversize messages, which must be skipped without
 * losing sync, and random bytes at random sequence numbers, which must
 * neither crash nor loop.
 */
#include <stdio.h>
#include <stdlib.h>

#include "avaya_stream.h"

#define MAX_HOLD	4096
#define AHEAD_CAP	16384
#define STREAM_MAX	(256 * 1024)

struct msg_ref {
	u32 off;	/* in the stream */
	u32 len;
	u32 new_len;	/* as rewritten, when first committed */
	int rewritten;
	int seen;
};

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;
static unsigned long failures;
static unsigned long flag_seen[16], kind_seen[3];

static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? (unsigned int)(rng_state % n) : 0;
}

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		failures++;						\
		if (failures < 20) {					\
			fprintf(stderr, "FAIL %s:%d: ", __func__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
		}							\
	}								\
} while (0)

static u8 stream[STREAM_MAX];
static u32 stream_len;
static struct msg_ref msgs[4096];
static unsigned int n_msgs;

static void add_tpkt(u32 body)
{
	u32 total = body + 4, i;
	u8 *p = stream + stream_len;

	p[0] = 3;
	p[1] = 0;
	p[2] = total >> 8;
	p[3] = total & 0xff;
	for (i = 4; i < total; i++)
		p[i] = rnd(256);
	msgs[n_msgs++] = (struct msg_ref){ .off = stream_len, .len = total };
	stream_len += total;
}

static void add_sip(u32 body)
{
	char hdr[160];
	int n = snprintf(hdr, sizeof(hdr),
			 "INVITE sip:%u@example.com SIP/2.0\r\nCSeq: %u INVITE\r\nContent-Length: %u\r\n\r\n",
			 rnd(100000), n_msgs + 1, body);
	u32 i;

	if (rnd(4) == 0) {	/* a CRLF keep-alive, not a message */
		memcpy(stream + stream_len, "\r\n\r\n", 4);
		stream_len += 4;
	}
	memcpy(stream + stream_len, hdr, n);
	for (i = 0; i < body; i++)
		stream[stream_len + n + i] = 'a' + rnd(26);
	msgs[n_msgs++] = (struct msg_ref){ .off = stream_len, .len = n + body };
	stream_len += n + body;
}

static void make_stream(enum avaya_stream_framing f, u32 max_body)
{
	stream_len = 0;
	n_msgs = 0;
	while (stream_len + max_body + 200 < STREAM_MAX / 4 &&
	       n_msgs < ARRAY_SIZE(msgs)) {
		u32 body = rnd(4) ? rnd(64) : rnd(max_body + 1);

		if (f == AVAYA_STREAM_TPKT)
			add_tpkt(body);
		else
			add_sip(body);
	}
}

static struct msg_ref *msg_at(u32 off)
{
	unsigned int lo = 0, hi = n_msgs;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (msgs[mid].off == off)
			return &msgs[mid];
		if (msgs[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void count_flags(u32 flags)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flag_seen); i++)
		flag_seen[i] += !!(flags & (1u << i));
}

struct ctx {
	struct avaya_stream st;
	struct avaya_stream_mem mem;
	struct avaya_stream_mem spare;	/* storage taken back, not lent */
	u32 isn;
	u32 now;
	bool exact;		/* every message must come out */
	bool rewrite;		/* play NAT */
	unsigned int next_msg;	/* index of the next message expected NEW */
};

/* A NEW message as yielded: a message start, whole and unchanged. */
static void check_new(u32 off, const u8 *data, u32 len)
{
	struct msg_ref *r = msg_at(off);

	CHECK(r, "NEW message at %u is no message start", off);
	if (!r)
		return;
	CHECK(r->len == len, "message at %u: len %u, want %u", off, len, r->len);
	if (r->len == len)
		CHECK(!memcmp(data, stream + off, len), "message at %u changed",
		      off);
}

/* A NEW message that the verdict accepted: once, and in order. */
static void accept_new(struct ctx *x, u32 off, u32 new_len, int rewritten)
{
	struct msg_ref *r = msg_at(off);

	if (!r)
		return;
	CHECK(!r->seen, "message at %u delivered twice", off);
	if (x->exact)
		CHECK(r == &msgs[x->next_msg], "message at %u out of order (want %u)",
		      off, msgs[x->next_msg].off);
	while (x->next_msg < n_msgs && &msgs[x->next_msg] <= r)
		x->next_msg++;
	r->seen = 1;
	r->new_len = new_len;
	r->rewritten = rewritten;
}

struct pending {
	u32 off, new_len;
	int rewritten;
};

static struct pending pend[STREAM_MAX / 4];

/*
 * Send stream bytes [off, off + len) as one segment; @commit is the
 * verdict. NAT may rewrite messages in a private copy of the segment.
 */
static void send_seg(struct ctx *x, u32 off, u32 len, bool commit)
{
	struct avaya_stream_cursor c;
	struct avaya_stream_msg m;
	unsigned int n_pend = 0, steps = 0, i;
	u8 *seg = malloc(len ? len : 1);
	u32 seglen = len;

	memcpy(seg, stream + off, len);
	avaya_stream_begin(&x->st, &c, x->isn + off, len, x->now);
	while (avaya_stream_next(&c, seg, seglen, &m)) {
		u32 moff = m.seq - x->isn;

		kind_seen[m.kind]++;
		CHECK(++steps <= len + AVAYA_STREAM_LOG_LEN + 2, "no progress");
		if (steps > len + AVAYA_STREAM_LOG_LEN + 2)
			break;
		CHECK(m.stream_off == moff || x->st.valid == 0 ||
		      m.stream_off == m.seq - x->st.base, "stream_off");
		if (m.kind != AVAYA_STREAM_NEW) {
			struct msg_ref *r = msg_at(moff);

			CHECK(r && r->seen, "old message at %u never delivered", moff);
			if (r && r->seen)
				CHECK(m.new_len == r->new_len && m.len == r->len &&
				      m.rewritten == r->rewritten,
				      "old message at %u: lens %u/%u want %u/%u", moff,
				      m.len, m.new_len, r->len, r->new_len);
			CHECK(m.seg_off + (s32)m.len > 0 && m.seg_len <= m.len,
			      "old message window");
			continue;
		}
		check_new(moff, m.data, m.len);
		pend[n_pend].off = moff;
		pend[n_pend].new_len = m.len;
		pend[n_pend].rewritten = 0;
		if (m.in_place) {
			CHECK(m.data == seg + m.seg_off && m.seg_len == m.len,
			      "in-place message not at its offset");
		}
		if (x->rewrite && m.in_place && rnd(3) == 0) {
			/* NAT: the message grows or shrinks, in a new skb. */
			u32 nl = m.len + rnd(40);
			u32 cut = m.seg_off;
			u8 *ns;

			if (rnd(2) && m.len > 8)
				nl = m.len - rnd(8);
			ns = malloc(seglen - m.len + nl);
			memcpy(ns, seg, cut);
			memset(ns + cut, 'N', nl);
			memcpy(ns + cut + nl, seg + cut + m.len,
			       seglen - cut - m.len);
			free(seg);
			seg = ns;
			seglen = seglen - m.len + nl;
			CHECK(avaya_stream_rewrote(&c, nl), "rewrote refused");
			pend[n_pend].new_len = nl;
			pend[n_pend].rewritten = 1;
		}
		n_pend++;
	}
	CHECK(!(c.flags & AVAYA_STREAM_F_BADCALL), "bad call");
	count_flags(c.flags);
	if (x->exact)
		CHECK(!(c.flags & (AVAYA_STREAM_F_MALFORMED | AVAYA_STREAM_F_LOST |
				   AVAYA_STREAM_F_GAP | AVAYA_STREAM_F_RESYNC)),
		      "valid stream lost sync: flags %#x seg %u+%u next %u held %u skip %u framing %u",
		      c.flags, off, len, x->st.next - x->isn, x->st.held, x->st.skip,
		      x->st.framing);
	if (commit) {
		u32 res = avaya_stream_commit(&c, seg, seglen);

		CHECK(!x->exact || !res, "commit lost bytes: %#x", res);
		for (i = 0; i < n_pend; i++)
			accept_new(x, pend[i].off, pend[i].new_len,
				   pend[i].rewritten);
		/* Kept ahead bytes that now follow: read them, they left. */
		while (avaya_stream_ahead_begin(&x->st, &c, x->now)) {
			n_pend = 0;
			while (avaya_stream_next(&c, NULL, 0, &m)) {
				CHECK(m.kind == AVAYA_STREAM_NEW && !m.in_place,
				      "ahead message kind");
				check_new(m.seq - x->isn, m.data, m.len);
				pend[n_pend].off = m.seq - x->isn;
				pend[n_pend].new_len = m.len;
				pend[n_pend].rewritten = 0;
				n_pend++;
			}
			avaya_stream_commit(&c, NULL, 0);
			for (i = 0; i < n_pend; i++)
				accept_new(x, pend[i].off, pend[i].new_len,
					   pend[i].rewritten);
		}
	}
	CHECK(avaya_stream_held(&x->st) <= MAX_HOLD + AHEAD_CAP, "held bytes");
	free(seg);
}

static void ctx_init(struct ctx *x, enum avaya_stream_framing f)
{
	memset(x, 0, sizeof(*x));
	avaya_stream_init(&x->st, f, MAX_HOLD);
	x->mem.held = malloc(MAX_HOLD);
	x->mem.held_cap = MAX_HOLD;
	x->mem.ahead = malloc(AHEAD_CAP);
	x->mem.ahead_cap = AHEAD_CAP;
	avaya_stream_attach(&x->st, &x->mem);
	/* Around 2^32, so that every run crosses the wrap. */
	x->isn = 0u - rnd(STREAM_MAX / 4);
	avaya_stream_start(&x->st, x->isn);
}

static void ctx_free(struct ctx *x)
{
	struct avaya_stream_mem mem;

	avaya_stream_reset(&x->st, &mem);
	CHECK(avaya_stream_held(&x->st) == 0, "held after reset");
	free(mem.held);
	free(mem.ahead);
	free(x->spare.held);
	free(x->spare.ahead);
}

/* Cut the stream into segments and send them, swapped, duplicated, dropped. */
static void play(struct ctx *x, u32 max_seg, bool chaos)
{
	u32 off = 0;

	while (off < stream_len) {
		u32 len = 1 + rnd(max_seg), len2;

		if (len > stream_len - off)
			len = stream_len - off;
		if (chaos && rnd(8) == 0) {
			/* dropped by the verdict, then retransmitted */
			send_seg(x, off, len, false);
		}
		if (chaos && rnd(8) == 0 && off + len < stream_len) {
			/* the next segment overtakes this one */
			len2 = 1 + rnd(max_seg);
			if (len2 > stream_len - off - len)
				len2 = stream_len - off - len;
			send_seg(x, off + len, len2, true);
			send_seg(x, off, len, true);
			off += len + len2;
		} else {
			send_seg(x, off, len, true);
			off += len;
		}
		if (chaos && rnd(6) == 0 && off) {
			/* a retransmission from somewhere before, maybe past off */
			u32 from = off - 1 - rnd(off < 3000 ? off : 3000);
			u32 n = 1 + rnd(off - from + 200);

			if (from + n > stream_len)
				n = stream_len - from;
			send_seg(x, from, n, true);
			if (from + n > off)
				off = from + n;
		}
	}
}

static void check_all_seen(const char *what)
{
	unsigned int i, missing = 0;

	for (i = 0; i < n_msgs; i++)
		missing += !msgs[i].seen;
	CHECK(missing == 0, "%s: %u of %u messages never delivered", what,
	      missing, n_msgs);
}

static void run_valid(enum avaya_stream_framing f, unsigned int rounds)
{
	static const u32 seg_sizes[] = { 1, 3, 7, 40, 300, 1460, 5000, 20000 };
	unsigned int r;

	for (r = 0; r < rounds; r++) {
		struct ctx x;
		u32 max_seg = seg_sizes[r % ARRAY_SIZE(seg_sizes)];
		bool chaos = r % 3 != 0;

		/* Reordered segments must fit the ahead window. */
		if (chaos && max_seg > AHEAD_CAP / 2)
			max_seg = AHEAD_CAP / 2;
		make_stream(f, MAX_HOLD - 200);
		ctx_init(&x, f);
		x.exact = true;
		x.rewrite = r % 2;
		play(&x, max_seg, chaos);
		check_all_seen(f == AVAYA_STREAM_TPKT ? "tpkt" : "sip");
		ctx_free(&x);
	}
}

/*
 * Messages longer than the hold limit: one split across segments is skipped
 * (flagged), the others still come out, in order, unchanged.
 */
static void run_oversize(enum avaya_stream_framing f, unsigned int rounds)
{
	unsigned int r, i, missing;

	for (r = 0; r < rounds; r++) {
		struct ctx x;

		make_stream(f, MAX_HOLD * 3);
		ctx_init(&x, f);
		play(&x, 1 + rnd(3000), false);
		for (i = 0, missing = 0; i < n_msgs; i++)
			missing += !msgs[i].seen && msgs[i].len <= MAX_HOLD;
		CHECK(missing == 0, "oversize run lost %u short messages", missing);
		ctx_free(&x);
	}
}

/* Random bytes at random sequence numbers: no crash, no endless loop. */
static void run_garbage(enum avaya_stream_framing f, unsigned int rounds)
{
	unsigned int r, s, i;

	for (r = 0; r < rounds; r++) {
		struct ctx x;

		stream_len = STREAM_MAX / 8;
		n_msgs = 0;
		for (i = 0; i < stream_len; i++)
			stream[i] = rnd(4) ? rnd(256) :
				    (u8)"\x03\x00\r\nSIP/2.0 :l"[rnd(12)];
		ctx_init(&x, f);
		for (s = 0; s < 300; s++) {
			u32 off = rnd(stream_len), len = rnd(3000);
			struct avaya_stream_cursor c;
			struct avaya_stream_msg m;
			unsigned int steps = 0;
			u8 *seg;

			if (len > stream_len - off)
				len = stream_len - off;
			seg = malloc(len ? len : 1);
			memcpy(seg, stream + off, len);
			avaya_stream_begin(&x.st, &c, x.isn + off, len, s);
			while (avaya_stream_next(&c, seg, len, &m)) {
				CHECK(m.data >= seg || !m.in_place, "data");
				if (++steps > len + AVAYA_STREAM_LOG_LEN + 2) {
					CHECK(0, "garbage: no progress");
					break;
				}
			}
			if (rnd(4))
				avaya_stream_commit(&c, seg, len);
			while (avaya_stream_ahead_begin(&x.st, &c, s)) {
				while (avaya_stream_next(&c, NULL, 0, &m))
					;
				avaya_stream_commit(&c, NULL, 0);
			}
			if (rnd(16) == 0)
				avaya_stream_expire(&x.st, s, 3);
			if (rnd(32) == 0) {
				/* the glue takes the storage back, lends it again */
				struct avaya_stream_mem mem;
				u32 had = avaya_stream_held(&x.st);

				CHECK(avaya_stream_detach(&x.st, &mem) == had,
				      "detach count");
				CHECK(!avaya_stream_held(&x.st), "held after detach");
				if (rnd(2) || x.spare.held || !mem.held)
					avaya_stream_attach(&x.st, &mem);
				else
					x.spare = mem;
			} else if (x.spare.held && rnd(8) == 0) {
				avaya_stream_attach(&x.st, &x.spare);
				memset(&x.spare, 0, sizeof(x.spare));
			}
			CHECK(avaya_stream_held(&x.st) <= MAX_HOLD + AHEAD_CAP,
			      "held bytes");
			free(seg);
		}
		ctx_free(&x);
	}
}

int main(void)
{
	run_valid(AVAYA_STREAM_TPKT, 48);
	run_valid(AVAYA_STREAM_SIP, 24);
	run_oversize(AVAYA_STREAM_TPKT, 16);
	run_oversize(AVAYA_STREAM_SIP, 8);
	run_garbage(AVAYA_STREAM_TPKT, 16);
	run_garbage(AVAYA_STREAM_SIP, 16);
	printf("kinds new %lu retrans %lu overlap %lu; flags old %lu ahead %lu",
	       kind_seen[AVAYA_STREAM_NEW], kind_seen[AVAYA_STREAM_RETRANS],
	       kind_seen[AVAYA_STREAM_OVERLAP], flag_seen[0], flag_seen[2]);
	printf(" gap %lu oversize %lu lost %lu reassembled %lu hold %lu\n",
	       flag_seen[3], flag_seen[4], flag_seen[5], flag_seen[9],
	       flag_seen[8]);
	if (failures) {
		printf("stream_fuzz: %lu failures\n", failures);
		return 1;
	}
	printf("stream_fuzz: ok\n");
	return 0;
}
