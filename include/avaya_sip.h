/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * SIP/SDP tokenizer: parses one SIP message (RFC 3261) and its SDP body
 * (RFC 4566) into spans (absolute offset + length into the caller's buffer)
 * and the few values conntrack and NAT act on. Nothing is copied: the NAT side
 * rewrites the spans in place or with a length change.
 *
 * Messages are limited to 64 KiB so that every offset fits a u16. A header
 * field, folded continuation lines included, may be at most
 * AVAYA_SIP_MAX_HDR bytes long; the start line has the same limit.
 */
#ifndef _AVAYA_SIP_H
#define _AVAYA_SIP_H

#include "avaya_shim.h"

/*
 * avaya_sip_parse() errors beyond AVAYA_EBADMSG and AVAYA_ERANGE (avaya_shim.h),
 * returned negated, as errno names.
 */
#define AVAYA_SIP_INCOMPLETE	EAGAIN		/* more bytes needed */
#define AVAYA_SIP_ENOTSIP	EPROTONOSUPPORT	/* not a SIP start line */
#define AVAYA_SIP_ETOOLONG	E2BIG		/* a header over AVAYA_SIP_MAX_HDR */
#define AVAYA_SIP_EMSGSIZE	EMSGSIZE	/* message over 64 KiB */
#define AVAYA_SIP_EBADSDP	EPROTO		/* headers fine, SDP/multipart bad */

/*
 * What a datagram on a SIP flow is, before it is parsed: keep-alives (RFC
 * 5626 3.5.1: CRLFs; STUN binding requests on the SIP flow) are no
 * messages, and neither is what does not even start like one.
 */
enum avaya_sip_dgram {
	AVAYA_SIP_DGRAM_SIP = 0,	/* starts like a SIP message: parse it */
	AVAYA_SIP_DGRAM_KEEPALIVE,	/* CRLFs only, or empty */
	AVAYA_SIP_DGRAM_STUN,		/* a STUN message (RFC 5389 header) */
	AVAYA_SIP_DGRAM_NOT_SIP,	/* anything else ("hello", HTTP, ...) */
};

#define AVAYA_SIP_MAX_HDR	1024
#define AVAYA_SIP_MAX_MSG	65535
#define AVAYA_SIP_MAX_VIA	4
#define AVAYA_SIP_MAX_CONTACT	4
#define AVAYA_SIP_MAX_MEDIA	4
#define AVAYA_SIP_MAX_MIME	2	/* multipart levels searched for SDP */

/* Address families of avaya_sip_parse_addr() and the SDP spans. */
#define AVAYA_SIP_IP4	4
#define AVAYA_SIP_IP6	6

/* Bits of avaya_sip_msg.overflow: more entries existed than were stored. */
#define AVAYA_SIP_OVF_VIA	0x01
#define AVAYA_SIP_OVF_CONTACT	0x02
#define AVAYA_SIP_OVF_MEDIA	0x04

enum avaya_sip_method {
	AVAYA_SIP_OTHER = 0,
	AVAYA_SIP_REGISTER,
	AVAYA_SIP_INVITE,
	AVAYA_SIP_ACK,
	AVAYA_SIP_BYE,
	AVAYA_SIP_CANCEL,
	AVAYA_SIP_UPDATE,
	AVAYA_SIP_PRACK,
	AVAYA_SIP_OPTIONS,
};

enum avaya_sip_media_kind {
	AVAYA_SIP_MEDIA_OTHER = 0,
	AVAYA_SIP_MEDIA_AUDIO,
	AVAYA_SIP_MEDIA_VIDEO,
	AVAYA_SIP_MEDIA_IMAGE,	/* T.38 fax */
};

/* Absolute offset and length in the buffer given to avaya_sip_parse(). */
struct avaya_sip_span {
	u16 off;
	u16 len;
};

struct avaya_sip_hostport {
	struct avaya_sip_span all;	/* host[:port] as written */
	struct avaya_sip_span host;	/* without the [] of an IPv6 reference */
	struct avaya_sip_span port_txt;	/* the digits; len 0 without a port */
	u16 port;			/* 0 without a port */
	u8 has_port;
	u8 v6ref;			/* host was written as [IPv6] */
	u8 bare_v6;	/* IPv6 written without []: never rewritten by NAT */
};

/* host.host.len is 0 for URIs without a host (tel:, urn:). */
struct avaya_sip_uri {
	struct avaya_sip_span all;
	struct avaya_sip_hostport host;
};

struct avaya_sip_via {
	struct avaya_sip_span transport;	/* "UDP", "TCP", "TLS", ... */
	struct avaya_sip_hostport sent_by;
	struct avaya_sip_span received;		/* value of received= */
	/*
	 * Value of rport=. A valueless rport has len 0 and off just after the
	 * name, where NAT inserts "=port".
	 */
	struct avaya_sip_span rport;
	u16 rport_val;
	u8 has_received;
	u8 has_rport;
};

struct avaya_sip_contact {
	struct avaya_sip_uri uri;
	struct avaya_sip_span expires_txt;	/* value of expires= */
	u32 expires;
	u8 has_expires;
	u8 star;				/* "Contact: *" */
};

/* From and To. */
struct avaya_sip_party {
	struct avaya_sip_uri uri;
	struct avaya_sip_span tag;		/* value of tag=, len 0 if none */
};

struct avaya_sip_sdp_conn {
	struct avaya_sip_span addr;	/* address only, without /ttl */
	u8 family;			/* 0 (absent or not IN), 4 or 6 */
};

struct avaya_sip_media {
	struct avaya_sip_span type;	/* "audio", "video", ... */
	struct avaya_sip_span port_txt;
	struct avaya_sip_span rtcp_txt;	/* port of a=rtcp:, len 0 if none */
	struct avaya_sip_sdp_conn conn;	/* media-level c=, family 0 if none */
	u16 port;
	u16 rtcp_port;
	u8 kind;			/* enum avaya_sip_media_kind */
	u8 has_rtcp;
};

struct avaya_sip_sdp {
	struct avaya_sip_sdp_conn origin;	/* address of o= */
	struct avaya_sip_sdp_conn conn;		/* session-level c= */
	struct avaya_sip_media media[AVAYA_SIP_MAX_MEDIA];
	u8 n_media;
};

struct avaya_sip_msg {
	u8 is_request;
	u8 method;			/* enum avaya_sip_method, requests */
	u16 status;			/* responses */
	struct avaya_sip_span start;	/* start line, without its line end */
	struct avaya_sip_span method_txt;
	struct avaya_sip_uri ruri;	/* Request-URI */

	struct avaya_sip_via via[AVAYA_SIP_MAX_VIA];
	struct avaya_sip_contact contact[AVAYA_SIP_MAX_CONTACT];
	struct avaya_sip_party from;
	struct avaya_sip_party to;
	struct avaya_sip_span call_id;
	struct avaya_sip_span cseq_method_txt;
	struct avaya_sip_span clen_txt;	/* Content-Length digits */
	u32 cseq;
	u32 expires;			/* Expires header */
	u32 clen;
	u8 n_via;
	u8 n_contact;
	u8 cseq_method;			/* enum avaya_sip_method */
	u8 has_expires;
	u8 has_clen;
	u8 is_sdp;	/* application/sdp: the body, or one of its parts */
	u8 is_multipart;	/* multipart with a boundary; 2: alternative */
	u8 ctype_seen;			/* a Content-Type was read */
	u8 ctype_dup;			/* ... and a second one came */
	u8 cseq_seen;			/* a CSeq was read (or refused) */
	u8 cseq_dup;			/* a second CSeq came: refused */
	u8 hdr_done;			/* headers parsed up to the empty line */
	u8 overflow;			/* AVAYA_SIP_OVF_* */
	u8 n_skipped;	/* header fields that could not be read, left out */

	u16 body_off;
	u16 body_len;
	u32 msg_len;	/* whole message, as Content-Length announces it */
	struct avaya_sip_span boundary;	/* multipart boundary, no quotes */
	/*
	 * The SDP's bytes: the whole body, or the application/sdp part of a
	 * multipart body (the first one, nested parts included).
	 */
	struct avaya_sip_span sdp_part;
	struct avaya_sip_span part_clen_txt;	/* the part's Content-Length */
	u32 part_clen;
	struct avaya_sip_sdp sdp;	/* filled when is_sdp */
};

/*
 * Parse the one SIP message that starts at @buf (empty lines before it, such
 * as CRLF keep-alives, are skipped). Returns the number of bytes the message
 * takes (headers plus Content-Length bytes of body), so a TCP caller finds
 * the next message there. Without Content-Length the body runs to the end of
 * @buf, as RFC 3261 18.3 allows over UDP only: a stream caller checks
 * @m->has_clen.
 *
 * -AVAYA_SIP_INCOMPLETE: the buffer ends before the empty line after the
 * headers, or before the end of the body. In the second case @m->hdr_done is
 * set, the headers are filled in and @m->msg_len tells how many bytes the
 * message needs; the SDP body is not parsed.
 * -AVAYA_SIP_EBADSDP: the headers are filled in, the SDP is malformed, or a
 * multipart body has no delimiter line.
 * Other negative codes: the message is malformed; @m is partially filled.
 * No span ever points past min(@len, AVAYA_SIP_MAX_MSG).
 */
int avaya_sip_parse(const u8 *buf, size_t len, struct avaya_sip_msg *m);
enum avaya_sip_dgram avaya_sip_dgram_kind(const u8 *buf, size_t len);

/*
 * Textual IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1", "::ffff:192.0.2.1",
 * optionally in []) to network-order bytes. Returns 0 and sets @family to
 * AVAYA_SIP_IP4 (the address in ip[0..3]) or AVAYA_SIP_IP6, or
 * -AVAYA_EBADMSG for anything else (host names, zone ids). Partial results:
 * @family and @ip are meaningful only on 0.
 */
int avaya_sip_parse_addr(const u8 *s, size_t n, u8 *family, u8 ip[16]);

#endif /* _AVAYA_SIP_H */
