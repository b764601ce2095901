// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * Instruction counts per message, ours against the stock kernel helpers, on
 * the same bytes. Run under callgrind (icount.sh): collection is off except
 * around one decode, and each decode's count is dumped under its own name
 * ("ours NAME" / "stock NAME"), so every figure is exact and repeatable.
 * Each message is decoded once before it is counted, so lazy symbol binding
 * and first-touch work never land in a count.
 *
 * Ours: what the glue runs on a message: avaya_tpkt_frame() + avaya_q931_decode() or
 * avaya_h245_decode(), avaya_ras_decode(), avaya_sip_parse() + avaya_sip_parse_addr() of the
 * addresses the glue compares (Contacts of REGISTER/2xx, SDP c=).
 * Stock: DecodeRasMessage(), DecodeQ931() (it decodes tunnelled H.245
 * too), DecodeMultimediaSystemControlMessage(), and nf_conntrack_sip.c's
 * process_sip_msg() with its expectation calls stubbed (stock_sip.c). The
 * stock H.323 helper's TPKT check (get_tpkt_data) needs an skb and is not
 * counted: our rows pay for avaya_tpkt_frame(), stock rows get theirs free.
 *
 * Without callgrind (plain run) every message is decoded by both sides and
 * a failure of either is reported: the cheap mode make check runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <valgrind/callgrind.h>

#include "avaya_ras.h"
#include "avaya_q931.h"
#include "avaya_h245.h"
#include "avaya_sip.h"
#include "../kunit/avaya_ras_vectors.h"
#include "../kunit/avaya_q931_vectors.h"
#include "../kunit/avaya_h245_vectors.h"
#include "../kunit/avaya_sip_vectors.h"

#include <linux/netfilter/nf_conntrack_h323_asn1.h>

/* stock_sip.c */
void stock_sip_prepare(const char *a, const char *b, unsigned int reg_cseq);
int stock_sip_msg(int reply, const char *buf, unsigned int len);

enum kind { K_RAS, K_Q931, K_H245, K_SIP };

struct msg {
	const char *class;
	const char *name;
	enum kind kind;
	const u8 *buf;
	size_t len;
	/* SIP: the flow's two addresses, the direction, the REGISTER CSeq */
	const char *a, *b;
	int reply;
	unsigned int reg_cseq;
};

#define H(c, n, k, v) { c, n, k, v, sizeof(v) }
#define S(n, v, a, b, r, cs) \
	{ "SIP", n, K_SIP, (const u8 *)(v), sizeof(v) - 1, a, b, r, cs }

static const struct msg msgs[] = {
	H("RAS", "GRQ", K_RAS, ras_avaya_grq),
	H("RAS", "GCF (2 alternate GKs)", K_RAS, ras_avaya_gcf),
	H("RAS", "RRQ full (Avaya)", K_RAS, ras_avaya_rrq),
	H("RAS", "RRQ full (capture)", K_RAS, ras_cap_f61),
	H("RAS", "RRQ keepalive", K_RAS, ras_avaya_rrq_keepalive),
	H("RAS", "RRQ keepalive H.460.18", K_RAS, ras_cap_f71),
	H("RAS", "RCF", K_RAS, ras_avaya_rcf),
	H("RAS", "RCF (capture)", K_RAS, ras_cap_f62),
	H("RAS", "RCF 3 alternate GKs", K_RAS, ras_cap_f72),
	H("RAS", "URQ", K_RAS, ras_avaya_urq),
	H("RAS", "UCF", K_RAS, ras_avaya_ucf),
	H("Q.931", "Setup", K_Q931, q931_f6_setup),
	H("Q.931", "Setup 2 fastStart", K_Q931, q931_built_setup_fs),
	H("Q.931", "Connect", K_Q931, q931_f18_connect),
	H("Q.931", "Connect tunnelled OLC", K_Q931, q931_built_connect_tunnel),
	H("Q.931", "Facility tunnelled OLC", K_Q931, q931_built_facility_tunnel),
	H("Q.931", "ReleaseComplete", K_Q931, q931_f66_release),
	H("H.245", "OLC", K_H245, h245_f38_olc),
	H("H.245", "OLC (2)", K_H245, h245_f39_olc),
	H("H.245", "OLCAck", K_H245, h245_f41_olc_ack),
	H("H.245", "OLCAck (2)", K_H245, h245_f42_olc_ack),
	H("H.245", "CLC", K_H245, h245_built_clc),
	H("H.245", "endSession", K_H245, h245_built_end_session),
	S("REGISTER", sip_ndpi_register, "192.168.1.2", "212.242.33.35", 0, 0),
	S("200 to REGISTER", sip_ndpi_200_register, "192.168.1.2",
	  "212.242.33.35", 1, 75),
	S("INVITE with SDP", sip_ndpi_invite, "192.168.1.2", "212.242.33.35",
	  0, 0),
	S("INVITE with SDP (TCP)", sip_hep_invite, "10.33.6.100", "10.33.6.101",
	  0, 0),
	S("183 with SDP", sip_ndpi_183, "192.168.1.2", "212.242.33.36", 1, 0),
	S("200 with SDP", sip_hep_200, "10.33.6.100", "10.33.6.101", 1, 0),
	S("BYE", sip_hep_bye, "10.33.6.100", "10.33.6.101", 1, 0),
};

static int sip_addr(const u8 *buf, const struct avaya_sip_span *s)
{
	u8 family, ip[16];

	return s->len ? avaya_sip_parse_addr(buf + s->off, s->len, &family, ip) : 0;
}

/* The glue's work on a parsed SIP message: the addresses it compares. */
static int sip_ours(const u8 *buf, size_t len)
{
	struct avaya_sip_msg m;
	int ret = avaya_sip_parse(buf, len, &m);
	int i;

	if (ret < 0)
		return ret;
	if (m.cseq_method == AVAYA_SIP_REGISTER)
		for (i = 0; i < m.n_contact; i++)
			sip_addr(buf, &m.contact[i].uri.host.host);
	if (m.is_sdp) {
		sip_addr(buf, &m.sdp.conn.addr);
		for (i = 0; i < m.sdp.n_media; i++)
			sip_addr(buf, &m.sdp.media[i].conn.addr);
	}
	return 0;
}

static int frame(const u8 *buf, size_t len, size_t *off, size_t *mlen)
{
	return avaya_tpkt_frame(buf, len, off, mlen) < 0 ? -1 : 0;
}

static __attribute__((__noinline__)) int ours(const struct msg *m)
{
	struct avaya_ras r;
	struct avaya_q931 q;
	struct avaya_h245 h;
	size_t off, len;

	switch (m->kind) {
	case K_RAS:
		return avaya_ras_decode(m->buf, m->len, &r);
	case K_Q931:
		if (frame(m->buf, m->len, &off, &len))
			return -1;
		return avaya_q931_decode(m->buf + off, len, &q);
	case K_H245:
		if (frame(m->buf, m->len, &off, &len))
			return -1;
		return avaya_h245_decode(m->buf + off, len, &h);
	case K_SIP:
		return sip_ours(m->buf, m->len);
	}
	return -1;
}

/* The stock decoders write into big structs: static, as in the kernel. */
static RasMessage stock_r;
static Q931 stock_q;
static MultimediaSystemControlMessage stock_h;
static unsigned char copy[4096];

/* Stock results: H.323 decoders return < 0 on error; SIP NF_ACCEPT (1). */
static __attribute__((__noinline__)) int stock(const struct msg *m)
{
	switch (m->kind) {
	case K_RAS:
		return DecodeRasMessage(copy, m->len, &stock_r) < 0 ? -1 : 0;
	case K_Q931:
		return DecodeQ931(copy + 4, m->len - 4, &stock_q) < 0 ? -1 : 0;
	case K_H245:
		return DecodeMultimediaSystemControlMessage(copy + 4, m->len - 4,
							    &stock_h) < 0 ? -1 : 0;
	case K_SIP:
		return stock_sip_msg(m->reply, (const char *)copy, m->len) == 1 ?
		       0 : -1;
	}
	return -1;
}

/* The measurement's own cost: a call through the same path that does nothing. */
static __attribute__((__noinline__)) int nothing(const struct msg *m)
{
	__asm__ volatile("" : : "r"(m) : "memory");
	return 0;
}

static void prepare(const struct msg *m)
{
	memcpy(copy, m->buf, m->len);
	if (m->kind == K_SIP)
		stock_sip_prepare(m->a, m->b, m->reg_cseq);
}

/*
 * One counted call, dumped under @label; everything else is not collected.
 * The toggles and the call itself cost a few instructions: icount.sh
 * subtracts what an empty call costs ("null"), on both sides.
 */
#define COUNTED(label, call) do {			\
		CALLGRIND_TOGGLE_COLLECT;		\
		rc = call;				\
		CALLGRIND_TOGGLE_COLLECT;		\
		CALLGRIND_DUMP_STATS_AT(label);		\
	} while (0)

int main(void)
{
	char label[128];
	int failures = 0;
	size_t i;
	int rc;

	COUNTED("null", nothing(&msgs[0]));
	for (i = 0; i < ARRAY_SIZE(msgs); i++) {
		const struct msg *m = &msgs[i];
		int rc_ours, rc_stock;

		prepare(m);
		rc_ours = ours(m);
		rc_stock = stock(m);
		printf("msg\t%s\t%s\t%zu\t%d\t%d\n", m->class, m->name,
		       m->len, rc_ours, rc_stock);
		if (rc_ours < 0 || rc_stock < 0) {
			failures++;
			continue;
		}
		snprintf(label, sizeof(label), "ours %s", m->name);
		COUNTED(label, ours(m));
		prepare(m);
		snprintf(label, sizeof(label), "stock %s", m->name);
		COUNTED(label, stock(m));
	}
	(void)rc;
	return failures ? 1 : 0;
}
