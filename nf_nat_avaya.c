// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include <net/netfilter/nf_nat_helper.h>

#include "nf_conntrack_avaya.h"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NAT helper for Avaya H.323 phones and SIP trunks");
MODULE_AUTHOR("The nf_conntrack_avaya authors");

static void __exit nf_nat_avaya_fini(void)
{
}

static int __init nf_nat_avaya_init(void)
{
	return 0;
}

module_init(nf_nat_avaya_init);
module_exit(nf_nat_avaya_fini);
