/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * What nf_conntrack_avaya shares with nf_nat_avaya: per-netns counters, the
 * per-connection helper data and the NAT hook.
 */
#ifndef _NF_CONNTRACK_AVAYA_H
#define _NF_CONNTRACK_AVAYA_H

#include <linux/types.h>
#include <linux/netfilter.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_expect.h>

#include "avaya_ras.h"

/*
 * Counters an admin reads in /proc/net/nf_conntrack_avaya, per netns.
 * The names are ABI for scripts: append, never rename.
 */
#define AVAYA_COUNTERS(C)						\
	C(RAS_GRQ, "ras_grq")						\
	C(RAS_GCF, "ras_gcf")						\
	C(RAS_GRJ, "ras_grj")						\
	C(RAS_RRQ, "ras_rrq")						\
	C(RAS_RRQ_KEEPALIVE, "ras_rrq_keepalive")			\
	C(RAS_RCF, "ras_rcf")						\
	C(RAS_RRJ, "ras_rrj")						\
	C(RAS_URQ, "ras_urq")						\
	C(RAS_UCF, "ras_ucf")						\
	C(RAS_URJ, "ras_urj")						\
	C(RAS_OTHER, "ras_other")					\
	C(RAS_MALFORMED, "ras_malformed")				\
	C(RAS_DROPPED_STRICT, "ras_dropped_strict")			\
	C(REVERSE_OPENED, "reverse_pinhole_opened")			\
	C(REVERSE_REFRESHED, "reverse_pinhole_refreshed")		\
	C(REVERSE_REMOVED, "reverse_pinhole_removed")			\
	C(REVERSE_SUPERSEDED, "reverse_pinhole_superseded")		\
	C(REFUSED_CSA_NOT_SOURCE, "refused_csa_not_source")		\
	C(REFUSED_RCF_UNMATCHED, "refused_rcf_unmatched")		\
	C(REFUSED_TOO_MANY, "refused_too_many_pinholes")		\
	C(REFUSED_EXPECT_FAILED, "refused_expect_failed")		\
	C(GCF_PINHOLE_OPENED, "gcf_pinhole_opened")			\
	C(REFUSED_GRQ_NOT_SOURCE, "refused_grq_ras_not_source")	\
	C(NAT_RAS_REWRITTEN, "nat_ras_rewritten")			\
	C(NAT_RAS_PROTECTED, "nat_ras_protected_untouched")		\
	C(NAT_REFUSED, "nat_refused")					\
	C(Q931_MSG, "q931_messages")					\
	C(Q931_MALFORMED, "q931_malformed")				\
	C(H245_MSG, "h245_messages")					\
	C(H245_MALFORMED, "h245_malformed")				\
	C(SIP_MSG, "sip_messages")					\
	C(SIP_MALFORMED, "sip_malformed")

#define AVAYA_CTR_ENUM(id, name) AVAYA_CTR_##id,
enum avaya_counter {
	AVAYA_COUNTERS(AVAYA_CTR_ENUM)
	AVAYA_CTR_MAX
};

#undef AVAYA_CTR_ENUM

void avaya_count(const struct net *net, enum avaya_counter c);

/* Registration state of one RAS flow (phone <-> gatekeeper). */
enum avaya_ras_state {
	AVAYA_RAS_IDLE,
	AVAYA_RAS_RRQ_SEEN,	/* waiting for the gatekeeper's verdict */
	AVAYA_RAS_REGISTERED,
};

struct avaya_ras_master {
	union nf_inet_addr csa;	/* the phone's callSignalAddress */
	__be16 csa_port;
	u16 rrq_seq;		/* requestSeqNum of the pending RRQ */
	u32 epid_hash;		/* endpointIdentifier the RCF assigned */
	u8 state;		/* enum avaya_ras_state */
};

/* Expectation classes of the avaya-ras helper. */
enum avaya_ras_exp_class {
	AVAYA_EXP_REVERSE,	/* gatekeeper -> phone tcp/1720 */
	AVAYA_EXP_GCF,		/* unicast GCF after a multicast GRQ */
	AVAYA_EXP_RAS_MAX,
};

/*
 * NAT operations, published by nf_nat_avaya. All run with the skb
 * linearised and @data pointing at the UDP/TCP payload.
 */
struct avaya_nat_ops {
	/* Rewrite a RAS message; may update *data, *len. NF_ACCEPT/NF_DROP. */
	int (*ras)(struct sk_buff *skb, struct nf_conn *ct,
		   enum ip_conntrack_info ctinfo, unsigned int protoff,
		   unsigned char **data, unsigned int *len,
		   const struct avaya_ras *m);
	/* Set up an expectation through NAT; returns 0 or -errno. */
	int (*expect)(struct sk_buff *skb, struct nf_conn *ct,
		      enum ip_conntrack_info ctinfo,
		      struct nf_conntrack_expect *exp);
};

extern const struct avaya_nat_ops __rcu *avaya_nat_hook;

/* nf_ct_refresh() lost its skb argument in 6.12 (Kbuild probes which). */
static inline void avaya_ct_refresh(struct nf_conn *ct,
				    const struct sk_buff *skb, u32 extra)
{
#ifdef AVAYA_NF_CT_REFRESH_HAS_SKB
	nf_ct_refresh(ct, skb, extra);
#else
	nf_ct_refresh(ct, extra);
#endif
}

#endif /* _NF_CONNTRACK_AVAYA_H */
