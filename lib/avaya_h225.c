// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * H.225.0 (v4+, aligned PER) types shared by the RAS and call signalling
 * decoders. Only TransportAddress is decoded; everything else is walked by
 * its structure so that the fields after it can be found.
 */
#include "avaya_shim.h"
#include "avaya_per.h"
#include "avaya_h225.h"

#define H225_TIMESTAMP_MAX	0xffffffffU

/*
 * An extensible CHOICE: a root index in a constrained number, or an
 * extension index as a normally small number followed by the value as an
 * open type, which we hand back in @ext for the caller to read or ignore.
 */
u32 h225_choice(struct avaya_per *r, u32 nroot, struct avaya_per *ext)
{
	return h225_choice_fast(r, nroot, ext);
}

/*
 * Read the presence bitmap of a SEQUENCE's extension additions, up to 32
 * bits a read. We keep the first 64 bits, which is more than any H.225.0
 * type defines, most significant first (addition i is bit 63 - i), and only
 * count the present ones past them so that h225_ext_next() can still skip
 * them.
 */
struct h225_ext h225_ext_read(struct avaya_per *r)
{
	struct h225_ext x = { .n = per_ext_count(r) };
	u32 i, take, bits;

	for (i = 0; i < x.n && !per_failed(r); i += take) {
		take = min_t(u32, x.n - i, 32);
		bits = per_bits(r, take);
		if (i < 64)
			x.present |= (u64)bits << (64 - i - take);
		else
			x.beyond += hweight32(bits);
	}
	return x;
}

void h225_ext_begin(struct avaya_per *r, struct h225_ext *x)
{
	*x = h225_ext_read(r);
}

/* Skip @n additions as open types; returns how many are left (on error). */
u32 h225_ext_skip_beyond(struct avaya_per *r, u32 n)
{
	while (n && !per_failed(r)) {
		n--;
		per_skip_open_type(r);
	}
	return n;
}

/*
 * Step to the next present extension addition: its index in @idx and its
 * contents in @sub. Absent additions cost nothing: the next present one is
 * the highest bit left. Returns false when there are no more (or on error).
 */
bool h225_ext_next(struct avaya_per *r, struct h225_ext *x,
		   unsigned int *idx, struct avaya_per *sub)
{
	if (x->present && !per_failed(r)) {
		u32 i = __builtin_clzll(x->present);

		x->present &= ~H225_EXT_BIT(i);
		per_open_type(r, sub);
		if (per_failed(r))
			return false;
		*idx = i;
		return true;
	}
	x->beyond = h225_ext_skip_beyond(r, x->beyond);
	x->present = 0;
	return false;
}

/* After an extension bit of 1: skip every addition by its length. */
void h225_skip_extensions(struct avaya_per *r)
{
	struct avaya_per sub;
	struct h225_ext x;
	unsigned int idx;

	h225_ext_begin_fast(r, &x);
	while (h225_ext_next_of(r, &x, 0, &idx, &sub))
		;
}

static void skip_extensions_if(struct avaya_per *r, bool extended)
{
	if (extended)
		h225_skip_extensions(r);
}

/* SEQUENCE OF with an unconstrained count; stops at the first error. */
void h225_skip_seqof(struct avaya_per *r, void (*skip)(struct avaya_per *r))
{
	u32 n = per_length(r);

	while (n-- && !per_failed(r))
		skip(r);
}

/* Unconstrained BIT STRING: the length counts bits. */
void h225_skip_bit_string(struct avaya_per *r)
{
	per_skip_string(r, per_length(r), 1);
}

/* H221NonStandard: country code, extension, manufacturer code. */
static __always_inline void skip_h221_nonstandard(struct avaya_per *r)
{
	bool extended = per_bit(r);

	/* INTEGER (0..255) twice and (0..65535): four aligned octets */
	per_take_octets(r, 4);
	skip_extensions_if(r, extended);
}

void h225_skip_h221_nonstandard(struct avaya_per *r)
{
	skip_h221_nonstandard(r);
}

/* NonStandardParameter: identifier CHOICE {object, h221NonStandard}, data. */
static __always_inline void skip_nonstandard_parameter(struct avaya_per *r)
{
	switch (h225_choice_idx(r, 2)) {
	case 0:
		h225_skip_oid(r);
		break;
	case 1:
		skip_h221_nonstandard(r);
		break;
	default:	/* an extension, already skipped */
		break;
	}
	h225_skip_octet_string(r);
}

void h225_skip_nonstandard_parameter(struct avaya_per *r)
{
	skip_nonstandard_parameter(r);
}

/*
 * AliasAddress: dialledDigits are 4-bit characters from "0123456789#*,",
 * h323-ID is BMPString (1..256); the rest are extension alternatives, which
 * arrive as open types.
 */
static __always_inline void skip_alias_address(struct avaya_per *r)
{
	u32 n;

	switch (h225_choice_idx(r, 2)) {
	case 0:
		n = per_uint(r, 1, 128);
		per_skip_string(r, n, 4);
		break;
	case 1:
		h225_bmp_string(r, 1, 256, &n);
		break;
	default:
		break;
	}
}

void h225_skip_alias_address(struct avaya_per *r)
{
	skip_alias_address(r);
}

/* SEQUENCE OF AliasAddress: h225_skip_seqof() without a call per element. */
void h225_skip_aliases(struct avaya_per *r)
{
	u32 n = per_length(r);

	while (n-- && !per_failed(r))
		skip_alias_address(r);
}

/* VendorIdentifier: vendor, productId and versionId OCTET STRING (1..256). */
static __always_inline void skip_vendor_identifier(struct avaya_per *r)
{
	/* extension bit, 2 presence bits, then the vendor's extension bit */
	u32 lead = per_bits(r, 4);
	u32 opt = lead >> 1;
	bool extended = opt >> 2;

	/* vendor: H221NonStandard, four aligned octets */
	per_take_octets(r, 4);
	skip_extensions_if(r, lead & 1);
	if (opt & 2)
		per_take_octets(r, per_uint(r, 1, 256));
	if (opt & 1)
		per_take_octets(r, per_uint(r, 1, 256));
	skip_extensions_if(r, extended);
}

void h225_skip_vendor_identifier(struct avaya_per *r)
{
	skip_vendor_identifier(r);
}

/*
 * GatekeeperInfo, TerminalInfo, McuInfo and the H310Caps..T120OnlyCaps
 * family share one root: an optional NonStandardParameter, then additions.
 */
static __always_inline void skip_nonstd_only_seq(struct avaya_per *r)
{
	u32 lead = per_bits(r, 2);	/* extension bit, presence bit */
	bool extended = lead >> 1;

	if (lead & 1)
		skip_nonstandard_parameter(r);
	skip_extensions_if(r, extended);
}

static void skip_supported_protocols(struct avaya_per *r)
{
	u32 idx = h225_choice_idx(r, 9);

	if (per_failed(r))
		return;
	if (idx == 0)
		skip_nonstandard_parameter(r);
	else if (idx < 9)
		skip_nonstd_only_seq(r);
}

static void skip_gateway_info(struct avaya_per *r)
{
	u32 opt = per_bits(r, 3);	/* extension bit, 2 presence bits */
	bool extended = opt >> 2;

	if (opt & 2)
		h225_skip_seqof(r, skip_supported_protocols);
	if (opt & 1)
		skip_nonstandard_parameter(r);
	skip_extensions_if(r, extended);
}

/* EndpointType: six optional descriptions, then the mc/undefinedNode bits. */
void h225_skip_endpoint_type(struct avaya_per *r)
{
	u32 opt = per_bits(r, 7);	/* extension bit, 6 presence bits */
	bool extended = opt >> 6;

	if (opt & 0x20)
		skip_nonstandard_parameter(r);
	if (opt & 0x10)
		skip_vendor_identifier(r);
	if (opt & 0x08)
		skip_nonstd_only_seq(r);	/* gatekeeper */
	if (opt & 0x04)
		skip_gateway_info(r);
	if (opt & 0x02)
		skip_nonstd_only_seq(r);	/* mcu */
	if (opt & 0x01)
		skip_nonstd_only_seq(r);	/* terminal */
	per_bits(r, 2);				/* mc, undefinedNode */
	skip_extensions_if(r, extended);
}

static void skip_ip_source_route(struct avaya_per *r)
{
	bool extended = per_bit(r);
	u32 n;

	per_take_octets(r, 4);
	per_uint(r, 0, 65535);
	n = per_length(r);
	while (n-- && !per_failed(r))
		per_take_octets(r, 4);
	h225_choice_idx(r, 2);	/* routing: strict, loose */
	skip_extensions_if(r, extended);
}

static void skip_ipx_address(struct avaya_per *r)
{
	per_take_octets(r, 6);	/* node */
	per_take_octets(r, 4);	/* netnum */
	per_bits(r, 16);	/* port: 2 fixed octets are not aligned */
}

/*
 * TransportAddress, after h225_transport_address() found no IPv4 address
 * in the common form (@out is zeroed). IPv4 and IPv6 addresses are
 * returned with the absolute offset of their octets; the other
 * alternatives are skipped and reported as family 0, so that list
 * positions stay meaningful.
 */
int h225_transport_address_slow(struct avaya_per *r, struct avaya_taddr *out)
{
	bool extended;
	int ret = 0;

	switch (h225_choice_idx(r, H225_TA_ROOT_COUNT)) {
	case H225_TA_IP:
		ret = h225_read_ip_port(r, out, 4);
		break;
	case H225_TA_IP_SOURCE_ROUTE:
		skip_ip_source_route(r);
		break;
	case H225_TA_IPX:
		skip_ipx_address(r);
		break;
	case H225_TA_IP6:
		extended = per_bit(r);
		ret = h225_read_ip_port(r, out, 16);
		skip_extensions_if(r, extended);
		break;
	case H225_TA_NETBIOS:
		per_take_octets(r, 16);
		break;
	case H225_TA_NSAP:
		per_take_octets(r, per_uint(r, 1, 20));
		break;
	case H225_TA_NONSTANDARD:
		skip_nonstandard_parameter(r);
		break;
	default:	/* extension alternative: skipped as an open type */
		break;
	}
	if (ret)
		return ret;
	return per_failed(r) ? -AVAYA_EBADMSG : 0;
}

void h225_skip_transport_address(struct avaya_per *r)
{
	struct avaya_taddr ta;

	if (h225_transport_address(r, &ta))
		per_fail(r);
}

/* An address that does not fit a list: read, checked, dropped. */
noinline int h225_discard_transport_address(struct avaya_per *r)
{
	struct avaya_taddr ta;

	return h225_transport_address(r, &ta);
}

/* H.235 Params: ranInt INTEGER, iv8 OCTET STRING (SIZE (8)), additions. */
static void skip_h235_params(struct avaya_per *r)
{
	u32 opt = per_bits(r, 3);	/* extension bit, 2 presence bits */
	bool extended = opt >> 2;

	if (opt & 2)
		per_take_octets(r, per_length(r));
	if (opt & 1)
		per_take_octets(r, 8);
	skip_extensions_if(r, extended);
}

/* HASHED{} and ENCRYPTED{}: algorithm, parameters, then the opaque value. */
static void skip_h235_hashed(struct avaya_per *r)
{
	h225_skip_oid(r);
	skip_h235_params(r);
	h225_skip_bit_string(r);
}

static void skip_h235_encrypted(struct avaya_per *r)
{
	h225_skip_oid(r);
	skip_h235_params(r);
	h225_skip_octet_string(r);
}

/* SIGNED{}: the signed token is a TYPE-IDENTIFIER, i.e. an open type. */
static void skip_h235_signed(struct avaya_per *r)
{
	per_skip_open_type(r);
	h225_skip_oid(r);
	skip_h235_params(r);
	h225_skip_bit_string(r);
}

/* DHset: three BIT STRING (SIZE (0..2048)), then additions. */
static void skip_h235_dhset(struct avaya_per *r)
{
	bool extended = per_bit(r);
	int i;

	for (i = 0; i < 3; i++)
		per_skip_string(r, per_uint(r, 0, 2048), 1);
	skip_extensions_if(r, extended);
}

static void skip_h235_typed_certificate(struct avaya_per *r)
{
	bool extended = per_bit(r);

	h225_skip_oid(r);
	h225_skip_octet_string(r);
	skip_extensions_if(r, extended);
}

/* H.235 ClearToken: an OID and eight optional root components. */
void h225_skip_clear_token(struct avaya_per *r)
{
	u32 opt = per_bits(r, 9);	/* extension bit, 8 presence bits */
	bool extended = opt >> 8;
	u32 n;

	h225_skip_oid(r);
	if (opt & 0x80)
		per_uint(r, 1, H225_TIMESTAMP_MAX);	/* timeStamp */
	if (opt & 0x40)
		h225_bmp_string(r, 1, 128, &n);		/* password */
	if (opt & 0x20)
		skip_h235_dhset(r);
	if (opt & 0x10)
		per_take_octets(r, per_uint(r, 8, 128));	/* challenge */
	if (opt & 0x08)
		per_take_octets(r, per_length(r));	/* random */
	if (opt & 0x04)
		skip_h235_typed_certificate(r);
	if (opt & 0x02)
		h225_bmp_string(r, 1, 128, &n);		/* generalID */
	if (opt & 0x01) {				/* H.235 nonStandard */
		h225_skip_oid(r);
		h225_skip_octet_string(r);
	}
	skip_extensions_if(r, extended);
}

/* H.235 CryptoToken, the nestedcryptoToken alternative. */
static void skip_crypto_token(struct avaya_per *r)
{
	switch (h225_choice_idx(r, 4)) {
	case 0:		/* cryptoEncryptedToken */
		h225_skip_oid(r);
		skip_h235_encrypted(r);
		break;
	case 1:		/* cryptoSignedToken */
		h225_skip_oid(r);
		skip_h235_signed(r);
		break;
	case 2:		/* cryptoHashedToken */
		h225_skip_oid(r);
		h225_skip_clear_token(r);
		skip_h235_hashed(r);
		break;
	case 3:		/* cryptoPwdEncr */
		skip_h235_encrypted(r);
		break;
	default:
		break;
	}
}

void h225_skip_crypto_h323_token(struct avaya_per *r)
{
	u32 n;

	switch (h225_choice_idx(r, 8)) {
	case 0:		/* cryptoEPPwdHash */
		h225_skip_alias_address(r);
		per_uint(r, 1, H225_TIMESTAMP_MAX);
		skip_h235_hashed(r);
		break;
	case 1:		/* cryptoGKPwdHash */
		h225_bmp_string(r, 1, 128, &n);
		per_uint(r, 1, H225_TIMESTAMP_MAX);
		skip_h235_hashed(r);
		break;
	case 2:		/* cryptoEPPwdEncr */
	case 3:		/* cryptoGKPwdEncr */
		skip_h235_encrypted(r);
		break;
	case 4:		/* cryptoEPCert */
	case 5:		/* cryptoGKCert */
	case 6:		/* cryptoFastStart */
		skip_h235_signed(r);
		break;
	case 7:
		skip_crypto_token(r);
		break;
	default:
		break;
	}
}
