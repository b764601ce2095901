// SPDX-License-Identifier: GPL-2.0-only
/*
 * Expectation-table stubs for the stock SIP path: no lookup finds anything,
 * allocation hands out one static object, insertion succeeds. Kept in their
 * own object so the compiler cannot fold them into the caller.
 */
#include "stock_sip_shim.h"

int nf_conntrack_expect_lock;
static struct nf_conntrack_expect one_exp;

struct nf_conntrack_expect *
__nf_ct_expect_find(struct net *net, const struct nf_conntrack_zone *zone,
		    const struct nf_conntrack_tuple *tuple)
{
	return NULL;
}

struct nf_conntrack_expect *nf_ct_expect_alloc(struct nf_conn *me)
{
	return &one_exp;
}

void nf_ct_expect_init(struct nf_conntrack_expect *exp, unsigned int class,
		       u8 family, const union nf_inet_addr *saddr,
		       const union nf_inet_addr *daddr, u8 proto,
		       const __be16 *src, const __be16 *dst)
{
	exp->class = class;
}

int nf_ct_expect_related(struct nf_conntrack_expect *exp, unsigned int flags)
{
	return 0;
}

void nf_ct_unexpect_related(struct nf_conntrack_expect *exp)
{
}

void nf_ct_expect_put(struct nf_conntrack_expect *exp)
{
}

void nf_ct_unlink_expect(struct nf_conntrack_expect *exp)
{
}
