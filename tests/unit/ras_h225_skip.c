// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * The H.235 token skippers of lib/avaya_h225.c. RAS skips tokens as open
 * types, so avaya_ras_decode() never runs them; the call signalling decoders walk
 * them in place. Each blob below is the contents of a tokens/cryptoTokens
 * addition of ras_avaya_rrq, which tshark decodes field by field: a skipper
 * must consume it exactly, fail on every shorter prefix, and survive every
 * single-bit flip.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avaya_h225.h"
#include "../kunit/avaya_ras_vectors.h"

/* SEQUENCE OF ClearToken: tokenOID, timeStamp, generalID "avaya" */
static const u8 clear_tokens[] = {
	0x01, 0x41, 0x00, 0x07, 0x00, 0x08, 0x81, 0x6b, 0x00, 0x02, 0x05, 0xc0,
	0x69, 0x55, 0xb8, 0xff, 0x08, 0x00, 0x61, 0x00, 0x76, 0x00, 0x61, 0x00,
	0x79, 0x00, 0x61,
};

/* SEQUENCE OF CryptoH323Token: cryptoEPPwdHash, alias 2001, MD5 hash */
static const u8 crypto_tokens[] = {
	0x01, 0x00, 0x18, 0x53, 0x34, 0xc0, 0x69, 0x55, 0xb8, 0xff, 0x08, 0x2a,
	0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05, 0x00, 0x80, 0x80, 0xa0, 0xa1,
	0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad,
	0xae, 0xaf,
};

static int failures;

static void expect(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
	if (!ok)
		failures++;
}

/* Skip a SEQUENCE OF with @skip over an exact-size copy of @buf[0..@len). */
static bool skip_exactly(const u8 *buf, size_t len,
			 void (*skip)(struct avaya_per *r), bool *consumed)
{
	u8 *copy = malloc(len ? len : 1);
	struct avaya_per r;
	bool ok;

	if (!copy)
		abort();
	memcpy(copy, buf, len);
	per_init(&r, copy, len);
	h225_skip_seqof(&r, skip);
	per_align(&r);
	ok = !per_failed(&r);
	*consumed = ok && per_octet_pos(&r) == len;
	free(copy);
	return ok;
}

static void check_blob(const char *name, const u8 *blob, size_t len,
		       void (*skip)(struct avaya_per *r))
{
	char what[128];
	bool consumed, any_prefix = false;
	u8 flipped[64];
	size_t n, bit;

	snprintf(what, sizeof(what), "%s is inside ras_avaya_rrq", name);
	expect(!!memmem(ras_avaya_rrq, sizeof(ras_avaya_rrq), blob, len),
	       what);
	snprintf(what, sizeof(what), "%s is skipped exactly", name);
	expect(skip_exactly(blob, len, skip, &consumed) && consumed, what);
	for (n = 0; n < len; n++)
		any_prefix |= skip_exactly(blob, n, skip, &consumed);
	snprintf(what, sizeof(what), "every prefix of %s fails", name);
	expect(!any_prefix, what);
	for (bit = 0; bit < len * 8 && len <= sizeof(flipped); bit++) {
		memcpy(flipped, blob, len);
		flipped[bit / 8] ^= 0x80 >> (bit % 8);
		skip_exactly(flipped, len, skip, &consumed);
	}
	snprintf(what, sizeof(what), "%s survives %zu bit flips", name,
		 len * 8);
	expect(len <= sizeof(flipped), what);
}

int main(void)
{
	check_blob("clear_tokens", clear_tokens, sizeof(clear_tokens),
		   h225_skip_clear_token);
	check_blob("crypto_tokens", crypto_tokens, sizeof(crypto_tokens),
		   h225_skip_crypto_h323_token);
	printf("ras_h225_skip: %d failed\n", failures);
	return failures ? 1 : 0;
}
