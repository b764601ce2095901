// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * SIP/SDP tokenizer. Every read goes through a cursor bounded by the end of
 * the field being parsed, which itself lies inside min(len, 64 KiB); errors
 * are sticky in the cursor, so a sequence of reads is checked once.
 */
#include "avaya_shim.h"
#include "avaya_sip.h"

#define SIP_ONES	0x0101010101010101ULL

struct sip_cur {
	const u8 *buf;
	size_t pos;
	size_t end;
	bool err;
};

static void cur_init(struct sip_cur *c, const u8 *buf, size_t pos, size_t end)
{
	c->buf = buf;
	c->pos = pos;
	c->end = end;
	c->err = false;
}

/* The byte under the cursor, or -1 at the end (or after an error). */
static __always_inline int cur_peek(const struct sip_cur *c)
{
	if (c->err || c->pos >= c->end)
		return -1;
	return c->buf[c->pos];
}

static bool cur_eat(struct sip_cur *c, u8 ch)
{
	if (cur_peek(c) != ch)
		return false;
	c->pos++;
	return true;
}

static void cur_expect(struct sip_cur *c, u8 ch)
{
	if (!cur_eat(c, ch))
		c->err = true;
}

static void span_set(struct avaya_sip_span *s, size_t off, size_t len)
{
	/* Callers keep every offset below AVAYA_SIP_MAX_MSG. */
	s->off = (u16)off;
	s->len = (u16)len;
}

/* Inside a header value, CR and LF only occur as part of folding. */
static bool is_lws(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static bool is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/*
 * Character classes, one byte per byte value: a scan over a class is one
 * load and one test per byte. Tokens are RFC 3261's (alphanumerics and
 * -.!%*_+`'~); host names take alphanumerics and -._, IPv6 references
 * alphanumerics and :.; a value outside <> or quotes ends at LWS, ';' or ','.
 */
#define SC_TOKEN	0x01
#define SC_LWS		0x02
#define SC_HOST		0x04
#define SC_V6		0x08
#define SC_END		0x10	/* LWS ; , */
#define SC_GT		0x20	/* > */
#define SC_ALNUM	(SC_TOKEN | SC_HOST | SC_V6)

static const u8 sip_class[256] = {
	['0' ... '9'] = SC_ALNUM, ['A' ... 'Z'] = SC_ALNUM,
	['a' ... 'z'] = SC_ALNUM,
	['-'] = SC_TOKEN | SC_HOST, ['.'] = SC_TOKEN | SC_HOST | SC_V6,
	['_'] = SC_TOKEN | SC_HOST, ['!'] = SC_TOKEN, ['%'] = SC_TOKEN,
	['*'] = SC_TOKEN, ['+'] = SC_TOKEN, ['`'] = SC_TOKEN,
	['\''] = SC_TOKEN, ['~'] = SC_TOKEN, [':'] = SC_V6,
	[' '] = SC_LWS | SC_END, ['\t'] = SC_LWS | SC_END,
	['\r'] = SC_LWS | SC_END, ['\n'] = SC_LWS | SC_END,
	[';'] = SC_END, [','] = SC_END, ['>'] = SC_GT,
};

/*
 * Advance while (sip_class & @cls) is @want: four bytes a step while four
 * remain (one bound check for four), then one at a time.
 */
static __always_inline void cur_scan(struct sip_cur *c, u8 cls, bool want)
{
	const u8 *b = c->buf;
	size_t pos = c->pos, end = c->end;

	if (c->err)
		return;
	for (; end - pos >= 4; pos += 4) {
		if (!(sip_class[b[pos]] & cls) == want)
			goto out;
		if (!(sip_class[b[pos + 1]] & cls) == want) {
			pos += 1;
			goto out;
		}
		if (!(sip_class[b[pos + 2]] & cls) == want) {
			pos += 2;
			goto out;
		}
		if (!(sip_class[b[pos + 3]] & cls) == want) {
			pos += 3;
			goto out;
		}
	}
	while (pos < end && !(sip_class[b[pos]] & cls) != want)
		pos++;
out:
	c->pos = pos;
}

/* Advance over bytes of class @cls (none after an error). */
static __always_inline void cur_over(struct sip_cur *c, u8 cls)
{
	cur_scan(c, cls, true);
}

/*
 * Word-at-a-time tests on eight octets loaded little-endian: 0x80 in the
 * first octet that is @ch (or below @n, n <= 0x80), and possibly in later
 * ones (a borrow runs upwards only), so the lowest flag is exact.
 */
static __always_inline u64 first_eq(u64 w, u8 ch)
{
	w ^= SIP_ONES * ch;
	return (w - SIP_ONES) & ~w & (SIP_ONES << 7);
}

static __always_inline u64 first_below(u64 w, u8 n)
{
	return (w - SIP_ONES * n) & ~w & (SIP_ONES << 7);
}

/*
 * Advance up to the first byte of class @cls (none after an error). The
 * classes searched for are a few octets: eight at a time find a candidate
 * (SC_GT: '>'; SC_END: an octet up to SP, ';' or ','), the class table
 * decides (a control octet other than LWS ends nothing).
 */
static __always_inline void cur_until(struct sip_cur *c, u8 cls)
{
	const u8 *b = c->buf;
	size_t pos = c->pos, end = c->end;
	u64 w, hit;

	if (c->err)
		return;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (end - pos >= 8) {
		memcpy(&w, b + pos, 8);
		if (cls == SC_GT)
			hit = first_eq(w, '>');
		else
			hit = first_below(w, ' ' + 1) | first_eq(w, ';') |
			      first_eq(w, ',');
		if (!hit) {
			pos += 8;
			continue;
		}
		pos += __builtin_ctzll(hit) >> 3;
		if (sip_class[b[pos]] & cls)
			goto out;
		pos++;
	}
#endif
	while (pos < end && !(sip_class[b[pos]] & cls))
		pos++;
out:
	c->pos = pos;
}

/*
 * Advance to the first octet up to SP (or @stop): an SDP field. A cursor
 * that failed does not move.
 */
static __always_inline void cur_over_field(struct sip_cur *c, int stop)
{
	const u8 *b = c->buf;
	size_t pos = c->pos, end = c->end;
	u64 w, hit;

	if (c->err)
		return;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; end - pos >= 8; pos += 8) {
		memcpy(&w, b + pos, 8);
		hit = first_below(w, ' ' + 1);
		if (stop >= 0)
			hit |= first_eq(w, stop);
		if (hit) {
			pos += __builtin_ctzll(hit) >> 3;
			goto out;
		}
	}
#endif
	while (pos < end && b[pos] > ' ' && b[pos] != stop)
		pos++;
out:
	c->pos = pos;
}

static int to_lower(int ch)
{
	return (ch >= 'A' && ch <= 'Z') ? ch + ('a' - 'A') : ch;
}

/*
 * Case-insensitive comparison of buf[off..off+len) with a lowercase string
 * literal of 1..16 characters, a word at a time. Two loads of 1, 2, 4 or 8
 * octets (overlapping when the length is not a power of two) cover the
 * span. Where the literal has a letter, the octet is compared under a 0x20
 * mask (x | 0x20 is that lowercase letter only for the letter in either
 * case), everything else exactly: to_lower() on both sides, no more. Always
 * inline with a literal: its length, words and masks are constants, and a
 * span of another length costs one comparison.
 */
static __always_inline u64 lit_octet(const char *lit, size_t n, size_t from,
				     unsigned int k, unsigned int j, bool mask)
{
	u8 ch = j < k && from + j < n ? (u8)lit[from + j] : 0;

	if (mask)
		ch = ch >= 'a' && ch <= 'z' ? 0x20 : 0;
	/* octet j of a k-octet load in host order */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (u64)ch << (8 * j);
#else
	return (u64)ch << (8 * ((k - 1 - j) & 7));
#endif
}

static __always_inline u64 lit_word(const char *lit, size_t n, size_t from,
				    unsigned int k, bool mask)
{
	return lit_octet(lit, n, from, k, 0, mask) |
	       lit_octet(lit, n, from, k, 1, mask) |
	       lit_octet(lit, n, from, k, 2, mask) |
	       lit_octet(lit, n, from, k, 3, mask) |
	       lit_octet(lit, n, from, k, 4, mask) |
	       lit_octet(lit, n, from, k, 5, mask) |
	       lit_octet(lit, n, from, k, 6, mask) |
	       lit_octet(lit, n, from, k, 7, mask);
}

static __always_inline bool span_ieq(const u8 *buf, size_t off, size_t len,
				     const char *lit)
{
	size_t n = __builtin_strlen(lit);
	unsigned int k = n >= 8 ? 8 : n >= 4 ? 4 : n >= 2 ? 2 : 1;
	u64 head = lit_word(lit, n, 0, k, false);
	u64 head_mask = lit_word(lit, n, 0, k, true);
	u64 tail = lit_word(lit, n, n - k, k, false);
	u64 tail_mask = lit_word(lit, n, n - k, k, true);
	const u8 *p = buf + off;
	u64 a, b;
	u32 a4, b4;
	u16 a2, b2;

	if (len != n || n > 16)
		return false;
	if (n >= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
		return ((a | head_mask) == head) & ((b | tail_mask) == tail);
	}
	if (n >= 4) {
		memcpy(&a4, p, 4);
		memcpy(&b4, p + n - 4, 4);
		return ((a4 | head_mask) == head) & ((b4 | tail_mask) == tail);
	}
	if (n >= 2) {
		memcpy(&a2, p, 2);
		memcpy(&b2, p + n - 2, 2);
		return ((a2 | head_mask) == head) & ((b2 | tail_mask) == tail);
	}
	return (p[0] | head_mask) == head;
}

static noinline void cur_skip_lws_run(struct sip_cur *c)
{
	cur_over(c, SC_LWS);
}

/* Most often there is none: one octet tells, inline. */
static __always_inline void cur_skip_lws(struct sip_cur *c)
{
	if (c->pos < c->end && (sip_class[c->buf[c->pos]] & SC_LWS))
		cur_skip_lws_run(c);
}

/* Reads a token into @s; an empty token is an error. */
static void cur_token(struct sip_cur *c, struct avaya_sip_span *s)
{
	size_t start = c->pos;

	cur_over(c, SC_TOKEN);
	if (c->pos == start)
		c->err = true;
	span_set(s, start, c->pos - start);
}

/* Decimal number of buf[off..off+len), all digits, no overflow past @max. */
static int parse_uint(const u8 *buf, size_t off, size_t len, u32 max, u32 *out)
{
	u64 v = 0;	/* at most max * 10 + 9: no wrap, no division */
	size_t i;

	if (!len)
		return -AVAYA_EBADMSG;
	for (i = 0; i < len; i++) {
		u32 d = buf[off + i] - '0';

		if (d > 9)
			return -AVAYA_EBADMSG;
		v = v * 10 + d;
		if (v > max)
			return -AVAYA_ERANGE;
	}
	*out = v;
	return 0;
}

/*
 * Reads a run of digits at the cursor as a number up to @max, in one pass:
 * parse_uint() of the run.
 */
static int cur_number(struct sip_cur *c, u32 max, struct avaya_sip_span *s,
		      u32 *out)
{
	size_t start = c->pos, pos = start;
	bool big = false;
	u64 v = 0;
	u32 d;

	if (c->err) {
		span_set(s, start, 0);
		c->err = true;
		return -AVAYA_EBADMSG;
	}
	for (; pos < c->end && (d = c->buf[pos] - '0') <= 9; pos++) {
		v = v * 10 + d;
		if (v > max) {
			big = true;
			v = max;	/* keep it small: only the span goes on */
		}
	}
	c->pos = pos;
	span_set(s, start, pos - start);
	if (pos == start || big) {
		c->err = true;
		return pos == start ? -AVAYA_EBADMSG : -AVAYA_ERANGE;
	}
	*out = v;
	return 0;
}

/* Skips a quoted-string, backslash escapes included. */
static void cur_skip_quoted(struct sip_cur *c)
{
	cur_expect(c, '"');
	while (!c->err) {
		int ch = cur_peek(c);

		if (ch < 0) {
			c->err = true;
			return;
		}
		c->pos++;
		if (ch == '"')
			return;
		if (ch == '\\') {
			if (cur_peek(c) < 0)
				c->err = true;
			else
				c->pos++;
		}
	}
}

/* Method names are case-sensitive (RFC 3261 7.1): by length, then bytes. */
static u8 method_of(const u8 *buf, size_t off, size_t len)
{
	const u8 *p = buf + off;

	switch (len) {
	case 3:
		if (!memcmp(p, "ACK", 3))
			return AVAYA_SIP_ACK;
		if (!memcmp(p, "BYE", 3))
			return AVAYA_SIP_BYE;
		break;
	case 5:
		if (!memcmp(p, "PRACK", 5))
			return AVAYA_SIP_PRACK;
		break;
	case 6:
		if (!memcmp(p, "INVITE", 6))
			return AVAYA_SIP_INVITE;
		if (!memcmp(p, "CANCEL", 6))
			return AVAYA_SIP_CANCEL;
		if (!memcmp(p, "UPDATE", 6))
			return AVAYA_SIP_UPDATE;
		break;
	case 7:
		if (!memcmp(p, "OPTIONS", 7))
			return AVAYA_SIP_OPTIONS;
		break;
	case 8:
		if (!memcmp(p, "REGISTER", 8))
			return AVAYA_SIP_REGISTER;
		break;
	}
	return AVAYA_SIP_OTHER;
}

/*
 * An IPv6 address written without [] (some phones do, in the Request-URI,
 * Via and Contact): more than one ':' in a run of address characters. Nine
 * groups without "::" are an address and a port; otherwise the whole run
 * is the host, and whether its last group was meant as a port cannot be
 * known: hp->bare_v6 tells NAT never to rewrite it.
 */
static bool bare_v6(struct sip_cur *c, size_t start,
		    struct avaya_sip_hostport *hp)
{
	size_t i, last = start, end;
	unsigned int colons = 0;
	bool gap = false;
	u8 fam, ip[16];
	u32 port;

	c->pos = start;
	cur_over(c, SC_V6);
	end = c->pos;
	for (i = start; i < end; i++) {
		if (c->buf[i] != ':')
			continue;
		colons++;
		last = i;
		if (i + 1 < end && c->buf[i + 1] == ':')
			gap = true;
	}
	if (colons < 2) {
		c->pos = start + hp->host.len;
		return false;
	}
	hp->bare_v6 = 1;
	span_set(&hp->host, start, end - start);
	span_set(&hp->all, start, end - start);
	if (colons == 8 && !gap &&
	    !parse_uint(c->buf, last + 1, end - last - 1, 65535, &port)) {
		span_set(&hp->host, start, last - start);
		span_set(&hp->port_txt, last + 1, end - last - 1);
		hp->port = port;
		hp->has_port = 1;
	}
	/* "abc:1:2" or "1.2.3.4:5060:5062" is no address: an error. */
	if (avaya_sip_parse_addr(c->buf + hp->host.off, hp->host.len, &fam, ip))
		c->err = true;
	return true;
}

/*
 * host [":" port]. A host is an IPv6 reference in [] or a run of host name
 * characters; what may follow it is for the caller to check. Via allows LWS
 * around the colon, URIs do not.
 */
static void cur_hostport(struct sip_cur *c, struct avaya_sip_hostport *hp,
			 bool lws)
{
	size_t start = c->pos, save;
	u32 port;

	if (cur_eat(c, '[')) {
		cur_over(c, SC_V6);
		span_set(&hp->host, start + 1, c->pos - start - 1);
		cur_expect(c, ']');
		hp->v6ref = 1;
	} else {
		cur_over(c, SC_HOST);
		span_set(&hp->host, start, c->pos - start);
		if (cur_peek(c) == ':' && bare_v6(c, start, hp))
			return;
	}
	if (!hp->host.len)
		c->err = true;
	span_set(&hp->all, start, c->pos - start);

	save = c->pos;
	if (lws)
		cur_skip_lws(c);
	if (!cur_eat(c, ':')) {
		c->pos = save;
		return;
	}
	if (lws)
		cur_skip_lws(c);
	if (cur_number(c, 65535, &hp->port_txt, &port))
		return;
	hp->port = port;
	hp->has_port = 1;
	span_set(&hp->all, start, c->pos - start);
}

/*
 * 0x80 in each byte of @x that is zero, exactly (no borrow between bytes,
 * unlike the quicker test find_lf() uses, which only finds the first).
 */
static __always_inline u64 zero_bytes(u64 x)
{
	u64 y = (x & (SIP_ONES * 0x7f)) + SIP_ONES * 0x7f;

	return ~(y | x | (SIP_ONES * 0x7f));
}

/*
 * Index of the last @ch in buf[pos..end), or @end: eight bytes a step from
 * the end backwards, the first (overlapping) word last.
 */
static __always_inline size_t find_last(const u8 *buf, size_t pos, size_t end,
					u8 ch)
{
	size_t i;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	u64 w, hit;

	if (end - pos >= 8) {
		for (i = end; i - pos >= 8; i -= 8) {
			memcpy(&w, buf + i - 8, 8);
			hit = zero_bytes(w ^ (SIP_ONES * ch));
			if (hit)
				return i - 8 + ((63 - __builtin_clzll(hit)) >> 3);
		}
		if (i == pos)
			return end;
		/* octets from @i on hold no @ch: the first word's last is it */
		memcpy(&w, buf + pos, 8);
		hit = zero_bytes(w ^ (SIP_ONES * ch));
		return hit ? pos + ((63 - __builtin_clzll(hit)) >> 3) : end;
	}
#endif
	for (i = end; i > pos; i--)
		if (buf[i - 1] == ch)
			return i - 1;
	return end;
}

/*
 * The host of a SIP URI follows its last '@': the user part may contain ';'
 * and '?' but no '@' (RFC 3261 25.1), and neither may parameters or headers.
 * Other schemes (tel:) have no host and leave it empty.
 */
static int parse_uri(const u8 *buf, size_t off, size_t end,
		     struct avaya_sip_uri *u)
{
	struct sip_cur c;
	size_t i, host = 0;

	span_set(&u->all, off, end - off);
	if (end - off >= 4 && span_ieq(buf, off, 4, "sip:"))
		host = off + 4;
	else if (end - off >= 5 && span_ieq(buf, off, 5, "sips:"))
		host = off + 5;
	else
		return end > off ? 0 : -AVAYA_EBADMSG;
	i = find_last(buf, host, end, '@');
	if (i < end)
		host = i + 1;
	cur_init(&c, buf, host, end);
	cur_hostport(&c, &u->host, false);
	if (cur_peek(&c) >= 0 && cur_peek(&c) != ';' && cur_peek(&c) != '?')
		c.err = true;
	return c.err ? -AVAYA_EBADMSG : 0;
}

/*
 * One ";name[=value]" parameter. Returns false, with the cursor after any
 * LWS, when no ';' follows. A value is a quoted-string (quotes kept) or runs
 * to the next separator.
 */
static bool cur_param(struct sip_cur *c, struct avaya_sip_span *name,
		      struct avaya_sip_span *val, bool *has_val)
{
	size_t start;

	cur_skip_lws(c);
	if (!cur_eat(c, ';'))
		return false;
	cur_skip_lws(c);
	cur_token(c, name);
	cur_skip_lws(c);
	*has_val = cur_eat(c, '=');
	if (*has_val)
		cur_skip_lws(c);
	start = c->pos;
	if (*has_val && cur_peek(c) == '"')
		cur_skip_quoted(c);
	else if (*has_val)
		cur_until(c, SC_END);
	span_set(val, start, c->pos - start);
	return !c->err;
}

/* After an element of a comma-separated list: true if another one follows. */
static bool cur_list_next(struct sip_cur *c)
{
	cur_skip_lws(c);
	if (cur_eat(c, ','))
		return true;
	if (cur_peek(c) >= 0)
		c->err = true;
	return false;
}

static void via_param(struct sip_cur *c, struct avaya_sip_via *v,
		      const struct avaya_sip_span *name,
		      const struct avaya_sip_span *val, bool has_val)
{
	u32 port;

	if (span_ieq(c->buf, name->off, name->len, "received")) {
		v->received = *val;
		v->has_received = 1;
	} else if (span_ieq(c->buf, name->off, name->len, "rport")) {
		v->rport = *val;
		v->has_rport = 1;
		if (!has_val)
			span_set(&v->rport, name->off + name->len, 0);
		if (has_val && val->len) {
			if (parse_uint(c->buf, val->off, val->len, 65535, &port))
				c->err = true;
			else
				v->rport_val = port;
		}
	}
}

/* via-parm: sent-protocol LWS sent-by *(";" via-params) */
static void parse_via_parm(struct sip_cur *c, struct avaya_sip_via *v)
{
	struct avaya_sip_span tok, name, val;
	bool has_val;

	cur_token(c, &tok);		/* protocol name, "SIP" */
	cur_skip_lws(c);
	cur_expect(c, '/');
	cur_skip_lws(c);
	cur_token(c, &tok);		/* version */
	cur_skip_lws(c);
	cur_expect(c, '/');
	cur_skip_lws(c);
	cur_token(c, &v->transport);
	cur_skip_lws(c);
	cur_hostport(c, &v->sent_by, true);
	while (cur_param(c, &name, &val, &has_val))
		via_param(c, v, &name, &val, has_val);
}

static void parse_via(struct sip_cur *c, struct avaya_sip_msg *m)
{
	struct avaya_sip_via v;

	/* Full, or an unreadable Via came first: later ones are not the top. */
	if (m->overflow & AVAYA_SIP_OVF_VIA)
		return;

	do {
		memset(&v, 0, sizeof(v));
		cur_skip_lws(c);
		parse_via_parm(c, &v);
		if (c->err)
			return;
		if (m->n_via < AVAYA_SIP_MAX_VIA)
			m->via[m->n_via++] = v;
		else
			m->overflow |= AVAYA_SIP_OVF_VIA;
	} while (cur_list_next(c));
}

/*
 * name-addr or addr-spec (RFC 3261 20.10). Only a URI in <> may contain
 * ',', ';' or '?', so an addr-spec ends at the first of them.
 */
static void cur_addr(struct sip_cur *c, struct avaya_sip_uri *u)
{
	size_t q, start;

	cur_skip_lws(c);
	if (cur_peek(c) == '"') {
		cur_skip_quoted(c);
		cur_skip_lws(c);
		if (cur_peek(c) != '<')
			c->err = true;
	} else {
		/* A display name of tokens, if a '<' follows it. */
		for (q = c->pos; q < c->end; q++)
			if (!(sip_class[c->buf[q]] & (SC_TOKEN | SC_LWS)))
				break;
		if (q < c->end && c->buf[q] == '<')
			c->pos = q;
	}
	if (cur_eat(c, '<')) {
		start = c->pos;
		cur_until(c, SC_GT);
		q = c->pos;
		cur_expect(c, '>');
	} else {
		start = c->pos;
		cur_until(c, SC_END);
		q = c->pos;
	}
	if (!c->err && parse_uri(c->buf, start, q, u))
		c->err = true;
}

static void store_contact(struct sip_cur *c, struct avaya_sip_msg *m,
			  const struct avaya_sip_contact *ct)
{
	if (c->err)
		return;
	if (m->n_contact < AVAYA_SIP_MAX_CONTACT)
		m->contact[m->n_contact++] = *ct;
	else
		m->overflow |= AVAYA_SIP_OVF_CONTACT;
}

/* "Contact: *" unregisters every binding (RFC 3261 10.2.2). */
static void parse_contact_star(struct sip_cur *c, struct avaya_sip_msg *m)
{
	struct avaya_sip_contact ct;

	memset(&ct, 0, sizeof(ct));
	span_set(&ct.uri.all, c->pos, 1);
	ct.star = 1;
	c->pos++;
	cur_skip_lws(c);
	if (cur_peek(c) >= 0)
		c->err = true;
	store_contact(c, m, &ct);
}

static void parse_contact(struct sip_cur *c, struct avaya_sip_msg *m)
{
	struct avaya_sip_contact ct;
	struct avaya_sip_span name, val;
	bool has_val;

	cur_skip_lws(c);
	if (cur_peek(c) == '*') {
		parse_contact_star(c, m);
		return;
	}
	do {
		memset(&ct, 0, sizeof(ct));
		cur_addr(c, &ct.uri);
		while (cur_param(c, &name, &val, &has_val)) {
			if (!span_ieq(c->buf, name.off, name.len, "expires"))
				continue;
			if (parse_uint(c->buf, val.off, val.len, ~0U,
				       &ct.expires))
				c->err = true;
			ct.expires_txt = val;
			ct.has_expires = 1;
		}
		store_contact(c, m, &ct);
	} while (!c->err && cur_list_next(c));
}

static void parse_party(struct sip_cur *c, struct avaya_sip_party *p)
{
	struct avaya_sip_span name, val;
	bool has_val;

	if (p->uri.all.len)
		return;		/* the first From/To counts */
	cur_addr(c, &p->uri);
	while (cur_param(c, &name, &val, &has_val))
		if (span_ieq(c->buf, name.off, name.len, "tag"))
			p->tag = val;
	if (cur_peek(c) >= 0)
		c->err = true;
}

/* A header made of one number, e.g. Content-Length, Expires. */
static void parse_number_hdr(struct sip_cur *c, u32 max,
			     struct avaya_sip_span *s, u32 *out)
{
	cur_skip_lws(c);
	cur_number(c, max, s, out);
	cur_skip_lws(c);
	if (cur_peek(c) >= 0)
		c->err = true;
}

/* One CSeq: a second one, even after an unreadable first, is not taken. */
static void parse_cseq(struct sip_cur *c, struct avaya_sip_msg *m)
{
	struct avaya_sip_span num;

	if (m->cseq_seen) {
		m->cseq_dup = 1;
		c->err = true;
		return;
	}
	m->cseq_seen = 1;
	cur_skip_lws(c);
	cur_number(c, ~0U, &num, &m->cseq);
	cur_skip_lws(c);
	cur_token(c, &m->cseq_method_txt);
	cur_skip_lws(c);
	if (cur_peek(c) >= 0)
		c->err = true;
	m->cseq_method = method_of(c->buf, m->cseq_method_txt.off,
				   m->cseq_method_txt.len);
}

static void parse_content_length(struct sip_cur *c, struct avaya_sip_msg *m)
{
	struct avaya_sip_span s;
	u32 v;

	/*
	 * A second Content-Length, even an equal one, is refused: a receiver
	 * may frame by either, and NAT rewrites only the span we keep.
	 */
	if (m->has_clen) {
		c->err = true;
		return;
	}
	parse_number_hdr(c, ~0U, &s, &v);
	if (c->err)
		return;
	m->clen = v;
	m->clen_txt = s;
	m->has_clen = 1;
}

enum sip_ctype {
	CT_OTHER,
	CT_SDP,
	CT_MIXED,	/* multipart/<any but alternative>, with a boundary */
	CT_ALTERNATIVE,	/* multipart/alternative: the last part is preferred */
};

/* RFC 2046 5.1.1: a boundary is 1 to 70 characters. */
#define SIP_MAX_BOUNDARY	70

/*
 * A boundary as a UA compares it: a second boundary=, an escape in a
 * quoted one, or a length RFC 2046 does not allow could make the helper
 * and the UA split the body differently, so they are errors.
 */
static void cur_boundary(struct sip_cur *c, struct avaya_sip_span *bnd)
{
	struct avaya_sip_span name, val;
	bool has_val;
	size_t i;

	while (cur_param(c, &name, &val, &has_val)) {
		if (!has_val || !span_ieq(c->buf, name.off, name.len, "boundary"))
			continue;
		if (bnd->len)
			c->err = true;
		*bnd = val;
	}
	if (bnd->len >= 2 && c->buf[bnd->off] == '"')
		span_set(bnd, bnd->off + 1, bnd->len - 2);
	for (i = 0; i < bnd->len; i++)
		if (c->buf[bnd->off + i] == '\\' || c->buf[bnd->off + i] == '"')
			c->err = true;
	if (!bnd->len || bnd->len > SIP_MAX_BOUNDARY)
		c->err = true;
}

/*
 * type "/" subtype *(";" parameter), of the message or of a body part. For
 * a multipart type, @bnd is the boundary= value without its quotes.
 */
static enum sip_ctype cur_content_type(struct sip_cur *c,
				       struct avaya_sip_span *bnd)
{
	struct avaya_sip_span type, sub;

	span_set(bnd, 0, 0);
	cur_skip_lws(c);
	cur_token(c, &type);
	cur_skip_lws(c);
	cur_expect(c, '/');
	cur_skip_lws(c);
	cur_token(c, &sub);
	if (c->err)
		return CT_OTHER;
	if (span_ieq(c->buf, type.off, type.len, "application") &&
	    span_ieq(c->buf, sub.off, sub.len, "sdp"))
		return CT_SDP;
	if (!span_ieq(c->buf, type.off, type.len, "multipart"))
		return CT_OTHER;
	cur_boundary(c, bnd);
	if (c->err)
		return CT_OTHER;
	return span_ieq(c->buf, sub.off, sub.len, "alternative") ?
	       CT_ALTERNATIVE : CT_MIXED;
}

/* A second Content-Type makes the message malformed (skip_header()). */
static void parse_content_type(struct sip_cur *c, struct avaya_sip_msg *m)
{
	enum sip_ctype ct;

	if (m->ctype_seen) {
		m->ctype_dup = 1;
		c->err = true;
		return;
	}
	m->ctype_seen = 1;
	ct = cur_content_type(c, &m->boundary);
	m->is_sdp = ct == CT_SDP;
	m->is_multipart = ct == CT_ALTERNATIVE ? 2 : ct == CT_MIXED;
}

enum sip_hdr {
	HDR_OTHER,
	HDR_VIA,
	HDR_CONTACT,
	HDR_FROM,
	HDR_TO,
	HDR_CALL_ID,
	HDR_CSEQ,
	HDR_EXPIRES,
	HDR_CLEN,
	HDR_CTYPE,
};

/*
 * Header names by length first: each length has at most three candidates,
 * compact forms are one letter.
 */
static enum sip_hdr header_of(const u8 *buf, size_t off, size_t len)
{
	switch (len) {
	case 1:
		switch (to_lower(buf[off])) {
		case 'v':
			return HDR_VIA;
		case 'm':
			return HDR_CONTACT;
		case 'f':
			return HDR_FROM;
		case 't':
			return HDR_TO;
		case 'i':
			return HDR_CALL_ID;
		case 'l':
			return HDR_CLEN;
		case 'c':
			return HDR_CTYPE;
		}
		break;
	case 2:
		if (span_ieq(buf, off, len, "to"))
			return HDR_TO;
		break;
	case 3:
		if (span_ieq(buf, off, len, "via"))
			return HDR_VIA;
		break;
	case 4:
		if (span_ieq(buf, off, len, "from"))
			return HDR_FROM;
		if (span_ieq(buf, off, len, "cseq"))
			return HDR_CSEQ;
		break;
	case 7:
		if (span_ieq(buf, off, len, "contact"))
			return HDR_CONTACT;
		if (span_ieq(buf, off, len, "call-id"))
			return HDR_CALL_ID;
		if (span_ieq(buf, off, len, "expires"))
			return HDR_EXPIRES;
		break;
	case 12:
		if (span_ieq(buf, off, len, "content-type"))
			return HDR_CTYPE;
		break;
	case 14:
		if (span_ieq(buf, off, len, "content-length"))
			return HDR_CLEN;
		break;
	}
	return HDR_OTHER;
}

/* @lit at @off, followed by ':', SP or HT: the whole name of a header. */
static __always_inline bool name_is(const u8 *buf, size_t off, size_t end,
				    const char *lit, size_t *len)
{
	size_t n = __builtin_strlen(lit);

	if (end - off <= n || !span_ieq(buf, off, n, lit) ||
	    (buf[off + n] != ':' && buf[off + n] != ' ' &&
	     buf[off + n] != '\t'))
		return false;
	*len = n;
	return true;
}

/*
 * The headers we parse, by first letter and then whole name, straight from
 * the line: no scan over the name, which is a token by construction. Sets
 * *@len to 0 for any other name (cur_token() and header_of() then, as for
 * a known name not followed by ':' or LWS, which fails there).
 */
static enum sip_hdr known_header(const u8 *buf, size_t off, size_t end,
				 size_t *len)
{
	*len = 0;
	/* x | 0x20 is a lowercase letter only for that letter, either case */
	switch (buf[off] | 0x20) {
	case 'v':
		if (name_is(buf, off, end, "via", len) ||
		    name_is(buf, off, end, "v", len))
			return HDR_VIA;
		break;
	case 'f':
		if (name_is(buf, off, end, "from", len) ||
		    name_is(buf, off, end, "f", len))
			return HDR_FROM;
		break;
	case 't':
		if (name_is(buf, off, end, "to", len) ||
		    name_is(buf, off, end, "t", len))
			return HDR_TO;
		break;
	case 'c':
		if (name_is(buf, off, end, "call-id", len))
			return HDR_CALL_ID;
		if (name_is(buf, off, end, "cseq", len))
			return HDR_CSEQ;
		if (name_is(buf, off, end, "contact", len))
			return HDR_CONTACT;
		if (name_is(buf, off, end, "content-length", len))
			return HDR_CLEN;
		if (name_is(buf, off, end, "content-type", len) ||
		    name_is(buf, off, end, "c", len))
			return HDR_CTYPE;
		break;
	case 'm':
		if (name_is(buf, off, end, "m", len))
			return HDR_CONTACT;
		break;
	case 'i':
		if (name_is(buf, off, end, "i", len))
			return HDR_CALL_ID;
		break;
	case 'l':
		if (name_is(buf, off, end, "l", len))
			return HDR_CLEN;
		break;
	case 'e':
		if (name_is(buf, off, end, "expires", len))
			return HDR_EXPIRES;
		break;
	}
	return HDR_OTHER;
}

/* One header field, folded lines included, in buf[off..end). */
static int parse_header(const u8 *buf, size_t off, size_t end,
			struct avaya_sip_msg *m, enum sip_hdr *hdrp)
{
	struct avaya_sip_span name, num;
	enum sip_hdr hdr;
	struct sip_cur c;
	size_t len;
	u32 v;

	cur_init(&c, buf, off, end);
	hdr = known_header(buf, off, end, &len);
	if (len) {
		span_set(&name, off, len);
		c.pos = off + len;
	} else {
		cur_token(&c, &name);
		hdr = header_of(buf, name.off, name.len);
	}
	*hdrp = hdr;
	while (cur_peek(&c) == ' ' || cur_peek(&c) == '\t')
		c.pos++;
	cur_expect(&c, ':');
	if (c.err)
		return -AVAYA_EBADMSG;
	/* Values end before trailing LWS, so spans never include it. */
	while (c.end > c.pos && is_lws(buf[c.end - 1]))
		c.end--;

	switch (hdr) {
	case HDR_VIA:
		parse_via(&c, m);
		break;
	case HDR_CONTACT:
		parse_contact(&c, m);
		break;
	case HDR_FROM:
		parse_party(&c, &m->from);
		break;
	case HDR_TO:
		parse_party(&c, &m->to);
		break;
	case HDR_CALL_ID:
		cur_skip_lws(&c);
		if (!m->call_id.len)
			span_set(&m->call_id, c.pos, c.end - c.pos);
		break;
	case HDR_CSEQ:
		parse_cseq(&c, m);
		break;
	case HDR_EXPIRES:
		parse_number_hdr(&c, ~0U, &num, &v);
		if (!c.err) {
			m->expires = v;
			m->has_expires = 1;
		}
		break;
	case HDR_CLEN:
		parse_content_length(&c, m);
		break;
	case HDR_CTYPE:
		parse_content_type(&c, m);
		break;
	case HDR_OTHER:
		break;
	}
	return c.err ? -AVAYA_EBADMSG : 0;
}

/*
 * Index of the first LF in buf[pos..win), or @win: eight bytes a step. A
 * byte of w ^ LF is zero where an LF is; the lowest zero byte of a word is
 * exactly the lowest set bit of (x - ONES) & ~x & 0x80.., and on a
 * little-endian load the lowest byte is the first in memory.
 */
static __always_inline size_t find_lf(const u8 *buf, size_t pos, size_t win)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	u64 w, v, hit, hit2;

	if (win - pos >= 8) {
		/* sixteen octets a step while they last, then eight */
		for (; win - pos >= 16; pos += 16) {
			memcpy(&w, buf + pos, 8);
			memcpy(&v, buf + pos + 8, 8);
			hit = first_eq(w, '\n');
			hit2 = first_eq(v, '\n');
			if (hit | hit2)
				return hit ? pos + (__builtin_ctzll(hit) >> 3) :
					     pos + 8 + (__builtin_ctzll(hit2) >> 3);
		}
		if (win - pos >= 8) {
			memcpy(&w, buf + pos, 8);
			hit = first_eq(w, '\n');
			if (hit)
				return pos + (__builtin_ctzll(hit) >> 3);
			pos += 8;
		}
		if (pos == win)
			return win;
		/*
		 * The last octets in one load that ends at @win: those before
		 * @pos hold no LF, so its first LF is the one.
		 */
		memcpy(&w, buf + win - 8, 8);
		hit = first_eq(w, '\n');
		return hit ? win - 8 + (__builtin_ctzll(hit) >> 3) : win;
	}
#endif
	for (; pos < win; pos++)
		if (buf[pos] == '\n')
			break;
	return pos;
}

/*
 * Finds the end of the line at @pos: @eol is where its content ends (before
 * CRLF or a bare LF), @next where the following line starts.
 */
static __always_inline int find_eol(const u8 *buf, size_t pos, size_t lim,
				    size_t *eol, size_t *next)
{
	size_t win = min_t(size_t, lim, pos + AVAYA_SIP_MAX_HDR + 2);
	size_t i = find_lf(buf, pos, win);

	if (i < win) {
		*next = i + 1;
		*eol = (i > pos && buf[i - 1] == '\r') ? i - 1 : i;
		if (*eol - pos > AVAYA_SIP_MAX_HDR)
			return -AVAYA_SIP_ETOOLONG;
		return 0;
	}
	/* No line end yet: too long already, or wait for more bytes. */
	return lim - pos > AVAYA_SIP_MAX_HDR + 1 ? -AVAYA_SIP_ETOOLONG :
						   -AVAYA_SIP_INCOMPLETE;
}

static int parse_status_line(const u8 *buf, size_t off, size_t end,
			     struct avaya_sip_msg *m)
{
	struct avaya_sip_span s;
	struct sip_cur c;
	u32 code;

	cur_init(&c, buf, off + 8, end);
	cur_number(&c, 999, &s, &code);
	if (c.err || s.len != 3 || code < 100 || code > 699)
		return -AVAYA_EBADMSG;
	if (cur_peek(&c) >= 0 && cur_peek(&c) != ' ')
		return -AVAYA_EBADMSG;
	m->status = code;
	return 0;
}

/* Method SP Request-URI SP SIP-Version */
static int parse_request_line(const u8 *buf, size_t off, size_t end,
			      struct avaya_sip_msg *m)
{
	size_t sp1, sp2, i;
	struct sip_cur c;

	cur_init(&c, buf, off, end);
	cur_token(&c, &m->method_txt);
	if (c.err || !cur_eat(&c, ' '))
		return -AVAYA_SIP_ENOTSIP;
	sp1 = c.pos;
	for (sp2 = end; sp2 > sp1 && buf[sp2 - 1] != ' '; sp2--)
		;
	if (sp2 <= sp1 || !span_ieq(buf, sp2, end - sp2, "sip/2.0"))
		return -AVAYA_SIP_ENOTSIP;
	sp2--;
	for (i = sp1; i < sp2; i++)
		if (buf[i] == ' ' || buf[i] == '\t')
			return -AVAYA_EBADMSG;
	if (sp2 == sp1 || parse_uri(buf, sp1, sp2, &m->ruri))
		return -AVAYA_EBADMSG;
	m->is_request = 1;
	m->method = method_of(buf, m->method_txt.off, m->method_txt.len);
	return 0;
}

static int parse_start_line(const u8 *buf, size_t off, size_t end,
			    struct avaya_sip_msg *m)
{
	span_set(&m->start, off, end - off);
	if (end - off >= 8 && span_ieq(buf, off, 8, "sip/2.0 "))
		return parse_status_line(buf, off, end, m);
	return parse_request_line(buf, off, end, m);
}

/*
 * A header field that cannot be read is left out and counted, and the rest
 * of the message is used (a phone's odd Contact must not hide its SDP):
 * what it half filled in is cleared, Via and Contact entries of the same
 * line included (parse_headers()). Only Content-Length frames the
 * message, and a second Content-Type leaves its body in doubt: those make
 * the message malformed. After a Via that
 * cannot be read no later Via is kept, so via[0] stays the top one.
 */
static bool skip_header(struct avaya_sip_msg *m, enum sip_hdr hdr)
{
	switch (hdr) {
	case HDR_CLEN:
		return false;
	case HDR_VIA:
		m->overflow |= AVAYA_SIP_OVF_VIA;
		break;
	case HDR_FROM:
		memset(&m->from, 0, sizeof(m->from));
		break;
	case HDR_TO:
		memset(&m->to, 0, sizeof(m->to));
		break;
	case HDR_CSEQ:
		if (m->cseq_dup)
			break;
		m->cseq = 0;
		m->cseq_method = AVAYA_SIP_OTHER;
		span_set(&m->cseq_method_txt, 0, 0);
		break;
	case HDR_CTYPE:
		if (m->ctype_dup)
			return false;
		m->is_sdp = 0;
		m->is_multipart = 0;
		break;
	default:
		break;
	}
	if (m->n_skipped < 255)
		m->n_skipped++;
	return true;
}

/*
 * Walks the header fields from @pos up to the empty line. Continuation lines
 * (starting with SP or HT) are joined to their field, so a field can only end
 * once the first byte of the following line is known.
 */
static int parse_headers(const u8 *buf, size_t pos, size_t lim,
			 struct avaya_sip_msg *m, size_t *body)
{
	size_t eol, next, feol, fnext;
	u8 n_via, n_contact;
	enum sip_hdr hdr;
	int ret;

	for (;;) {
		ret = find_eol(buf, pos, lim, &eol, &next);
		if (ret)
			return ret;
		if (eol == pos) {
			*body = next;
			return 0;
		}
		if (buf[pos] == ' ' || buf[pos] == '\t')
			return -AVAYA_EBADMSG;	/* folding with no field */
		for (;;) {
			if (next >= lim)
				return -AVAYA_SIP_INCOMPLETE;
			if (buf[next] != ' ' && buf[next] != '\t')
				break;
			ret = find_eol(buf, next, lim, &feol, &fnext);
			if (ret)
				return ret;
			eol = feol;
			next = fnext;
			if (eol - pos > AVAYA_SIP_MAX_HDR)
				return -AVAYA_SIP_ETOOLONG;
		}
		n_via = m->n_via;
		n_contact = m->n_contact;
		ret = parse_header(buf, pos, eol, m, &hdr);
		if (!ret) {
			pos = next;
			continue;
		}
		/*
		 * A CR inside a line may end it for another parser, which
		 * would then read a different header: never skip that.
		 */
		if (memchr(buf + pos, '\r', eol - pos) || !skip_header(m, hdr))
			return ret;
		m->n_via = n_via;
		m->n_contact = n_contact;
		pos = next;
	}
}

/* "IN IP4 addr[/ttl]" of c= and the tail of o=. */
static void sdp_conn(struct sip_cur *c, struct avaya_sip_sdp_conn *conn)
{
	struct avaya_sip_span net, type;
	size_t start;

	memset(conn, 0, sizeof(*conn));
	cur_token(c, &net);
	cur_expect(c, ' ');
	cur_token(c, &type);
	cur_expect(c, ' ');
	start = c->pos;
	cur_over_field(c, '/');
	if (c->pos == start)
		c->err = true;
	if (c->err)
		return;
	span_set(&conn->addr, start, c->pos - start);
	if (!span_ieq(c->buf, net.off, net.len, "in"))
		return;
	if (span_ieq(c->buf, type.off, type.len, "ip4"))
		conn->family = AVAYA_SIP_IP4;
	else if (span_ieq(c->buf, type.off, type.len, "ip6"))
		conn->family = AVAYA_SIP_IP6;
}

/* o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address> */
static void sdp_origin(struct sip_cur *c, struct avaya_sip_sdp *sdp)
{
	int field;

	for (field = 0; field < 3; field++) {
		cur_over_field(c, -1);
		cur_expect(c, ' ');
	}
	sdp_conn(c, &sdp->origin);
}

static u8 media_kind(const u8 *buf, const struct avaya_sip_span *t)
{
	if (span_ieq(buf, t->off, t->len, "audio"))
		return AVAYA_SIP_MEDIA_AUDIO;
	if (span_ieq(buf, t->off, t->len, "video"))
		return AVAYA_SIP_MEDIA_VIDEO;
	if (span_ieq(buf, t->off, t->len, "image"))
		return AVAYA_SIP_MEDIA_IMAGE;
	return AVAYA_SIP_MEDIA_OTHER;
}

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
static void sdp_media(struct sip_cur *c, struct avaya_sip_media *md)
{
	u32 port;

	memset(md, 0, sizeof(*md));
	cur_token(c, &md->type);
	cur_expect(c, ' ');
	if (c->err || cur_number(c, 65535, &md->port_txt, &port))
		return;
	md->port = port;
	md->kind = media_kind(c->buf, &md->type);
}

/* a=rtcp:<port> [nettype addrtype address] (RFC 3605) */
static void sdp_rtcp(struct sip_cur *c, struct avaya_sip_media *md)
{
	u32 port;

	if (cur_number(c, 65535, &md->rtcp_txt, &port))
		return;
	md->rtcp_port = port;
	md->has_rtcp = 1;
}

/*
 * One "x=value" line of buf[off..end). Lines we do not act on are skipped;
 * those we do must be well-formed, since NAT would rewrite them.
 */
static int sdp_line(const u8 *buf, size_t off, size_t end,
		    struct avaya_sip_sdp *sdp, bool *in_media, bool *skip)
{
	struct avaya_sip_media *md = NULL;
	struct sip_cur c;

	if (end - off < 2 || buf[off + 1] != '=')
		return 0;
	cur_init(&c, buf, off + 2, end);
	if (*in_media && !*skip)
		md = &sdp->media[sdp->n_media - 1];

	switch (buf[off]) {
	case 'o':
		if (!*in_media && !sdp->origin.addr.len)
			sdp_origin(&c, sdp);
		break;
	case 'c':
		if (!*in_media && !sdp->conn.family)
			sdp_conn(&c, &sdp->conn);
		else if (md && !md->conn.family)
			sdp_conn(&c, &md->conn);
		break;
	case 'm':
		*in_media = true;
		*skip = sdp->n_media >= AVAYA_SIP_MAX_MEDIA;
		if (!*skip)
			sdp_media(&c, &sdp->media[sdp->n_media++]);
		break;
	case 'a':
		if (md && end - off > 7 && !memcmp(buf + off + 2, "rtcp:", 5)) {
			c.pos += 5;
			sdp_rtcp(&c, md);
		}
		break;
	}
	return c.err ? -AVAYA_SIP_EBADSDP : 0;
}

static int parse_sdp(const u8 *buf, size_t off, size_t end,
		     struct avaya_sip_msg *m)
{
	bool in_media = false, skip = false;
	size_t eol, i;
	int ret;

	while (off < end) {
		i = find_lf(buf, off, end);
		eol = (i > off && buf[i - 1] == '\r') ? i - 1 : i;
		ret = sdp_line(buf, off, eol, &m->sdp, &in_media, &skip);
		if (ret)
			return ret;
		if (skip)
			m->overflow |= AVAYA_SIP_OVF_MEDIA;
		off = i + 1;
	}
	return 0;
}

static int multipart_sdp(const u8 *buf, size_t off, size_t end,
			 struct avaya_sip_span bnd, bool alt,
			 struct avaya_sip_msg *m, unsigned int depth);

/* Line end of the line at @pos: before its CRLF or LF, or @end. */
static size_t line_end(const u8 *buf, size_t pos, size_t lf)
{
	return lf > pos && buf[lf - 1] == '\r' ? lf - 1 : lf;
}

/* What a body part's header fields say. */
struct mime_hdrs {
	enum sip_ctype ct;		/* RFC 2046 5.1: text/plain if absent */
	struct avaya_sip_span bnd;
	struct avaya_sip_span clen;
	u32 clen_val;
	bool has_ct;
	bool not_session;		/* Content-Disposition other than session */
	bool has_disp;
};

/* One "name: value" line of a part's headers, buf[off..eol). */
static int mime_field(const u8 *buf, size_t off, size_t eol,
		      struct mime_hdrs *h)
{
	struct avaya_sip_span name, disp;
	struct sip_cur c;

	cur_init(&c, buf, off, eol);
	cur_token(&c, &name);
	cur_skip_lws(&c);
	cur_expect(&c, ':');
	if (c.err)
		return -AVAYA_SIP_EBADSDP;
	if (span_ieq(buf, name.off, name.len, "content-type")) {
		if (h->has_ct)
			return -AVAYA_SIP_EBADSDP;
		h->has_ct = true;
		h->ct = cur_content_type(&c, &h->bnd);
	} else if (span_ieq(buf, name.off, name.len, "content-length")) {
		if (h->clen.len)
			return -AVAYA_SIP_EBADSDP;
		parse_number_hdr(&c, AVAYA_SIP_MAX_MSG, &h->clen, &h->clen_val);
	} else if (name.len == 19 && span_ieq(buf, name.off, 8, "content-") &&
		   span_ieq(buf, name.off + 8, 11, "disposition")) {
		/* RFC 3959: early-session is not the SDP the call uses. */
		if (h->has_disp)
			return -AVAYA_SIP_EBADSDP;
		h->has_disp = true;
		cur_skip_lws(&c);
		cur_token(&c, &disp);
		h->not_session = !span_ieq(buf, disp.off, disp.len, "session");
	}
	return c.err ? -AVAYA_SIP_EBADSDP : 0;
}

/*
 * The header fields of one body part (RFC 2045), only by their full names
 * (no compact forms, no folding: a MIME parser would not read them as the
 * helper did). Sets *@body to the part's content, or @end when no empty
 * line ends the headers.
 */
static int mime_headers(const u8 *buf, size_t off, size_t end,
			struct mime_hdrs *h, size_t *body)
{
	size_t lf, eol;
	int ret;

	*body = end;
	while (off < end) {
		lf = find_lf(buf, off, end);
		eol = line_end(buf, off, lf);
		/* A lone CR at the very end is an empty line without its LF. */
		if (eol == off) {
			*body = min_t(size_t, lf + 1, end);
			return 0;
		}
		if (is_lws(buf[off]) || eol - off > AVAYA_SIP_MAX_HDR)
			return -AVAYA_SIP_EBADSDP;
		ret = mime_field(buf, off, eol, h);
		if (ret)
			return ret;
		off = lf + 1;
	}
	return 0;
}

/*
 * One body part in buf[off..end): an application/sdp part for the session
 * becomes the message's SDP; a nested multipart is searched in turn,
 * AVAYA_SIP_MAX_MIME levels deep at most (the stack is bounded by it).
 */
static int mime_part(const u8 *buf, size_t off, size_t end,
		     struct avaya_sip_msg *m, unsigned int depth)
{
	struct mime_hdrs h = { .ct = CT_OTHER };
	size_t body;
	int ret;

	ret = mime_headers(buf, off, end, &h, &body);
	if (ret)
		return ret;
	if ((h.ct == CT_MIXED || h.ct == CT_ALTERNATIVE) &&
	    depth + 1 < AVAYA_SIP_MAX_MIME)
		return multipart_sdp(buf, body, end, h.bnd,
				     h.ct == CT_ALTERNATIVE, m, depth + 1);
	if (h.ct != CT_SDP || h.not_session)
		return 0;
	m->is_sdp = 1;
	span_set(&m->sdp_part, body, end - body);
	m->part_clen_txt = h.clen;
	m->part_clen = h.clen_val;
	return 0;
}

enum mime_line {
	MIME_TEXT,
	MIME_DELIM,	/* "--" boundary */
	MIME_CLOSE,	/* "--" boundary "--" */
};

/*
 * A delimiter line is "--", the boundary, "--" for the last one, then only
 * transport padding: "--abc" does not end a part whose boundary is "ab".
 */
static enum mime_line mime_line_kind(const u8 *buf, size_t pos, size_t eol,
				     struct avaya_sip_span bnd)
{
	enum mime_line kind = MIME_DELIM;
	size_t p = pos + 2 + bnd.len;

	if (eol - pos < 2 + (size_t)bnd.len || buf[pos] != '-' ||
	    buf[pos + 1] != '-' || memcmp(buf + pos + 2, buf + bnd.off, bnd.len))
		return MIME_TEXT;
	if (eol - p >= 2 && buf[p] == '-' && buf[p + 1] == '-') {
		kind = MIME_CLOSE;
		p += 2;
	}
	while (p < eol && (buf[p] == ' ' || buf[p] == '\t'))
		p++;
	return p == eol ? kind : MIME_TEXT;
}

/*
 * RFC 2046 5.1.1: parts follow delimiter lines; the CRLF before a
 * delimiter belongs to the delimiter, not to the part. The SDP is the
 * first application/sdp part for the session, nested ones included, or in
 * a multipart/alternative the last one (5.1.4: the preferred). An empty
 * body holds no SDP; a body with no delimiter is malformed; a missing
 * close delimiter is forgiven (the last part runs to the end).
 */
static int multipart_sdp(const u8 *buf, size_t off, size_t end,
			 struct avaya_sip_span bnd, bool alt,
			 struct avaya_sip_msg *m, unsigned int depth)
{
	size_t lf, eol, part = 0, pend;
	struct avaya_sip_span was;
	enum mime_line kind;
	bool in_part = false;
	int ret;

	if (off >= end)
		return 0;
	while (off < end) {
		lf = find_lf(buf, off, end);
		eol = line_end(buf, off, lf);
		kind = mime_line_kind(buf, off, eol, bnd);
		if (kind != MIME_TEXT) {
			if (in_part) {
				pend = off;
				if (pend > part && buf[pend - 1] == '\n')
					pend--;
				if (pend > part && buf[pend - 1] == '\r')
					pend--;
				was = m->sdp_part;
				ret = mime_part(buf, part, pend, m, depth);
				if (ret)
					return ret;
				/* This part, not an earlier alternative, held it. */
				if (!alt && m->is_sdp &&
				    memcmp(&was, &m->sdp_part, sizeof(was)))
					return 0;
			}
			if (kind == MIME_CLOSE)
				return 0;
			in_part = true;
			part = min_t(size_t, lf + 1, end);
		}
		off = lf + 1;
	}
	if (!in_part)
		return -AVAYA_SIP_EBADSDP;
	return mime_part(buf, part, end, m, depth);
}

int avaya_sip_parse(const u8 *buf, size_t len, struct avaya_sip_msg *m)
{
	size_t lim = min_t(size_t, len, AVAYA_SIP_MAX_MSG);
	size_t pos = 0, eol, next, body, total;
	int ret;

	memset(m, 0, sizeof(*m));
	/* CRLFs before the start line are keep-alives (RFC 5626 3.5.1). */
	while (pos < lim && (buf[pos] == '\r' || buf[pos] == '\n'))
		pos++;
	ret = find_eol(buf, pos, lim, &eol, &next);
	if (ret)
		return ret == -AVAYA_SIP_INCOMPLETE && len > lim ?
		       -AVAYA_SIP_EMSGSIZE : ret;
	ret = parse_start_line(buf, pos, eol, m);
	if (ret)
		return ret;
	ret = parse_headers(buf, next, lim, m, &body);
	if (ret)
		return ret == -AVAYA_SIP_INCOMPLETE && len > lim ?
		       -AVAYA_SIP_EMSGSIZE : ret;

	m->hdr_done = 1;
	/* Compare before adding: a 32-bit size_t must not wrap. */
	if (m->has_clen && m->clen > AVAYA_SIP_MAX_MSG - body)
		return -AVAYA_SIP_EMSGSIZE;
	if (!m->has_clen && len > lim)
		return -AVAYA_SIP_EMSGSIZE;
	total = m->has_clen ? body + m->clen : lim;
	m->msg_len = total;
	m->body_off = body;
	if (total > len)
		return -AVAYA_SIP_INCOMPLETE;
	m->body_len = total - body;
	if (m->is_sdp)
		span_set(&m->sdp_part, body, total - body);
	if (m->is_multipart) {
		ret = multipart_sdp(buf, body, total, m->boundary,
				    m->is_multipart == 2, m, 0);
		if (ret)
			return ret;
	}
	if (m->is_sdp) {
		ret = parse_sdp(buf, m->sdp_part.off,
				m->sdp_part.off + m->sdp_part.len, m);
		if (ret)
			return ret;
	}
	return total;
}

AVAYA_EXPORT(avaya_sip_parse);

/* RFC 5389 6: two zero bits, the magic cookie, a length in 4-byte words. */
static bool is_stun(const u8 *buf, size_t len)
{
	/* The method bits, class bits (0x0110) aside, say Binding (0x001). */
	return len >= 20 && !(buf[0] & 0xc0) &&
	       ((buf[0] << 8 | buf[1]) & 0x3eef) == 0x0001 && buf[4] == 0x21 &&
	       buf[5] == 0x12 && buf[6] == 0xa4 && buf[7] == 0x42 &&
	       !(buf[3] & 3) && 20 + (size_t)(buf[2] << 8 | buf[3]) == len;
}

/* Whether @s (lower case) occurs in buf[off, end), case-insensitively. */
static bool span_has(const u8 *buf, size_t off, size_t end, const char *s)
{
	size_t n = strlen(s);

	for (; off + n <= end; off++)
		if (span_ieq(buf, off, n, s))
			return true;
	return false;
}

/*
 * A SIP message's start line names the version (request or status), or,
 * cut before it, the Request-URI's scheme after the method: anything that
 * does so is parsed (and may then be malformed); anything else on a SIP
 * flow is no SIP at all. Only the first line is looked at, within the
 * window avaya_sip_parse() allows a start line.
 */
enum avaya_sip_dgram avaya_sip_dgram_kind(const u8 *buf, size_t len)
{
	size_t pos = 0, end;

	while (pos < len && (buf[pos] == '\r' || buf[pos] == '\n'))
		pos++;
	if (pos == len)
		return AVAYA_SIP_DGRAM_KEEPALIVE;
	if (is_stun(buf, len))
		return AVAYA_SIP_DGRAM_STUN;
	/* The line as avaya_sip_parse() finds it: up to LF, the same window. */
	end = pos;
	while (end < len && end - pos < AVAYA_SIP_MAX_HDR + 2 &&
	       buf[end] != '\n')
		end++;
	if (span_has(buf, pos, end, "sip/2.0") ||
	    span_has(buf, pos, end, " sip:") ||
	    span_has(buf, pos, end, " sips:") ||
	    span_has(buf, pos, end, " tel:"))
		return AVAYA_SIP_DGRAM_SIP;
	return AVAYA_SIP_DGRAM_NOT_SIP;
}

AVAYA_EXPORT(avaya_sip_dgram_kind);

static int parse_ip4(const u8 *s, size_t n, u8 ip[4])
{
	size_t i = 0, start;
	int part;
	u32 v;

	for (part = 0; part < 4; part++) {
		if (part && (i >= n || s[i++] != '.'))
			return -AVAYA_EBADMSG;
		start = i;
		while (i < n && is_digit(s[i]) && i - start < 3)
			i++;
		if (parse_uint(s, start, i - start, 255, &v))
			return -AVAYA_EBADMSG;
		ip[part] = v;
	}
	return i == n ? 0 : -AVAYA_EBADMSG;
}

static int hex_val(int ch)
{
	if (is_digit(ch))
		return ch - '0';
	ch = to_lower(ch);
	return (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : -1;
}

/* Reads groups into @g; @gap is where "::" stood, or -1. */
static int ip6_groups(const u8 *s, size_t n, u16 g[8], int *ng, int *gap)
{
	size_t i = 0, start;
	u8 v4[4];
	u32 v;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		*gap = 0;
		i = 2;
	}
	while (i < n) {
		if (*ng == 8)
			return -AVAYA_EBADMSG;
		start = i;
		for (v = 0; i < n && hex_val(s[i]) >= 0 && i - start < 4; i++)
			v = v * 16 + hex_val(s[i]);
		if (i < n && s[i] == '.') {
			/* A dotted IPv4 address makes the last 32 bits. */
			if (*ng > 6 || parse_ip4(s + start, n - start, v4))
				return -AVAYA_EBADMSG;
			g[(*ng)++] = v4[0] << 8 | v4[1];
			g[(*ng)++] = v4[2] << 8 | v4[3];
			return 0;
		}
		if (i == start)
			return -AVAYA_EBADMSG;
		g[(*ng)++] = v;
		if (i == n)
			return 0;
		if (s[i++] != ':' || i == n)
			return -AVAYA_EBADMSG;
		if (s[i] == ':') {
			if (*gap >= 0)
				return -AVAYA_EBADMSG;
			*gap = *ng;
			i++;
		}
	}
	return 0;
}

static int parse_ip6(const u8 *s, size_t n, u8 ip[16])
{
	int ng = 0, gap = -1, i, j;
	u16 g[8];

	if (ip6_groups(s, n, g, &ng, &gap))
		return -AVAYA_EBADMSG;
	if (gap < 0 ? ng != 8 : ng > 7)
		return -AVAYA_EBADMSG;
	memset(ip, 0, 16);
	for (i = 0; i < ng; i++) {
		/* Groups after the "::" go to the end of the address. */
		j = (gap >= 0 && i >= gap) ? i + 8 - ng : i;
		ip[2 * j] = g[i] >> 8;
		ip[2 * j + 1] = g[i] & 0xff;
	}
	return 0;
}

int avaya_sip_parse_addr(const u8 *s, size_t n, u8 *family, u8 ip[16])
{
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
		if (parse_ip6(s, n, ip))
			return -AVAYA_EBADMSG;
		*family = AVAYA_SIP_IP6;
		return 0;
	}
	if (!parse_ip4(s, n, ip)) {
		memset(ip + 4, 0, 12);
		*family = AVAYA_SIP_IP4;
		return 0;
	}
	if (parse_ip6(s, n, ip))
		return -AVAYA_EBADMSG;
	*family = AVAYA_SIP_IP6;
	return 0;
}

AVAYA_EXPORT(avaya_sip_parse_addr);
