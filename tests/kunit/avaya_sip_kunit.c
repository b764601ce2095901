// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * KUnit suite for the SIP/SDP tokenizer: values and offsets of real and
 * project-built messages, rejections, then every truncation point and byte
 * mutations of each valid message.
 */
#include <kunit/test.h>

#include "avaya_sip.h"
#include "avaya_sip_vectors.h"

#define VEC(v)		.msg = (v), .len = sizeof(v) - 1
#define NO_VALUE	(-1)

struct via_exp {
	const char *host;
	u16 port;
	const char *received;	/* NULL: no received= */
	const char *rport;	/* NULL: no rport, "": valueless */
};

struct contact_exp {
	const char *host;	/* NULL: "*" */
	u16 port;
	s64 expires;		/* NO_VALUE: no expires= */
};

struct media_exp {
	const char *type;
	u16 port;
	u16 rtcp;		/* 0: no a=rtcp */
	const char *conn;	/* NULL: no media-level c= */
};

struct sip_case {
	const char *name;
	const char *msg;
	size_t len;
	int ret;		/* 0: the whole message is consumed */
	bool values;		/* check the fields below */

	u8 method;
	u16 status;
	const char *ruri_host;
	u16 ruri_port;
	u8 n_via;
	struct via_exp via[AVAYA_SIP_MAX_VIA];
	u8 n_contact;
	struct contact_exp contact[AVAYA_SIP_MAX_CONTACT];
	const char *from_tag;	/* NULL: none */
	const char *to_tag;
	const char *call_id;
	u32 cseq;
	u8 cseq_method;
	s64 expires;		/* NO_VALUE: no Expires header */
	u32 clen;
	u16 clen_off;
	u32 msg_len;
	u8 is_sdp;
	const char *o_addr;
	const char *c_addr;
	u8 c_family;
	u8 n_media;
	struct media_exp media[AVAYA_SIP_MAX_MEDIA];
	u8 overflow;
	u16 sdp_off;		/* 0: the SDP is the whole body */
	const char *part_clen;	/* the SDP part's Content-Length digits */
	u8 skipped;		/* header fields left out */
	u8 bare;		/* BARE_*: hosts written as IPv6 without [] */
	bool top_via_bad;	/* the first Via is unreadable */
	u16 sdp_port;		/* the first m= port of the SDP chosen */
	bool no_sdp;		/* no SDP found in a multipart body */
	bool no_contact;	/* no Contact kept */
	bool no_expires;	/* no Expires kept */
	bool no_cseq;		/* no CSeq kept */
};

#define BARE_RURI	0x01
#define BARE_VIA	0x02
#define BARE_CONTACT	0x04

static const struct sip_case sip_cases[] = {
	{
		.name = "ndpi REGISTER, valueless rport",
		VEC(sip_ndpi_register), .values = true,
		.method = AVAYA_SIP_REGISTER,
		.ruri_host = "sip.cybercity.dk",
		.n_via = 1,
		.via = { { .host = "192.168.1.2", .rport = "" } },
		.n_contact = 1,
		.contact = { { .host = "192.168.1.2", .port = 5060,
			       .expires = 1200 } },
		.from_tag = "903df0a",
		.call_id = "578222729-4665d775@578222732-4665d772",
		.cseq = 68, .cseq_method = AVAYA_SIP_REGISTER,
		.expires = 1200, .clen = 0, .clen_off = 393,
	},
	{
		.name = "ndpi 401, received and rport",
		VEC(sip_ndpi_401), .values = true,
		.status = 401,
		.n_via = 1,
		.via = { { .host = "192.168.1.2",
			   .received = "80.230.219.70", .rport = "5060" } },
		.from_tag = "903df0a",
		.to_tag = "00-04092-1701af62-120c67172",
		.call_id = "578222729-4665d775@578222732-4665d772",
		.cseq = 68, .cseq_method = AVAYA_SIP_REGISTER,
		.expires = NO_VALUE, .clen = 0, .clen_off = 481,
	},
	{
		.name = "ndpi 200 OK to REGISTER",
		VEC(sip_ndpi_200_register), .values = true,
		.status = 200,
		.n_via = 1,
		.via = { { .host = "192.168.1.2",
			   .received = "80.230.219.70", .rport = "5060" } },
		.n_contact = 1,
		.contact = { { .host = "192.168.1.2", .port = 5060,
			       .expires = 1200 } },
		.from_tag = "6bac55c",
		.to_tag = "00-04081-1701b256-5586b7324",
		.call_id = "578222729-4665d775@578222732-4665d772",
		.cseq = 75, .cseq_method = AVAYA_SIP_REGISTER,
		.expires = NO_VALUE, .clen = 0, .clen_off = 465,
	},
	{
		.name = "ndpi INVITE with SDP",
		VEC(sip_ndpi_invite), .values = true,
		.method = AVAYA_SIP_INVITE,
		.ruri_host = "voip.brujula.net",
		.n_via = 1,
		.via = { { .host = "192.168.1.2", .port = 5060,
			   .rport = "" } },
		.n_contact = 1,
		.contact = { { .host = "192.168.1.2", .expires = NO_VALUE } },
		.from_tag = "6433ef9",
		.call_id = "105090259-446faf7a@192.168.1.2",
		.cseq = 1, .cseq_method = AVAYA_SIP_INVITE,
		.expires = 120, .clen = 272, .clen_off = 427,
		.is_sdp = 1, .o_addr = "192.168.1.2",
		.c_addr = "192.168.1.2", .c_family = AVAYA_SIP_IP4,
		.n_media = 1,
		.media = { { .type = "audio", .port = 30000 } },
	},
	{
		.name = "ndpi CANCEL",
		VEC(sip_ndpi_cancel), .values = true,
		.method = AVAYA_SIP_CANCEL,
		.ruri_host = "voip.brujula.net",
		.n_via = 1,
		.via = { { .host = "192.168.1.2", .rport = "" } },
		.from_tag = "6433ef9",
		.call_id = "105090259-446faf7a@192.168.1.2",
		.cseq = 1, .cseq_method = AVAYA_SIP_CANCEL,
		.expires = NO_VALUE, .clen = 0, .clen_off = 301,
	},
	{
		.name = "ndpi REGISTER expires=0",
		VEC(sip_ndpi_unregister), .values = true,
		.method = AVAYA_SIP_REGISTER,
		.ruri_host = "sip.cybercity.dk",
		.n_via = 1,
		.via = { { .host = "192.168.1.2", .rport = "" } },
		.n_contact = 1,
		.contact = { { .host = "192.168.1.2", .port = 5060,
			       .expires = 0 } },
		.from_tag = "3bffccc",
		.call_id = "578222729-4665d775@578222732-4665d772",
		.cseq = 76, .cseq_method = AVAYA_SIP_REGISTER,
		.expires = 0, .clen = 0, .clen_off = 364,
	},
	{
		.name = "ndpi 183 with SDP",
		VEC(sip_ndpi_183), .values = true,
		.status = 183,
		.n_via = 1,
		.via = { { .host = "192.168.1.2",
			   .received = "80.230.219.70", .rport = "5060" } },
		.n_contact = 1,
		.contact = { { .host = "212.242.33.35", .port = 5060,
			       .expires = NO_VALUE } },
		.from_tag = "b56e6e",
		.to_tag = "00-04075-1701baa2-2dfdf7c21",
		.call_id = "11894297-4432a9f8@192.168.1.2",
		.cseq = 2, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE, .clen = 199, .clen_off = 463,
		.is_sdp = 1, .o_addr = "212.242.33.75",
		.c_addr = "212.242.33.36", .c_family = AVAYA_SIP_IP4,
		.n_media = 1,
		.media = { { .type = "audio", .port = 40392 } },
	},
	{
		.name = "heplify INVITE over TCP",
		VEC(sip_hep_invite), .values = true,
		.method = AVAYA_SIP_INVITE,
		.ruri_host = "10.33.6.101",
		.n_via = 1,
		.via = { { .host = "10.33.6.100" } },
		.n_contact = 1,
		.contact = { { .host = "10.33.6.100", .port = 5060,
			       .expires = NO_VALUE } },
		.from_tag = "1c1589367133",
		.call_id = "158936656982201062716@10.33.6.100",
		.cseq = 1, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE, .clen = 228, .clen_off = 553,
		.is_sdp = 1, .o_addr = "10.33.6.100",
		.c_addr = "10.33.6.100", .c_family = AVAYA_SIP_IP4,
		.n_media = 1,
		.media = { { .type = "audio", .port = 6000 } },
	},
	{
		.name = "heplify 200 OK with SDP",
		VEC(sip_hep_200), .values = true,
		.status = 200,
		.n_via = 1,
		.via = { { .host = "10.33.6.100" } },
		.n_contact = 1,
		.contact = { { .host = "10.33.6.101", .port = 5060,
			       .expires = NO_VALUE } },
		.from_tag = "1c1589367133", .to_tag = "1c342958875",
		.call_id = "158936656982201062716@10.33.6.100",
		.cseq = 1, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE, .clen = 225, .clen_off = 520,
		.is_sdp = 1, .o_addr = "10.33.6.101",
		.c_addr = "10.33.6.101", .c_family = AVAYA_SIP_IP4,
		.n_media = 1,
		.media = { { .type = "audio", .port = 6050 } },
	},
	{
		.name = "heplify BYE",
		VEC(sip_hep_bye), .values = true,
		.method = AVAYA_SIP_BYE,
		.ruri_host = "10.33.6.100", .ruri_port = 5060,
		.n_via = 1,
		.via = { { .host = "10.33.6.101" } },
		.from_tag = "1c342958875", .to_tag = "1c1589367133",
		.call_id = "158936656982201062716@10.33.6.100",
		.cseq = 1, .cseq_method = AVAYA_SIP_BYE,
		.expires = NO_VALUE, .clen = 0, .clen_off = 531,
	},
	{
		.name = "compact forms, IPv6, lists",
		VEC(sip_edge_compact_v6), .values = true,
		.method = AVAYA_SIP_INVITE,
		.ruri_host = "2001:db8::2", .ruri_port = 5062,
		.n_via = 3,
		.via = {
			{ .host = "2001:db8::1", .port = 5060, .rport = "" },
			{ .host = "proxy.example.com" },
			{ .host = "10.0.0.1", .port = 5070,
			  .received = "192.0.2.7", .rport = "6000" },
		},
		.n_contact = 2,
		.contact = {
			{ .host = "2001:db8::1", .port = 5060, .expires = 60 },
			{ .host = "10.0.0.1", .port = 5070, .expires = 30 },
		},
		.from_tag = "a1",
		.call_id = "c1@example.com",
		.cseq = 10, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE, .clen = 156, .clen_off = 401,
		.is_sdp = 1, .o_addr = "2001:db8::1",
		.c_addr = "2001:db8::1", .c_family = AVAYA_SIP_IP6,
		.n_media = 2,
		.media = {
			{ .type = "audio", .port = 30000, .rtcp = 30011 },
			{ .type = "video", .port = 30002, .conn = "192.0.2.9" },
		},
	},
	{
		.name = "folded fields, bare LF",
		VEC(sip_edge_folded), .values = true,
		.method = AVAYA_SIP_REGISTER,
		.ruri_host = "registrar.example.com",
		.n_via = 1,
		.via = { { .host = "192.168.1.2", .port = 5060, .rport = "" } },
		.n_contact = 1,
		.contact = { { .host = "192.168.1.2", .port = 5060,
			       .expires = 3600 } },
		.from_tag = "f1",
		.call_id = "fold@example.com",
		.cseq = 2, .cseq_method = AVAYA_SIP_REGISTER,
		.expires = 3600, .clen = 0, .clen_off = 284,
	},
	{
		.name = "Contact: *",
		VEC(sip_edge_star), .values = true,
		.method = AVAYA_SIP_REGISTER,
		.ruri_host = "example.com",
		.n_via = 1,
		.via = { { .host = "192.168.1.2", .port = 5060 } },
		.n_contact = 1,
		.contact = { { .host = NULL, .expires = NO_VALUE } },
		.from_tag = "s1",
		.call_id = "star@example.com",
		.cseq = 3, .cseq_method = AVAYA_SIP_REGISTER,
		.expires = 0, .clen = 0, .clen_off = 228,
	},
	{
		.name = "five Via, five m=",
		VEC(sip_edge_overflow), .values = true,
		.status = 200,
		.n_via = 4,
		.via = {
			{ .host = "10.0.0.1", .port = 5060 },
			{ .host = "10.0.0.2", .port = 5060 },
			{ .host = "10.0.0.3", .port = 5060 },
			{ .host = "10.0.0.4", .port = 5060 },
		},
		.n_contact = 1,
		.contact = { { .host = "10.0.0.9", .expires = NO_VALUE } },
		.from_tag = "o1", .to_tag = "o2",
		.call_id = "ovf@example.com",
		.cseq = 7, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE, .clen = 179, .clen_off = 428,
		.is_sdp = 1, .o_addr = "10.0.0.9",
		.c_addr = "10.0.0.9", .c_family = AVAYA_SIP_IP4,
		.n_media = 4,
		.media = {
			{ .type = "audio", .port = 4000 },
			{ .type = "audio", .port = 4002 },
			{ .type = "audio", .port = 4004 },
			{ .type = "audio", .port = 4006 },
		},
		.overflow = AVAYA_SIP_OVF_VIA | AVAYA_SIP_OVF_MEDIA,
	},
	{
		/* Headers are filled in so a UDP caller can still act. */
		.name = "Content-Length past the end",
		VEC(sip_edge_short_body), .ret = -AVAYA_SIP_INCOMPLETE,
		.values = true,
		.method = AVAYA_SIP_INVITE,
		.ruri_host = "example.com",
		.n_via = 1,
		.via = { { .host = "192.168.1.2", .port = 5060 } },
		.from_tag = "sb",
		.call_id = "short@example.com",
		.cseq = 1, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE, .clen = 500, .clen_off = 240,
		.msg_len = 747, .is_sdp = 1,
	},
	{
		.name = "HTTP GET on port 5060",
		VEC(sip_http_get), .ret = -AVAYA_SIP_ENOTSIP,
	},
	{
		.name = "HTTP response on port 5060",
		VEC(sip_http_403), .ret = -AVAYA_SIP_ENOTSIP,
	},
	{
		.name = "Content-Length overflows u32",
		VEC("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 4294967296\r\n\r\n"),
		.ret = -AVAYA_EBADMSG,
	},
	{
		.name = "Content-Length over 64 KiB",
		VEC("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 65536\r\n\r\n"),
		.ret = -AVAYA_SIP_EMSGSIZE,
	},
	{
		.name = "two different Content-Length",
		VEC("OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\nl: 1\r\n\r\nx"),
		.ret = -AVAYA_EBADMSG,
	},
	{
		.name = "Via port over 65535: skipped",
		VEC("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:65536\r\n\r\n"),
		.skipped = 1,
	},
	{
		.name = "Contact without '>': skipped",
		VEC("OPTIONS sip:a@b SIP/2.0\r\nContact: <sip:a@10.0.0.1\r\n\r\n"),
		.skipped = 1,
	},
	{
		.name = "unterminated IPv6 reference",
		VEC("OPTIONS sip:a@[2001:db8::1 SIP/2.0\r\n\r\n"),
		.ret = -AVAYA_EBADMSG,
	},
	{
		.name = "continuation line before any field",
		VEC("OPTIONS sip:a@b SIP/2.0\r\n Via: x\r\n\r\n"),
		.ret = -AVAYA_EBADMSG,
	},
	{
		.name = "status code of four digits",
		VEC("SIP/2.0 2000 OK\r\n\r\n"),
		.ret = -AVAYA_EBADMSG,
	},
	{
		.name = "header line without a colon: skipped",
		VEC("OPTIONS sip:a@b SIP/2.0\r\nVia SIP/2.0/UDP 10.0.0.1\r\n\r\n"),
		.skipped = 1,
	},
	{
		.name = "m= port over 65535",
		VEC("SIP/2.0 200 OK\r\nc: application/sdp\r\n\r\nm=audio 65536 RTP/AVP 0\r\n"),
		.ret = -AVAYA_SIP_EBADSDP,
	},	{
		.name = "two equal Content-Length",
		VEC(sip_dup_clen_equal), .ret = -AVAYA_EBADMSG,
	},
	{
		.name = "Content-Length and l, equal",
		VEC(sip_dup_clen_compact), .ret = -AVAYA_EBADMSG,
	},
	{
		.name = "three Content-Length",
		VEC(sip_dup_clen_three), .ret = -AVAYA_EBADMSG,
	},
	{
		.name = "bare IPv6 in Request-URI, Via, Contact; SDP used",
		VEC(sip_bare_v6_invite), .values = true,
		.method = AVAYA_SIP_INVITE,
		.ruri_host = "fec0:0:0:0:216:d3ff:fe0d:22d", .ruri_port = 5060,
		.n_via = 1,
		.via = { { .host = "fec0:0:0:0:216:d3ff:fe0d:22c",
			   .port = 5060 } },
		.n_contact = 1,
		.contact = { { .host = "fec0::216:d3ff:fe0d:22c",
			       .expires = NO_VALUE } },
		.from_tag = "v6a",
		.call_id = "v6bare@fec0::22c",
		.cseq = 1, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE, .clen = 115, .clen_off = 378,
		.is_sdp = 1, .o_addr = "fec0::216:d3ff:fe0d:22c",
		.c_addr = "fec0::216:d3ff:fe0d:22c", .c_family = AVAYA_SIP_IP6,
		.n_media = 1,
		.media = { { .type = "audio", .port = 5004 } },
		.bare = BARE_RURI | BARE_VIA | BARE_CONTACT,
	},
	{
		.name = "unreadable Contact skipped, SDP used",
		VEC(sip_skip_contact), .values = true,
		.method = AVAYA_SIP_INVITE,
		.ruri_host = "10.0.2.2",
		.n_via = 1,
		.via = { { .host = "10.0.1.2", .port = 5060 } },
		.from_tag = "sk1",
		.call_id = "skip@10.0.1.2",
		.cseq = 1, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE, .clen = 86, .clen_off = 263,
		.is_sdp = 1, .o_addr = "10.0.1.2",
		.c_addr = "10.0.1.2", .c_family = AVAYA_SIP_IP4,
		.n_media = 1,
		.media = { { .type = "audio", .port = 49170 } },
		.skipped = 1,
	},
	{
		.name = "unreadable top Via: no later Via taken for it",
		VEC("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a:99999\r\n"
		    "Via: SIP/2.0/UDP 10.0.0.9\r\nl: 0\r\n\r\n"),
		.skipped = 1, .top_via_bad = true,
	},
	{
		.name = "unreadable From, CSeq, Content-Type skipped",
		VEC("SIP/2.0 200 OK\r\nf: <sip:a@b;tag=x\r\nCSeq: x INVITE\r\n"
		    "c: application\r\nl: 0\r\n\r\n"),
		.skipped = 3,
	},
	{
		.name = "multipart/mixed: SDP next to ISUP (SIP-I)",
		VEC(sip_mp_sipi), .values = true,
		.method = AVAYA_SIP_INVITE,
		.ruri_host = "10.0.2.2",
		.n_via = 1,
		.via = { { .host = "10.0.1.2", .port = 5060 } },
		.n_contact = 1,
		.contact = { { .host = "10.0.1.2", .port = 5060,
			       .expires = NO_VALUE } },
		.from_tag = "mp1",
		.call_id = "mp-1@10.0.1.2",
		.cseq = 1, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE,
		.clen = 374, .clen_off = 309,
		.is_sdp = 1, .o_addr = "10.0.1.2",
		.c_addr = "10.0.1.2", .c_family = AVAYA_SIP_IP4,
		.n_media = 1,
		.media = { { .type = "audio", .port = 49170 } },
		.sdp_off = 370,
	},
	{
		.name = "nested multipart/alternative, quoted boundary",
		VEC(sip_mp_nested), .values = true,
		.method = AVAYA_SIP_INVITE,
		.ruri_host = "10.0.2.2",
		.n_via = 1,
		.via = { { .host = "10.0.1.2", .port = 5060 } },
		.n_contact = 1,
		.contact = { { .host = "10.0.1.2", .port = 5060,
			       .expires = NO_VALUE } },
		.from_tag = "mp1",
		.call_id = "mp-1@10.0.1.2",
		.cseq = 1, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE,
		.clen = 439, .clen_off = 300,
		.is_sdp = 1, .o_addr = "10.0.1.3",
		.c_addr = "10.0.1.3", .c_family = AVAYA_SIP_IP4,
		.n_media = 1,
		.media = { { .type = "audio", .port = 5004 } },
		.sdp_off = 597, .part_clen = "112",
	},
	{
		.name = "multipart without an SDP part",
		VEC(sip_mp_nosdp), .values = true,
		.method = AVAYA_SIP_INVITE,
		.ruri_host = "10.0.2.2",
		.n_via = 1,
		.via = { { .host = "10.0.1.2", .port = 5060 } },
		.n_contact = 1,
		.contact = { { .host = "10.0.1.2", .port = 5060,
			       .expires = NO_VALUE } },
		.from_tag = "mp1",
		.call_id = "mp-1@10.0.1.2",
		.cseq = 1, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE,
		.clen = 76, .clen_off = 294,
	},
	{
		.name = "multipart without close delimiter",
		VEC(sip_mp_noclose), .values = true,
		.method = AVAYA_SIP_INVITE,
		.ruri_host = "10.0.2.2",
		.n_via = 1,
		.via = { { .host = "10.0.1.2", .port = 5060 } },
		.n_contact = 1,
		.contact = { { .host = "10.0.1.2", .port = 5060,
			       .expires = NO_VALUE } },
		.from_tag = "mp1",
		.call_id = "mp-1@10.0.1.2",
		.cseq = 1, .cseq_method = AVAYA_SIP_INVITE,
		.expires = NO_VALUE,
		.clen = 219, .clen_off = 319,
		.is_sdp = 1, .o_addr = "10.0.1.5",
		.c_addr = "10.0.1.5", .c_family = AVAYA_SIP_IP4,
		.n_media = 1,
		.media = { { .type = "audio", .port = 7078 } },
		.sdp_off = 433,
	},
	{
		/* f35dcc3 read 64 KiB past the body: the part began at end + 1. */
		.name = "multipart part ending in a lone CR",
		VEC("SIP/2.0 200 OK\r\nc: multipart/mixed;boundary=b\r\nl: 37\r\n\r\n"
		    "--b\r\nContent-Type: application/sdp\r\n\r"),
	},
	{
		.name = "review: part ending in CR before a delimiter",
		VEC(sip_rv_midpart_cr),
	},
	{
		.name = "review: early-session part skipped for the session's",
		VEC(sip_rv_early), .sdp_port = 6000,
	},
	{
		.name = "review: multipart/alternative takes the last SDP",
		VEC(sip_rv_alt), .sdp_port = 6000,
	},
	{
		.name = "review: compact c: in a part is no Content-Type",
		VEC(sip_rv_compact_c), .sdp_port = 6000,
	},
	{
		.name = "review: two Content-Type headers: malformed",
		VEC(sip_rv_dup_msg_ct), .ret = -AVAYA_EBADMSG,
	},
	{
		.name = "review: two Content-Type in a part: bad body",
		VEC(sip_rv_dup_ct), .ret = -AVAYA_SIP_EBADSDP,
	},
	{
		.name = "review: folded part header: bad body",
		VEC(sip_rv_folded), .ret = -AVAYA_SIP_EBADSDP,
	},
	{
		.name = "review: second boundary= skips the Content-Type",
		VEC(sip_rv_dup_bnd), .skipped = 1, .no_sdp = true,
	},
	{
		.name = "review: escape in a quoted boundary skips it",
		VEC(sip_rv_qesc), .skipped = 1, .no_sdp = true,
	},
	{
		.name = "review: empty multipart body holds no SDP",
		VEC(sip_rv_empty), .no_sdp = true,
	},
	{
		.name = "review: empty nested multipart, SDP after it",
		VEC(sip_rv_nested_empty), .sdp_port = 4000,
	},
	{
		.name = "review: part header over 1024 bytes: bad body",
		VEC(sip_rv_longct), .ret = -AVAYA_SIP_EBADSDP,
	},
	{
		.name = "review 2: SDP in a mixed part, the last alternative",
		VEC(sip_rv2_alt_nested), .sdp_port = 6000,
	},
	{
		.name = "review 2: Contacts of a skipped line are dropped",
		VEC(sip_rv2_ct_keep), .skipped = 1, .no_contact = true,
	},
	{
		.name = "review 2: the Via of a skipped line is dropped",
		VEC(sip_rv2_via_keep), .skipped = 1, .top_via_bad = true,
	},
	{
		.name = "review 2: bare host, LWS before the port: skipped",
		VEC(sip_rv2_bare_lws), .skipped = 1, .top_via_bad = true,
	},
	{
		.name = "review 2: unreadable Expires: none",
		VEC(sip_rv2_exp_bad), .skipped = 1, .no_expires = true,
	},
	{
		.name = "review 2: bare Request-URI host that is no address",
		VEC(sip_rv2_bare_host), .ret = -AVAYA_EBADMSG,
	},
	{
		.name = "review 2: CR-only header line: malformed",
		VEC(sip_rv2_crline), .ret = -AVAYA_EBADMSG,
	},
	{
		.name = "review 2: CR inside CSeq: malformed",
		VEC(sip_rv2_cr_cseq_clen), .ret = -AVAYA_EBADMSG,
	},
	{
		.name = "review 2: two Content-Disposition in a part",
		VEC(sip_rv2_dup_disp), .ret = -AVAYA_SIP_EBADSDP,
	},
	{
		.name = "review 2: unreadable CSeq, then another: none",
		VEC(sip_rv2_cseq3), .skipped = 2, .no_cseq = true,
	},
	{
		.name = "multipart without a delimiter",
		VEC(sip_mp_nodelim), .ret = -AVAYA_SIP_EBADSDP,
	},
	{
		.name = "multipart without a boundary: header skipped",
		VEC("SIP/2.0 200 OK\r\nc: multipart/mixed\r\nl: 5\r\n\r\nm=x\r\n"),
		.skipped = 1, .no_sdp = true,
	},
	{
		.name = "boundary over 70 characters: header skipped",
		VEC(sip_mp_longbnd),
		.skipped = 1, .no_sdp = true,
	},
	{
		.name = "malformed SDP in a multipart part",
		VEC("SIP/2.0 200 OK\r\nc: multipart/mixed;boundary=b\r\nl: 62\r\n\r\n"
		    "--b\r\nContent-Type: application/sdp\r\n\r\nm=audio 65536 x\r\n--b--\r\n"),
		.ret = -AVAYA_SIP_EBADSDP,
	},
};

static void sip_case_desc(const struct sip_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sip, sip_cases, sip_case_desc);

static const u8 *sip_copy(struct kunit *test, const struct sip_case *t)
{
	u8 *buf = kunit_kmalloc(test, t->len ?: 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, t->msg, t->len);
	return buf;
}

/* The text under @s, or an empty span for @want == NULL. */
static void expect_span(struct kunit *test, const u8 *buf,
			struct avaya_sip_span s, const char *want)
{
	if (!want) {
		KUNIT_EXPECT_EQ(test, s.len, 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, s.len, strlen(want));
	if (s.len == strlen(want))
		KUNIT_EXPECT_EQ(test, memcmp(buf + s.off, want, s.len), 0);
}

static void expect_via(struct kunit *test, const u8 *buf,
		       const struct avaya_sip_via *v, const struct via_exp *e)
{
	expect_span(test, buf, v->sent_by.host, e->host);
	KUNIT_EXPECT_EQ(test, v->sent_by.port, e->port);
	KUNIT_EXPECT_EQ(test, v->sent_by.has_port, e->port ? 1 : 0);
	KUNIT_EXPECT_EQ(test, v->has_received, e->received ? 1 : 0);
	expect_span(test, buf, v->received, e->received);
	KUNIT_EXPECT_EQ(test, v->has_rport, e->rport ? 1 : 0);
	expect_span(test, buf, v->rport, e->rport && *e->rport ? e->rport :
						NULL);
	/* A valueless rport leaves the insertion point after its name. */
	if (e->rport && !*e->rport)
		KUNIT_EXPECT_EQ(test, memcmp(buf + v->rport.off - 5, "rport", 5),
				0);
}

static void expect_contact(struct kunit *test, const u8 *buf,
			   const struct avaya_sip_contact *c,
			   const struct contact_exp *e)
{
	KUNIT_EXPECT_EQ(test, c->star, e->host ? 0 : 1);
	expect_span(test, buf, c->uri.host.host, e->host);
	KUNIT_EXPECT_EQ(test, c->uri.host.port, e->port);
	KUNIT_EXPECT_EQ(test, c->has_expires, e->expires != NO_VALUE);
	if (e->expires != NO_VALUE)
		KUNIT_EXPECT_EQ(test, (s64)c->expires, e->expires);
}

static void expect_sdp(struct kunit *test, const u8 *buf,
		       const struct avaya_sip_sdp *sdp,
		       const struct sip_case *t)
{
	unsigned int i;

	expect_span(test, buf, sdp->origin.addr, t->o_addr);
	expect_span(test, buf, sdp->conn.addr, t->c_addr);
	KUNIT_EXPECT_EQ(test, sdp->conn.family, t->c_family);
	KUNIT_ASSERT_EQ(test, sdp->n_media, t->n_media);
	for (i = 0; i < t->n_media; i++) {
		const struct avaya_sip_media *md = &sdp->media[i];

		expect_span(test, buf, md->type, t->media[i].type);
		KUNIT_EXPECT_EQ(test, md->port, t->media[i].port);
		KUNIT_EXPECT_EQ(test, md->has_rtcp, t->media[i].rtcp ? 1 : 0);
		KUNIT_EXPECT_EQ(test, md->rtcp_port, t->media[i].rtcp);
		expect_span(test, buf, md->conn.addr, t->media[i].conn);
	}
}

static void expect_numbers(struct kunit *test, const u8 *buf,
			   const struct avaya_sip_msg *m,
			   const struct sip_case *t)
{
	char digits[12];

	KUNIT_EXPECT_EQ(test, m->cseq, t->cseq);
	KUNIT_EXPECT_EQ(test, m->cseq_method, t->cseq_method);
	KUNIT_EXPECT_EQ(test, m->has_expires, t->expires != NO_VALUE);
	if (t->expires != NO_VALUE)
		KUNIT_EXPECT_EQ(test, (s64)m->expires, t->expires);
	KUNIT_EXPECT_EQ(test, m->has_clen, 1);
	KUNIT_EXPECT_EQ(test, m->clen, t->clen);
	/* The Content-Length span covers exactly the digits NAT rewrites. */
	KUNIT_EXPECT_EQ(test, m->clen_txt.off, t->clen_off);
	snprintf(digits, sizeof(digits), "%u", t->clen);
	expect_span(test, buf, m->clen_txt, digits);
}

static size_t msg_max_end(const struct avaya_sip_msg *m);

static void sip_values(struct kunit *test)
{
	const struct sip_case *t = test->param_value;
	struct avaya_sip_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	const u8 *buf = sip_copy(test, t);
	unsigned int i;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, m);
	ret = avaya_sip_parse(buf, t->len, m);
	KUNIT_EXPECT_LE(test, msg_max_end(m), t->len);
	KUNIT_ASSERT_EQ(test, ret, t->ret ?: (int)t->len);
	if (ret >= 0)
		KUNIT_EXPECT_EQ(test, m->n_skipped, t->skipped);
	if (ret >= 0 && t->sdp_port) {
		KUNIT_EXPECT_EQ(test, m->is_sdp, 1);
		KUNIT_EXPECT_EQ(test, m->sdp.media[0].port, t->sdp_port);
	}
	if (ret >= 0 && t->no_sdp)
		KUNIT_EXPECT_EQ(test, m->is_sdp, 0);
	if (ret >= 0 && t->no_contact)
		KUNIT_EXPECT_EQ(test, m->n_contact, 0);
	if (ret >= 0 && t->no_expires)
		KUNIT_EXPECT_EQ(test, m->has_expires, 0);
	if (ret >= 0 && t->no_cseq)
		KUNIT_EXPECT_EQ(test, m->cseq_method, AVAYA_SIP_OTHER);
	if (ret >= 0 && t->top_via_bad) {
		KUNIT_EXPECT_TRUE(test, m->overflow & AVAYA_SIP_OVF_VIA);
		KUNIT_EXPECT_EQ(test, m->n_via, 0);
	}
	if (ret >= 0 && t->skipped == 3) {
		KUNIT_EXPECT_EQ(test, m->from.uri.all.len, 0);
		KUNIT_EXPECT_EQ(test, m->cseq_method, AVAYA_SIP_OTHER);
		KUNIT_EXPECT_EQ(test, m->is_sdp, 0);
	}
	if (!t->values)
		return;
	KUNIT_EXPECT_EQ(test, m->ruri.host.bare_v6, !!(t->bare & BARE_RURI));
	KUNIT_EXPECT_EQ(test, m->via[0].sent_by.bare_v6, !!(t->bare & BARE_VIA));
	KUNIT_EXPECT_EQ(test, m->contact[0].uri.host.bare_v6,
			!!(t->bare & BARE_CONTACT));

	KUNIT_EXPECT_EQ(test, m->is_request, t->status ? 0 : 1);
	KUNIT_EXPECT_EQ(test, m->method, t->method);
	KUNIT_EXPECT_EQ(test, m->status, t->status);
	expect_span(test, buf, m->ruri.host.host, t->ruri_host);
	KUNIT_EXPECT_EQ(test, m->ruri.host.port, t->ruri_port);
	KUNIT_ASSERT_EQ(test, m->n_via, t->n_via);
	for (i = 0; i < t->n_via; i++)
		expect_via(test, buf, &m->via[i], &t->via[i]);
	KUNIT_ASSERT_EQ(test, m->n_contact, t->n_contact);
	for (i = 0; i < t->n_contact; i++)
		expect_contact(test, buf, &m->contact[i], &t->contact[i]);
	expect_span(test, buf, m->from.tag, t->from_tag);
	expect_span(test, buf, m->to.tag, t->to_tag);
	expect_span(test, buf, m->call_id, t->call_id);
	expect_numbers(test, buf, m, t);
	KUNIT_EXPECT_EQ(test, m->is_sdp, t->is_sdp);
	KUNIT_EXPECT_EQ(test, m->overflow, t->overflow);
	KUNIT_EXPECT_EQ(test, m->hdr_done, 1);
	KUNIT_EXPECT_EQ(test, m->msg_len, t->msg_len ?: t->len);
	if (t->ret)
		return;
	expect_sdp(test, buf, &m->sdp, t);
	if (t->sdp_off)
		KUNIT_EXPECT_EQ(test, m->sdp_part.off, t->sdp_off);
	else if (t->is_sdp)
		KUNIT_EXPECT_EQ(test, m->sdp_part.off, m->body_off);
	expect_span(test, buf, m->part_clen_txt, t->part_clen);
}

/* Largest end of any span the parser reported. */
static size_t span_end(struct avaya_sip_span s)
{
	return (size_t)s.off + s.len;
}

static size_t hostport_end(const struct avaya_sip_hostport *hp)
{
	return max3(span_end(hp->all), span_end(hp->host),
		    span_end(hp->port_txt));
}

static size_t msg_max_end(const struct avaya_sip_msg *m)
{
	size_t e = max3(span_end(m->start), span_end(m->method_txt),
			hostport_end(&m->ruri.host));
	unsigned int i;

	e = max3(e, span_end(m->ruri.all), span_end(m->call_id));
	e = max3(e, span_end(m->cseq_method_txt), span_end(m->clen_txt));
	e = max3(e, span_end(m->from.uri.all), span_end(m->from.tag));
	e = max3(e, span_end(m->to.uri.all), span_end(m->to.tag));
	e = max3(e, hostport_end(&m->from.uri.host),
		 hostport_end(&m->to.uri.host));
	e = max_t(size_t, e, (size_t)m->body_off + m->body_len);
	e = max3(e, span_end(m->boundary), span_end(m->sdp_part));
	e = max_t(size_t, e, span_end(m->part_clen_txt));
	for (i = 0; i < AVAYA_SIP_MAX_VIA; i++) {
		const struct avaya_sip_via *v = &m->via[i];

		e = max3(e, span_end(v->transport), hostport_end(&v->sent_by));
		e = max3(e, span_end(v->received), span_end(v->rport));
	}
	for (i = 0; i < AVAYA_SIP_MAX_CONTACT; i++) {
		const struct avaya_sip_contact *c = &m->contact[i];

		e = max3(e, span_end(c->uri.all), hostport_end(&c->uri.host));
		e = max_t(size_t, e, span_end(c->expires_txt));
	}
	e = max3(e, span_end(m->sdp.origin.addr), span_end(m->sdp.conn.addr));
	for (i = 0; i < AVAYA_SIP_MAX_MEDIA; i++) {
		const struct avaya_sip_media *md = &m->sdp.media[i];

		e = max3(e, span_end(md->type), span_end(md->port_txt));
		e = max3(e, span_end(md->rtcp_txt), span_end(md->conn.addr));
	}
	return e;
}

/*
 * Every proper prefix of a valid message is incomplete: the parser needs the
 * end of a line, or the rest of the body, before it can say more. Prefixes
 * of the other messages may parse (without Content-Length the body runs to
 * the end of the buffer) but never claim more than they were given.
 */
static void sip_truncation(struct kunit *test)
{
	const struct sip_case *t = test->param_value;
	struct avaya_sip_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	size_t cut;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, m);
	for (cut = 0; cut < t->len; cut++) {
		u8 *buf = kmalloc(cut ?: 1, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, buf);
		memcpy(buf, t->msg, cut);
		ret = avaya_sip_parse(buf, cut, m);
		kfree(buf);
		if (!t->ret)
			KUNIT_EXPECT_EQ_MSG(test, ret, -AVAYA_SIP_INCOMPLETE,
					    "cut at %zu", cut);
		else
			KUNIT_EXPECT_LE_MSG(test, ret, (int)cut,
					    "cut at %zu", cut);
		KUNIT_EXPECT_LE_MSG(test, msg_max_end(m), cut,
				    "cut at %zu", cut);
	}
}

/* Flipped bits anywhere: any verdict, but spans stay inside the buffer. */
static void sip_mutation(struct kunit *test)
{
	static const u8 flips[] = { 0x01, 0x04, 0x20, 0x80 };
	const struct sip_case *t = test->param_value;
	struct avaya_sip_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	u8 *buf = kunit_kmalloc(test, t->len ?: 1, GFP_KERNEL);
	unsigned int f;
	size_t i;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, t->msg, t->len);
	for (i = 0; i < t->len; i++) {
		for (f = 0; f < ARRAY_SIZE(flips); f++) {
			buf[i] ^= flips[f];
			ret = avaya_sip_parse(buf, t->len, m);
			buf[i] ^= flips[f];
			KUNIT_EXPECT_LE(test, ret, (int)t->len);
			KUNIT_EXPECT_LE(test, msg_max_end(m), t->len);
		}
	}
}

/* TCP framing: two messages back to back, after a CRLF keep-alive. */
static void sip_stream(struct kunit *test)
{
	size_t a = sizeof(sip_hep_invite) - 1, b = sizeof(sip_hep_200) - 1;
	struct avaya_sip_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	u8 *buf = kunit_kmalloc(test, 4 + a + b, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, "\r\n\r\n", 4);
	memcpy(buf + 4, sip_hep_invite, a);
	memcpy(buf + 4 + a, sip_hep_200, b);

	KUNIT_ASSERT_EQ(test, avaya_sip_parse(buf, 4 + a + b, m), (int)(4 + a));
	KUNIT_EXPECT_EQ(test, m->start.off, 4);
	KUNIT_EXPECT_EQ(test, m->method, AVAYA_SIP_INVITE);
	KUNIT_EXPECT_EQ(test, m->sdp.media[0].port, 6000);
	KUNIT_EXPECT_EQ(test, m->clen_txt.off, 4 + 553);

	KUNIT_ASSERT_EQ(test, avaya_sip_parse(buf + 4 + a, b, m), (int)b);
	KUNIT_EXPECT_EQ(test, m->status, 200);
	KUNIT_EXPECT_EQ(test, m->sdp.media[0].port, 6050);

	KUNIT_EXPECT_EQ(test, avaya_sip_parse(buf, 4, m), -AVAYA_SIP_INCOMPLETE);
}

/* A field of exactly AVAYA_SIP_MAX_HDR bytes passes, one more does not. */
static void sip_long_header(struct kunit *test)
{
	static const char head[] = "OPTIONS sip:a@b SIP/2.0\r\n";
	size_t hl = sizeof(head) - 1, size = hl + AVAYA_SIP_MAX_HDR + 8;
	struct avaya_sip_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	u8 *buf = kunit_kmalloc(test, size, GFP_KERNEL);
	size_t n;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (n = AVAYA_SIP_MAX_HDR; n <= AVAYA_SIP_MAX_HDR + 1; n++) {
		memcpy(buf, head, hl);
		memcpy(buf + hl, "Subject: ", 9);
		memset(buf + hl + 9, 'x', n - 9);
		memcpy(buf + hl + n, "\r\n\r\n", 4);
		KUNIT_EXPECT_EQ(test, avaya_sip_parse(buf, hl + n + 4, m),
				n > AVAYA_SIP_MAX_HDR ? -AVAYA_SIP_ETOOLONG :
							(int)(hl + n + 4));
	}
	/* Folding does not get around the limit. */
	n = AVAYA_SIP_MAX_HDR + 1;
	memset(buf + hl + 9, 'x', n - 9);
	memcpy(buf + hl + 500, "\r\n ", 3);
	memcpy(buf + hl + n, "\r\n\r\n", 4);
	KUNIT_EXPECT_EQ(test, avaya_sip_parse(buf, hl + n + 4, m),
			-AVAYA_SIP_ETOOLONG);
}

struct addr_case {
	const char *text;
	int ret;
	u8 family;
	u8 ip[16];
};

static const struct addr_case addr_cases[] = {
	{ .text = "192.168.1.2", .family = AVAYA_SIP_IP4,
	  .ip = { 192, 168, 1, 2 } },
	{ .text = "0.0.0.0", .family = AVAYA_SIP_IP4 },
	{ .text = "255.255.255.255", .family = AVAYA_SIP_IP4,
	  .ip = { 255, 255, 255, 255 } },
	{ .text = "2001:db8::1", .family = AVAYA_SIP_IP6,
	  .ip = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } },
	{ .text = "[2001:db8::1]", .family = AVAYA_SIP_IP6,
	  .ip = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } },
	{ .text = "::", .family = AVAYA_SIP_IP6 },
	{ .text = "::1", .family = AVAYA_SIP_IP6, .ip = { [15] = 1 } },
	{ .text = "fe80::", .family = AVAYA_SIP_IP6, .ip = { 0xfe, 0x80 } },
	{ .text = "::ffff:192.0.2.1", .family = AVAYA_SIP_IP6,
	  .ip = { [10] = 0xff, 0xff, 192, 0, 2, 1 } },
	{ .text = "1:2:3:4:5:6:7:8", .family = AVAYA_SIP_IP6,
	  .ip = { 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8 } },
	{ .text = "256.1.1.1", .ret = -AVAYA_EBADMSG },
	{ .text = "1.2.3", .ret = -AVAYA_EBADMSG },
	{ .text = "1.2.3.4.5", .ret = -AVAYA_EBADMSG },
	{ .text = "1.2.3.4 ", .ret = -AVAYA_EBADMSG },
	{ .text = "example.com", .ret = -AVAYA_EBADMSG },
	{ .text = "1:2:3:4:5:6:7:8:9", .ret = -AVAYA_EBADMSG },
	{ .text = "1::2::3", .ret = -AVAYA_EBADMSG },
	{ .text = ":::", .ret = -AVAYA_EBADMSG },
	{ .text = "1:", .ret = -AVAYA_EBADMSG },
	{ .text = "12345::", .ret = -AVAYA_EBADMSG },
	{ .text = "fe80::1%eth0", .ret = -AVAYA_EBADMSG },
	{ .text = "", .ret = -AVAYA_EBADMSG },
};

static void addr_case_desc(const struct addr_case *t, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", t->text);
}

KUNIT_ARRAY_PARAM(addr, addr_cases, addr_case_desc);

static void sip_addr(struct kunit *test)
{
	const struct addr_case *t = test->param_value;
	u8 ip[16], family = 0;
	int ret;

	memset(ip, 0xaa, sizeof(ip));
	ret = avaya_sip_parse_addr((const u8 *)t->text, strlen(t->text),
				   &family, ip);
	KUNIT_ASSERT_EQ(test, ret, t->ret);
	if (ret)
		return;
	KUNIT_EXPECT_EQ(test, family, t->family);
	KUNIT_EXPECT_EQ(test, memcmp(ip, t->ip, 16), 0);
}

struct dgram_case {
	const char *name;
	const u8 *bytes;
	size_t len;
	enum avaya_sip_dgram kind;
};

#define DGRAM_TEXT(n, t, k) { n, (const u8 *)(t), sizeof(t) - 1, k }

/* A STUN binding request (RFC 5389 6): 20-byte header, no attributes. */
static const u8 stun_req[20] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42,
				 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
/* ... with one 8-byte attribute: the length says 8. */
static const u8 stun_attr[28] = { 0x01, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42,
				  [20] = 0x80, 0x22, 0x00, 0x04, 'a', 'b', 'c', 'd' };
/* The cookie, but a length that is not the datagram's. */
static const u8 stun_badlen[24] = { 0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42 };
/* A TURN Send indication (method 0x006) carrying HTTP: no keep-alive. */
static const u8 stun_send[28] = { 0x00, 0x16, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42,
				  [20] = 0x00, 0x13, 0x00, 0x04, 'G', 'E', 'T', ' ' };
/* A Binding success response (class bits 0x0100 set): a keep-alive. */
static const u8 stun_resp[20] = { 0x01, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42 };
/* Two high bits set: no STUN (RFC 7983 demultiplexing). */
static const u8 stun_highbits[20] = { 0x80, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42 };

static const struct dgram_case dgram_cases[] = {
	DGRAM_TEXT("empty", "", AVAYA_SIP_DGRAM_KEEPALIVE),
	DGRAM_TEXT("CRLF", "\r\n", AVAYA_SIP_DGRAM_KEEPALIVE),
	DGRAM_TEXT("CRLFCRLF", "\r\n\r\n", AVAYA_SIP_DGRAM_KEEPALIVE),
	DGRAM_TEXT("LF", "\n", AVAYA_SIP_DGRAM_KEEPALIVE),
	{ "STUN binding request", stun_req, sizeof(stun_req), AVAYA_SIP_DGRAM_STUN },
	{ "STUN with an attribute", stun_attr, sizeof(stun_attr), AVAYA_SIP_DGRAM_STUN },
	{ "STUN length wrong", stun_badlen, sizeof(stun_badlen), AVAYA_SIP_DGRAM_NOT_SIP },
	{ "STUN high bits", stun_highbits, sizeof(stun_highbits), AVAYA_SIP_DGRAM_NOT_SIP },
	{ "STUN header cut", stun_req, 19, AVAYA_SIP_DGRAM_NOT_SIP },
	{ "TURN Send indication", stun_send, sizeof(stun_send), AVAYA_SIP_DGRAM_NOT_SIP },
	{ "STUN binding response", stun_resp, sizeof(stun_resp), AVAYA_SIP_DGRAM_STUN },
	DGRAM_TEXT("hello", "hello", AVAYA_SIP_DGRAM_NOT_SIP),
	DGRAM_TEXT("hello CRLF", "hello\r\n", AVAYA_SIP_DGRAM_NOT_SIP),
	DGRAM_TEXT("HTTP", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", AVAYA_SIP_DGRAM_NOT_SIP),
	DGRAM_TEXT("NUL", "\0\0\0\0", AVAYA_SIP_DGRAM_NOT_SIP),
	DGRAM_TEXT("version on line 2", "hello\r\nSIP/2.0 200 OK\r\n", AVAYA_SIP_DGRAM_NOT_SIP),
	DGRAM_TEXT("request", "OPTIONS sip:a@b SIP/2.0\r\n", AVAYA_SIP_DGRAM_SIP),
	DGRAM_TEXT("request after CRLFs", "\r\n\r\nBYE sip:a@b SIP/2.0\r\n", AVAYA_SIP_DGRAM_SIP),
	DGRAM_TEXT("status", "SIP/2.0 200 OK\r\n", AVAYA_SIP_DGRAM_SIP),
	DGRAM_TEXT("status lower case", "sip/2.0 180 Ringing", AVAYA_SIP_DGRAM_SIP),
	DGRAM_TEXT("request cut after the URI", "INVITE sip:4321@10.0.0.1", AVAYA_SIP_DGRAM_SIP),
	DGRAM_TEXT("sips", "INVITE sips:4321@h", AVAYA_SIP_DGRAM_SIP),
	DGRAM_TEXT("tel", "INVITE tel:+4930123 SIP/2.0", AVAYA_SIP_DGRAM_SIP),
};

static void dgram_case_desc(const struct dgram_case *t, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", t->name);
}

KUNIT_ARRAY_PARAM(dgram, dgram_cases, dgram_case_desc);

static void sip_dgram(struct kunit *test)
{
	const struct dgram_case *t = test->param_value;

	KUNIT_EXPECT_EQ(test, avaya_sip_dgram_kind(t->bytes, t->len), t->kind);
}

/*
 * Every vector of the suite that the parser calls no SIP is no SIP
 * datagram either; all others, malformed ones included, start like SIP.
 */
static void sip_dgram_vectors(struct kunit *test)
{
	const struct sip_case *t;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sip_cases); i++) {
		t = &sip_cases[i];
		KUNIT_EXPECT_EQ_MSG(test,
				    avaya_sip_dgram_kind((const u8 *)t->msg, t->len),
				    t->ret == -AVAYA_SIP_ENOTSIP ?
				    AVAYA_SIP_DGRAM_NOT_SIP : AVAYA_SIP_DGRAM_SIP,
				    "%s", t->name);
	}
}

static struct kunit_case avaya_sip_cases[] = {
	KUNIT_CASE_PARAM(sip_values, sip_gen_params),
	KUNIT_CASE_PARAM(sip_truncation, sip_gen_params),
	KUNIT_CASE_PARAM(sip_mutation, sip_gen_params),
	KUNIT_CASE(sip_stream),
	KUNIT_CASE(sip_long_header),
	KUNIT_CASE_PARAM(sip_addr, addr_gen_params),
	KUNIT_CASE_PARAM(sip_dgram, dgram_gen_params),
	KUNIT_CASE(sip_dgram_vectors),
	{}
};

static struct kunit_suite avaya_sip_suite = {
	.name = "avaya_sip",
	.test_cases = avaya_sip_cases,
};

kunit_test_suite(avaya_sip_suite);
