/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * H.225.0 call signalling: TPKT framing (RFC 1006), the Q.931 message and
 * its User-user information element, decoded down to what the helper acts
 * on: the H.245 address, call signal addresses, fastStart and tunnelled
 * H.245 media addresses, each with the absolute offset NAT rewrites.
 */
#ifndef _AVAYA_Q931_H
#define _AVAYA_Q931_H

#include "avaya_shim.h"
#include "avaya_per.h"
#include "avaya_h225.h"
#include "avaya_h245.h"

/* avaya_tpkt_frame(): not a whole TPKT yet, read on. */
#define AVAYA_TPKT_INCOMPLETE	0
#define AVAYA_TPKT_HDR_LEN	4

/* Q.931 message types (Q.931 table 4-2) used by H.225.0. */
#define Q931_ALERTING		0x01
#define Q931_CALL_PROCEEDING	0x02
#define Q931_PROGRESS		0x03
#define Q931_SETUP		0x05
#define Q931_CONNECT		0x07
#define Q931_SETUP_ACK		0x0d
#define Q931_RELEASE_COMPLETE	0x5a
#define Q931_FACILITY		0x62
#define Q931_NOTIFY		0x6e
#define Q931_STATUS_ENQUIRY	0x75
#define Q931_INFORMATION	0x7b
#define Q931_STATUS		0x7d

/* h323-message-body alternatives. */
enum avaya_uuie {
	AVAYA_UUIE_SETUP,
	AVAYA_UUIE_CALL_PROCEEDING,
	AVAYA_UUIE_CONNECT,
	AVAYA_UUIE_ALERTING,
	AVAYA_UUIE_INFORMATION,
	AVAYA_UUIE_RELEASE_COMPLETE,
	AVAYA_UUIE_FACILITY,
	AVAYA_UUIE_PROGRESS,
	AVAYA_UUIE_EMPTY,
	AVAYA_UUIE_STATUS,
	AVAYA_UUIE_STATUS_INQUIRY,
	AVAYA_UUIE_SETUP_ACK,
	AVAYA_UUIE_NOTIFY,
	AVAYA_UUIE_NONE = 0xff,	/* no User-user IE, or a later alternative */
};

#define AVAYA_Q931_MAX_MEDIA	16
#define AVAYA_Q931_MAX_H245	4

/* A tunnelled H.245 message, as far as the helper cares. */
struct avaya_q931_h245 {
	u8 kind;	/* enum avaya_h245_kind */
	u16 channel;
};

/* media[] and h245[] hold n_* valid entries; the rest are not cleared. */
struct avaya_q931 {
	u16 call_ref;		/* without the flag bit */
	bool call_ref_flag;	/* set in messages from the called side */
	u8 msg_type;		/* Q931_* */
	u8 uuie;		/* enum avaya_uuie */
	u8 facility_reason;	/* FacilityReason index, Facility only */
	bool h245_tunnelling;
	bool has_tokens;	/* H.235 ClearTokens in the UUIE */
	bool has_crypto_tokens;	/* H.235 CryptoH323Tokens in the UUIE */
	struct avaya_taddr h245_addr;	/* family 0: absent */
	struct avaya_taddr src_csa;	/* Setup sourceCallSignalAddress */
	struct avaya_taddr dst_csa;	/* Setup destCallSignalAddress */
	/* Counters saturate at 255; *_dropped did not fit the arrays. */
	u8 n_faststart;		/* fastStart OLCs decoded */
	u8 n_tunnelled;		/* h245Control messages decoded */
	u8 n_bad;		/* elements that did not decode: skipped */
	u8 n_media;
	u8 media_dropped;
	u8 n_h245;
	u8 h245_dropped;
	struct avaya_media media[AVAYA_Q931_MAX_MEDIA];
	struct avaya_q931_h245 h245[AVAYA_Q931_MAX_H245];
};

/*
 * Frame the TPKT at @buf. Returns its total length (header included) when
 * all of it is in @buf, AVAYA_TPKT_INCOMPLETE while what is there is a
 * valid start (fewer than 4 bytes, or fewer than the length says), or
 * -AVAYA_EBADMSG for a bad header. Partial results: *@msg_off and
 * *@msg_len are written only on a positive return.
 */
int avaya_tpkt_frame(const u8 *buf, size_t len, size_t *msg_off, size_t *msg_len);

/*
 * Decode a Q.931 message and its User-user IE. Returns 0, or
 * -AVAYA_EBADMSG / -AVAYA_ERANGE. Partial results: @m is zeroed first.
 * After an error, @m->msg_type and @m->call_ref stay valid once the
 * message header was read (@m->msg_type is 0 otherwise): a caller may act
 * on the message type, e.g. tear a call down on a damaged
 * ReleaseComplete. Everything else may be partial and must not be acted
 * on. On success, elements that did not decode were skipped (@m->n_bad).
 */
int avaya_q931_decode(const u8 *buf, size_t len, struct avaya_q931 *m);

#endif /* _AVAYA_Q931_H */
