// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * The stream engine with held storage smaller than its max_hold: a message
 * longer than the storage but within max_hold, cut in two at every point,
 * then a short one. The storage is an exact-size heap buffer (ASan), the
 * long message must be skipped and the short one read whole. Both
 * framings, several storage sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avaya_stream.h"

#define MAX_HOLD	4096

static int failures;

static u32 put_msg(u8 *p, enum avaya_stream_framing f, u32 body)
{
	u32 n, i;

	if (f == AVAYA_STREAM_TPKT) {
		n = body + 4;
		p[0] = 3;
		p[1] = 0;
		p[2] = n >> 8;
		p[3] = n & 0xff;
		for (i = 4; i < n; i++)
			p[i] = (u8)i;
		return n;
	}
	n = sprintf((char *)p, "OPTIONS sip:a@example.com SIP/2.0\r\nContent-Length: %u\r\n\r\n",
		    body);
	memset(p + n, 'b', body);
	return n + body;
}

/* Send stream bytes [@off, @off + @len) as one segment; count NEW ones. */
static unsigned int seg(struct avaya_stream *st, const u8 *stream, u32 isn,
			u32 off, u32 len, u32 want_off, u32 want_len)
{
	struct avaya_stream_cursor c;
	struct avaya_stream_msg m;
	u8 *data = malloc(len ? len : 1);
	unsigned int got = 0;

	memcpy(data, stream + off, len);
	avaya_stream_begin(st, &c, isn + off, len, 0);
	while (avaya_stream_next(&c, data, len, &m))
		got += m.kind == AVAYA_STREAM_NEW && m.seq == isn + want_off &&
		       m.len == want_len;
	avaya_stream_commit(&c, data, len);
	free(data);
	return got;
}

static void one(enum avaya_stream_framing f, u32 cap, u32 body, u32 cut)
{
	static u8 stream[2 * MAX_HOLD];
	struct avaya_stream_mem mem = { 0 };
	struct avaya_stream st;
	u32 isn = 0xfffff000, a, b, got;

	a = put_msg(stream, f, body);
	b = put_msg(stream + a, f, 7);
	if (cut >= a)
		return;
	avaya_stream_init(&st, f, MAX_HOLD);
	avaya_stream_start(&st, isn);
	mem.held = malloc(cap);
	mem.held_cap = cap;
	avaya_stream_attach(&st, &mem);
	got = seg(&st, stream, isn, 0, cut, a, b);
	got += seg(&st, stream, isn, cut, a + b - cut, a, b);
	if (got != 1 && failures++ < 10)
		printf("FAIL: framing %d cap %u message %u cut %u: the next read %u times\n",
		       f, cap, a, cut, got);
	avaya_stream_detach(&st, &mem);
	free(mem.held);
}

int main(void)
{
	static const u32 caps[] = { 64, 512, 1024 };
	unsigned int f, i;
	u32 cut;

	for (f = AVAYA_STREAM_TPKT; f <= AVAYA_STREAM_SIP; f++)
		for (i = 0; i < ARRAY_SIZE(caps); i++)
			for (cut = 1; cut < caps[i] + 80; cut++)
				one(f, caps[i], caps[i] + 300, cut);
	printf("%s: stream_cap_fuzz\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
