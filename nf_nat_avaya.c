// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/skbuff.h>

#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_nat.h>
#include <net/netfilter/nf_nat_helper.h>

#include "nf_conntrack_avaya.h"

#define NAT_HELPER_NAME "avaya"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NAT helper for Avaya H.323 phones and SIP trunks");
MODULE_AUTHOR("The nf_conntrack_avaya authors");

/* BEGIN h323 nat (H.323 NAT owner) */
static int avaya_nat_ras(struct sk_buff *skb, struct nf_conn *ct,
			 enum ip_conntrack_info ctinfo, unsigned int protoff,
			 unsigned char **data, unsigned int *len,
			 const struct avaya_ras *m)
{
	return NF_ACCEPT;
}

static int avaya_nat_expect(struct sk_buff *skb, struct nf_conn *ct,
			    enum ip_conntrack_info ctinfo,
			    struct nf_conntrack_expect *exp)
{
	return nf_ct_expect_related(exp, 0);
}

/* END h323 nat */

/* BEGIN sip nat (SIP owner) */
/* END sip nat */

static const struct avaya_nat_ops avaya_nat_ops = {
	.ras	= avaya_nat_ras,
	.expect	= avaya_nat_expect,
	/* BEGIN h323 nat ops init (H.323 NAT owner) */
	/* END h323 nat ops init */
	/* BEGIN sip nat ops init (SIP owner) */
	/* END sip nat ops init */
};

static void __exit nf_nat_avaya_fini(void)
{
	RCU_INIT_POINTER(avaya_nat_hook, NULL);
	synchronize_rcu();
}

static int __init nf_nat_avaya_init(void)
{
	rcu_assign_pointer(avaya_nat_hook, &avaya_nat_ops);
	return 0;
}

module_init(nf_nat_avaya_init);
module_exit(nf_nat_avaya_fini);
