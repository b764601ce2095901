/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * H.225.0 building blocks shared by the RAS and the Q.931/UUIE decoders:
 * TransportAddress, and skippers for the types we walk over but never act on.
 *
 * Skippers return nothing: a bad or truncated encoding sets the reader's
 * sticky error flag, which the caller tests before it trusts a value.
 */
#ifndef _AVAYA_H225_H
#define _AVAYA_H225_H

#include "avaya_shim.h"
#include "avaya_per.h"

/* TransportAddress CHOICE indices (root alternatives). */
enum h225_taddr_choice {
	H225_TA_IP = 0,
	H225_TA_IP_SOURCE_ROUTE,
	H225_TA_IPX,
	H225_TA_IP6,
	H225_TA_NETBIOS,
	H225_TA_NSAP,
	H225_TA_NONSTANDARD,
	H225_TA_ROOT_COUNT,
};

struct avaya_taddr {
	u8 family;	/* 4, 6, or 0 = another TransportAddress choice, skipped */
	u8 ip[16];
	u16 port;
	u16 off;	/* absolute offset of the ip octets; the port follows */
};

/*
 * Extension additions of a SEQUENCE whose extension bit was set: the count,
 * the presence bitmap and an iterator over the present additions' open types.
 */
struct h225_ext {
	u32 n;		/* additions in the encoding */
	u32 next;	/* next addition index to look at */
	u64 present;	/* bit i set: addition i (i < 64) is present */
	u32 beyond;	/* present additions with index >= 64 */
};

/*
 * Read a TransportAddress. Returns 0, or a negative error (the reader's
 * error flag is set then). Partial results: @out is zeroed first; after an
 * error it may hold a partial address and must not be acted on.
 */
int h225_transport_address(struct avaya_per *r, struct avaya_taddr *out);
int h225_transport_address_seq(struct avaya_per *r, struct avaya_taddr *out,
			       unsigned int max, u8 *count, u8 *overflow);
void h225_skip_transport_address(struct avaya_per *r);

void h225_ext_begin(struct avaya_per *r, struct h225_ext *x);
bool h225_ext_next(struct avaya_per *r, struct h225_ext *x,
		   unsigned int *idx, struct avaya_per *sub);
void h225_skip_extensions(struct avaya_per *r);
u32 h225_choice(struct avaya_per *r, u32 nroot, struct avaya_per *ext);

void h225_skip_seqof(struct avaya_per *r, void (*skip)(struct avaya_per *r));
size_t h225_bmp_string(struct avaya_per *r, u32 lb, u32 ub, u32 *nchars);
void h225_skip_octet_string(struct avaya_per *r);
void h225_skip_bit_string(struct avaya_per *r);
void h225_skip_oid(struct avaya_per *r);
void h225_skip_h221_nonstandard(struct avaya_per *r);
void h225_skip_nonstandard_parameter(struct avaya_per *r);
void h225_skip_alias_address(struct avaya_per *r);
void h225_skip_vendor_identifier(struct avaya_per *r);
void h225_skip_endpoint_type(struct avaya_per *r);
void h225_skip_clear_token(struct avaya_per *r);
void h225_skip_crypto_h323_token(struct avaya_per *r);

#endif /* _AVAYA_H225_H */
