// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/jhash.h>
#include <linux/inet.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_conntrack_tuple.h>

#include "avaya_ras.h"
#include "nf_conntrack_avaya.h"

#define HELPER_RAS	"avaya-ras"
#define HELPER_Q931	"avaya-q931"
#define HELPER_H245	"avaya-h245"
#define HELPER_SIP	"avaya-sip"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Connection tracking helpers for Avaya H.323 phones and SIP trunks");
MODULE_AUTHOR("The nf_conntrack_avaya authors");
MODULE_ALIAS_NFCT_HELPER(HELPER_RAS);
MODULE_ALIAS_NFCT_HELPER(HELPER_Q931);
MODULE_ALIAS_NFCT_HELPER(HELPER_H245);
MODULE_ALIAS_NFCT_HELPER(HELPER_SIP);

static unsigned short ras_port __read_mostly = 1719;
module_param(ras_port, ushort, 0400);
MODULE_PARM_DESC(ras_port, "UDP port of H.225 RAS for automatic assignment (default 1719)");

static unsigned short q931_port __read_mostly = 1720;
module_param(q931_port, ushort, 0400);
MODULE_PARM_DESC(q931_port, "TCP port of H.225 call signalling (default 1720)");

static unsigned short sip_port __read_mostly = 5060;
module_param(sip_port, ushort, 0400);
MODULE_PARM_DESC(sip_port, "UDP and TCP port of SIP (default 5060)");

static unsigned int ras_default_ttl __read_mostly = 600;
module_param(ras_default_ttl, uint, 0644);
MODULE_PARM_DESC(ras_default_ttl, "Registration lifetime in seconds when the RCF has no timeToLive (default 600)");

static unsigned int ras_ttl_grace __read_mostly = 10;
module_param(ras_ttl_grace, uint, 0644);
MODULE_PARM_DESC(ras_ttl_grace, "Seconds added to the registration lifetime before the reverse pinhole closes (default 10)");

static unsigned int ras_max_ttl __read_mostly = 86400;
module_param(ras_max_ttl, uint, 0644);
MODULE_PARM_DESC(ras_max_ttl, "Upper bound in seconds for a granted timeToLive (default 86400)");

static bool strict __read_mostly;
module_param(strict, bool, 0644);
MODULE_PARM_DESC(strict, "Drop malformed messages on helper-tracked flows instead of passing them (default N)");

/* Source ports the gatekeeper opens the reverse connection from: lo << 16 | hi. */
static u32 gk_src_ports __read_mostly = (61440U << 16) | 61444U;

static int gk_src_ports_set(const char *val, const struct kernel_param *kp)
{
	unsigned int lo, hi;
	char tail;

	if (sscanf(val, "%u-%u%c", &lo, &hi, &tail) == 2 ||
	    (sscanf(val, "%u-%u%c", &lo, &hi, &tail) == 3 && tail == '\n')) {
		/* a range */
	} else if (sscanf(val, "%u%c", &lo, &tail) == 1 ||
		   (sscanf(val, "%u%c", &lo, &tail) == 2 && tail == '\n')) {
		hi = lo;
	} else {
		return -EINVAL;
	}
	if (lo > hi || hi > 65535)
		return -EINVAL;
	WRITE_ONCE(gk_src_ports, lo << 16 | hi);
	return 0;
}

static int gk_src_ports_get(char *buf, const struct kernel_param *kp)
{
	u32 v = READ_ONCE(gk_src_ports);

	return scnprintf(buf, PAGE_SIZE, "%u-%u\n", v >> 16, v & 0xffff);
}

static const struct kernel_param_ops gk_src_ports_ops = {
	.set = gk_src_ports_set,
	.get = gk_src_ports_get,
};
module_param_cb(gk_src_ports, &gk_src_ports_ops, NULL, 0644);
MODULE_PARM_DESC(gk_src_ports, "Source ports the gatekeeper may use for the reverse tcp/1720 connection, lo-hi (default 61440-61444; 0-65535 means any)");

const struct avaya_nat_ops __rcu *avaya_nat_hook __read_mostly;
EXPORT_SYMBOL_GPL(avaya_nat_hook);

/* Per-netns counters: per-CPU, so the fast path never shares a cache line. */
struct avaya_ctrs {
	u64 c[AVAYA_CTR_MAX];
};

struct avaya_net {
	struct avaya_ctrs __percpu *ctr;
};

static unsigned int avaya_net_id __read_mostly;

/* Every avaya-* helper's per-connection state fits the conntrack extension. */
static_assert(sizeof(union avaya_master) <= sizeof_field(struct nf_conn_help, data));

static const char *const avaya_counter_names[AVAYA_CTR_MAX] = {
	[AVAYA_CTR_RAS_GRQ] = "ras_grq",
	[AVAYA_CTR_RAS_GCF] = "ras_gcf",
	[AVAYA_CTR_RAS_GRJ] = "ras_grj",
	[AVAYA_CTR_RAS_RRQ] = "ras_rrq",
	[AVAYA_CTR_RAS_RRQ_KEEPALIVE] = "ras_rrq_keepalive",
	[AVAYA_CTR_RAS_RCF] = "ras_rcf",
	[AVAYA_CTR_RAS_RRJ] = "ras_rrj",
	[AVAYA_CTR_RAS_URQ] = "ras_urq",
	[AVAYA_CTR_RAS_UCF] = "ras_ucf",
	[AVAYA_CTR_RAS_URJ] = "ras_urj",
	[AVAYA_CTR_RAS_OTHER] = "ras_other",
	[AVAYA_CTR_RAS_MALFORMED] = "ras_malformed",
	[AVAYA_CTR_DROPPED_STRICT] = "dropped_strict",
	[AVAYA_CTR_REVERSE_OPENED] = "reverse_pinhole_opened",
	[AVAYA_CTR_REVERSE_REFRESHED] = "reverse_pinhole_refreshed",
	[AVAYA_CTR_REVERSE_REMOVED] = "reverse_pinhole_removed",
	[AVAYA_CTR_REVERSE_SUPERSEDED] = "reverse_pinhole_superseded",
	[AVAYA_CTR_REFUSED_CSA_NOT_SOURCE] = "refused_csa_not_source",
	[AVAYA_CTR_REFUSED_RCF_UNMATCHED] = "refused_rcf_unmatched",
	[AVAYA_CTR_REFUSED_TOO_MANY] = "refused_too_many_pinholes",
	[AVAYA_CTR_REFUSED_EXPECT_FAILED] = "refused_expect_failed",
	[AVAYA_CTR_GCF_PINHOLE_OPENED] = "gcf_pinhole_opened",
	[AVAYA_CTR_REFUSED_GRQ_NOT_SOURCE] = "refused_grq_ras_not_source",
	/* BEGIN call counter names (Q.931/H.245 owner) */
	[AVAYA_CTR_Q931_MSG] = "q931_messages",
	[AVAYA_CTR_Q931_MALFORMED] = "q931_malformed",
	[AVAYA_CTR_H245_MSG] = "h245_messages",
	[AVAYA_CTR_H245_MALFORMED] = "h245_malformed",
	/* END call counter names */
	/* BEGIN sip counter names (SIP owner) */
	[AVAYA_CTR_SIP_MSG] = "sip_messages",
	[AVAYA_CTR_SIP_MALFORMED] = "sip_malformed",
	/* END sip counter names */
	/* BEGIN nat counter names (H.323 NAT owner) */
	[AVAYA_CTR_NAT_RAS_REWRITTEN] = "nat_ras_rewritten",
	[AVAYA_CTR_NAT_RAS_PROTECTED] = "nat_ras_protected_untouched",
	[AVAYA_CTR_NAT_REFUSED] = "nat_refused",
	/* END nat counter names */
};

void avaya_count(const struct net *net, enum avaya_counter c)
{
	struct avaya_net *an = net_generic(net, avaya_net_id);

	this_cpu_inc(an->ctr->c[c]);
}
EXPORT_SYMBOL_GPL(avaya_count);

static int avaya_counters_show(struct seq_file *s, void *v)
{
	struct avaya_net *an = net_generic(seq_file_single_net(s), avaya_net_id);
	unsigned int c;
	int cpu;

	for (c = 0; c < AVAYA_CTR_MAX; c++) {
		u64 sum = 0;

		for_each_possible_cpu(cpu)
			sum += per_cpu_ptr(an->ctr, cpu)->c[c];
		seq_printf(s, "%-32s %llu\n",
			   avaya_counter_names[c] ? : "unnamed", sum);
	}
	return 0;
}

static struct nf_conntrack_helper avaya_helpers[10];

/* Index of a helper in avaya_helpers[]: [proto][family]. */
enum {
	AVAYA_H_RAS4, AVAYA_H_RAS6,
	AVAYA_H_Q9314, AVAYA_H_Q9316,
	AVAYA_H_H2454, AVAYA_H_H2456,
	AVAYA_H_SIP4, AVAYA_H_SIP6,
	AVAYA_H_SIPT4, AVAYA_H_SIPT6,
};

static struct nf_conntrack_helper *avaya_helper_for(int first, const struct nf_conn *ct)
{
	return &avaya_helpers[first + (nf_ct_l3num(ct) == NFPROTO_IPV6)];
}

static struct avaya_ras_master *ras_master(const struct nf_conn *ct)
{
	union avaya_master *am = nfct_help_data(ct);

	return &am->ras;
}

/* ---------------------------------------------------------------------- */
/* RAS                                                                     */
/* ---------------------------------------------------------------------- */

static bool taddr_is(const struct avaya_taddr *a, const struct nf_conn *ct,
		     const union nf_inet_addr *addr)
{
	if (nf_ct_l3num(ct) == NFPROTO_IPV4)
		return a->family == 4 && !memcmp(a->ip, &addr->ip, 4);
	return a->family == 6 && !memcmp(a->ip, addr->ip6, 16);
}

static void taddr_to_inet(const struct avaya_taddr *a, union nf_inet_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, a->ip, a->family == 4 ? 4 : 16);
}

/*
 * Expectation masks can only express prefixes, so a port range is covered by
 * aligned power-of-two blocks: 61440-61444 is 61440/14 plus 61444/16.
 * Returns the number of blocks, or 0 when more than @max would be needed.
 */
static unsigned int port_range_blocks(u32 lo, u32 hi, u16 *base, u16 *mask,
				      unsigned int max)
{
	unsigned int n = 0;
	u32 cur = lo;

	while (cur <= hi) {
		u32 size = 1;

		while (size < 0x10000 && !(cur & (2 * size - 1)) &&
		       cur + 2 * size - 1 <= hi)
			size <<= 1;
		if (n == max)
			return 0;
		base[n] = cur;
		mask[n] = ~(size - 1) & 0xffff;
		n++;
		cur += size;
	}
	return n;
}

static int avaya_expect_related(struct sk_buff *skb, struct nf_conn *ct,
				enum ip_conntrack_info ctinfo,
				struct nf_conntrack_expect *exp,
				unsigned long lifetime)
{
	const struct avaya_nat_ops *nat;
	int ret;

	nat = rcu_dereference(avaya_nat_hook);
	if (nat && ct->status & IPS_NAT_MASK)
		ret = nat->expect(skb, ct, ctinfo, exp);
	else
		ret = nf_ct_expect_related(exp, 0);
	if (ret)
		return ret;
	/* The policy sets a default lifetime; ours follows the registration. */
	spin_lock_bh(&nf_conntrack_expect_lock);
	WRITE_ONCE(exp->timeout, nfct_time_stamp + lifetime);
	spin_unlock_bh(&nf_conntrack_expect_lock);
	return 0;
}

/* Removes the master's expectations of one class, e.g. on URQ or a new RCF. */
static unsigned int ras_remove_expectations(struct nf_conn *ct, unsigned int class)
{
	struct nf_conn_help *help = nfct_help(ct);
	struct nf_conntrack_expect *exp;
	struct hlist_node *next;
	unsigned int n = 0;

	if (!help)
		return 0;
	spin_lock_bh(&nf_conntrack_expect_lock);
	hlist_for_each_entry_safe(exp, next, &help->expectations, lnode) {
		if (exp->class == class) {
			nf_ct_unlink_expect(exp);
			n++;
		}
	}
	spin_unlock_bh(&nf_conntrack_expect_lock);
	return n;
}

struct ras_supersede {
	const struct nf_conn *keep;
	u32 epid_hash;
	unsigned int removed;
};

/* A phone that registered again from elsewhere loses its old pinholes. */
static bool ras_superseded(struct nf_conntrack_expect *exp, void *data)
{
	struct ras_supersede *s = data;
	const struct nf_conntrack_helper *helper;
	struct avaya_ras_master *old;

	if (exp->master == s->keep || exp->class != AVAYA_EXP_REVERSE)
		return false;
	helper = rcu_dereference(nfct_help(exp->master)->helper);
	if (!helper || strcmp(helper->name, HELPER_RAS) ||
	    helper->me != THIS_MODULE)
		return false;
	old = ras_master(exp->master);
	if (old->state != AVAYA_RAS_REGISTERED || old->epid_hash != s->epid_hash)
		return false;
	s->removed++;
	return true;
}

static u32 ras_epid_hash(const u8 *data, const struct avaya_ras *m)
{
	if (!m->has_epid || !m->epid_chars)
		return 0;
	return jhash(data + m->epid_off, m->epid_chars * 2, 0x41564159) | 1;
}

/* The gatekeeper addresses that may open the reverse connection. */
static unsigned int ras_gk_sources(const struct nf_conn *ct,
				   const struct avaya_ras *rcf,
				   const struct avaya_ras_master *rm,
				   union nf_inet_addr *src, unsigned int max)
{
	u8 family = nf_ct_l3num(ct) == NFPROTO_IPV4 ? 4 : 6;
	unsigned int n = 0, i, j;

	/* The RAS peer, as the phone addressed it. */
	src[n++] = ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.u3;
	for (i = 0; i < rcf->n_csa && n < max; i++) {
		union nf_inet_addr a;

		if (rcf->csa[i].family != family)
			continue;
		taddr_to_inet(&rcf->csa[i], &a);
		/* Some gatekeepers echo the phone's own address: never a source. */
		if (nf_inet_addr_cmp(&a, &rm->csa))
			continue;
		for (j = 0; j < n; j++)
			if (nf_inet_addr_cmp(&a, &src[j]))
				break;
		if (j == n)
			src[n++] = a;
	}
	return n;
}

#define RAS_MAX_REVERSE_EXPECT	32

static int ras_open_reverse(struct sk_buff *skb, struct nf_conn *ct,
			    enum ip_conntrack_info ctinfo,
			    const struct avaya_ras *rcf,
			    struct avaya_ras_master *rm, unsigned long lifetime)
{
	const struct net *net = nf_ct_net(ct);
	union nf_inet_addr src[1 + RAS_MAX_ADDRS];
	u16 base[32], mask[32];
	unsigned int nsrc, nblk, i, j;
	u32 ports = READ_ONCE(gk_src_ports);
	int ret;

	nsrc = ras_gk_sources(ct, rcf, rm, src, ARRAY_SIZE(src));
	nblk = port_range_blocks(ports >> 16, ports & 0xffff, base, mask,
				 ARRAY_SIZE(base));
	if (!nblk || nsrc * nblk > RAS_MAX_REVERSE_EXPECT) {
		avaya_count(net, AVAYA_CTR_REFUSED_TOO_MANY);
		net_warn_ratelimited("%s: reverse pinhole refused: %u sources x %u port blocks exceed %u\n",
				     HELPER_RAS, nsrc, nblk, RAS_MAX_REVERSE_EXPECT);
		return -ENOSPC;
	}
	for (i = 0; i < nsrc; i++) {
		for (j = 0; j < nblk; j++) {
			struct nf_conntrack_expect *exp;
			__be16 sport = htons(base[j]);

			exp = nf_ct_expect_alloc(ct);
			if (!exp)
				return -ENOMEM;
			nf_ct_expect_init(exp, AVAYA_EXP_REVERSE, nf_ct_l3num(ct),
					  &src[i], &rm->csa, IPPROTO_TCP,
					  &sport, &rm->csa_port);
			exp->mask.src.u.tcp.port = htons(mask[j]);
			exp->flags = NF_CT_EXPECT_PERMANENT;
			rcu_assign_pointer(exp->assign_helper,
					   avaya_helper_for(AVAYA_H_Q9314, ct));
			ret = avaya_expect_related(skb, ct, ctinfo, exp, lifetime);
			nf_ct_expect_put(exp);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static void ras_on_rrq(struct nf_conn *ct, enum ip_conntrack_info ctinfo,
		       const struct avaya_ras *m)
{
	struct avaya_ras_master *rm = ras_master(ct);
	int dir = CTINFO2DIR(ctinfo);
	const union nf_inet_addr *phone = &ct->tuplehash[dir].tuple.src.u3;
	unsigned int i;

	avaya_count(nf_ct_net(ct), m->keep_alive ? AVAYA_CTR_RAS_RRQ_KEEPALIVE :
						   AVAYA_CTR_RAS_RRQ);
	/* A lightweight RRQ may omit the addresses: it renews what we have. */
	if (m->keep_alive && !m->n_csa && rm->state == AVAYA_RAS_REGISTERED) {
		rm->rrq_seq = m->seq;
		return;
	}
	for (i = 0; i < m->n_csa; i++) {
		if (taddr_is(&m->csa[i], ct, phone)) {
			taddr_to_inet(&m->csa[i], &rm->csa);
			rm->csa_port = htons(m->csa[i].port);
			rm->rrq_seq = m->seq;
			if (rm->state != AVAYA_RAS_REGISTERED)
				rm->state = AVAYA_RAS_RRQ_SEEN;
			return;
		}
	}
	/* A third-party callSignalAddress would make us a door opener. */
	avaya_count(nf_ct_net(ct), AVAYA_CTR_REFUSED_CSA_NOT_SOURCE);
	if (rm->state == AVAYA_RAS_RRQ_SEEN)
		rm->state = AVAYA_RAS_IDLE;
}

static unsigned long ras_lifetime(const struct avaya_ras *m)
{
	unsigned int ttl = m->has_ttl ? m->ttl : READ_ONCE(ras_default_ttl);

	ttl = min(ttl, READ_ONCE(ras_max_ttl));
	return (unsigned long)(ttl + READ_ONCE(ras_ttl_grace)) * HZ;
}

static int ras_on_rcf(struct sk_buff *skb, struct nf_conn *ct,
		      enum ip_conntrack_info ctinfo, const u8 *data,
		      const struct avaya_ras *m)
{
	struct avaya_ras_master *rm = ras_master(ct);
	const struct net *net = nf_ct_net(ct);
	unsigned long lifetime = ras_lifetime(m);
	struct ras_supersede sup = { .keep = ct };
	bool refresh = rm->state == AVAYA_RAS_REGISTERED;
	int ret;

	avaya_count(net, AVAYA_CTR_RAS_RCF);
	/* Only the gatekeeper's answer to the phone's own RRQ counts. */
	if (CTINFO2DIR(ctinfo) != IP_CT_DIR_REPLY ||
	    rm->state == AVAYA_RAS_IDLE || m->seq != rm->rrq_seq) {
		avaya_count(net, AVAYA_CTR_REFUSED_RCF_UNMATCHED);
		return NF_ACCEPT;
	}
	if (m->has_epid)
		rm->epid_hash = ras_epid_hash(data, m);
	ras_remove_expectations(ct, AVAYA_EXP_REVERSE);
	ret = ras_open_reverse(skb, ct, ctinfo, m, rm, lifetime);
	if (ret) {
		ras_remove_expectations(ct, AVAYA_EXP_REVERSE);
		rm->state = AVAYA_RAS_IDLE;
		avaya_count(net, AVAYA_CTR_REFUSED_EXPECT_FAILED);
		if (ret == -ENOSPC)
			return NF_ACCEPT;
		nf_ct_helper_log(skb, ct, "cannot add reverse signalling expectation");
		return NF_DROP;
	}
	rm->state = AVAYA_RAS_REGISTERED;
	avaya_count(net, refresh ? AVAYA_CTR_REVERSE_REFRESHED :
				   AVAYA_CTR_REVERSE_OPENED);
	/* The RAS flow itself must outlive the keepalive interval. */
	avaya_ct_refresh(ct, skb, lifetime);
	if (rm->epid_hash) {
		sup.epid_hash = rm->epid_hash;
		nf_ct_expect_iterate_net(nf_ct_net(ct), ras_superseded, &sup, 0, 0);
		if (sup.removed)
			avaya_count(net, AVAYA_CTR_REVERSE_SUPERSEDED);
	}
	return NF_ACCEPT;
}

static void ras_unregister(struct nf_conn *ct)
{
	struct avaya_ras_master *rm = ras_master(ct);

	if (ras_remove_expectations(ct, AVAYA_EXP_REVERSE))
		avaya_count(nf_ct_net(ct), AVAYA_CTR_REVERSE_REMOVED);
	rm->state = AVAYA_RAS_IDLE;
}

#define GCF_EXPECT_LIFETIME	(10 * HZ)

/*
 * A GRQ to the discovery group is answered by unicast from a gatekeeper we do
 * not know yet: admit exactly one datagram from a RAS port to the phone's
 * rasAddress.
 */
static int ras_on_multicast_grq(struct sk_buff *skb, struct nf_conn *ct,
				enum ip_conntrack_info ctinfo,
				const struct avaya_ras *m)
{
	int dir = CTINFO2DIR(ctinfo);
	const union nf_inet_addr *phone = &ct->tuplehash[dir].tuple.src.u3;
	struct nf_conntrack_expect *exp;
	union nf_inet_addr ras;
	__be16 gk_port = htons(ras_port), ph_port;
	int ret;

	if (!m->n_ras || !taddr_is(&m->ras[0], ct, phone)) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_REFUSED_GRQ_NOT_SOURCE);
		return NF_ACCEPT;
	}
	taddr_to_inet(&m->ras[0], &ras);
	ph_port = htons(m->ras[0].port);
	exp = nf_ct_expect_alloc(ct);
	if (!exp)
		return NF_DROP;
	nf_ct_expect_init(exp, AVAYA_EXP_GCF, nf_ct_l3num(ct), NULL, &ras,
			  IPPROTO_UDP, &gk_port, &ph_port);
	rcu_assign_pointer(exp->assign_helper, avaya_helper_for(AVAYA_H_RAS4, ct));
	ret = avaya_expect_related(skb, ct, ctinfo, exp, GCF_EXPECT_LIFETIME);
	nf_ct_expect_put(exp);
	if (ret && ret != -EALREADY) {
		nf_ct_helper_log(skb, ct, "cannot add GCF expectation");
		return NF_DROP;
	}
	avaya_count(nf_ct_net(ct), AVAYA_CTR_GCF_PINHOLE_OPENED);
	return NF_ACCEPT;
}

static bool ct_dst_is_multicast(const struct nf_conn *ct)
{
	const union nf_inet_addr *d = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.u3;

	if (nf_ct_l3num(ct) == NFPROTO_IPV4)
		return ipv4_is_multicast(d->ip);
	return ipv6_addr_is_multicast(&d->in6);
}

static const enum avaya_counter ras_type_counter[] = {
	[RAS_GRQ] = AVAYA_CTR_RAS_GRQ, [RAS_GCF] = AVAYA_CTR_RAS_GCF,
	[RAS_GRJ] = AVAYA_CTR_RAS_GRJ, [RAS_RRJ] = AVAYA_CTR_RAS_RRJ,
	[RAS_URQ] = AVAYA_CTR_RAS_URQ, [RAS_UCF] = AVAYA_CTR_RAS_UCF,
	[RAS_URJ] = AVAYA_CTR_RAS_URJ,
};

static int ras_dispatch(struct sk_buff *skb, struct nf_conn *ct,
			enum ip_conntrack_info ctinfo, const u8 *data,
			const struct avaya_ras *m)
{
	const struct net *net = nf_ct_net(ct);

	switch (m->type) {
	case RAS_RRQ:
		ras_on_rrq(ct, ctinfo, m);
		return NF_ACCEPT;
	case RAS_RCF:
		return ras_on_rcf(skb, ct, ctinfo, data, m);
	case RAS_GRQ:
		avaya_count(net, AVAYA_CTR_RAS_GRQ);
		if (ct_dst_is_multicast(ct))
			return ras_on_multicast_grq(skb, ct, ctinfo, m);
		return NF_ACCEPT;
	case RAS_RRJ:
	case RAS_URQ:
	case RAS_UCF:
		avaya_count(net, ras_type_counter[m->type]);
		ras_unregister(ct);
		return NF_ACCEPT;
	case RAS_GCF:
	case RAS_GRJ:
	case RAS_URJ:
		avaya_count(net, ras_type_counter[m->type]);
		return NF_ACCEPT;
	default:
		avaya_count(net, AVAYA_CTR_RAS_OTHER);
		return NF_ACCEPT;
	}
}

/* Malformed input is passed untouched: this is tracking, not filtering. */
static int avaya_bad_input(struct sk_buff *skb, const struct nf_conn *ct,
			   enum avaya_counter c, const char *what)
{
	avaya_count(nf_ct_net(ct), c);
	net_dbg_ratelimited("%s: malformed %s passed through\n",
			    KBUILD_MODNAME, what);
	if (READ_ONCE(strict)) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_DROPPED_STRICT);
		return NF_DROP;
	}
	return NF_ACCEPT;
}

static int avaya_ras_help(struct sk_buff *skb, unsigned int protoff,
			  struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	unsigned int dataoff = protoff + sizeof(struct udphdr);
	const struct avaya_nat_ops *nat;
	struct avaya_ras m;
	unsigned int len;
	u8 *data;
	int ret;

	if (dataoff >= skb->len)
		return NF_ACCEPT;
	/* Parse in place: no shared buffer, no global lock. */
	if (skb_linearize(skb))
		return NF_DROP;
	data = skb->data + dataoff;
	len = skb->len - dataoff;
	if (ras_decode(data, len, &m) < 0)
		return avaya_bad_input(skb, ct, AVAYA_CTR_RAS_MALFORMED, "RAS");

	nat = rcu_dereference(avaya_nat_hook);
	if (nat && ct->status & IPS_NAT_MASK) {
		ret = nat->ras(skb, ct, ctinfo, protoff, &data, &len, &m);
		if (ret != NF_ACCEPT)
			return ret;
	}
	return ras_dispatch(skb, ct, ctinfo, data, &m);
}

/* BEGIN call glue (Q.931/H.245 owner) */
/* ---------------------------------------------------------------------- */
/* Q.931 and H.245                                                         */
/* ---------------------------------------------------------------------- */

static int avaya_q931_help(struct sk_buff *skb, unsigned int protoff,
			   struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	return NF_ACCEPT;
}

static int avaya_h245_help(struct sk_buff *skb, unsigned int protoff,
			   struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	return NF_ACCEPT;
}

static const struct nf_conntrack_expect_policy call_exp_policy = {
	.name		= "call",
	.max_expected	= 32,
	.timeout	= 240,
};

/* END call glue */

/* BEGIN sip glue (SIP owner) */
/* ---------------------------------------------------------------------- */
/* SIP                                                                     */
/* ---------------------------------------------------------------------- */

static int avaya_sip_help(struct sk_buff *skb, unsigned int protoff,
			  struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	return NF_ACCEPT;
}

static const struct nf_conntrack_expect_policy sip_exp_policy = {
	.name		= "sip",
	.max_expected	= 32,
	.timeout	= 3 * 60,
};

/* END sip glue */

/* ---------------------------------------------------------------------- */
/* Registration                                                            */
/* ---------------------------------------------------------------------- */

static const struct nf_conntrack_expect_policy ras_exp_policy[AVAYA_EXP_RAS_MAX] = {
	[AVAYA_EXP_REVERSE] = {
		.name		= "reverse-q931",
		.max_expected	= RAS_MAX_REVERSE_EXPECT,
		.timeout	= 240,
	},
	[AVAYA_EXP_GCF] = {
		.name		= "gcf",
		.max_expected	= 4,
		.timeout	= 10,
	},
};

static void avaya_helper_setup(struct nf_conntrack_helper *h, u16 l3num,
			       u8 proto, const char *name, u16 port,
			       const struct nf_conntrack_expect_policy *pol,
			       unsigned int classes,
			       int (*help)(struct sk_buff *, unsigned int,
					   struct nf_conn *, enum ip_conntrack_info))
{
	strscpy(h->name, name, sizeof(h->name));
	h->me = THIS_MODULE;
	h->tuple.src.l3num = l3num;
	h->tuple.src.u.all = htons(port);
	h->tuple.dst.protonum = proto;
	h->expect_policy = pol;
	h->expect_class_max = classes - 1;
	h->help = help;
	h->data_len = sizeof(union avaya_master);
}

static void avaya_helpers_setup(void)
{
	static const u16 fam[2] = { NFPROTO_IPV4, NFPROTO_IPV6 };
	int f;

	for (f = 0; f < 2; f++) {
		avaya_helper_setup(&avaya_helpers[AVAYA_H_RAS4 + f], fam[f],
				   IPPROTO_UDP, HELPER_RAS, ras_port,
				   ras_exp_policy, AVAYA_EXP_RAS_MAX,
				   avaya_ras_help);
		avaya_helper_setup(&avaya_helpers[AVAYA_H_Q9314 + f], fam[f],
				   IPPROTO_TCP, HELPER_Q931, q931_port,
				   &call_exp_policy, 1, avaya_q931_help);
		/* H.245 is only ever assigned through expectations. */
		avaya_helper_setup(&avaya_helpers[AVAYA_H_H2454 + f], fam[f],
				   IPPROTO_TCP, HELPER_H245, 0,
				   &call_exp_policy, 1, avaya_h245_help);
		avaya_helper_setup(&avaya_helpers[AVAYA_H_SIP4 + f], fam[f],
				   IPPROTO_UDP, HELPER_SIP, sip_port,
				   &sip_exp_policy, 1, avaya_sip_help);
		avaya_helper_setup(&avaya_helpers[AVAYA_H_SIPT4 + f], fam[f],
				   IPPROTO_TCP, HELPER_SIP, sip_port,
				   &sip_exp_policy, 1, avaya_sip_help);
	}
}

static int __net_init avaya_net_init(struct net *net)
{
	struct avaya_net *an = net_generic(net, avaya_net_id);

	an->ctr = alloc_percpu(struct avaya_ctrs);
	if (!an->ctr)
		return -ENOMEM;
	if (!proc_create_net_single(KBUILD_MODNAME, 0444, net->proc_net,
				    avaya_counters_show, NULL)) {
		free_percpu(an->ctr);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit avaya_net_exit(struct net *net)
{
	struct avaya_net *an = net_generic(net, avaya_net_id);

	remove_proc_entry(KBUILD_MODNAME, net->proc_net);
	free_percpu(an->ctr);
}

static struct pernet_operations avaya_net_ops = {
	.init	= avaya_net_init,
	.exit	= avaya_net_exit,
	.id	= &avaya_net_id,
	.size	= sizeof(struct avaya_net),
};

static void __exit nf_conntrack_avaya_fini(void)
{
	nf_conntrack_helpers_unregister(avaya_helpers, ARRAY_SIZE(avaya_helpers));
	unregister_pernet_subsys(&avaya_net_ops);
}

static int __init nf_conntrack_avaya_init(void)
{
	int ret;

	ret = register_pernet_subsys(&avaya_net_ops);
	if (ret)
		return ret;
	avaya_helpers_setup();
	ret = nf_conntrack_helpers_register(avaya_helpers, ARRAY_SIZE(avaya_helpers));
	if (ret) {
		pr_err("failed to register helpers: %d\n", ret);
		unregister_pernet_subsys(&avaya_net_ops);
	}
	return ret;
}

module_init(nf_conntrack_avaya_init);
module_exit(nf_conntrack_avaya_fini);
