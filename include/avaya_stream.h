/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * TCP stream reassembly for message protocols (TPKT, SIP over TCP): one
 * direction of one connection. Pure C: the caller hands in the segment's
 * payload and its TCP sequence number, and, when bytes must be kept across
 * segments, storage it owns (the engine never allocates).
 *
 * A segment is read in three steps, so that its verdict comes before the
 * stream moves on:
 *   avaya_stream_begin()  places the segment in the stream;
 *   avaya_stream_next()   yields its messages, each NEW, RETRANS or OVERLAP;
 *   avaya_stream_commit() moves the stream past it, only once the packet is
 *                         accepted. Without a commit the stream is unchanged,
 *                         and the retransmission of a dropped segment is read
 *                         again as new.
 * avaya_stream_begin() and avaya_stream_next() change nothing the next
 * segment sees: the bytes they append to the held buffer lie after the held
 * ones.
 *
 * Positions are TCP sequence numbers, compared as tcp's before()/after()
 * do; offsets "in the stream" count from the first byte the engine saw.
 *
 * Partial-result contract: avaya_stream_next() yields only whole messages;
 * after it returns false, c->flags says why the segment ended (done,
 * malformed, lost, ahead).
 *
 * The engine is not reentrant per stream: the caller owns the struct
 * avaya_stream exclusively from begin to commit (one CPU at a time).
 */
#ifndef _AVAYA_STREAM_H
#define _AVAYA_STREAM_H

#include "avaya_shim.h"

/* How messages are delimited. */
enum avaya_stream_framing {
	AVAYA_STREAM_TPKT,	/* RFC 1006: 4-byte header with the length */
	AVAYA_STREAM_SIP,	/* headers to the empty line, Content-Length */
};

/* What a yielded message is. */
enum avaya_stream_kind {
	AVAYA_STREAM_NEW,	/* first read: act on it, NAT rewrites it */
	AVAYA_STREAM_RETRANS,	/* read before, whole in this segment */
	AVAYA_STREAM_OVERLAP,	/* read before, only part of it is here */
};

/* Bits of avaya_stream_cursor.flags and of avaya_stream_commit()'s result. */
#define AVAYA_STREAM_F_OLD		0x0001	/* bytes before the committed end */
#define AVAYA_STREAM_F_UNLOGGED		0x0002	/* old bytes the log forgot */
#define AVAYA_STREAM_F_AHEAD		0x0004	/* kept ahead of a hole */
#define AVAYA_STREAM_F_GAP		0x0008	/* hole beyond the window: resync */
#define AVAYA_STREAM_F_OVERSIZE		0x0010	/* a message skipped by length */
#define AVAYA_STREAM_F_LOST		0x0020	/* a partial message given up */
#define AVAYA_STREAM_F_MALFORMED	0x0040	/* framing error while in sync */
#define AVAYA_STREAM_F_RESYNC		0x0080	/* framing error while resyncing */
#define AVAYA_STREAM_F_HOLD		0x0100	/* a partial message to keep */
#define AVAYA_STREAM_F_REASSEMBLED	0x0200	/* a message from held bytes */
#define AVAYA_STREAM_F_NO_STORAGE	0x0400	/* commit: nowhere to keep it */
#define AVAYA_STREAM_F_BADCALL		0x0800	/* segment length disagrees */

/* Messages remembered per direction, for retransmissions. */
#define AVAYA_STREAM_LOG_LEN	8

/* The longest message one stream can hold (SIP's limit, a u16 offset). */
#define AVAYA_STREAM_MAX_HOLD	65535

/*
 * A message read before: where it was and how it left. @new_len differs
 * from @len when NAT changed its length (the sequence adjustment recorded
 * for it); @rewritten says NAT patched it at all (H.323 rewrites keep the
 * length). A message reassembled from held bytes left as it was.
 */
struct avaya_stream_log_ent {
	u32 seq;
	u32 len;
	u32 new_len;
	u8 rewritten;
};

/*
 * Storage lent by the caller: @held keeps a partial message (at most
 * @held_cap bytes), @ahead a segment that came before the bytes in front of
 * it (at most @ahead_cap bytes, one contiguous range). Either may be NULL
 * with a cap of 0.
 */
struct avaya_stream_mem {
	u8 *held;
	u8 *ahead;
	u32 held_cap;
	u32 ahead_cap;
};

/* One direction. Fields are private; zeroed by avaya_stream_init(). */
struct avaya_stream {
	u32 base;		/* sequence of stream offset 0 */
	u32 next;		/* committed end: the first unread byte */
	u32 skip;		/* bytes of an oversize message still to come */
	u32 held;		/* bytes of a partial message in mem.held */
	u32 held_since;		/* caller's clock when it started */
	u32 ahead_seq;		/* sequence of mem.ahead[0] */
	u32 ahead_len;
	u32 ahead_since;
	u32 max_hold;		/* longest message held across segments */
	struct avaya_stream_mem mem;
	struct avaya_stream_log_ent log[AVAYA_STREAM_LOG_LEN];
	u8 log_n;		/* entries in log[], oldest first */
	u8 framing;		/* enum avaya_stream_framing */
	u8 valid;		/* base and next are set */
	u8 desync;		/* lost track: wait for a message start */
};

/* A yielded message. */
struct avaya_stream_msg {
	const u8 *data;		/* its first byte; OVERLAP: first one here */
	u32 len;		/* length as received (first copy) */
	u32 new_len;		/* RETRANS/OVERLAP: length the first copy left with */
	u32 seq;		/* sequence of its first byte */
	u32 stream_off;		/* offset in the stream */
	s32 seg_off;		/* start in the segment as it is now; <0: before */
	u32 seg_len;		/* its bytes in this segment */
	u8 kind;		/* enum avaya_stream_kind */
	u8 in_place;		/* data points into the segment (NAT may patch) */
	u8 logged;		/* RETRANS/OVERLAP: new_len comes from the log */
	u8 rewritten;		/* RETRANS/OVERLAP: NAT patched the first copy */
};

/*
 * One segment being read. Fields are private except @flags
 * (AVAYA_STREAM_F_*, what happened so far).
 */
struct avaya_stream_cursor {
	struct avaya_stream *st;
	const u8 *virt;		/* the ahead storage, for a replayed segment */
	u32 flags;
	u32 seq;		/* the segment's first sequence number */
	u32 end;		/* after its last byte */
	u32 pos;		/* next byte to read */
	s32 shift;		/* bytes NAT added in front of pos */
	u32 keep;		/* held bytes kept from before the segment */
	u32 tail;		/* bytes at the segment's end to hold */
	u32 skip;		/* pending avaya_stream.skip */
	u32 now;
	u32 last_len;		/* the last yielded message, for rewrote() */
	u8 last_in_place;
	u8 last_new;		/* the last yielded message is new_log's last */
	u8 phase;
	u8 log_i;		/* next log entry to look at (old bytes) */
	u8 desync;
	u8 new_n;		/* entries in new_log[] (the last ones) */
	u8 new_total;
	struct avaya_stream_log_ent new_log[AVAYA_STREAM_LOG_LEN];
};

/* An empty stream; @max_hold caps a message held across segments. */
void avaya_stream_init(struct avaya_stream *st, enum avaya_stream_framing f,
		       u32 max_hold);

/*
 * The stream's first byte is at @seq (ISN + 1, when the caller knows it).
 * Without this call the first segment read starts the stream, so a
 * reordered first segment would be taken for its start.
 */
void avaya_stream_start(struct avaya_stream *st, u32 seq);

/* Lend storage (replaces none: call on a stream without storage). */
void avaya_stream_attach(struct avaya_stream *st,
			 const struct avaya_stream_mem *mem);

/* Whether storage is lent. */
bool avaya_stream_has_storage(const struct avaya_stream *st);

/*
 * Take the storage back into *@mem (zeroed when none was lent). The partial
 * message and the ahead bytes are given up; the stream stays in sync when
 * the partial message's length is known (it is skipped). Returns the bytes
 * that were held, so a global count stays exact.
 */
u32 avaya_stream_detach(struct avaya_stream *st, struct avaya_stream_mem *mem);

/*
 * Forget the stream (connection death, module unload): as detach, and the
 * next segment starts a new stream. Returns the bytes that were held.
 */
u32 avaya_stream_reset(struct avaya_stream *st, struct avaya_stream_mem *mem);

/* Bytes kept now (partial message and ahead bytes), for quotas. */
u32 avaya_stream_held(const struct avaya_stream *st);

/*
 * Give up a partial message or ahead bytes kept since before @now - @max_age
 * (the caller's clock, u32, wrapping). Returns the bytes dropped.
 */
u32 avaya_stream_expire(struct avaya_stream *st, u32 now, u32 max_age);

/*
 * Place the segment of @len bytes at TCP sequence @seq. @now stamps a
 * partial message it starts. Reads nothing yet.
 */
void avaya_stream_begin(struct avaya_stream *st,
			struct avaya_stream_cursor *c, u32 seq, u32 len,
			u32 now);

/*
 * Whether kept ahead bytes now follow the committed end: then begin a
 * cursor over them (they left already: act on their messages, never
 * rewrite them) and commit it whatever the verdict.
 */
bool avaya_stream_ahead_begin(struct avaya_stream *st,
			      struct avaya_stream_cursor *c, u32 now);

/*
 * The next message of the segment, whose payload is now at @data (@len
 * bytes: the skb may have moved or changed length through NAT since the
 * last call). Returns false at the end of the segment. m->data stays valid
 * until the next call.
 */
bool avaya_stream_next(struct avaya_stream_cursor *c, const u8 *data,
		       u32 len, struct avaya_stream_msg *m);

/*
 * NAT rewrote the last yielded message (in place) to @new_len bytes: the
 * messages after it moved in the segment, and a NEW one is logged as
 * rewritten, with its new length. Call it for length-preserving rewrites
 * too. Returns false (and changes nothing) for one not in place.
 */
bool avaya_stream_rewrote(struct avaya_stream_cursor *c, u32 new_len);

/*
 * The packet was accepted: move the stream past the segment, whose payload
 * is now @data (@len bytes; its tail, a partial message, is copied into the
 * held storage). Returns AVAYA_STREAM_F_* bits of what could not be kept.
 */
u32 avaya_stream_commit(struct avaya_stream_cursor *c, const u8 *data,
			u32 len);

/*
 * The logged message that holds the byte at @seq, or NULL when the log does
 * not remember it (too old, or not a message: keep-alive, skipped bytes).
 */
const struct avaya_stream_log_ent *
avaya_stream_log_find(const struct avaya_stream *st, u32 seq);

/* Offset in the stream of the byte at TCP sequence @seq. */
static inline u32 avaya_stream_offset(const struct avaya_stream *st, u32 seq)
{
	return seq - st->base;
}

#endif /* _AVAYA_STREAM_H */
