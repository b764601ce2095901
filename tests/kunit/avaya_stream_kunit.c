// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * KUnit suite for the TCP stream engine: how segments cut, repeat, reorder
 * and skip over TPKT and SIP message streams, and what each message is
 * reported as (new, retransmission, overlap) with which offsets.
 */
#include <kunit/test.h>

#include "avaya_stream.h"

#define HOLD		4096
#define AHEAD		16384
#define STREAM_BUF	32768
#define MAX_GOT		256

struct got {
	u32 off;		/* in the stream, from the harness's isn */
	u32 len;
	u32 new_len;
	s32 seg_off;
	u32 seg_len;
	u8 kind;
	u8 in_place;
	u8 rewritten;
};

/* A stream, its storage, and what the last segments yielded. */
struct harness {
	struct kunit *test;
	struct avaya_stream st;
	struct avaya_stream_mem mem;
	u8 *stream;
	u32 stream_len;
	u32 isn;
	u32 now;
	u32 flags;		/* of the last segment */
	u32 res;		/* of its commit */
	unsigned int n;
	struct got got[MAX_GOT];
	u32 rewrite_to;		/* nonzero: rewrite NEW in-place messages */
};

static struct harness *h_new(struct kunit *test, enum avaya_stream_framing f,
			     u32 isn, u32 held_cap, u32 ahead_cap)
{
	struct harness *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, h);
	h->test = test;
	h->stream = kunit_kzalloc(test, STREAM_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h->stream);
	h->isn = isn;
	avaya_stream_init(&h->st, f, HOLD);
	avaya_stream_start(&h->st, isn);
	if (held_cap)
		h->mem.held = kunit_kzalloc(test, held_cap, GFP_KERNEL);
	h->mem.held_cap = held_cap;
	if (ahead_cap)
		h->mem.ahead = kunit_kzalloc(test, ahead_cap, GFP_KERNEL);
	h->mem.ahead_cap = ahead_cap;
	avaya_stream_attach(&h->st, &h->mem);
	return h;
}

/* Append a TPKT of @total bytes (header included). */
static u32 add_tpkt(struct harness *h, u32 total)
{
	u8 *p = h->stream + h->stream_len;
	u32 i, off = h->stream_len;

	p[0] = 3;
	p[1] = 0;
	p[2] = total >> 8;
	p[3] = total & 0xff;
	for (i = 4; i < total; i++)
		p[i] = (u8)(off + i);
	h->stream_len += total;
	return off;
}

/* Append a SIP request with a body of @body bytes. */
static u32 add_sip(struct harness *h, u32 body)
{
	u32 off = h->stream_len;
	int n = scnprintf((char *)h->stream + off, STREAM_BUF - off,
			  "OPTIONS sip:%u@example.com SIP/2.0\r\nContent-Length: %u\r\n\r\n",
			  off, body);

	memset(h->stream + off + n, 'b', body);
	h->stream_len += n + body;
	return off;
}

/* Append a message with a body of @body bytes. */
static u32 add_msg(struct harness *h, u32 body)
{
	if (h->st.framing == AVAYA_STREAM_TPKT)
		return add_tpkt(h, body + 4);
	return add_sip(h, body);
}

static void record(struct harness *h, const struct avaya_stream_msg *m)
{
	struct got *g;

	KUNIT_ASSERT_LT(h->test, h->n, (unsigned int)MAX_GOT);
	g = &h->got[h->n++];
	g->off = m->seq - h->isn;
	g->len = m->len;
	g->new_len = m->new_len;
	g->seg_off = m->seg_off;
	g->seg_len = m->seg_len;
	g->kind = m->kind;
	g->in_place = m->in_place;
	g->rewritten = m->rewritten;
	KUNIT_EXPECT_EQ(h->test, m->stream_off, g->off);
	/* New messages are exactly the stream's bytes. */
	if (m->kind == AVAYA_STREAM_NEW)
		KUNIT_EXPECT_EQ(h->test, memcmp(m->data, h->stream + g->off,
						m->len), 0);
}

/* Read the kept ahead bytes that now follow, as the glue does. */
static void replay_ahead(struct harness *h)
{
	struct avaya_stream_cursor c;
	struct avaya_stream_msg m;

	while (avaya_stream_ahead_begin(&h->st, &c, h->now)) {
		while (avaya_stream_next(&c, NULL, 0, &m)) {
			KUNIT_EXPECT_FALSE(h->test, m.in_place);
			record(h, &m);
		}
		h->flags |= c.flags;
		avaya_stream_commit(&c, NULL, 0);
	}
}

/*
 * Send stream bytes [@off, @off + @len) as one segment, in a buffer of
 * exactly that size; @commit is the verdict.
 */
static void seg(struct harness *h, u32 off, u32 len, bool commit)
{
	struct avaya_stream_cursor c;
	struct avaya_stream_msg m;
	u8 *data = kunit_kmalloc(h->test, len ? len : 1, GFP_KERNEL);
	u32 dlen = len;

	KUNIT_ASSERT_NOT_NULL(h->test, data);
	memcpy(data, h->stream + off, len);
	avaya_stream_begin(&h->st, &c, h->isn + off, len, h->now);
	while (avaya_stream_next(&c, data, dlen, &m)) {
		record(h, &m);
		if (h->rewrite_to && m.kind == AVAYA_STREAM_NEW && m.in_place) {
			/* NAT grows the message: a new, longer segment. */
			u32 nl = h->rewrite_to, at = m.seg_off;
			u8 *nd = kunit_kmalloc(h->test, dlen - m.len + nl,
					       GFP_KERNEL);

			KUNIT_ASSERT_NOT_NULL(h->test, nd);
			memcpy(nd, data, at);
			memset(nd + at, 'N', nl);
			memcpy(nd + at + nl, data + at + m.len,
			       dlen - at - m.len);
			data = nd;
			dlen = dlen - m.len + nl;
			KUNIT_EXPECT_TRUE(h->test, avaya_stream_rewrote(&c, nl));
		}
	}
	h->flags = c.flags;
	h->res = 0;
	if (commit) {
		h->res = avaya_stream_commit(&c, data, dlen);
		replay_ahead(h);
	}
}

static void expect_got(struct harness *h, unsigned int i, u32 off, u32 len,
		       u8 kind)
{
	KUNIT_ASSERT_GT(h->test, h->n, i);
	KUNIT_EXPECT_EQ(h->test, h->got[i].off, off);
	KUNIT_EXPECT_EQ(h->test, h->got[i].len, len);
	KUNIT_EXPECT_EQ(h->test, h->got[i].kind, kind);
}

struct framing_case {
	const char *name;
	enum avaya_stream_framing f;
	u32 small;		/* body sizes for add_msg() */
	u32 big;
};

static const struct framing_case framing_cases[] = {
	{ "tpkt", AVAYA_STREAM_TPKT, 37, 300 },
	{ "sip", AVAYA_STREAM_SIP, 5, 260 },
};

static void framing_desc(const struct framing_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(framing, framing_cases, framing_desc);

/* A pair of messages one byte per segment: each comes out once, whole. */
static void byte_at_a_time(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 1000, HOLD, AHEAD);
	u32 a = add_msg(h, fc->small), b = add_msg(h, fc->big), i;

	for (i = 0; i < h->stream_len; i++) {
		seg(h, i, 1, true);
		KUNIT_EXPECT_EQ(test, h->res, 0u);
	}
	KUNIT_ASSERT_EQ(test, h->n, 2u);
	expect_got(h, 0, a, b - a, AVAYA_STREAM_NEW);
	expect_got(h, 1, b, h->stream_len - b, AVAYA_STREAM_NEW);
	KUNIT_EXPECT_FALSE(test, h->got[1].in_place);
	KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), 0u);
}

/* Every cut of a message pair into two segments. */
static void every_split_point(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	u32 k, total;

	for (k = 1; ; k++) {
		struct harness *h = h_new(test, fc->f, 0xfffffff0, HOLD, 0);
		u32 a = add_msg(h, fc->small), b = add_msg(h, fc->big);

		total = h->stream_len;
		if (k >= total)
			break;
		seg(h, 0, k, true);
		seg(h, k, total - k, true);
		KUNIT_ASSERT_EQ(test, h->n, 2u);
		expect_got(h, 0, a, b - a, AVAYA_STREAM_NEW);
		expect_got(h, 1, b, total - b, AVAYA_STREAM_NEW);
		/* Only a message cut by the split is reassembled. */
		KUNIT_EXPECT_EQ(test, h->got[0].in_place, k >= b);
		KUNIT_EXPECT_EQ(test, h->got[1].in_place, k <= b);
		KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), 0u);
		kunit_cleanup(test);
	}
}

/* B overtakes A: B is kept, and read once A fills the hole. */
static void reorder(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 77, HOLD, AHEAD);
	u32 a = add_msg(h, fc->small), b = add_msg(h, fc->big);
	u32 c = add_msg(h, fc->small), cut = b + 3;

	seg(h, cut, h->stream_len - cut, true);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_AHEAD);
	KUNIT_EXPECT_EQ(test, h->n, 0u);
	KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), h->stream_len - cut);
	seg(h, 0, cut, true);
	KUNIT_ASSERT_EQ(test, h->n, 3u);
	expect_got(h, 0, a, b - a, AVAYA_STREAM_NEW);
	KUNIT_EXPECT_TRUE(test, h->got[0].in_place);
	expect_got(h, 1, b, c - b, AVAYA_STREAM_NEW);
	expect_got(h, 2, c, h->stream_len - c, AVAYA_STREAM_NEW);
	KUNIT_EXPECT_FALSE(test, h->got[2].in_place);	/* it left already */
	KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), 0u);
	/* B again: a retransmission now, never new. */
	h->n = 0;
	seg(h, cut, h->stream_len - cut, true);
	KUNIT_ASSERT_EQ(test, h->n, 2u);
	KUNIT_EXPECT_EQ(test, h->got[0].kind, AVAYA_STREAM_OVERLAP);
	expect_got(h, 1, c, h->stream_len - c, AVAYA_STREAM_RETRANS);
	/* Neither could be patched the first time: leave them as they were. */
	KUNIT_EXPECT_FALSE(test, h->got[0].rewritten);
	KUNIT_EXPECT_FALSE(test, h->got[1].rewritten);
}

/* The same segment twice: its messages are retransmissions the second time. */
static void duplicate(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, HOLD, AHEAD);
	u32 a = add_msg(h, fc->small), b = add_msg(h, fc->big);

	seg(h, 0, h->stream_len, true);
	KUNIT_ASSERT_EQ(test, h->n, 2u);
	h->n = 0;
	seg(h, 0, h->stream_len, true);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_OLD);
	KUNIT_EXPECT_FALSE(test, h->flags & AVAYA_STREAM_F_UNLOGGED);
	KUNIT_ASSERT_EQ(test, h->n, 2u);
	expect_got(h, 0, a, b - a, AVAYA_STREAM_RETRANS);
	expect_got(h, 1, b, h->stream_len - b, AVAYA_STREAM_RETRANS);
	KUNIT_EXPECT_EQ(test, h->got[1].seg_off, (s32)b);
}

/*
 * A retransmission from the middle of A (as from snd_una) that carries B
 * and new bytes: A overlaps, B is retransmitted whole, C is new.
 */
static void partial_overlap(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, HOLD, AHEAD);
	u32 a = add_msg(h, fc->big), b = add_msg(h, fc->small);
	u32 c = add_msg(h, fc->small), from = a + 10;

	seg(h, 0, c, true);
	h->n = 0;
	seg(h, from, h->stream_len - from, true);
	KUNIT_ASSERT_EQ(test, h->n, 3u);
	expect_got(h, 0, a, b - a, AVAYA_STREAM_OVERLAP);
	KUNIT_EXPECT_EQ(test, h->got[0].seg_off, -10);
	KUNIT_EXPECT_EQ(test, h->got[0].seg_len, b - from);
	expect_got(h, 1, b, c - b, AVAYA_STREAM_RETRANS);
	KUNIT_EXPECT_EQ(test, h->got[1].seg_off, (s32)(b - from));
	expect_got(h, 2, c, h->stream_len - c, AVAYA_STREAM_NEW);
	KUNIT_EXPECT_TRUE(test, h->got[2].in_place);
}

/*
 * A segment beyond the window (no room ahead): sync is given up there, not
 * the stream; a message starting at a later segment is read again.
 */
static void gap_beyond_window(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, HOLD, 64);
	u32 b, c;

	add_msg(h, fc->small);
	b = add_msg(h, fc->big);
	c = add_msg(h, fc->small);
	seg(h, b + 30, c - b - 30, true);	/* mid-B, more than 64 bytes */
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_GAP);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_RESYNC);
	KUNIT_EXPECT_FALSE(test, h->flags & AVAYA_STREAM_F_MALFORMED);
	KUNIT_EXPECT_EQ(test, h->n, 0u);
	seg(h, c, h->stream_len - c, true);
	KUNIT_ASSERT_EQ(test, h->n, 1u);
	expect_got(h, 0, c, h->stream_len - c, AVAYA_STREAM_NEW);
	/* A, never read, comes late: old bytes the log does not know. */
	h->n = 0;
	seg(h, 0, b, true);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_UNLOGGED);
	KUNIT_EXPECT_EQ(test, h->n, 0u);
}

/*
 * A message over the hold limit, cut across segments, is skipped by its
 * length: the next one is read in sync.
 */
static void oversize_skip(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, HOLD, 0);
	u32 big = add_msg(h, 6000), b = add_msg(h, fc->small), off;

	for (off = 0; off < h->stream_len; off += 1460) {
		u32 n = min_t(u32, 1460, h->stream_len - off);

		seg(h, off, n, true);
		KUNIT_EXPECT_FALSE(test, h->flags & (AVAYA_STREAM_F_MALFORMED |
						     AVAYA_STREAM_F_LOST));
		if (off == 0)
			KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_OVERSIZE);
	}
	KUNIT_EXPECT_LT(test, big, b);
	KUNIT_ASSERT_EQ(test, h->n, 1u);
	expect_got(h, 0, b, h->stream_len - b, AVAYA_STREAM_NEW);
}

/* Whole in one segment, a long message is read in place (nothing held). */
static void oversize_whole_in_segment(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, HOLD, 0);
	u32 big = add_msg(h, 6000);

	seg(h, 0, h->stream_len, true);
	KUNIT_ASSERT_EQ(test, h->n, 1u);
	expect_got(h, 0, big, h->stream_len, AVAYA_STREAM_NEW);
	KUNIT_EXPECT_TRUE(test, h->got[0].in_place);
}

/* Many messages in one segment, a partial one at its end. */
static void many_per_segment(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, HOLD, 0);
	u32 off[100], i;

	for (i = 0; i < ARRAY_SIZE(off); i++)
		off[i] = add_msg(h, i % 3 ? fc->small : 0);
	seg(h, 0, h->stream_len - 2, true);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_HOLD);
	KUNIT_ASSERT_EQ(test, h->n, 99u);
	for (i = 0; i < 99; i++)
		expect_got(h, i, off[i], off[i + 1] - off[i], AVAYA_STREAM_NEW);
	KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), h->stream_len - 2 - off[99]);
	seg(h, h->stream_len - 2, 2, true);
	KUNIT_ASSERT_EQ(test, h->n, 100u);
	expect_got(h, 99, off[99], h->stream_len - off[99], AVAYA_STREAM_NEW);
}

/*
 * Commit after the verdict: a dropped segment changes nothing, its
 * retransmission is read as new. Here it completes a held message and
 * starts another, so a wrong commit would lose or garble the held bytes.
 */
static void commit_after_verdict(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, HOLD, 0);
	u32 a = add_msg(h, fc->big), b = add_msg(h, fc->big);
	u32 c = add_msg(h, fc->big), cut1 = a + 20, cut2 = c + 20;
	unsigned int round;

	seg(h, 0, cut1, true);
	KUNIT_ASSERT_EQ(test, h->n, 0u);
	for (round = 0; round < 3; round++) {
		h->n = 0;
		seg(h, cut1, cut2 - cut1, round == 2);	/* dropped twice */
		KUNIT_ASSERT_EQ(test, h->n, 2u);
		expect_got(h, 0, a, b - a, AVAYA_STREAM_NEW);
		expect_got(h, 1, b, c - b, AVAYA_STREAM_NEW);
		KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st),
				round == 2 ? cut2 - c : cut1 - a);
	}
	h->n = 0;
	seg(h, cut2, h->stream_len - cut2, true);
	KUNIT_ASSERT_EQ(test, h->n, 1u);
	expect_got(h, 0, c, h->stream_len - c, AVAYA_STREAM_NEW);
	/* After the commit, the same segment is old. */
	h->n = 0;
	seg(h, cut1, cut2 - cut1, true);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_OLD);
	KUNIT_ASSERT_EQ(test, h->n, 3u);
	KUNIT_EXPECT_EQ(test, h->got[0].kind, AVAYA_STREAM_OVERLAP);
	KUNIT_EXPECT_EQ(test, h->got[1].kind, AVAYA_STREAM_RETRANS);
	KUNIT_EXPECT_EQ(test, h->got[2].kind, AVAYA_STREAM_OVERLAP);
}

/* A malformed segment dropped in strict mode is malformed again when resent. */
static void malformed_not_marked_read(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, HOLD, 0);
	u32 bad;

	add_msg(h, fc->small);
	bad = h->stream_len;
	memcpy(h->stream + bad, "\x07garbage\r\n\r\n", 12);
	h->stream_len += 12;
	seg(h, 0, h->stream_len, false);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_MALFORMED);
	KUNIT_EXPECT_EQ(test, h->n, 1u);
	seg(h, 0, h->stream_len, false);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_MALFORMED);
	KUNIT_EXPECT_EQ(test, h->n, 2u);
	KUNIT_EXPECT_EQ(test, h->got[1].kind, AVAYA_STREAM_NEW);
	/* Accepted (not strict): then resynchronising is quiet. */
	seg(h, 0, h->stream_len, true);
	seg(h, h->stream_len - 12, 12, true);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_OLD);
	KUNIT_EXPECT_FALSE(test, h->flags & AVAYA_STREAM_F_MALFORMED);
}

/*
 * Ageing: a partial message older than the limit is dropped; a TPKT (or SIP
 * message whose headers were read) is skipped by its length, so the stream
 * stays in sync.
 */
static void ageing(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, HOLD, AHEAD);
	u32 a = add_msg(h, fc->big), b = add_msg(h, fc->small);
	u32 cut = a + (fc->f == AVAYA_STREAM_TPKT ? 10 : b - a - 5);

	h->now = 100;
	seg(h, 0, cut, true);
	KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), cut);
	KUNIT_EXPECT_EQ(test, avaya_stream_expire(&h->st, 110, 10), 0u);
	KUNIT_EXPECT_EQ(test, avaya_stream_expire(&h->st, 111, 10), cut);
	KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), 0u);
	KUNIT_EXPECT_EQ(test, avaya_stream_expire(&h->st, 500, 10), 0u);
	seg(h, cut, h->stream_len - cut, true);
	KUNIT_EXPECT_FALSE(test, h->flags & (AVAYA_STREAM_F_MALFORMED |
					     AVAYA_STREAM_F_RESYNC));
	KUNIT_ASSERT_EQ(test, h->n, 1u);
	expect_got(h, 0, b, h->stream_len - b, AVAYA_STREAM_NEW);
}

/* Ahead bytes age too, and the clock may wrap. */
static void ageing_ahead_and_wrap(struct kunit *test)
{
	struct harness *h = h_new(test, AVAYA_STREAM_TPKT, 5, HOLD, AHEAD);
	u32 b;

	add_tpkt(h, 40);
	b = add_tpkt(h, 40);
	h->now = 0xfffffffe;
	seg(h, b, 40, true);
	KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), 40u);
	KUNIT_EXPECT_EQ(test, avaya_stream_expire(&h->st, 3, 5), 0u);
	KUNIT_EXPECT_EQ(test, avaya_stream_expire(&h->st, 4, 5), 40u);
	seg(h, 0, b, true);
	KUNIT_EXPECT_EQ(test, h->n, 1u);
}

/* Sequence numbers wrap around 2^32 in the middle of held messages. */
static void seq_wrap(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	u32 start;

	for (start = 0xffffff00; start != 0x100; start += 0x40) {
		struct harness *h = h_new(test, fc->f, start, HOLD, AHEAD);
		u32 a = add_msg(h, fc->big), b = add_msg(h, fc->big);
		u32 c = add_msg(h, fc->small);

		seg(h, 0, 100, true);
		seg(h, 250, h->stream_len - 250, true);	/* ahead */
		seg(h, 100, 150, true);
		KUNIT_ASSERT_EQ(test, h->n, 3u);
		expect_got(h, 0, a, b - a, AVAYA_STREAM_NEW);
		expect_got(h, 1, b, c - b, AVAYA_STREAM_NEW);
		expect_got(h, 2, c, h->stream_len - c, AVAYA_STREAM_NEW);
		h->n = 0;
		seg(h, 0, h->stream_len, true);
		KUNIT_EXPECT_EQ(test, h->n, 3u);
		KUNIT_EXPECT_EQ(test, h->got[2].kind, AVAYA_STREAM_RETRANS);
		kunit_cleanup(test);
	}
}

/*
 * NAT grew a message: the next one is found where it moved to, and the
 * retransmission reports the length the first copy left with.
 */
static void rewrite_log(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, HOLD, 0);
	u32 a = add_msg(h, fc->small), b = add_msg(h, fc->small);
	const struct avaya_stream_log_ent *e;
	u32 alen = b - a, blen;

	blen = h->stream_len - b;
	h->rewrite_to = alen + 13;
	seg(h, 0, h->stream_len, true);
	KUNIT_ASSERT_EQ(test, h->n, 2u);
	/* B after the grown A. */
	KUNIT_EXPECT_EQ(test, h->got[1].seg_off, (s32)(alen + 13));
	e = avaya_stream_log_find(&h->st, h->isn + a + 1);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->len, alen);
	KUNIT_EXPECT_EQ(test, e->new_len, alen + 13);
	e = avaya_stream_log_find(&h->st, h->isn + b);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->new_len, alen + 13);	/* rewritten too */
	KUNIT_EXPECT_NULL(test, avaya_stream_log_find(&h->st,
						      h->isn + b + blen));
	h->n = 0;
	h->rewrite_to = 0;
	seg(h, 0, h->stream_len, true);
	KUNIT_ASSERT_EQ(test, h->n, 2u);
	expect_got(h, 0, a, alen, AVAYA_STREAM_RETRANS);
	KUNIT_EXPECT_EQ(test, h->got[0].new_len, alen + 13);
	KUNIT_EXPECT_TRUE(test, h->got[0].rewritten);
}

/* The log keeps the last AVAYA_STREAM_LOG_LEN messages. */
static void log_window(struct kunit *test)
{
	struct harness *h = h_new(test, AVAYA_STREAM_TPKT, 5, HOLD, 0);
	u32 i;

	for (i = 0; i < 20; i++)
		add_tpkt(h, 10);
	seg(h, 0, h->stream_len, true);
	KUNIT_EXPECT_NULL(test, avaya_stream_log_find(&h->st, h->isn + 110));
	KUNIT_EXPECT_NOT_NULL(test, avaya_stream_log_find(&h->st, h->isn + 120));
	h->n = 0;
	seg(h, 0, h->stream_len, true);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_UNLOGGED);
	KUNIT_EXPECT_EQ(test, h->n, (unsigned int)AVAYA_STREAM_LOG_LEN);
}

/* Without storage a partial TPKT is skipped by its length, counted. */
static void no_storage(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, 0, 0);
	u32 a = add_msg(h, fc->big), b = add_msg(h, fc->small);

	seg(h, 0, b - 3, true);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_HOLD);
	KUNIT_EXPECT_TRUE(test, h->res & AVAYA_STREAM_F_NO_STORAGE);
	KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), 0u);
	seg(h, b - 3, h->stream_len - b + 3, true);
	KUNIT_EXPECT_FALSE(test, h->flags & AVAYA_STREAM_F_MALFORMED);
	KUNIT_ASSERT_EQ(test, h->n, 1u);
	expect_got(h, 0, b, h->stream_len - b, AVAYA_STREAM_NEW);
	KUNIT_EXPECT_LT(test, a, b);
}

/*
 * Held storage smaller than max_hold: a message between the two, split,
 * is skipped by its length; nothing is written past the storage (a guard
 * follows it in the same allocation) and the next message is read.
 */
static void storage_below_max_hold(struct kunit *test)
{
	const struct framing_case *fc = test->param_value;
	struct harness *h = h_new(test, fc->f, 5, 0, 0);
	const u32 cap = 512, guard = 2048;
	u8 *buf = kunit_kzalloc(test, cap + guard, GFP_KERNEL);
	u32 a, b, i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf + cap, 0xa5, guard);
	h->mem.held = buf;
	h->mem.held_cap = cap;
	avaya_stream_attach(&h->st, &h->mem);
	a = add_msg(h, 1500);
	b = add_msg(h, fc->small);
	seg(h, 0, 100, true);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_HOLD);
	seg(h, 100, h->stream_len - 100, true);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_OVERSIZE);
	KUNIT_EXPECT_FALSE(test, h->flags & AVAYA_STREAM_F_MALFORMED);
	for (i = cap; i < cap + guard; i++)
		if (buf[i] != 0xa5)
			break;
	KUNIT_EXPECT_EQ(test, i, cap + guard);
	KUNIT_ASSERT_EQ(test, h->n, 1u);
	expect_got(h, 0, b, h->stream_len - b, AVAYA_STREAM_NEW);
	KUNIT_EXPECT_EQ(test, a, 0u);
}

/*
 * Connection death: reset and detach give the storage back with the exact
 * count of bytes held (partial message and ahead bytes).
 */
static void reset_returns_held(struct kunit *test)
{
	struct harness *h = h_new(test, AVAYA_STREAM_TPKT, 5, HOLD, AHEAD);
	struct avaya_stream_mem mem;
	u32 b;

	add_tpkt(h, 300);
	b = add_tpkt(h, 300);
	seg(h, 0, 100, true);
	seg(h, b + 10, 50, true);
	KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), 150u);
	KUNIT_EXPECT_EQ(test, avaya_stream_reset(&h->st, &mem), 150u);
	KUNIT_EXPECT_PTR_EQ(test, mem.held, h->mem.held);
	KUNIT_EXPECT_PTR_EQ(test, mem.ahead, h->mem.ahead);
	KUNIT_EXPECT_FALSE(test, avaya_stream_has_storage(&h->st));
	KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), 0u);
	KUNIT_EXPECT_EQ(test, avaya_stream_reset(&h->st, &mem), 0u);
	KUNIT_EXPECT_NULL(test, mem.held);
}

/* A cursor given a segment of the wrong length reads nothing. */
static void bad_call(struct kunit *test)
{
	struct harness *h = h_new(test, AVAYA_STREAM_TPKT, 5, HOLD, 0);
	struct avaya_stream_cursor c;
	struct avaya_stream_msg m;

	add_tpkt(h, 40);
	avaya_stream_begin(&h->st, &c, h->isn, 40, 0);
	KUNIT_EXPECT_FALSE(test, avaya_stream_next(&c, h->stream, 39, &m));
	KUNIT_EXPECT_TRUE(test, c.flags & AVAYA_STREAM_F_BADCALL);
	KUNIT_EXPECT_EQ(test, avaya_stream_commit(&c, h->stream, 39),
			(u32)AVAYA_STREAM_F_BADCALL);
	avaya_stream_begin(&h->st, &c, h->isn, 40, 0);
	KUNIT_EXPECT_TRUE(test, avaya_stream_next(&c, h->stream, 40, &m));
}

/* SIP CRLF keep-alives between messages are never held or yielded. */
static void sip_keepalive(struct kunit *test)
{
	struct harness *h = h_new(test, AVAYA_STREAM_SIP, 5, HOLD, 0);
	u32 a;

	memcpy(h->stream, "\r\n\r\n", 4);
	h->stream_len = 4;
	seg(h, 0, 4, true);
	KUNIT_EXPECT_EQ(test, h->n, 0u);
	KUNIT_EXPECT_EQ(test, avaya_stream_held(&h->st), 0u);
	a = add_sip(h, 3);
	seg(h, 4, h->stream_len - 4, true);
	KUNIT_ASSERT_EQ(test, h->n, 1u);
	expect_got(h, 0, a, h->stream_len - a, AVAYA_STREAM_NEW);
}

/* SIP over a stream needs Content-Length: without it, malformed. */
static void sip_without_clen(struct kunit *test)
{
	static const char msg[] = "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n";
	struct harness *h = h_new(test, AVAYA_STREAM_SIP, 5, HOLD, 0);

	memcpy(h->stream, msg, sizeof(msg) - 1);
	h->stream_len = sizeof(msg) - 1;
	seg(h, 0, h->stream_len, true);
	KUNIT_EXPECT_TRUE(test, h->flags & AVAYA_STREAM_F_MALFORMED);
	KUNIT_EXPECT_EQ(test, h->n, 0u);
}

static struct kunit_case avaya_stream_test_cases[] = {
	KUNIT_CASE_PARAM(byte_at_a_time, framing_gen_params),
	KUNIT_CASE_PARAM(every_split_point, framing_gen_params),
	KUNIT_CASE_PARAM(reorder, framing_gen_params),
	KUNIT_CASE_PARAM(duplicate, framing_gen_params),
	KUNIT_CASE_PARAM(partial_overlap, framing_gen_params),
	KUNIT_CASE_PARAM(gap_beyond_window, framing_gen_params),
	KUNIT_CASE_PARAM(oversize_skip, framing_gen_params),
	KUNIT_CASE_PARAM(oversize_whole_in_segment, framing_gen_params),
	KUNIT_CASE_PARAM(many_per_segment, framing_gen_params),
	KUNIT_CASE_PARAM(commit_after_verdict, framing_gen_params),
	KUNIT_CASE_PARAM(malformed_not_marked_read, framing_gen_params),
	KUNIT_CASE_PARAM(ageing, framing_gen_params),
	KUNIT_CASE(ageing_ahead_and_wrap),
	KUNIT_CASE_PARAM(seq_wrap, framing_gen_params),
	KUNIT_CASE_PARAM(rewrite_log, framing_gen_params),
	KUNIT_CASE(log_window),
	KUNIT_CASE_PARAM(no_storage, framing_gen_params),
	KUNIT_CASE_PARAM(storage_below_max_hold, framing_gen_params),
	KUNIT_CASE(reset_returns_held),
	KUNIT_CASE(bad_call),
	KUNIT_CASE(sip_keepalive),
	KUNIT_CASE(sip_without_clen),
	{}
};

static struct kunit_suite avaya_stream_suite = {
	.name = "avaya_stream",
	.test_cases = avaya_stream_test_cases,
};

kunit_test_suite(avaya_stream_suite);
