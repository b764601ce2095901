/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * H.245 MultimediaSystemControlMessage decoder: only the logical channel
 * signalling that opens media holes (OpenLogicalChannel and its Ack) is
 * decoded; every other message is reported by type and skipped.
 */
#ifndef _AVAYA_H245_H
#define _AVAYA_H245_H

#include "avaya_shim.h"
#include "avaya_per.h"
#include "avaya_h225.h"	/* struct avaya_taddr, AVAYA_E* error codes */

/* What a message is, as far as the helper cares. */
enum avaya_h245_kind {
	AVAYA_H245_OTHER,
	AVAYA_H245_OLC,		/* openLogicalChannel */
	AVAYA_H245_OLC_ACK,	/* openLogicalChannelAck */
	AVAYA_H245_CLC,		/* closeLogicalChannel */
	AVAYA_H245_END_SESSION,	/* endSessionCommand */
};

/* MultimediaSystemControlMessage alternatives. */
enum avaya_h245_branch {
	AVAYA_H245_REQUEST,
	AVAYA_H245_RESPONSE,
	AVAYA_H245_COMMAND,
	AVAYA_H245_INDICATION,
	AVAYA_H245_EXTENSION,	/* an alternative added after version 1 */
};

/* avaya_media.flags */
#define AVAYA_MEDIA_RTCP	0x01	/* mediaControlChannel, else mediaChannel */
#define AVAYA_MEDIA_REVERSE	0x02	/* in reverseLogicalChannelParameters */
#define AVAYA_MEDIA_ACK		0x04	/* from an OpenLogicalChannelAck */
#define AVAYA_MEDIA_FASTSTART	0x08	/* from a Q.931 fastStart element */
#define AVAYA_MEDIA_TUNNELLED	0x10	/* from a Q.931 h245Control element */

/*
 * One media transport address announced for a logical channel: an H.245
 * UnicastAddress iPAddress or iP6Address, in the same form as an H.225.0
 * TransportAddress so that NAT has one rewriter for both.
 */
struct avaya_media {
	struct avaya_taddr addr;
	u16 channel;	/* forwardLogicalChannelNumber */
	u8 flags;
};

/* fwd/rev x RTP/RTCP: the most one OLC or OLCAck can carry. */
#define AVAYA_H245_MAX_MEDIA	4

/* media[] holds n_media valid entries; the rest are not cleared. */
struct avaya_h245 {
	u8 kind;	/* enum avaya_h245_kind */
	u8 branch;	/* enum avaya_h245_branch */
	u8 index;	/* root alternative within the branch */
	u8 n_media;
	u16 channel;	/* forwardLogicalChannelNumber of OLC, OLCAck, CLC */
	struct avaya_media media[AVAYA_H245_MAX_MEDIA];
};

/* Request / response / command alternatives we act on. */
#define AVAYA_H245_REQ_OLC		3
#define AVAYA_H245_REQ_CLC		4
#define AVAYA_H245_RSP_OLC_ACK		5
#define AVAYA_H245_CMD_END_SESSION	5

/*
 * Decode one MultimediaSystemControlMessage. Returns 0, or -AVAYA_EBADMSG
 * / -AVAYA_ERANGE. Partial results: @m is zeroed first; after an error it
 * may hold partial values and nothing in it may be acted on.
 */
int avaya_h245_decode(const u8 *buf, size_t len, struct avaya_h245 *m);

/*
 * The same over a reader positioned on a MultimediaSystemControlMessage
 * (an h245Control element), or on a bare OpenLogicalChannel (a fastStart
 * element): offsets come out absolute through @r->base. Same contract; the
 * reader's sticky error flag is set too.
 */
int h245_decode_per(struct avaya_per *r, struct avaya_h245 *m);
int h245_decode_olc_per(struct avaya_per *r, struct avaya_h245 *m);

#endif /* _AVAYA_H245_H */
