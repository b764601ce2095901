// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * TCP stream reassembly for TPKT and SIP over TCP (see avaya_stream.h).
 *
 * State that the next segment sees changes only in avaya_stream_commit();
 * a cursor carries what reading a segment would change. The held buffer
 * keeps the start of a partial message at [0, held); reading a segment may
 * append after it (to parse the message whole), never overwrite it, so a
 * segment that is dropped leaves the held bytes as they were.
 */
#include "avaya_stream.h"
#include "avaya_q931.h"
#include "avaya_sip.h"

enum frame_res {
	FR_MSG,		/* a whole message of *total bytes */
	FR_FILLER,	/* *total bytes between messages (CRLF keep-alives) */
	FR_NEED,	/* more bytes needed; *total known, or 0 */
	FR_BAD,		/* not a message start */
};

enum cursor_phase {
	PH_OLD,		/* bytes before the committed end: from the log */
	PH_NEW,		/* bytes after it: framed */
	PH_DONE,
};

static bool seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static bool seq_after(u32 a, u32 b)
{
	return (s32)(a - b) > 0;
}

static u32 min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

static enum frame_res frame_tpkt(const u8 *b, u32 n, u32 *total)
{
	size_t moff, mlen;
	int r = avaya_tpkt_frame(b, n, &moff, &mlen);

	if (r < 0)
		return FR_BAD;
	if (r > 0) {
		*total = r;
		return FR_MSG;
	}
	*total = n >= AVAYA_TPKT_HDR_LEN ? (u32)b[2] << 8 | b[3] : 0;
	return FR_NEED;
}

/*
 * The SIP tokenizer frames: the glue parses the same bytes with it, so the
 * two never disagree on where a message ends. A stream message needs a
 * Content-Length (RFC 3261 18.3). An SDP error is the glue's to judge: the
 * message's length is known.
 */
static enum frame_res frame_sip(const u8 *b, u32 n, u32 *total)
{
	struct avaya_sip_msg m;
	u32 i = 0;
	int r;

	while (i < n && (b[i] == '\r' || b[i] == '\n'))
		i++;
	if (i) {
		*total = i;
		return FR_FILLER;
	}
	r = avaya_sip_parse(b, n, &m);
	if (r == -AVAYA_SIP_INCOMPLETE) {
		*total = m.hdr_done && m.has_clen ? m.msg_len : 0;
		return FR_NEED;
	}
	if (r == -AVAYA_SIP_EBADSDP && m.has_clen && m.msg_len <= n) {
		*total = m.msg_len;
		return FR_MSG;
	}
	if (r <= 0 || !m.has_clen)
		return FR_BAD;
	*total = r;
	return FR_MSG;
}

static enum frame_res frame(const struct avaya_stream *st, const u8 *b,
			    u32 n, u32 *total)
{
	*total = 0;
	if (st->framing == AVAYA_STREAM_SIP)
		return frame_sip(b, n, total);
	return frame_tpkt(b, n, total);
}

/* Room for a held message: the storage, but never over max_hold. */
static u32 held_cap(const struct avaya_stream *st)
{
	return st->mem.held ? min_u32(st->max_hold, st->mem.held_cap) : 0;
}

/*
 * Where the message in progress ends, when known: the end of an oversize
 * message being skipped, or of a held one whose length was read.
 */
static bool known_end(const struct avaya_stream *st, u32 *end)
{
	u32 total;

	if (st->skip) {
		*end = st->next + st->skip;
		return true;
	}
	if (st->held &&
	    frame(st, st->mem.held, st->held, &total) == FR_NEED && total) {
		*end = st->next - st->held + total;
		return true;
	}
	return false;
}

/* Drop the held bytes; skip the rest of their message if its length is known. */
static void give_up_held(struct avaya_stream *st)
{
	u32 end;

	if (!st->held)
		return;
	if (known_end(st, &end)) {
		st->skip = end - st->next;
	} else {
		st->skip = 0;
		st->desync = 1;
	}
	st->held = 0;
}

void avaya_stream_init(struct avaya_stream *st, enum avaya_stream_framing f,
		       u32 max_hold)
{
	memset(st, 0, sizeof(*st));
	st->framing = f;
	st->max_hold = min_u32(max_hold, AVAYA_STREAM_MAX_HOLD);
}

AVAYA_EXPORT(avaya_stream_init);

void avaya_stream_start(struct avaya_stream *st, u32 seq)
{
	st->base = seq;
	st->next = seq;
	st->valid = 1;
}

AVAYA_EXPORT(avaya_stream_start);

void avaya_stream_attach(struct avaya_stream *st,
			 const struct avaya_stream_mem *mem)
{
	st->mem = *mem;
	if (!st->mem.held)
		st->mem.held_cap = 0;
	if (!st->mem.ahead)
		st->mem.ahead_cap = 0;
}

AVAYA_EXPORT(avaya_stream_attach);

bool avaya_stream_has_storage(const struct avaya_stream *st)
{
	return st->mem.held || st->mem.ahead;
}

AVAYA_EXPORT(avaya_stream_has_storage);

u32 avaya_stream_held(const struct avaya_stream *st)
{
	return st->held + st->ahead_len;
}

AVAYA_EXPORT(avaya_stream_held);

u32 avaya_stream_detach(struct avaya_stream *st, struct avaya_stream_mem *mem)
{
	u32 dropped = avaya_stream_held(st);

	give_up_held(st);
	st->ahead_len = 0;
	*mem = st->mem;
	memset(&st->mem, 0, sizeof(st->mem));
	return dropped;
}

AVAYA_EXPORT(avaya_stream_detach);

u32 avaya_stream_reset(struct avaya_stream *st, struct avaya_stream_mem *mem)
{
	u32 dropped = avaya_stream_detach(st, mem);

	avaya_stream_init(st, st->framing, st->max_hold);
	return dropped;
}

AVAYA_EXPORT(avaya_stream_reset);

u32 avaya_stream_expire(struct avaya_stream *st, u32 now, u32 max_age)
{
	u32 dropped = 0;

	if (st->held && now - st->held_since > max_age) {
		dropped += st->held;
		give_up_held(st);
	}
	if (st->ahead_len && now - st->ahead_since > max_age) {
		dropped += st->ahead_len;
		st->ahead_len = 0;
	}
	return dropped;
}

AVAYA_EXPORT(avaya_stream_expire);

const struct avaya_stream_log_ent *
avaya_stream_log_find(const struct avaya_stream *st, u32 seq)
{
	unsigned int i;

	for (i = 0; i < st->log_n; i++) {
		const struct avaya_stream_log_ent *e = &st->log[i];

		if (seq - e->seq < e->len)
			return e;
	}
	return NULL;
}

AVAYA_EXPORT(avaya_stream_log_find);

/*
 * Whether the segment [@seq, @seq + @len), after a hole, joins the ahead
 * bytes into one range that fits their storage.
 */
static bool ahead_fits(const struct avaya_stream *st, u32 seq, u32 len)
{
	u32 a = st->ahead_seq, aend = a + st->ahead_len, end = seq + len;
	u32 start, uend;

	if (!st->mem.ahead || !len)
		return false;
	if (!st->ahead_len)
		return len <= st->mem.ahead_cap;
	if (seq_after(seq, aend) || seq_before(end, a))
		return false;
	start = seq_before(seq, a) ? seq : a;
	uend = seq_after(end, aend) ? end : aend;
	return uend - start <= st->mem.ahead_cap;
}

static bool ahead_store(struct avaya_stream *st, u32 seq, const u8 *data,
			u32 len, u32 now)
{
	u32 a = st->ahead_seq, aend = a + st->ahead_len, end = seq + len;
	u32 start;

	if (!ahead_fits(st, seq, len))
		return false;
	if (!st->ahead_len) {
		memcpy(st->mem.ahead, data, len);
		st->ahead_seq = seq;
		st->ahead_len = len;
		st->ahead_since = now;
		return true;
	}
	start = seq_before(seq, a) ? seq : a;
	if (start != a)
		memmove(st->mem.ahead + (a - start), st->mem.ahead,
			st->ahead_len);
	memcpy(st->mem.ahead + (seq - start), data, len);
	st->ahead_seq = start;
	st->ahead_len = (seq_after(end, aend) ? end : aend) - start;
	return true;
}

/* Old bytes not described by the log: message boundaries unknown there. */
static bool log_covers(const struct avaya_stream *st, u32 seq)
{
	return st->log_n && !seq_before(seq, st->log[0].seq);
}

static void cursor_start(struct avaya_stream *st,
			 struct avaya_stream_cursor *c, u32 seq, u32 len,
			 u32 now)
{
	memset(c, 0, sizeof(*c));
	c->st = st;
	c->seq = seq;
	c->end = seq + len;
	c->pos = seq;
	c->now = now;
	c->keep = st->held;
	c->skip = st->skip;
	c->desync = st->desync;
	c->phase = PH_NEW;
}

/*
 * A hole we cannot bridge: read on from @seq. Inside a message of known
 * length we stay in sync (its rest is skipped); elsewhere we wait for a
 * message start.
 */
static void cursor_gap(struct avaya_stream_cursor *c)
{
	const struct avaya_stream *st = c->st;
	u32 end;

	c->flags |= AVAYA_STREAM_F_GAP;
	if (c->keep)
		c->flags |= AVAYA_STREAM_F_LOST;
	c->keep = 0;
	c->skip = 0;
	if (known_end(st, &end) && !seq_before(end, c->seq))
		c->skip = end - c->seq;
	else
		c->desync = 1;
}

void avaya_stream_begin(struct avaya_stream *st,
			struct avaya_stream_cursor *c, u32 seq, u32 len,
			u32 now)
{
	s32 d = (s32)(seq - st->next);

	cursor_start(st, c, seq, len, now);
	if (!len) {
		c->phase = PH_DONE;
		return;
	}
	if (!st->valid)
		return;
	if (d < 0) {
		c->flags |= AVAYA_STREAM_F_OLD;
		if (!log_covers(st, seq))
			c->flags |= AVAYA_STREAM_F_UNLOGGED;
		c->phase = PH_OLD;
		c->pos = seq_after(c->end, st->next) ? st->next : c->end;
		return;
	}
	if (d == 0)
		return;
	if (ahead_fits(st, seq, len)) {
		c->flags |= AVAYA_STREAM_F_AHEAD;
		c->phase = PH_DONE;
		return;
	}
	cursor_gap(c);
}

AVAYA_EXPORT(avaya_stream_begin);

bool avaya_stream_ahead_begin(struct avaya_stream *st,
			      struct avaya_stream_cursor *c, u32 now)
{
	if (!st->ahead_len || !st->valid || seq_after(st->ahead_seq, st->next))
		return false;
	cursor_start(st, c, st->ahead_seq, st->ahead_len, now);
	c->virt = st->mem.ahead;
	if (seq_after(c->end, st->next))
		c->pos = st->next;
	else
		c->phase = PH_DONE;
	return true;
}

AVAYA_EXPORT(avaya_stream_ahead_begin);

/* The byte at stream position @pos in the segment as it is now. */
static const u8 *seg_at(const struct avaya_stream_cursor *c, const u8 *data,
			u32 pos)
{
	return data + (s32)(pos - c->seq) + c->shift;
}

static s32 seg_off(const struct avaya_stream_cursor *c, u32 pos)
{
	return (s32)(pos - c->seq) + c->shift;
}

static void msg_yield(struct avaya_stream_cursor *c,
		      struct avaya_stream_msg *m, const u8 *data, u32 seq,
		      u32 len, u8 kind)
{
	memset(m, 0, sizeof(*m));
	m->data = data;
	m->len = len;
	m->new_len = len;
	m->seq = seq;
	m->stream_off = seq - (c->st->valid ? c->st->base : c->seq);
	m->seg_off = seg_off(c, seq);
	m->kind = kind;
	c->last_len = len;
	c->last_new = 0;
}

/* The next logged message among the segment's old bytes. */
static bool next_old(struct avaya_stream_cursor *c, const u8 *data,
		     struct avaya_stream_msg *m)
{
	const struct avaya_stream *st = c->st;
	u32 old_end = c->pos;	/* PH_OLD: pos is where new bytes start */

	while (c->log_i < st->log_n) {
		const struct avaya_stream_log_ent *e = &st->log[c->log_i++];
		u32 from, to;

		if (!seq_after(e->seq + e->len, c->seq))
			continue;
		if (!seq_before(e->seq, old_end))
			break;
		from = seq_before(e->seq, c->seq) ? c->seq : e->seq;
		to = seq_after(e->seq + e->len, c->end) ? c->end : e->seq + e->len;
		msg_yield(c, m, seg_at(c, data, from), e->seq, e->len,
			  from == e->seq && to == e->seq + e->len ?
			  AVAYA_STREAM_RETRANS : AVAYA_STREAM_OVERLAP);
		m->new_len = e->new_len;
		m->seg_len = to - from;
		m->in_place = 1;
		m->logged = 1;
		m->rewritten = e->rewritten;
		c->last_in_place = m->kind == AVAYA_STREAM_RETRANS;
		return true;
	}
	return false;
}

static void log_new(struct avaya_stream_cursor *c, u32 seq, u32 len)
{
	struct avaya_stream_log_ent *e;

	if (c->new_n == AVAYA_STREAM_LOG_LEN) {
		memmove(c->new_log, c->new_log + 1,
			sizeof(c->new_log[0]) * (AVAYA_STREAM_LOG_LEN - 1));
		c->new_n--;
	}
	e = &c->new_log[c->new_n++];
	e->seq = seq;
	e->len = len;
	e->new_len = len;
	e->rewritten = 0;
	c->last_new = 1;
}

/* The segment ends inside a message: stop here. */
static int stop(struct avaya_stream_cursor *c, u32 flag)
{
	c->flags |= flag;
	c->pos = c->end;
	c->phase = PH_DONE;
	return -1;
}

/* Bytes that are no message start: the bad-input policy is the caller's. */
static int stop_bad(struct avaya_stream_cursor *c)
{
	u32 flag = c->desync ? AVAYA_STREAM_F_RESYNC : AVAYA_STREAM_F_MALFORMED;

	c->keep = 0;
	c->desync = 1;
	return stop(c, flag);
}

/* An oversize message of @total bytes, @seen of them gone by: skip it. */
static int skip_oversize(struct avaya_stream_cursor *c, u32 total, u32 seen,
			 u32 avail)
{
	c->flags |= AVAYA_STREAM_F_OVERSIZE;
	c->keep = 0;
	if (total > seen + avail) {
		c->skip = total - seen - avail;
		c->pos = c->end;
	} else {
		c->pos += total - seen;
	}
	return 0;
}

/*
 * The held message goes on in this segment: append what it needs after the
 * held bytes and frame it whole. Returns 1 with a message, 0 to go on, -1
 * at the end of the segment.
 */
static int next_held(struct avaya_stream_cursor *c, const u8 *data, u32 avail,
		     struct avaya_stream_msg *m)
{
	const struct avaya_stream *st = c->st;
	u32 cap = held_cap(st), keep = c->keep, total, n;
	u8 *buf = st->mem.held;
	enum frame_res r;

	if (!buf || keep > cap)
		return stop_bad(c);
	r = frame(st, buf, keep, &total);
	/* Its length known: past the storage, it must not be appended. */
	if (r == FR_NEED && (total > st->max_hold || total > cap))
		return skip_oversize(c, total, keep, avail);
	n = r == FR_NEED && total ? total - keep : cap - keep;
	n = min_u32(n, avail);
	memcpy(buf + keep, seg_at(c, data, c->pos), n);
	r = frame(st, buf, keep + n, &total);
	if (r == FR_MSG && total > keep) {
		msg_yield(c, m, buf, c->pos - keep, total, AVAYA_STREAM_NEW);
		m->seg_len = total - keep;
		c->flags |= AVAYA_STREAM_F_REASSEMBLED;
		c->pos += total - keep;
		c->keep = 0;
		c->desync = 0;
		c->last_in_place = 0;
		log_new(c, m->seq, total);
		return 1;
	}
	if (r != FR_NEED)
		return stop_bad(c);
	if (total > st->max_hold || (total && total > cap))
		return skip_oversize(c, total, keep, avail);
	if (!total && keep + n >= cap) {
		c->keep = 0;
		c->desync = 1;
		return stop(c, AVAYA_STREAM_F_LOST);
	}
	c->tail = avail;
	return stop(c, AVAYA_STREAM_F_HOLD);
}

/* A message starts at pos: whole here, or the segment's tail to hold. */
static int next_fresh(struct avaya_stream_cursor *c, const u8 *data, u32 avail,
		      struct avaya_stream_msg *m)
{
	const struct avaya_stream *st = c->st;
	const u8 *p = seg_at(c, data, c->pos);
	u32 total;

	switch (frame(st, p, avail, &total)) {
	case FR_FILLER:
		c->pos += total;
		return 0;
	case FR_MSG:
		msg_yield(c, m, p, c->pos, total, AVAYA_STREAM_NEW);
		m->seg_len = total;
		/* Replayed ahead bytes left already: nothing to patch. */
		m->in_place = !c->virt;
		c->last_in_place = m->in_place;
		c->pos += total;
		c->desync = 0;
		log_new(c, m->seq, total);
		return 1;
	case FR_NEED:
		if (total > st->max_hold)
			return skip_oversize(c, total, 0, avail);
		if (!total && avail >= st->max_hold) {
			c->desync = 1;
			return stop(c, AVAYA_STREAM_F_LOST);
		}
		c->tail = avail;
		return stop(c, AVAYA_STREAM_F_HOLD);
	default:
		return stop_bad(c);
	}
}

static int next_new(struct avaya_stream_cursor *c, const u8 *data,
		    struct avaya_stream_msg *m)
{
	u32 avail = c->end - c->pos, n;

	if (!avail) {
		c->phase = PH_DONE;
		return -1;
	}
	if (c->skip) {
		n = min_u32(c->skip, avail);
		c->skip -= n;
		c->pos += n;
		return 0;
	}
	if (c->keep)
		return next_held(c, data, avail, m);
	return next_fresh(c, data, avail, m);
}

bool avaya_stream_next(struct avaya_stream_cursor *c, const u8 *data,
		       u32 len, struct avaya_stream_msg *m)
{
	int r;

	if (c->virt) {
		data = c->virt;
		len = c->end - c->seq;
	}
	if (c->phase != PH_DONE && c->end - c->seq + (u32)c->shift != len) {
		c->phase = PH_DONE;
		c->flags |= AVAYA_STREAM_F_BADCALL;
	}
	if (c->phase == PH_OLD) {
		if (next_old(c, data, m))
			return true;
		c->phase = seq_after(c->end, c->pos) ? PH_NEW : PH_DONE;
	}
	while (c->phase == PH_NEW) {
		r = next_new(c, data, m);
		if (r > 0)
			return true;
	}
	return false;
}

AVAYA_EXPORT(avaya_stream_next);

bool avaya_stream_rewrote(struct avaya_stream_cursor *c, u32 new_len)
{
	if (!c->last_in_place || c->virt)
		return false;
	c->shift += (s32)(new_len - c->last_len);
	if (c->last_new) {
		c->new_log[c->new_n - 1].new_len = new_len;
		c->new_log[c->new_n - 1].rewritten = 1;
	}
	c->last_len = new_len;
	return true;
}

AVAYA_EXPORT(avaya_stream_rewrote);

/* Append the segment's messages to the log, the oldest falling out. */
static void log_commit(struct avaya_stream *st,
		       const struct avaya_stream_cursor *c)
{
	unsigned int drop;

	if (!c->new_n)
		return;
	if (st->log_n + c->new_n > AVAYA_STREAM_LOG_LEN) {
		drop = st->log_n + c->new_n - AVAYA_STREAM_LOG_LEN;
		memmove(st->log, st->log + drop,
			sizeof(st->log[0]) * (st->log_n - drop));
		st->log_n -= drop;
	}
	memcpy(st->log + st->log_n, c->new_log,
	       sizeof(c->new_log[0]) * c->new_n);
	st->log_n += c->new_n;
}

/*
 * The partial message at the segment's end finds no room: skip it by its
 * length when known, else wait for a message start.
 */
static u32 commit_tail_lost(struct avaya_stream *st,
			    struct avaya_stream_cursor *c, const u8 *tail)
{
	u32 total;

	if (!c->keep && frame(st, tail, c->tail, &total) == FR_NEED && total &&
	    total > c->tail) {
		c->skip = total - c->tail;
		return AVAYA_STREAM_F_NO_STORAGE | AVAYA_STREAM_F_OVERSIZE;
	}
	c->desync = 1;
	return AVAYA_STREAM_F_NO_STORAGE | AVAYA_STREAM_F_LOST;
}

static u32 commit_tail(struct avaya_stream *st, struct avaya_stream_cursor *c,
		       const u8 *data, u32 len)
{
	const u8 *tail = data + len - c->tail;

	if (c->keep + c->tail > held_cap(st) || c->tail > len) {
		u32 res = commit_tail_lost(st, c, tail);

		st->held = 0;
		return res;
	}
	memcpy(st->mem.held + c->keep, tail, c->tail);
	if (!c->keep)
		st->held_since = c->now;
	st->held = c->keep + c->tail;
	return 0;
}

u32 avaya_stream_commit(struct avaya_stream_cursor *c, const u8 *data,
			u32 len)
{
	struct avaya_stream *st = c->st;
	u32 res = 0;

	if (c->virt) {
		data = c->virt;
		len = c->end - c->seq;
	}
	if (c->flags & AVAYA_STREAM_F_BADCALL)
		return AVAYA_STREAM_F_BADCALL;
	if (c->flags & AVAYA_STREAM_F_AHEAD)
		return ahead_store(st, c->seq, data, len, c->now) ? 0 :
		       AVAYA_STREAM_F_NO_STORAGE;
	if (!st->valid) {
		st->base = c->seq;
		st->next = c->seq;
		st->valid = 1;
	}
	if (!seq_after(c->pos, st->next) && !(c->flags & AVAYA_STREAM_F_GAP)) {
		/* Nothing new was read (retransmission, or a replay) */
		if (c->virt)
			st->ahead_len = 0;
		return 0;
	}
	if (c->flags & AVAYA_STREAM_F_GAP)
		st->ahead_len = 0;
	if (c->tail)
		res = commit_tail(st, c, data, len);
	else
		st->held = c->keep;
	st->skip = c->skip;
	st->desync = c->desync;
	st->next = c->pos;
	log_commit(st, c);
	if (c->virt || (st->ahead_len &&
			!seq_after(st->ahead_seq + st->ahead_len, st->next)))
		st->ahead_len = 0;
	return res;
}

AVAYA_EXPORT(avaya_stream_commit);
