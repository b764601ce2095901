// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * Print what the call signalling decoders see in TPKT streams given as hex
 * arguments, one line per field, for tests/h323/check_call_tshark.sh and
 * for eyeballing: "call_decode [-h245] HEX...".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "avaya_q931.h"

static size_t unhex(const char *s, u8 *out, size_t max)
{
	size_t n = 0;
	unsigned int v;

	while (s[0] && s[1] && n < max && sscanf(s, "%2x", &v) == 1) {
		out[n++] = v;
		s += 2;
	}
	return n;
}

static void print_addr(const char *what, const struct avaya_taddr *a,
		       const u8 *msg)
{
	char ip[64];
	int i, p = 0;

	if (!a->family)
		return;
	if (a->family == 4) {
		snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a->ip[0], a->ip[1],
			 a->ip[2], a->ip[3]);
	} else {
		for (i = 0; i < 16; i += 2)
			p += snprintf(ip + p, sizeof(ip) - p, "%s%x",
				      i ? ":" : "", a->ip[i] << 8 | a->ip[i + 1]);
	}
	printf("%s %s %u off=%u ok=%d\n", what, ip, a->port, a->off,
	       !memcmp(msg + a->off, a->ip, a->family == 4 ? 4 : 16));
}

static void print_media(const struct avaya_media *e, unsigned int n,
			const u8 *msg)
{
	char what[64];
	unsigned int i;

	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "media ch=%u flags=0x%02x",
			 e[i].channel, e[i].flags);
		print_addr(what, &e[i].addr, msg);
	}
}

static void one_h245(const u8 *msg, size_t len)
{
	struct avaya_h245 m;
	int rc = avaya_h245_decode(msg, len, &m);

	printf("h245 rc=%d kind=%u branch=%u index=%u channel=%u\n", rc,
	       m.kind, m.branch, m.index, m.channel);
	print_media(m.media, m.n_media, msg);
}

static void one_q931(const u8 *msg, size_t len)
{
	struct avaya_q931 m;
	int rc = avaya_q931_decode(msg, len, &m);
	unsigned int i;

	printf("q931 rc=%d type=0x%02x cref=%u flag=%d uuie=%u ", rc,
	       m.msg_type, m.call_ref, m.call_ref_flag, m.uuie);
	printf("tunnelling=%d faststart=%u tunnelled=%u bad=%u ",
	       m.h245_tunnelling, m.n_faststart, m.n_tunnelled, m.n_bad);
	printf("tokens=%d crypto=%d\n", m.has_tokens, m.has_crypto_tokens);
	print_addr("h245Address", &m.h245_addr, msg);
	print_addr("sourceCallSignalAddress", &m.src_csa, msg);
	print_addr("destCallSignalAddress", &m.dst_csa, msg);
	print_media(m.media, m.n_media, msg);
	for (i = 0; i < m.n_h245; i++)
		printf("tunnelled kind=%u channel=%u\n", m.h245[i].kind,
		       m.h245[i].channel);
}

int main(int argc, char **argv)
{
	static u8 buf[1 << 17];
	size_t len, off, mlen, pos;
	bool h245 = false;
	int i, n;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h245")) {
			h245 = true;
			continue;
		}
		len = unhex(argv[i], buf, sizeof(buf));
		for (pos = 0; pos < len; pos += n) {
			n = avaya_tpkt_frame(buf + pos, len - pos, &off, &mlen);
			if (n <= 0) {
				printf("tpkt rc=%d at %zu\n", n, pos);
				break;
			}
			if (h245)
				one_h245(buf + pos + off, mlen);
			else
				one_q931(buf + pos + off, mlen);
		}
	}
	return 0;
}
