/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * H.225.0 RAS (RasMessage, UDP 1719) decoder. Registration and discovery
 * messages are decoded for the addresses a NAT helper rewrites and the
 * timers it follows; other messages only yield their type and sequence.
 */
#ifndef _AVAYA_RAS_H
#define _AVAYA_RAS_H

#include "avaya_shim.h"
#include "avaya_h225.h"

#define RAS_MAX_ADDRS	4
#define RAS_MAX_ALT_GK	4

/* RasMessage CHOICE indices; RAS_UNKNOWN covers later extensions. */
enum ras_type {
	RAS_GRQ = 0,
	RAS_GCF,
	RAS_GRJ,
	RAS_RRQ,
	RAS_RCF,
	RAS_RRJ,
	RAS_URQ,
	RAS_UCF,
	RAS_URJ,
	RAS_ARQ,
	RAS_ACF,
	RAS_ARJ,
	RAS_BRQ,
	RAS_BCF,
	RAS_BRJ,
	RAS_DRQ,
	RAS_DCF,
	RAS_DRJ,
	RAS_LRQ,
	RAS_LCF,
	RAS_LRJ,
	RAS_IRQ,
	RAS_IRR,
	RAS_NSM,	/* nonStandardMessage */
	RAS_XRS,	/* unknownMessageResponse */
	RAS_RIP,	/* first extension alternative */
	RAS_RAI,
	RAS_RAC,
	RAS_IACK,
	RAS_INAK,
	RAS_SCI,
	RAS_SCR,
	RAS_ACF_SEQ,	/* admissionConfirmSequence: no requestSeqNum */
	RAS_UNKNOWN,
};

/* The address lists hold n_* valid entries; the rest are not cleared. */
struct avaya_ras {
	u8 type;		/* enum ras_type */
	bool decoded;		/* the fields below were looked for */
	bool has_seq;
	u16 seq;		/* requestSeqNum */

	/* GRQ/GCF: the one rasAddress; RRQ: the list */
	u8 n_ras, ras_overflow;
	struct avaya_taddr ras[RAS_MAX_ADDRS];
	/* RRQ, RCF, URQ */
	u8 n_csa, csa_overflow;
	struct avaya_taddr csa[RAS_MAX_ADDRS];
	/* GCF/RCF/URQ alternateGatekeeper, GRJ/RRJ/URJ altGKInfo */
	u8 n_alt_gk, alt_gk_overflow;
	struct avaya_taddr alt_gk[RAS_MAX_ALT_GK];

	bool has_ttl;
	bool keep_alive;	/* RRQ: lightweight re-registration */
	bool has_tokens;	/* H.235 ClearTokens present */
	bool has_crypto_tokens;	/* H.235 CryptoH323Tokens present */
	bool has_nonstd;	/* nonStandardData present (skipped) */
	bool has_reject_reason;
	u8 reject_reason;	/* GRJ/RRJ/URJ rejectReason CHOICE index */
	u32 ttl;		/* timeToLive, seconds */

	/* EndpointIdentifier (RRQ, RCF, URQ): BMPString, 2 octets a char */
	bool has_epid;
	u8 epid_chars;
	u16 epid_off;
	/* GatekeeperIdentifier (GCF, GRJ, RRQ, RCF, RRJ, URQ) */
	bool has_gkid;
	u8 gkid_chars;
	u16 gkid_off;
};

/*
 * Decode one RasMessage. Returns 0 with @m filled, or -AVAYA_EBADMSG /
 * -AVAYA_ERANGE. Partial results: @m is zeroed first; after an error it
 * may hold partial values and nothing in it may be acted on (not even
 * @m->type).
 */
int avaya_ras_decode(const u8 *buf, size_t len, struct avaya_ras *m);

#endif /* _AVAYA_RAS_H */
