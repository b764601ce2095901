// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/* NAT for the Avaya H.323 (RAS, Q.931, H.245) and SIP connection tracking helpers. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/skbuff.h>
#include <linux/bitmap.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/string.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <net/ip.h>

#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_ecache.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_conntrack_seqadj.h>
#include <net/netfilter/nf_nat.h>
#include <net/netfilter/nf_nat_helper.h>

#include "avaya_rewrite.h"
#include "avaya_sip.h"
#include "nf_conntrack_avaya.h"

#define NAT_HELPER_NAME "avaya"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NAT helper for Avaya H.323 phones and SIP trunks");
MODULE_AUTHOR("The nf_conntrack_avaya authors");
MODULE_ALIAS_NF_NAT_HELPER(NAT_HELPER_NAME);

static struct nf_conntrack_nat_helper avaya_nat_helper =
	NF_CT_NAT_HELPER_INIT(NAT_HELPER_NAME);

/* ---------------------------------------------------------------------- */
/* Parameters                                                             */
/* ---------------------------------------------------------------------- */
/*
 * H.323 RAS behind SNAT/masquerade, IPv4 only (NAT66 is refused and
 * counted). The phones are on the original side of the RAS flow.
 *
 * nat_mode:
 *   auto     rewrite, except messages carrying H.235 (crypto)tokens: an
 *            integrity-protected message is forwarded byte-identical;
 *   rewrite  always rewrite (breaks H.235 integrity, the admin's choice);
 *   passive  never rewrite ("plain NAT" for a gatekeeper that does its own
 *            NAT handling, e.g. CM NAT shuffling).
 * The reverse signalling pinhole is NATed in every mode.
 *
 * Public signalling port plan, for many phones behind one address: a
 * registered phone keeps its public port for the life of its registration.
 * A new registration tries the phone's own callSignalAddress port, then
 * nat_sig_ports lo + jhash(private ip, port) mod size, then the next ports
 * of that range in order. A port is taken when another connection holds a
 * TCP expectation to the public address on it. Unrewritten messages
 * (passive, protected) can only use the phone's own port. When no port is
 * free the RRQ is dropped, counted (nat_refused_no_port) and logged: the
 * gatekeeper must never learn an address that leads nowhere.
 */
enum avaya_nat_mode { NAT_MODE_AUTO, NAT_MODE_REWRITE, NAT_MODE_PASSIVE };

static const char *const nat_mode_names[] = {
	[NAT_MODE_AUTO] = "auto",
	[NAT_MODE_REWRITE] = "rewrite",
	[NAT_MODE_PASSIVE] = "passive",
};

static unsigned int nat_mode __read_mostly = NAT_MODE_AUTO;

static int nat_mode_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(nat_mode_names, val);

	if (i < 0)
		return i;
	WRITE_ONCE(nat_mode, i);
	return 0;
}

static int nat_mode_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%s\n",
			 nat_mode_names[READ_ONCE(nat_mode)]);
}

static const struct kernel_param_ops nat_mode_ops = {
	.set = nat_mode_set,
	.get = nat_mode_get,
};
module_param_cb(nat_mode, &nat_mode_ops, NULL, 0644);
MODULE_PARM_DESC(nat_mode, "auto (default: rewrite RAS unless H.235-protected), rewrite (always) or passive (never; pinholes are NATed all the same)");

/* The range of the port plan, lo << 16 | hi; at most NAT_PLAN_MAX ports. */
#define NAT_PLAN_MAX	1024
static u32 nat_sig_ports __read_mostly = (11720U << 16) | 12743U;

static int nat_sig_ports_set(const char *val, const struct kernel_param *kp)
{
	u32 range;
	int ret = avaya_port_range_parse(val, &range);

	if (ret)
		return ret;
	/* Port 0 cannot be a public port, and the plan is probed linearly. */
	if (!(range >> 16) || (range & 0xffff) - (range >> 16) + 1 > NAT_PLAN_MAX)
		return -EINVAL;
	WRITE_ONCE(nat_sig_ports, range);
	return 0;
}

static int nat_sig_ports_get(char *buf, const struct kernel_param *kp)
{
	return avaya_port_range_show(buf, READ_ONCE(nat_sig_ports));
}

static const struct kernel_param_ops nat_sig_ports_ops = {
	.set = nat_sig_ports_set,
	.get = nat_sig_ports_get,
};
module_param_cb(nat_sig_ports, &nat_sig_ports_ops, NULL, 0644);
MODULE_PARM_DESC(nat_sig_ports, "Public call signalling ports for phones whose own port is taken, lo-hi, at most 1024 (default 11720-12743)");

/*
 * Public media port claims (see "Media pinholes on a public address"):
 * how long a pair stays with its endpoint after its last pinhole was
 * announced, and how many pairs one inside host may hold.
 */
#define NAT_PUB_CLAIMS		65536
static unsigned int nat_claim_hold __read_mostly = 600;
static unsigned int nat_claims_per_host __read_mostly = 4096;

static int nat_bounded_set(const char *val, const struct kernel_param *kp,
			   unsigned int lo, unsigned int hi)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	if (v < lo || v > hi)
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static int nat_claim_hold_set(const char *val, const struct kernel_param *kp)
{
	return nat_bounded_set(val, kp, 10, 86400);
}

static int nat_claims_per_host_set(const char *val,
				   const struct kernel_param *kp)
{
	return nat_bounded_set(val, kp, 1, NAT_PUB_CLAIMS);
}

static const struct kernel_param_ops nat_claim_hold_ops = {
	.set = nat_claim_hold_set,
	.get = param_get_uint,
};
module_param_cb(nat_claim_hold, &nat_claim_hold_ops, &nat_claim_hold, 0644);
MODULE_PARM_DESC(nat_claim_hold, "Seconds a NATed media port pair stays reserved for its endpoint after its last use, 10-86400 (default 600; never less than the pinhole's own lifetime + 60)");

static const struct kernel_param_ops nat_claims_per_host_ops = {
	.set = nat_claims_per_host_set,
	.get = param_get_uint,
};
module_param_cb(nat_claims_per_host, &nat_claims_per_host_ops,
		&nat_claims_per_host, 0644);
MODULE_PARM_DESC(nat_claims_per_host, "Public media port pairs one inside host may hold at once, 1-65536 (default 4096)");

/* ---------------------------------------------------------------------- */
/* H.323: RAS and calls                                                   */
/* ---------------------------------------------------------------------- */

static struct avaya_ras_master *nat_ras_master(const struct nf_conn *ct)
{
	union avaya_master *am = nfct_help_data(ct);

	return &am->ras;
}

/* Whether nat_mode leaves a message (H.235 tokens: @h235) unrewritten. */
static bool nat_leaves_untouched(bool h235)
{
	switch (READ_ONCE(nat_mode)) {
	case NAT_MODE_REWRITE:
		return false;
	case NAT_MODE_PASSIVE:
		return true;
	default:
		return h235;
	}
}

static bool nat_protected(const struct avaya_ras *m)
{
	return nat_leaves_untouched(m->has_tokens || m->has_crypto_tokens);
}

struct nat_port_scan {
	const struct nf_conn *self;
	__be32 pub;
	u16 own, lo, hi;
	bool own_used;
	unsigned long *used;
};

/* Read-only walk: notes the public ports other connections expect on. */
static bool nat_port_scan(struct nf_conntrack_expect *exp, void *data)
{
	struct nat_port_scan *s = data;
	u16 port;

	if (exp->master == s->self || exp->tuple.src.l3num != NFPROTO_IPV4 ||
	    exp->tuple.dst.protonum != IPPROTO_TCP ||
	    exp->tuple.dst.u3.ip != s->pub)
		return false;
	port = ntohs(exp->tuple.dst.u.tcp.port);
	if (port == s->own)
		s->own_used = true;
	if (port >= s->lo && port <= s->hi)
		__set_bit(port - s->lo, s->used);
	return false;
}

/* The port plan documented above; 0 when the phone cannot be served. */
static u16 nat_choose_port(struct nf_conn *ct, __be32 priv, __be32 pub,
			   u16 own, bool own_only)
{
	DECLARE_BITMAP(used, NAT_PLAN_MAX);
	u32 range = READ_ONCE(nat_sig_ports);
	struct nat_port_scan s = {
		.self = ct, .pub = pub, .own = own,
		.lo = range >> 16, .hi = range & 0xffff, .used = used,
	};
	unsigned int attempt;
	u32 hash;
	u16 p;

	bitmap_zero(used, NAT_PLAN_MAX);
	nf_ct_expect_iterate_net(nf_ct_net(ct), nat_port_scan, &s, 0, 0);
	if (!s.own_used)
		return own;
	if (own_only)
		return 0;
	hash = jhash_2words((__force u32)priv, own, 0x4e415450);
	for (attempt = 1; (p = avaya_nat_port_candidate(own, hash, s.lo, s.hi,
							attempt)); attempt++)
		if (p != own && !test_bit(p - s.lo, used))
			return p;
	return 0;
}

static int nat_patch(struct sk_buff *skb, struct nf_conn *ct,
		     enum ip_conntrack_info ctinfo, unsigned int protoff,
		     unsigned char **data, unsigned int len,
		     const struct avaya_taddr *a, __be32 ip, u16 port)
{
	u8 rep[AVAYA_TADDR_MAX_REP];
	int n = avaya_taddr_rep(a, len, (const u8 *)&ip, port, rep);

	if (n < 0)
		return NF_ACCEPT;
	if (!nf_nat_mangle_udp_packet(skb, ct, ctinfo, protoff, a->off, n,
				      rep, n)) {
		nf_ct_helper_log(skb, ct, "cannot rewrite RAS address");
		return NF_DROP;
	}
	/* Mangling may have moved the (linear) data. */
	*data = skb->data + protoff + sizeof(struct udphdr);
	return NF_ACCEPT;
}

struct nat_map {
	__be32 from_ip, to_ip;
	u16 from_port, to_port;
};

/* Rewrites every address of @a[0..n) that is @map->from. */
static int nat_patch_list(struct sk_buff *skb, struct nf_conn *ct,
			  enum ip_conntrack_info ctinfo, unsigned int protoff,
			  unsigned char **data, unsigned int len,
			  const struct avaya_taddr *a, unsigned int n,
			  const struct nat_map *map, unsigned int *done)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		if (a[i].family != 4 || a[i].port != map->from_port ||
		    memcmp(a[i].ip, &map->from_ip, 4))
			continue;
		ret = nat_patch(skb, ct, ctinfo, protoff, data, len, &a[i],
				map->to_ip, map->to_port);
		if (ret != NF_ACCEPT)
			return ret;
		(*done)++;
	}
	return NF_ACCEPT;
}

/* The phone's callSignalAddress in an RRQ: the first one of its own. */
static const struct avaya_taddr *nat_own_csa(const struct avaya_ras *m,
					     __be32 priv)
{
	unsigned int i;

	for (i = 0; i < m->n_csa; i++)
		if (m->csa[i].family == 4 && !memcmp(m->csa[i].ip, &priv, 4))
			return &m->csa[i];
	return NULL;
}

/* RRQ: fix the public signalling port the gatekeeper will learn. */
static int nat_rrq_port(struct nf_conn *ct, const struct avaya_ras *m,
			__be32 priv, __be32 pub, bool rewrite)
{
	struct avaya_ras_master *rm = nat_ras_master(ct);
	const struct avaya_taddr *csa = nat_own_csa(m, priv);
	u16 port;

	if (!csa)
		return NF_ACCEPT;
	/*
	 * The plan walks the netns expectation table: once per registration
	 * and signalling port. Repeated RRQs (a phone retrying before its
	 * RCF, or an inside host flooding) reuse the port already chosen; a
	 * refused pinhole clears it (avaya_nat_expect), and after URQ/RRJ
	 * (idle) the next RRQ plans anew.
	 */
	if (rm->nat_port && rm->state != AVAYA_RAS_IDLE &&
	    ntohs(rm->csa_port) == csa->port)
		return NF_ACCEPT;
	port = nat_choose_port(ct, priv, pub, csa->port, !rewrite);
	rm->nat_port = htons(port);
	if (port)
		return NF_ACCEPT;
	avaya_count(nf_ct_net(ct), AVAYA_CTR_NAT_REFUSED);
	avaya_refused(ct, AVAYA_CTR_NAT_REFUSED_NO_PORT,
		      "no public signalling port for %pI4:%u on %pI4, registration refused",
		      &priv, csa->port, &pub);
	/* Unrewritten, the message cannot mislead anyone: let it pass. */
	return rewrite ? NF_DROP : NF_ACCEPT;
}

static int avaya_nat_ras(struct sk_buff *skb, struct nf_conn *ct,
			 enum ip_conntrack_info ctinfo, unsigned int protoff,
			 unsigned char **data, unsigned int *len,
			 const struct avaya_ras *m)
{
	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct nf_conntrack_tuple *repl = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	struct avaya_ras_master *rm = nat_ras_master(ct);
	const struct net *net = nf_ct_net(ct);
	const struct avaya_taddr *own;
	struct nat_map ras, csa;
	unsigned int done = 0;
	bool rewrite;
	int ret;

	if (nf_ct_l3num(ct) != NFPROTO_IPV4) {
		avaya_count(net, AVAYA_CTR_NAT_REFUSED);
		avaya_count(net, AVAYA_CTR_NAT_REFUSED_IPV6);
		return NF_ACCEPT;
	}
	/* Only phones behind source NAT; a NATed gatekeeper is not handled. */
	if (!(ct->status & IPS_SRC_NAT) || !m->decoded)
		return NF_ACCEPT;
	rewrite = !nat_protected(m);
	if (!rewrite && (m->has_tokens || m->has_crypto_tokens))
		avaya_refused(ct, AVAYA_CTR_NAT_RAS_PROTECTED_UNTOUCHED,
			      "H.235-protected RAS left unrewritten (nat_mode=auto)");

	ras = (struct nat_map){ orig->src.u3.ip, repl->dst.u3.ip,
				ntohs(orig->src.u.udp.port),
				ntohs(repl->dst.u.udp.port) };
	csa = (struct nat_map){ rm->csa.ip, repl->dst.u3.ip,
				ntohs(rm->csa_port), ntohs(rm->nat_port) };
	if (CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL && m->type == RAS_RRQ) {
		ret = nat_rrq_port(ct, m, orig->src.u3.ip, repl->dst.u3.ip,
				   rewrite);
		if (ret != NF_ACCEPT)
			return ret;
		own = nat_own_csa(m, orig->src.u3.ip);
		if (own)
			csa = (struct nat_map){ orig->src.u3.ip,
						repl->dst.u3.ip, own->port,
						ntohs(rm->nat_port) };
	}
	if (!rewrite)
		return NF_ACCEPT;
	if (CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY) {
		swap(ras.from_ip, ras.to_ip);
		swap(ras.from_port, ras.to_port);
		swap(csa.from_ip, csa.to_ip);
		swap(csa.from_port, csa.to_port);
	}
	ret = nat_patch_list(skb, ct, ctinfo, protoff, data, *len, m->ras,
			     m->n_ras, &ras, &done);
	if (ret == NF_ACCEPT && csa.from_port && csa.to_port)
		ret = nat_patch_list(skb, ct, ctinfo, protoff, data, *len,
				     m->csa, m->n_csa, &csa, &done);
	if (done)
		avaya_count(net, AVAYA_CTR_NAT_RAS_REWRITTEN);
	return ret;
}

/*
 * The gatekeeper reaches the phone at the public address: only the
 * destination moves, to the private address the expectation saved.
 */
static void avaya_nat_to_phone(struct nf_conn *new,
			       struct nf_conntrack_expect *exp)
{
	struct nf_nat_range2 range = {};

	/*
	 * First its helper and, for a call's pinhole, the call's note that it
	 * has a flow: NAT adds the sequence adjustment only to a flow that
	 * has a helper. H.323 rewrites in place, but a ctnetlink copy may
	 * give this function to a SIP over TCP master's pinhole.
	 */
	avaya_expected(new, exp);

	range.flags = NF_NAT_RANGE_MAP_IPS;
	range.min_addr = new->tuplehash[IP_CT_DIR_ORIGINAL].tuple.src.u3;
	range.max_addr = range.min_addr;
	nf_nat_setup_info(new, &range, NF_NAT_MANIP_SRC);

	range.flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED;
	range.min_proto = exp->saved_proto;
	range.max_proto = exp->saved_proto;
	range.min_addr = exp->saved_addr;
	range.max_addr = exp->saved_addr;
	nf_nat_setup_info(new, &range, NF_NAT_MANIP_DST);
}

static struct nf_ct_helper_expectfn avaya_nat_expectfn = {
	.name		= "avaya-ras-nat",
	.expectfn	= avaya_nat_to_phone,
};

/* The public port an expectation to the phone's private @port maps to. */
static u16 nat_public_port(const struct nf_conn *ct,
			   const struct nf_conntrack_expect *exp, u16 port)
{
	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	struct avaya_ras_master *rm = nat_ras_master(ct);

	if (exp->tuple.dst.u3.ip != orig->src.u3.ip)
		return 0;
	if (exp->class == AVAYA_EXP_REVERSE)
		return port == ntohs(rm->csa_port) ? ntohs(rm->nat_port) : 0;
	/* The unicast GCF goes to the rasAddress, i.e. the mapped source. */
	if (exp->class == AVAYA_EXP_GCF && port == ntohs(orig->src.u.udp.port))
		return ntohs(ct->tuplehash[IP_CT_DIR_REPLY].tuple.dst.u.udp.port);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Media pinholes on a public address                                     */
/* ---------------------------------------------------------------------- */
/*
 * One public port leads to one private endpoint, whatever the pinhole's
 * source. The core refuses only equal expectations (the source included),
 * so two phones behind one address could otherwise each hold a pinhole
 * gw -> pub:P once both are moved to the same media gateway (an H.323
 * channel moves in place, a SIP stream is re-inserted from the answer's
 * address): the media of two calls would cross.
 *
 * So every public port pair (RTP even, RTCP odd: 2k, 2k+1) that one of
 * our NATed media pinholes uses is claimed for its endpoint (master,
 * private address, private port pair; a registration's without the
 * master) for nat_claim_hold, and never less than the pinhole may wait; a
 * pair claimed for another endpoint is not used.
 * Claim and insertion happen under nat_pub_lock, so two CPUs cannot take
 * one pair, and an RTCP port implied as RTP + 1 is never another phone's.
 * A claim outliving its pinholes only makes a pair look taken. Lookups
 * cost one hash bucket (a walk over all expectations per pinhole would let
 * an inside host pin a CPU with the expectation lock held). At most
 * NAT_PUB_CLAIMS claims, and nat_claims_per_host for one inside host (net,
 * private address; each host keeps a list of its own, so pruning it walks
 * no more), so that one address announcing media in a loop cannot take
 * every other host's NATed media for the hold: beyond, the pinhole is
 * refused and counted. Pairs the endpoint already holds cost nothing.
 * Pinholes NATed elsewhere (other helpers, a flow moved in place onto a
 * tuple someone else holds) are caught where the move happens.
 */
#define NAT_PUB_HASH_BITS	12
#define NAT_HOST_HASH_BITS	10
/* Beyond the pinhole's own lifetime: its flow is set up by then. */
#define NAT_PUB_MARGIN		(60 * HZ)

/* The claims one inside host holds. */
struct nat_pub_host {
	struct hlist_node node;
	struct hlist_head claims;
	const struct net *net;		/* compared only */
	union nf_inet_addr priv;
	unsigned int count;
	unsigned long pruned;
};

struct nat_pub_claim {
	struct hlist_node node;
	struct hlist_node hnode;	/* in its host's claims */
	struct nat_pub_host *host;
	const struct net *net;		/* compared only */
	const struct nf_conn *master;	/* compared only */
	union nf_inet_addr pub;
	union nf_inet_addr priv;
	u16 pair;			/* public port >> 1 */
	u16 priv_pair;			/* private port >> 1 */
	u8 proto;
	bool reg;			/* a SIP registration's */
	unsigned long expires;
};

/* The endpoint a pinhole (or a SIP RTP/RTCP couple) leads to. */
struct nat_pub_key {
	const struct net *net;
	const struct nf_conn *master;
	union nf_inet_addr pub;
	union nf_inet_addr priv;
	union nf_inet_addr host;	/* whose quota: priv, an IPv6 one's /64 */
	u16 priv_pair[2];		/* RTP's and RTCP's */
	u8 proto;
	bool reg;
};

/* What nat_pub_reserve() allocates before anything is inserted. */
struct nat_pub_spare {
	struct nat_pub_claim *claim[2];
	struct nat_pub_host *host;
};

static DEFINE_SPINLOCK(nat_pub_lock);
static DEFINE_HASHTABLE(nat_pub_claims, NAT_PUB_HASH_BITS);
static DEFINE_HASHTABLE(nat_pub_hosts, NAT_HOST_HASH_BITS);
static unsigned int nat_pub_count;	/* the rest under nat_pub_lock too */
static unsigned long nat_pub_pruned;
static u32 nat_pub_seed __read_mostly;

static void nat_pub_key_init(struct nat_pub_key *k, struct nf_conn *ct,
			     const struct nf_conntrack_expect *exp,
			     const struct nf_conntrack_expect *rtcp)
{
	k->net = nf_ct_net(ct);
	k->master = ct;
	k->pub = exp->tuple.dst.u3;	/* the whole address: NAT66 too */
	k->priv = exp->saved_addr;
	/*
	 * An IPv6 host has a /64 of addresses of its own (SLAAC, privacy
	 * addresses), none of them spoofed: its quota is the prefix's. Words
	 * 2 and 3 of an IPv4 address are zero already.
	 */
	k->host = k->priv;
	k->host.all[2] = 0;
	k->host.all[3] = 0;
	k->priv_pair[0] = ntohs(exp->saved_proto.all) >> 1;
	k->priv_pair[1] = rtcp ? ntohs(rtcp->saved_proto.all) >> 1 :
				 k->priv_pair[0];
	k->proto = exp->tuple.dst.protonum;
	k->reg = false;
}

static u32 nat_pub_hash(const struct nat_pub_key *k, u16 pair)
{
	return jhash2((const u32 *)k->pub.all, ARRAY_SIZE(k->pub.all),
		      jhash_2words((u32)(unsigned long)k->net,
				   (u32)k->proto << 16 | pair, nat_pub_seed));
}

static u32 nat_host_hash(const struct net *net, const union nf_inet_addr *priv)
{
	return jhash2((const u32 *)priv->all, ARRAY_SIZE(priv->all),
		      jhash_1word((u32)(unsigned long)net, nat_pub_seed));
}

static struct nat_pub_host *nat_host_find(const struct net *net,
					  const union nf_inet_addr *priv)
{
	struct nat_pub_host *h;

	lockdep_assert_held(&nat_pub_lock);
	hash_for_each_possible(nat_pub_hosts, h, node,
			       nat_host_hash(net, priv))
		if (h->net == net && nf_inet_addr_cmp(&h->priv, priv))
			return h;
	return NULL;
}

/* @c's host gives it back; the last claim frees the host. */
static void nat_host_put(struct nat_pub_claim *c)
{
	struct nat_pub_host *h = c->host;

	c->host = NULL;
	if (!h)
		return;
	hlist_del(&c->hnode);
	if (--h->count)
		return;
	hash_del(&h->node);
	kfree(h);
}

/* @k's host, from @spare when it has no claim yet, counts one more. */
static void nat_host_get(struct nat_pub_claim *c, const struct nat_pub_key *k,
			 struct nat_pub_spare *spare)
{
	struct nat_pub_host *h = nat_host_find(k->net, &k->host);

	if (!h) {
		h = spare->host;	/* reserved with the claim */
		spare->host = NULL;
		INIT_HLIST_HEAD(&h->claims);
		h->net = k->net;
		h->priv = k->host;
		h->count = 0;
		h->pruned = jiffies - HZ;
		hash_add(nat_pub_hosts, &h->node,
			 nat_host_hash(k->net, &k->host));
	}
	h->count++;
	hlist_add_head(&c->hnode, &h->claims);
	c->host = h;
}

static void nat_pub_drop(struct nat_pub_claim *c)
{
	nat_host_put(c);
	hash_del(&c->node);
	kfree(c);
	nat_pub_count--;
}

/* The live claim on @pair; expired ones met on the way are dropped. */
static struct nat_pub_claim *nat_pub_find(const struct nat_pub_key *k,
					  u16 pair)
{
	struct nat_pub_claim *c;
	struct hlist_node *tmp;

	lockdep_assert_held(&nat_pub_lock);
	hash_for_each_possible_safe(nat_pub_claims, c, tmp, node,
				    nat_pub_hash(k, pair)) {
		if (time_after_eq(jiffies, c->expires)) {
			nat_pub_drop(c);
			continue;
		}
		if (c->net == k->net && nf_inet_addr_cmp(&c->pub, &k->pub) &&
		    c->proto == k->proto && c->pair == pair)
			return c;
	}
	return NULL;
}

/*
 * Whether public @port may lead to @k's endpoint. A registration's claim
 * follows its private address and port, not its flow: a phone that
 * registers again on a new connection (TCP/TLS reconnect, new source port)
 * finds its port still its own.
 */
static bool nat_pub_free(const struct nat_pub_key *k, unsigned int port)
{
	const struct nat_pub_claim *c;

	if (!port || port > 65535)
		return false;
	c = nat_pub_find(k, port >> 1);
	return !c || ((c->master == k->master || (c->reg && k->reg)) &&
		      nf_inet_addr_cmp(&c->priv, &k->priv) &&
		      (c->priv_pair == k->priv_pair[0] ||
		       c->priv_pair == k->priv_pair[1]));
}

/* Claims a pinhole on @port (and @rtcp_port, 0: none) adds: unclaimed pairs. */
static unsigned int nat_pub_need(const struct nat_pub_key *k,
				 unsigned int port, unsigned int rtcp_port)
{
	unsigned int n = !nat_pub_find(k, port >> 1);

	if (rtcp_port && rtcp_port >> 1 != port >> 1)
		n += !nat_pub_find(k, rtcp_port >> 1);
	return n;
}

/* At the limit: every expired claim goes, at most once a second. */
static void nat_pub_prune(void)
{
	struct nat_pub_claim *c;
	struct hlist_node *tmp;
	unsigned int b;

	if (nat_pub_pruned && time_before(jiffies, nat_pub_pruned + HZ))
		return;
	nat_pub_pruned = jiffies;
	hash_for_each_safe(nat_pub_claims, b, tmp, c, node)
		if (time_after_eq(jiffies, c->expires))
			nat_pub_drop(c);
}

/*
 * @h's expired claims go, at most once a second per host: the walk is
 * bounded by nat_claims_per_host, not by the whole table. False when @h
 * itself went with its last claim.
 */
static bool nat_host_prune(struct nat_pub_host *h)
{
	struct nat_pub_claim *c;
	struct hlist_node *tmp;

	if (time_before(jiffies, h->pruned + HZ))
		return true;
	h->pruned = jiffies;
	hlist_for_each_entry_safe(c, tmp, &h->claims, hnode) {
		bool last = h->count == 1;

		if (time_before(jiffies, c->expires))
			continue;
		nat_pub_drop(c);
		if (last)
			return false;
	}
	return true;
}

static void nat_pub_spare_free(struct nat_pub_spare *spare)
{
	kfree(spare->claim[0]);
	kfree(spare->claim[1]);
	kfree(spare->host);
	memset(spare, 0, sizeof(*spare));
}

/*
 * Whether @need new claims fit: 0, -ENOSPC (all claims taken) or -EDQUOT
 * (@k's host holds nat_claims_per_host). Pairs the endpoint holds already
 * cost nothing, so re-announcements and RTP/RTCP on one pair are free.
 */
static int nat_pub_room(const struct nat_pub_key *k, unsigned int need)
{
	unsigned int quota = READ_ONCE(nat_claims_per_host);
	struct nat_pub_host *h;

	if (!need)
		return 0;
	if (nat_pub_count + need > NAT_PUB_CLAIMS)
		nat_pub_prune();
	if (nat_pub_count + need > NAT_PUB_CLAIMS)
		return -ENOSPC;
	h = nat_host_find(k->net, &k->host);
	if (h && h->count + need > quota && !nat_host_prune(h))
		h = NULL;
	return (h ? h->count : 0) + need > quota ? -EDQUOT : 0;
}

/*
 * @n claims and a host, allocated before the lock's loop: a pinhole
 * inserted without its claim could be shared. 0 or -ENOMEM (then nothing
 * is kept: no claim is ever made without its host).
 */
static int nat_pub_reserve(struct nat_pub_spare *spare, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		spare->claim[i] = kmalloc(sizeof(*spare->claim[i]), GFP_ATOMIC);
	spare->host = kmalloc(sizeof(*spare->host), GFP_ATOMIC);
	if (spare->host && spare->claim[0] && (n < 2 || spare->claim[1]))
		return 0;
	nat_pub_spare_free(spare);
	return -ENOMEM;
}

/* The reserved claim not used yet, if any. */
static struct nat_pub_claim *nat_pub_spare_take(struct nat_pub_spare *spare)
{
	struct nat_pub_claim **c = spare->claim[0] ? &spare->claim[0] :
						     &spare->claim[1];
	struct nat_pub_claim *ret = *c;

	*c = NULL;
	return ret;
}

/*
 * Claims @port's pair for the endpoint @k's private @priv_port belongs to,
 * for nat_claim_hold and at least as long as the pinhole may wait
 * (@lifetime, jiffies) plus NAT_PUB_MARGIN: a registration lives for its
 * expiry, a claim lapsing before it would give its port to another host.
 */
static void nat_pub_claim(const struct nat_pub_key *k, unsigned int port,
			  u16 priv_port, unsigned long lifetime,
			  struct nat_pub_spare *spare)
{
	struct nat_pub_claim *c = nat_pub_find(k, port >> 1);
	unsigned long hold = max_t(unsigned long,
				   READ_ONCE(nat_claim_hold) * HZ,
				   lifetime + NAT_PUB_MARGIN);

	if (!c) {
		c = nat_pub_spare_take(spare);
		if (!c)
			return;
		c->net = k->net;
		c->pub = k->pub;
		c->proto = k->proto;
		c->pair = port >> 1;
		c->host = NULL;
		c->expires = jiffies;
		hash_add(nat_pub_claims, &c->node, nat_pub_hash(k, c->pair));
		nat_pub_count++;
		nat_host_get(c, k, spare);
	}
	c->master = k->master;
	c->reg = k->reg;
	c->priv = k->priv;
	c->priv_pair = priv_port >> 1;
	if (time_before(c->expires, jiffies + hold))
		c->expires = jiffies + hold;
}

/* The claims of @net (NULL: all) go. */
static void nat_pub_flush(const struct net *net)
{
	struct nat_pub_claim *c;
	struct hlist_node *tmp;
	unsigned int b;

	spin_lock_bh(&nat_pub_lock);
	hash_for_each_safe(nat_pub_claims, b, tmp, c, node)
		if (!net || c->net == net)
			nat_pub_drop(c);
	spin_unlock_bh(&nat_pub_lock);
}

/*
 * A namespace that goes takes its claims along: they compare its address
 * only, and a new namespace allocated there must not inherit them.
 */
static void __net_exit nat_pub_net_exit(struct net *net)
{
	nat_pub_flush(net);
}

static struct pernet_operations nat_pub_net_ops = {
	.exit = nat_pub_net_exit,
};

/*
 * Calls through NAT (Q.931, tunnelled and standalone H.245), IPv4 only.
 * The sender of a message is NATed when the address its peer sees is not
 * its own. A pinhole to an address of its own (h245Address, mediaChannel,
 * mediaControlChannel) is opened on the public address, on the private
 * port when free (a random one above it else, see nat_pub_lock), and NATed to the private
 * address; then the message is patched in place to announce exactly that.
 * A pinhole toward the other party admits the NATed sender's own address:
 * its traffic leaves as a normal masqueraded flow.
 *
 * A Q.931 message with H.235 tokens or cryptoTokens in its UUIE is left
 * byte-identical by nat_mode auto (its integrity check covers it), as is
 * every message in passive mode: its pinholes are NATed all the same, on
 * the announced port itself, since that is what the far side will use
 * with the public address it sees. Setup's sourceCallSignalAddress, when
 * the sender's own, becomes the public end of this connection (what the
 * far side sees it connect from). H.245 carries no tokens.
 *
 * The ports chosen here travel forward through the conntrack glue to the
 * rewrite (struct avaya_call_ports); the list walk below only serves an
 * address announced again, which keeps its port (its pinhole is refreshed).
 * It returns the public port of @ct's NATed pinhole to @ip:@port, 0 if none.
 */
static u16 nat_call_existing_port(struct nf_conn *ct, u8 proto, __be32 ip,
				  __be16 port)
{
	struct nf_conn_help *help = nfct_help(ct);
	struct nf_conntrack_expect *exp;
	u16 pub = 0;

	spin_lock_bh(&nf_conntrack_expect_lock);
	hlist_for_each_entry(exp, &help->expectations, lnode) {
		if (exp->expectfn == avaya_nat_to_phone &&
		    exp->tuple.dst.protonum == proto &&
		    exp->saved_addr.ip == ip && exp->saved_proto.all == port) {
			pub = ntohs(exp->tuple.dst.u.all);
			break;
		}
	}
	spin_unlock_bh(&nf_conntrack_expect_lock);
	return pub;
}

/*
 * The public port to try first: the one a re-announced address has already
 * (the expectation is then refreshed, not doubled), RTCP next to its RTP
 * (*@follows: then only there, the peer may send RTCP to RTP + 1 unasked).
 */
static u16 nat_call_first_port(struct nf_conn *ct,
			       const struct nf_conntrack_expect *exp,
			       bool *follows)
{
	u8 proto = exp->tuple.dst.protonum;
	u16 own = ntohs(exp->saved_proto.all), rtp;

	*follows = false;
	rtp = nat_call_existing_port(ct, proto, exp->saved_addr.ip,
				     exp->saved_proto.all);
	if (rtp)
		return rtp;
	if (proto == IPPROTO_UDP && (own & 1)) {
		rtp = nat_call_existing_port(ct, proto, exp->saved_addr.ip,
					     htons(own - 1));
		if (rtp && rtp < 65535) {
			*follows = true;
			return rtp + 1;
		}
	}
	return own;
}

#define NAT_CALL_PORT_TRIES	128

/*
 * How long @exp may wait: the timeout of its class in the master's helper,
 * which the core gives it at insertion (RCU: we run in its packet path).
 */
static unsigned long nat_exp_wait(const struct nf_conn *ct,
				  const struct nf_conntrack_expect *exp)
{
	const struct nf_conn_help *help = nfct_help(ct);
	const struct nf_conntrack_helper *h;

	h = help ? rcu_dereference(help->helper) : NULL;
	if (!h || exp->class > h->expect_class_max)
		return 0;
	return h->expect_policy[exp->class].timeout * HZ;
}

/* A media pinhole with no public port: why, counted and logged. */
static void nat_claim_refused(struct nf_conn *ct, int err,
			      const union nf_inet_addr *pub,
			      const union nf_inet_addr *priv, u16 own)
{
	unsigned int quota = READ_ONCE(nat_claims_per_host);

	if (err == -EDQUOT && nf_ct_l3num(ct) == NFPROTO_IPV6) {
		avaya_refused(ct, AVAYA_CTR_NAT_REFUSED_HOST_CLAIMS,
			      "%pI6c holds nat_claims_per_host (%u) public media port pairs on %pI6c, [%pI6c]:%u refused",
			      &priv->in6, quota, &pub->in6, &priv->in6, own);
		return;
	}
	if (err == -EDQUOT) {
		avaya_refused(ct, AVAYA_CTR_NAT_REFUSED_HOST_CLAIMS,
			      "%pI4 holds nat_claims_per_host (%u) public media port pairs on %pI4, %pI4:%u refused",
			      &priv->ip, quota, &pub->ip, &priv->ip, own);
		return;
	}
	avaya_refused(ct, AVAYA_CTR_NAT_REFUSED_PORT_TAKEN,
		      "no public port on %pI4 for %pI4:%u%s", &pub->ip, &priv->ip,
		      own,
		      err == -ENOSPC ? " (port claims full)" :
		      err == -ENOMEM ? " (out of memory)" : "");
}

/*
 * A random public port of @parity in 1024-65535, whatever the private port:
 * pairs a hostile inside host claimed around (or above) a victim's private
 * port cannot make it run out of tries.
 */
static unsigned int nat_random_port(unsigned int parity)
{
	return 1024 + 2 * (get_random_u32() % ((65536 - 1024) / 2)) +
	       (parity & 1);
}

/*
 * Inserts @exp on public port @first, else (unless @fixed) on random ones
 * of the same parity (nat_random_port()), skipping
 * pairs claimed for another endpoint. A host at nat_claims_per_host (or a
 * full table) gets no new pair. @passive: @first is the only port and is
 * taken even when claimed or without room, unclaimed (the phone announced
 * it unrewritten); the move of such a pinhole is checked where it happens.
 */
static int nat_call_insert_public(struct nf_conn *ct,
				  struct nf_conntrack_expect *exp,
				  u16 first, u16 own, bool fixed, bool passive)
{
	unsigned long lifetime = nat_exp_wait(ct, exp);
	struct nat_pub_spare spare = {};
	unsigned int port = first, i;
	struct nat_pub_key k;
	int ret;

	nat_pub_key_init(&k, ct, exp, NULL);
	if (nat_pub_reserve(&spare, 1))
		return -ENOMEM;
	spin_lock_bh(&nat_pub_lock);
	ret = -EBUSY;
	for (i = 0; i < NAT_CALL_PORT_TRIES; i++) {
		bool free = nat_pub_free(&k, port);
		int room = free ? nat_pub_room(&k, nat_pub_need(&k, port, 0)) : 0;

		if (room && !passive) {
			ret = room;
			break;
		}
		if (free || passive) {
			exp->tuple.dst.u.all = htons(port);
			ret = nf_ct_expect_related(exp, 0);
			if (!ret && free && !room)
				nat_pub_claim(&k, port, own, lifetime, &spare);
			if (ret != -EBUSY)
				break;
		}
		if (fixed || passive)
			break;
		port = nat_random_port(own);
	}
	spin_unlock_bh(&nat_pub_lock);
	nat_pub_spare_free(&spare);
	return ret;
}

/*
 * @h235: the announcing message carries H.235 tokens. When nat_mode=auto
 * leaves it unrewritten, its pinhole can only be on the announced port,
 * and only when that pair is free for this endpoint and within its quota:
 * unlike nat_mode=passive (the admin's choice), setting a token bit is in
 * any inside host's hands, and must not let it take another's public port.
 */
static int nat_call_expect_public(struct nf_conn *ct, int dir,
				  struct nf_conntrack_expect *exp, bool h235,
				  u16 *pub)
{
	const struct nf_conntrack_tuple *r = &ct->tuplehash[!dir].tuple;
	const struct net *net = nf_ct_net(ct);
	bool passive = READ_ONCE(nat_mode) == NAT_MODE_PASSIVE;
	bool as_announced = passive || nat_leaves_untouched(h235);
	u16 own = ntohs(exp->tuple.dst.u.all), first = own;
	bool follows = false;
	int ret;

	exp->saved_addr = exp->tuple.dst.u3;
	exp->saved_proto.all = exp->tuple.dst.u.all;
	exp->dir = !dir;
	exp->expectfn = avaya_nat_to_phone;
	exp->tuple.dst.u3 = r->dst.u3;
	if (!as_announced)
		first = nat_call_first_port(ct, exp, &follows);
	ret = nat_call_insert_public(ct, exp, first, own,
				     follows || as_announced, passive);
	if (!ret) {
		*pub = ntohs(exp->tuple.dst.u.all);
		avaya_count(net, AVAYA_CTR_NAT_PINHOLE_EXPECTATIONS);
		return 0;
	}
	if (ret == -EBUSY || ret == -ENOSPC || ret == -EDQUOT ||
	    ret == -ENOMEM) {
		avaya_count(net, AVAYA_CTR_NAT_REFUSED);
		nat_claim_refused(ct, ret, &r->dst.u3, &exp->saved_addr,
				  own);
		ret = -EBUSY;
	}
	return ret;
}

static int avaya_nat_call_expect(struct nf_conn *ct,
				 enum ip_conntrack_info ctinfo,
				 struct nf_conntrack_expect *exp, bool h235,
				 u16 *pub)
{
	int dir = CTINFO2DIR(ctinfo);
	const struct nf_conntrack_tuple *t = &ct->tuplehash[dir].tuple;
	const struct nf_conntrack_tuple *r = &ct->tuplehash[!dir].tuple;

	if (nf_ct_l3num(ct) != NFPROTO_IPV4) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_NAT_REFUSED);
		avaya_count(nf_ct_net(ct), AVAYA_CTR_NAT_REFUSED_IPV6);
		return -ENOSPC;
	}
	if (exp->tuple.dst.u3.ip == t->src.u3.ip && t->src.u3.ip != r->dst.u3.ip)
		return nat_call_expect_public(ct, dir, exp, h235, pub);
	/* Toward the sender: the receiver sends from its own address. */
	if (exp->tuple.src.u3.ip == t->dst.u3.ip)
		exp->tuple.src.u3.ip = r->src.u3.ip;
	return nf_ct_expect_related(exp, 0);
}

/* Where the TCP payload starts: the helper parsed the linear skb in place. */
static const u8 *nat_tcp_payload(const struct sk_buff *skb,
				 unsigned int *protoff)
{
	const struct tcphdr *th;

	*protoff = skb_network_offset(skb) + ip_hdrlen(skb);
	th = (const struct tcphdr *)(skb->data + *protoff);
	return skb->data + *protoff + th->doff * 4;
}

struct nat_call_msg {
	struct sk_buff *skb;
	struct nf_conn *ct;
	enum ip_conntrack_info ctinfo;
	unsigned int protoff;
	unsigned int msgoff;	/* of the message in the TCP payload */
	unsigned int len;
	__be32 priv, pub;
	unsigned int done;
};

/*
 * One address of the sender's own, to the public end of its pinhole:
 * @port, which .call_expect chose for it.
 */
static int nat_call_patch(struct nat_call_msg *x, const struct avaya_taddr *a,
			  u16 port)
{
	u8 rep[AVAYA_TADDR_MAX_REP];
	int n;

	if (a->family != 4 || memcmp(a->ip, &x->priv, 4))
		return NF_ACCEPT;
	if (!port) {
		/* No pinhole of ours (refused, or another's): leave it be. */
		avaya_count(nf_ct_net(x->ct), AVAYA_CTR_NAT_CALL_ADDRESS_UNMAPPED);
		return NF_ACCEPT;
	}
	n = avaya_taddr_rep(a, x->len, (const u8 *)&x->pub, port, rep);
	if (n < 0)
		return NF_ACCEPT;
	if (!nf_nat_mangle_tcp_packet(x->skb, x->ct, x->ctinfo, x->protoff,
				      x->msgoff + a->off, n, rep, n)) {
		nf_ct_helper_log(x->skb, x->ct, "cannot rewrite call address");
		return NF_DROP;
	}
	x->done++;
	return NF_ACCEPT;
}

static int nat_call_media(struct nat_call_msg *x, const struct avaya_media *md,
			  unsigned int n, const u16 *port)
{
	unsigned int i;
	int ret = NF_ACCEPT;

	for (i = 0; i < n && ret == NF_ACCEPT; i++)
		ret = nat_call_patch(x, &md[i].addr, port[i]);
	return ret;
}

/*
 * Sets up @x for a message that announces something; false when it is to
 * pass as it is (not NATed, passive or protected (@h235), IPv6, not in
 * the skb).
 */
static bool nat_call_prepare(struct nat_call_msg *x, int msgoff,
			     bool announces, bool h235)
{
	int dir = CTINFO2DIR(x->ctinfo);
	const struct net *net = nf_ct_net(x->ct);
	const u8 *payload;

	if (!announces || READ_ONCE(nat_mode) == NAT_MODE_PASSIVE)
		return false;
	if (nf_ct_l3num(x->ct) != NFPROTO_IPV4) {
		avaya_count(net, AVAYA_CTR_NAT_REFUSED);
		avaya_count(net, AVAYA_CTR_NAT_REFUSED_IPV6);
		return false;
	}
	x->priv = x->ct->tuplehash[dir].tuple.src.u3.ip;
	x->pub = x->ct->tuplehash[!dir].tuple.dst.u3.ip;
	if (x->priv == x->pub)
		return false;
	/* Only a NATed sender's message would have been rewritten. */
	if (nat_leaves_untouched(h235)) {
		avaya_refused(x->ct, AVAYA_CTR_NAT_CALL_PROTECTED_UNTOUCHED,
			      "H.235-protected call signalling left unrewritten (nat_mode=auto)");
		return false;
	}
	payload = nat_tcp_payload(x->skb, &x->protoff);
	if (msgoff < 0 ||
	    payload + msgoff + x->len > x->skb->data + x->skb->len) {
		/* Reassembled: its first bytes have left already. */
		avaya_count(net, AVAYA_CTR_NAT_CALL_SPLIT_UNTOUCHED);
		net_info_ratelimited("call message split across segments passed unrewritten\n");
		return false;
	}
	x->msgoff = msgoff;
	return true;
}

static void nat_call_done(const struct nat_call_msg *x)
{
	if (x->done)
		avaya_count(nf_ct_net(x->ct), AVAYA_CTR_NAT_CALL_REWRITTEN);
}

/*
 * The public end of the sender's side of this connection: where the far
 * side sees it connect from (a Setup's sourceCallSignalAddress).
 */
static u16 nat_call_source_port(const struct nf_conn *ct,
				enum ip_conntrack_info ctinfo)
{
	int dir = CTINFO2DIR(ctinfo);

	return ntohs(ct->tuplehash[!dir].tuple.dst.u.tcp.port);
}

static int avaya_nat_q931(struct sk_buff *skb, struct nf_conn *ct,
			  enum ip_conntrack_info ctinfo, int msgoff,
			  unsigned int len, const struct avaya_q931 *m,
			  const struct avaya_call_ports *pub)
{
	struct nat_call_msg x = { .skb = skb, .ct = ct, .ctinfo = ctinfo,
				  .len = len };
	bool announces = m->h245_addr.family || m->src_csa.family ||
			 m->n_media;
	int ret = NF_ACCEPT;

	if (!nat_call_prepare(&x, msgoff, announces,
			      m->has_tokens || m->has_crypto_tokens))
		return NF_ACCEPT;
	if (m->src_csa.family)
		ret = nat_call_patch(&x, &m->src_csa,
				     nat_call_source_port(ct, ctinfo));
	if (ret == NF_ACCEPT && m->h245_addr.family)
		ret = nat_call_patch(&x, &m->h245_addr, pub->h245);
	if (ret == NF_ACCEPT)
		ret = nat_call_media(&x, m->media, m->n_media, pub->media);
	nat_call_done(&x);
	return ret;
}

static int avaya_nat_h245(struct sk_buff *skb, struct nf_conn *ct,
			  enum ip_conntrack_info ctinfo, int msgoff,
			  unsigned int len, const struct avaya_h245 *m,
			  const struct avaya_call_ports *pub)
{
	struct nat_call_msg x = { .skb = skb, .ct = ct, .ctinfo = ctinfo,
				  .len = len };
	int ret;

	if (!nat_call_prepare(&x, msgoff, m->n_media, false))
		return NF_ACCEPT;
	ret = nat_call_media(&x, m->media, m->n_media, pub->media);
	nat_call_done(&x);
	return ret;
}

static int avaya_nat_ras_expect(struct sk_buff *skb, struct nf_conn *ct,
				enum ip_conntrack_info ctinfo,
				struct nf_conntrack_expect *exp)
{
	const struct net *net = nf_ct_net(ct);
	u16 port;
	int ret;

	if (!(ct->status & IPS_SRC_NAT) && nf_ct_l3num(ct) == NFPROTO_IPV4)
		return nf_ct_expect_related(exp, 0);
	if (nf_ct_l3num(ct) != NFPROTO_IPV4) {
		avaya_count(net, AVAYA_CTR_NAT_REFUSED);
		avaya_count(net, AVAYA_CTR_NAT_REFUSED_IPV6);
		return -ENOSPC;
	}
	port = nat_public_port(ct, exp, ntohs(exp->tuple.dst.u.all));
	if (!port) {
		avaya_count(net, AVAYA_CTR_NAT_REFUSED);
		return -ENOSPC;
	}
	exp->saved_addr = exp->tuple.dst.u3;
	exp->saved_proto.all = exp->tuple.dst.u.all;
	exp->dir = IP_CT_DIR_REPLY;
	exp->expectfn = avaya_nat_to_phone;
	exp->tuple.dst.u3 = ct->tuplehash[IP_CT_DIR_REPLY].tuple.dst.u3;
	exp->tuple.dst.u.all = htons(port);
	ret = nf_ct_expect_related(exp, 0);
	if (ret)
		nat_ras_master(ct)->nat_port = 0;
	if (ret == -EBUSY) {
		/* Another phone won the port since the RRQ: it re-registers. */
		avaya_count(net, AVAYA_CTR_NAT_REFUSED);
		avaya_refused(ct, AVAYA_CTR_NAT_REFUSED_PORT_TAKEN,
			      "public port %pI4:%u already taken, %pI4 refused",
			      &exp->tuple.dst.u3.ip, port, &exp->saved_addr.ip);
	} else if (!ret) {
		avaya_count(net, AVAYA_CTR_NAT_PINHOLE_EXPECTATIONS);
	}
	return ret;
}

/* ---------------------------------------------------------------------- */
/* SIP                                                                    */
/* ---------------------------------------------------------------------- */
#define SIP_NAT_MAX_EDITS	(3 + 3 * AVAYA_SIP_MAX_VIA + AVAYA_SIP_MAX_CONTACT + \
				 3 * AVAYA_SIP_MAX_MEDIA + 2)
#define SIP_DEFAULT_PORT	5060
#define SIP_MEDIA_PORT_TRIES	128

/* What to rewrite, found again at apply time: the text before it is intact. */
enum sip_edit_kind {
	SIP_ED_RURI,
	SIP_ED_VIA,
	SIP_ED_RECEIVED,
	SIP_ED_RPORT,
	SIP_ED_CONTACT,
	SIP_ED_ORIGIN,
	SIP_ED_CONN,
	SIP_ED_MEDIA_CONN,
	SIP_ED_MEDIA_PORT,
	SIP_ED_MEDIA_RTCP,
	SIP_ED_CLEN,
	SIP_ED_PART_CLEN,	/* Content-Length of a multipart's SDP part */
};

struct sip_nat_ctx {
	struct nf_conn *ct;
	int dir;
	const struct avaya_sip_msg *m;
	const u16 *media_port;
	u32 clen;
	u32 part_clen;
};

/* The address text of @a, written the way @s was (IPv4 or IPv6). */
static int sip_nat_addr_txt(const struct nf_conn *ct,
			    const union nf_inet_addr *a, char *buf, size_t n)
{
	if (nf_ct_l3num(ct) == NFPROTO_IPV4)
		return scnprintf(buf, n, "%pI4", &a->ip);
	return scnprintf(buf, n, "%pI6c", &a->in6);
}

static bool sip_nat_parse(const struct nf_conn *ct, const u8 *data,
			  const struct avaya_sip_span *s, union nf_inet_addr *a)
{
	u8 want = nf_ct_l3num(ct) == NFPROTO_IPV4 ? AVAYA_SIP_IP4 : AVAYA_SIP_IP6;
	u8 family, ip[16];

	if (!s->len || avaya_sip_parse_addr(data + s->off, s->len, &family, ip) ||
	    family != want)
		return false;
	memset(a, 0, sizeof(*a));
	memcpy(a, ip, family == AVAYA_SIP_IP4 ? 4 : 16);
	return true;
}

/*
 * The sender's own address becomes what NAT made of it, the far side's
 * public view of us becomes our private address again. The port follows
 * only where it is the flow's own port.
 */
static bool sip_nat_map(const struct nf_conn *ct, int dir,
			union nf_inet_addr *a, __be16 *port)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[dir].tuple;
	const struct nf_conntrack_tuple *r = &ct->tuplehash[!dir].tuple;

	if (nf_inet_addr_cmp(a, &t->src.u3)) {
		if (*port == t->src.u.all)
			*port = r->dst.u.all;
		*a = r->dst.u3;
		return true;
	}
	if (nf_inet_addr_cmp(a, &t->dst.u3)) {
		if (*port == t->dst.u.all)
			*port = r->src.u.all;
		*a = r->src.u3;
		return true;
	}
	return false;
}

static int sip_nat_hostport(const struct sip_nat_ctx *x, const u8 *data,
			    const struct avaya_sip_hostport *hp, char *buf,
			    size_t n)
{
	__be16 port = htons(hp->has_port ? hp->port : SIP_DEFAULT_PORT);
	union nf_inet_addr a;
	int len = 0;

	/* Is its last group a port? Never guess which address it names. */
	if (hp->bare_v6)
		return -1;
	if (!sip_nat_parse(x->ct, data, &hp->host, &a) ||
	    !sip_nat_map(x->ct, x->dir, &a, &port))
		return -1;
	if (hp->v6ref)
		buf[len++] = '[';
	len += sip_nat_addr_txt(x->ct, &a, buf + len, n - len - 8);
	if (hp->v6ref)
		buf[len++] = ']';
	if (hp->has_port || ntohs(port) != SIP_DEFAULT_PORT)
		len += scnprintf(buf + len, n - len, ":%u", ntohs(port));
	return len;
}

static int sip_nat_addr_only(const struct sip_nat_ctx *x, const u8 *data,
			     const struct avaya_sip_span *s, char *buf, size_t n)
{
	union nf_inet_addr a;
	__be16 port = 0;

	if (!sip_nat_parse(x->ct, data, s, &a) ||
	    !sip_nat_map(x->ct, x->dir, &a, &port))
		return -1;
	return sip_nat_addr_txt(x->ct, &a, buf, n);
}

/* A valued rport that names our public port goes back to the private one. */
static int sip_nat_rport(const struct sip_nat_ctx *x,
			 const struct avaya_sip_via *v, char *buf, size_t n)
{
	const struct nf_conntrack_tuple *t = &x->ct->tuplehash[x->dir].tuple;
	const struct nf_conntrack_tuple *r = &x->ct->tuplehash[!x->dir].tuple;

	if (!v->rport.len || htons(v->rport_val) != t->dst.u.all)
		return -1;
	return scnprintf(buf, n, "%u", ntohs(r->src.u.all));
}

/* Replacement text and span of one edit; -1 when nothing changes. */
static int sip_nat_edit(const struct sip_nat_ctx *x, const u8 *data,
			u8 kind, u8 i, struct avaya_sip_span *s, char *buf,
			size_t n)
{
	const struct avaya_sip_msg *m = x->m;
	const struct avaya_sip_media *md = &m->sdp.media[i];

	switch (kind) {
	case SIP_ED_RURI:
		*s = m->ruri.host.all;
		return sip_nat_hostport(x, data, &m->ruri.host, buf, n);
	case SIP_ED_VIA:
		*s = m->via[i].sent_by.all;
		return sip_nat_hostport(x, data, &m->via[i].sent_by, buf, n);
	case SIP_ED_RECEIVED:
		*s = m->via[i].received;
		return sip_nat_addr_only(x, data, s, buf, n);
	case SIP_ED_RPORT:
		*s = m->via[i].rport;
		return sip_nat_rport(x, &m->via[i], buf, n);
	case SIP_ED_CONTACT:
		*s = m->contact[i].uri.host.all;
		return sip_nat_hostport(x, data, &m->contact[i].uri.host, buf, n);
	case SIP_ED_ORIGIN:
		*s = m->sdp.origin.addr;
		return sip_nat_addr_only(x, data, s, buf, n);
	case SIP_ED_CONN:
		*s = m->sdp.conn.addr;
		return sip_nat_addr_only(x, data, s, buf, n);
	case SIP_ED_MEDIA_CONN:
		*s = md->conn.addr;
		return sip_nat_addr_only(x, data, s, buf, n);
	case SIP_ED_MEDIA_PORT:
		*s = md->port_txt;
		if (!x->media_port[i])
			return -1;
		return scnprintf(buf, n, "%u", x->media_port[i]);
	case SIP_ED_MEDIA_RTCP:
		/* Unmoved, RTCP is expected at a=rtcp as it is (see below). */
		*s = md->rtcp_txt;
		if (!x->media_port[i] || !md->has_rtcp)
			return -1;
		return scnprintf(buf, n, "%u", x->media_port[i] + 1);
	case SIP_ED_CLEN:
		*s = m->clen_txt;
		return scnprintf(buf, n, "%u", x->clen);
	case SIP_ED_PART_CLEN:
		*s = m->part_clen_txt;
		return scnprintf(buf, n, "%u", x->part_clen);
	}
	return -1;
}

/* Collect the edits that change something; returns the body's growth. */
static int sip_nat_collect(const struct sip_nat_ctx *x, const u8 *data,
			   struct avaya_edit *ed, unsigned int *n_ed)
{
	static const u8 per_via[] = { SIP_ED_VIA, SIP_ED_RECEIVED, SIP_ED_RPORT };
	const struct avaya_sip_msg *m = x->m;
	struct avaya_edit cand[SIP_NAT_MAX_EDITS];
	unsigned int n = 0, i, k;
	char buf[64];

	if (m->is_request)
		cand[n++] = (struct avaya_edit){ .kind = SIP_ED_RURI };
	for (i = 0; i < m->n_via; i++)
		for (k = 0; k < ARRAY_SIZE(per_via); k++)
			cand[n++] = (struct avaya_edit){ .kind = per_via[k], .idx = i };
	for (i = 0; i < m->n_contact; i++)
		if (!m->contact[i].star)
			cand[n++] = (struct avaya_edit){ .kind = SIP_ED_CONTACT, .idx = i };
	if (m->is_sdp && m->hdr_done) {
		cand[n++] = (struct avaya_edit){ .kind = SIP_ED_ORIGIN };
		cand[n++] = (struct avaya_edit){ .kind = SIP_ED_CONN };
		for (i = 0; i < m->sdp.n_media; i++) {
			cand[n++] = (struct avaya_edit){ .kind = SIP_ED_MEDIA_CONN, .idx = i };
			cand[n++] = (struct avaya_edit){ .kind = SIP_ED_MEDIA_PORT, .idx = i };
			cand[n++] = (struct avaya_edit){ .kind = SIP_ED_MEDIA_RTCP, .idx = i };
		}
	}
	*n_ed = 0;
	for (i = 0; i < n; i++) {
		struct avaya_sip_span s = { 0 };
		int len = sip_nat_edit(x, data, cand[i].kind, cand[i].idx, &s,
				       buf, sizeof(buf));

		if (len < 0 || !s.len ||
		    (len == s.len && !memcmp(buf, data + s.off, len)))
			continue;
		cand[i].off = s.off;
		cand[i].old_len = s.len;
		cand[i].new_len = len;
		ed[(*n_ed)++] = cand[i];
	}
	return m->body_len ? avaya_edits_delta(ed, *n_ed, m->body_off) : 0;
}

/* TCP: the sequence numbers are adjusted once per segment, see below. */
static bool sip_nat_mangle(struct sk_buff *skb, struct nf_conn *ct,
			   enum ip_conntrack_info ctinfo, unsigned int protoff,
			   unsigned int off, const struct avaya_sip_span *s,
			   const char *buf, unsigned int len)
{
	if (nf_ct_protonum(ct) == IPPROTO_TCP)
		return __nf_nat_mangle_tcp_packet(skb, ct, ctinfo, protoff, off,
						  s->len, buf, len, false);
	return nf_nat_mangle_udp_packet(skb, ct, ctinfo, protoff, off, s->len,
					buf, len);
}

/*
 * The conntrack core keeps one size change per segment: a second
 * nf_ct_seqadj_set() at the same sequence number is taken for a
 * retransmission and ignored, and one placed later in the segment would
 * shift the segment's own sequence number. So the edits of all the
 * segment's messages are summed by the conntrack glue and recorded here
 * once, at the segment's sequence number, as nf_nat_sip does.
 */
static void avaya_nat_sip_seqadj(struct sk_buff *skb, struct nf_conn *ct,
				 enum ip_conntrack_info ctinfo,
				 unsigned int protoff, int delta)
{
	const struct tcphdr *th;

	if (nf_ct_protonum(ct) != IPPROTO_TCP)
		return;
	th = (const struct tcphdr *)(skb->data + protoff);
	nf_ct_seqadj_set(ct, ctinfo, th->seq, delta);
	/* Only an event takes the adjustment to conntrackd's backup copy. */
	nf_conntrack_event_cache(IPCT_SEQADJ, ct);
}

static void sip_nat_port_check(struct nf_conn *ct, int dir)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[dir].tuple;
	const struct nf_conntrack_tuple *r = &ct->tuplehash[!dir].tuple;

	if (t->src.u.all == r->dst.u.all)
		return;
	/* Never our choice: the NAT core met a clash. Via/Contact follow it. */
	avaya_refused(ct, AVAYA_CTR_SIP_NAT_SOURCE_PORT_CHANGED,
		      "NAT moved SIP source port %u to %u; Via/Contact rewritten to match",
		      ntohs(t->src.u.all), ntohs(r->dst.u.all));
}

/* Hosts NAT leaves as they are: IPv6 written without [] (see above). */
static bool sip_nat_has_bare_v6(const struct avaya_sip_msg *m)
{
	unsigned int i;
	bool bare = m->ruri.host.bare_v6;

	for (i = 0; i < m->n_via; i++)
		bare |= m->via[i].sent_by.bare_v6;
	for (i = 0; i < m->n_contact; i++)
		bare |= m->contact[i].uri.host.bare_v6;
	return bare;
}

static int avaya_nat_sip_msg(struct sk_buff *skb, struct nf_conn *ct,
			     enum ip_conntrack_info ctinfo, unsigned int protoff,
			     unsigned int dataoff, unsigned int msgoff,
			     unsigned int *msglen, const struct avaya_sip_msg *m,
			     const u16 *media_port)
{
	struct sip_nat_ctx x = {
		.ct = ct, .dir = CTINFO2DIR(ctinfo), .m = m,
		.media_port = media_port,
	};
	struct avaya_edit ed[SIP_NAT_MAX_EDITS];
	unsigned int n, i;
	int delta, total = 0;
	char buf[64];

	if (nf_ct_l3num(ct) == NFPROTO_IPV6 && sip_nat_has_bare_v6(m))
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_NAT_AMBIGUOUS_ADDRESS);
	delta = sip_nat_collect(&x, skb->data + dataoff + msgoff, ed, &n);
	if (!n)
		return NF_ACCEPT;
	/*
	 * The body's only edits are the SDP's: its part grows as much, and
	 * the body also by the part's new Content-Length digits. A part
	 * length too small for the edits was a lie: it is left as it is.
	 */
	if (delta && m->part_clen_txt.len && (s64)m->part_clen + delta >= 0) {
		x.part_clen = m->part_clen + delta;
		delta += scnprintf(buf, sizeof(buf), "%u", x.part_clen) -
			 m->part_clen_txt.len;
		ed[n++] = (struct avaya_edit){ .kind = SIP_ED_PART_CLEN,
					       .off = m->part_clen_txt.off,
					       .old_len = m->part_clen_txt.len };
	}
	if (delta && m->has_clen) {
		x.clen = m->clen + delta;
		ed[n++] = (struct avaya_edit){ .kind = SIP_ED_CLEN,
					       .off = m->clen_txt.off,
					       .old_len = m->clen_txt.len };
	}
	/* From the end backwards; overlapping spans would corrupt it. */
	if (avaya_edits_order(ed, n, skb->len - dataoff - msgoff)) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_NAT_FAILED);
		nf_ct_helper_log(skb, ct, "overlapping SIP rewrites");
		return NF_DROP;
	}
	for (i = 0; i < n; i++) {
		const u8 *data = skb->data + dataoff + msgoff;
		struct avaya_sip_span s = { 0 };
		int len = sip_nat_edit(&x, data, ed[i].kind, ed[i].idx, &s,
				       buf, sizeof(buf));

		if (len < 0)
			continue;
		if (!sip_nat_mangle(skb, ct, ctinfo, protoff, msgoff + s.off,
				    &s, buf, len)) {
			avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_NAT_FAILED);
			nf_ct_helper_log(skb, ct, "cannot rewrite SIP message");
			return NF_DROP;
		}
		total += len - s.len;
	}
	*msglen += total;
	avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_NAT_REWRITTEN);
	sip_nat_port_check(ct, x.dir);
	return NF_ACCEPT;
}

/* A registration or media pinhole: reach the private host it was meant for. */
static void avaya_sip_expected(struct nf_conn *ct,
			       struct nf_conntrack_expect *exp)
{
	struct nf_nat_range2 range = {
		.flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED,
		.min_addr = exp->saved_addr,
		.max_addr = exp->saved_addr,
		.min_proto = exp->saved_proto,
		.max_proto = exp->saved_proto,
	};

	avaya_expected(ct, exp);
	if (ct->status & IPS_DST_NAT_DONE)
		return;
	nf_nat_setup_info(ct, &range, NF_NAT_MANIP_DST);
}

/* Named, so that ctnetlink can restore such expectations (nf_nat_sip's "sip"). */
static struct nf_ct_helper_expectfn avaya_sip_nat_expectfn = {
	.name		= "avaya-sip-nat",
	.expectfn	= avaya_sip_expected,
};

static void sip_nat_prepare(struct nf_conntrack_expect *exp,
			    const struct nf_conntrack_tuple *r, int side)
{
	exp->saved_addr = exp->tuple.dst.u3;
	exp->saved_proto.all = exp->tuple.dst.u.all;
	exp->dir = !side;
	exp->expectfn = avaya_sip_expected;
	exp->tuple.dst.u3 = r->dst.u3;
}

/*
 * An unused copy of @tmpl. Once inserted, an expectation stays linked
 * (DEAD) after nf_ct_unexpect_related() until the gc unlinks it: it must
 * never be handed to nf_ct_expect_related() again.
 */
static struct nf_conntrack_expect *
sip_nat_exp_clone(const struct nf_conntrack_expect *tmpl)
{
	struct nf_conntrack_expect *n = nf_ct_expect_alloc(tmpl->master);

	if (!n)
		return NULL;
	nf_ct_expect_init(n, tmpl->class, tmpl->tuple.src.l3num,
			  &tmpl->tuple.src.u3, &tmpl->tuple.dst.u3,
			  tmpl->tuple.dst.protonum, NULL, &tmpl->tuple.dst.u.all);
	n->tuple = tmpl->tuple;
	n->mask = tmpl->mask;
	n->flags = tmpl->flags & ~NF_CT_EXPECT_DEAD;
	n->expectfn = tmpl->expectfn;
	rcu_assign_pointer(n->assign_helper,
			   rcu_access_pointer(tmpl->assign_helper));
	n->saved_addr = tmpl->saved_addr;
	n->saved_proto = tmpl->saved_proto;
	n->dir = tmpl->dir;
	return n;
}

/*
 * One try at @port (RTP) and @rtcp_port. RTCP goes first: when RTP then
 * clashes, the RTCP expectation is withdrawn and *@rtcp replaced by an
 * unused copy (the reference to the old one is dropped). RTP is inserted
 * last, so a failure never leaves it linked.
 */
static int sip_nat_try_pair(struct nf_conntrack_expect *exp,
			    struct nf_conntrack_expect **rtcp,
			    unsigned int port, unsigned int rtcp_port)
{
	struct nf_conntrack_expect *fresh;
	int ret;

	exp->tuple.dst.u.all = htons(port);
	if (!*rtcp)
		return nf_ct_expect_related(exp, 0);
	(*rtcp)->tuple.dst.u.all = htons(rtcp_port);
	ret = nf_ct_expect_related(*rtcp, 0);
	if (ret)
		return ret;
	ret = nf_ct_expect_related(exp, 0);
	if (!ret)
		return 0;
	nf_ct_unexpect_related(*rtcp);
	fresh = sip_nat_exp_clone(*rtcp);
	nf_ct_expect_put(*rtcp);
	*rtcp = fresh;
	return fresh ? ret : -ENOMEM;
}

/* Claims what was inserted; a port taken unclaimed (@free false) stays so. */
static void sip_nat_claim(const struct nat_pub_key *k,
			  const struct nf_conntrack_expect *exp,
			  const struct nf_conntrack_expect *rtcp,
			  unsigned int port, unsigned int rtcp_port,
			  unsigned long lifetime, struct nat_pub_spare *spare,
			  bool free)
{
	if (!free)
		return;
	nat_pub_claim(k, port, ntohs(exp->saved_proto.all), lifetime, spare);
	if (rtcp)
		nat_pub_claim(k, rtcp_port, ntohs(rtcp->saved_proto.all),
			      lifetime, spare);
}

/*
 * The first try keeps what the SDP says when the RTP port is the private
 * one: RTP there, RTCP at a=rtcp (else RTP+1), and nothing is rewritten.
 * After that both move to a random free even/odd pair and the SDP follows
 * (SIP_ED_MEDIA_PORT, SIP_ED_MEDIA_RTCP to RTP+1). A port taken by another
 * call or a registration costs a call nothing but its port; a host at
 * nat_claims_per_host gets no new pair.
 */
static u16 sip_nat_expect_pair(struct nf_conn *ct, enum ip_conntrack_dir side,
			       struct nf_conntrack_expect *exp,
			       struct nf_conntrack_expect **rtcp,
			       bool keep_port, const __be16 *want,
			       unsigned long lifetime)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[side].tuple;
	const struct nf_conntrack_tuple *r = &ct->tuplehash[!side].tuple;
	unsigned int own = ntohs(exp->saved_proto.all);
	bool sig_port = exp->saved_proto.all == t->src.u.all;
	/* Only a registration may sit on a pair claimed for another endpoint. */
	bool reg = sig_port && exp->class == AVAYA_SIP_EXP_REG &&
		   exp->tuple.dst.protonum == nf_ct_protonum(ct);
	struct nat_pub_spare spare = {};
	unsigned int port, rtcp_port, i = 0;
	struct nat_pub_key k;
	int ret = -EBUSY;

	/*
	 * The flow's own port is public already (the masquerade chose it, a
	 * registration's pinhole must be there, claimed or not); others are
	 * tried as is.
	 */
	port = sig_port ? ntohs(r->dst.u.all) : own;
	rtcp_port = *rtcp && port == own ? ntohs((*rtcp)->saved_proto.all) :
					   port + 1;
	if (want) {		/* the SDP carries these already */
		port = ntohs(want[0]);
		rtcp_port = *rtcp ? ntohs(want[1]) : port + 1;
	}
	nat_pub_key_init(&k, ct, exp, *rtcp);
	k.reg = exp->class == AVAYA_SIP_EXP_REG;
	if (nat_pub_reserve(&spare, *rtcp ? 2 : 1) && !reg) {
		ret = -ENOMEM;	/* a registration may go unclaimed */
		i = SIP_MEDIA_PORT_TRIES;
	}
	spin_lock_bh(&nat_pub_lock);
	/* RTP alone may sit on 65535: only a real RTCP port must exist. */
	for (; i < SIP_MEDIA_PORT_TRIES && port && rtcp_port &&
	     (!*rtcp || rtcp_port <= 65535); i++) {
		bool free = nat_pub_free(&k, port) &&
			    (!*rtcp || nat_pub_free(&k, rtcp_port));
		int room = free ? nat_pub_room(&k, nat_pub_need(&k, port,
						*rtcp ? rtcp_port : 0)) : 0;

		ret = room;
		if (room && !reg)
			break;
		ret = -EBUSY;
		if (free || reg)
			ret = sip_nat_try_pair(exp, rtcp, port, rtcp_port);
		/*
		 * The same phone's registration from an older flow, or another
		 * host's Contact on the port the masquerade gave this flow.
		 */
		if (ret == -EBUSY && k.reg &&
		    avaya_sip_reg_supersede(ct, exp, reg))
			ret = sip_nat_try_pair(exp, rtcp, port, rtcp_port);
		if (!ret) {
			sip_nat_claim(&k, exp, *rtcp, port, rtcp_port,
				      lifetime, &spare, free && !room);
			break;
		}
		if (ret != -EBUSY || keep_port || sig_port)
			break;
		/* RTP keeps an even port, RTCP the odd one after it. */
		port = nat_random_port(0);
		rtcp_port = port + 1;
	}
	spin_unlock_bh(&nat_pub_lock);
	nat_pub_spare_free(&spare);
	if (!ret)
		return port;
	if (ret == -EDQUOT)
		nat_claim_refused(ct, ret, &k.pub, &k.priv, own);
	avaya_refused(ct, AVAYA_CTR_SIP_NAT_FAILED,
		      "no public media port pair near %u%s", own,
		      ret == -ENOSPC ? " (port claims full)" :
		      ret == -ENOMEM ? " (out of memory)" : "");
	return 0;
}

/*
 * The ops entry: the glue owns @exp and @rtcp and puts them afterwards. A
 * replacement RTCP expectation is ours to put; it keeps the policy's
 * timeout (the glue's sip_media_timeout goes to @rtcp, see the report).
 */
static u16 avaya_nat_sip_expect(struct nf_conn *ct, enum ip_conntrack_dir side,
				struct nf_conntrack_expect *exp,
				struct nf_conntrack_expect **rtcp, bool keep_port,
				const __be16 *want, unsigned long lifetime)
{
	const struct nf_conntrack_tuple *r = &ct->tuplehash[!side].tuple;
	struct nf_conntrack_expect *none = NULL;

	sip_nat_prepare(exp, r, side);
	if (!rtcp || !*rtcp)
		rtcp = &none;
	else
		sip_nat_prepare(*rtcp, r, side);
	return sip_nat_expect_pair(ct, side, exp, rtcp, keep_port, want,
				   lifetime);
}

/* ---------------------------------------------------------------------- */
/* Registration                                                           */
/* ---------------------------------------------------------------------- */

static const struct avaya_nat_ops avaya_nat_ops = {
	.ras		= avaya_nat_ras,
	.ras_expect	= avaya_nat_ras_expect,
	.call_expect	= avaya_nat_call_expect,
	.q931		= avaya_nat_q931,
	.h245		= avaya_nat_h245,
	.sip_msg	= avaya_nat_sip_msg,
	.sip_expect	= avaya_nat_sip_expect,
	.sip_seqadj	= avaya_nat_sip_seqadj,
};

/* Every expectfn of this module: none may be called once it is gone. */
static bool avaya_nat_exp_is_ours(struct nf_conntrack_expect *exp, void *data)
{
	return exp->expectfn == avaya_nat_expectfn.expectfn ||
	       exp->expectfn == avaya_sip_nat_expectfn.expectfn;
}

static void __exit nf_nat_avaya_fini(void)
{
	nf_nat_helper_unregister(&avaya_nat_helper);
	RCU_INIT_POINTER(avaya_nat_hook, NULL);
	nf_ct_helper_expectfn_unregister(&avaya_sip_nat_expectfn);
	nf_ct_helper_expectfn_unregister(&avaya_nat_expectfn);
	/* No packet is inside an op now, so no new expectation of ours. */
	synchronize_rcu();
	/*
	 * The registrations get theirs back at the next RRQ/RCF or REGISTER
	 * after a reload, calls at their next offer.
	 */
	nf_ct_expect_iterate_destroy(avaya_nat_exp_is_ours, NULL);
	/* ... and no expectfn of ours still runs for a matched one. */
	synchronize_rcu();
	unregister_pernet_subsys(&nat_pub_net_ops);
	nat_pub_flush(NULL);
}

static int __init nf_nat_avaya_init(void)
{
	int ret;

	nat_pub_seed = get_random_u32();
	ret = register_pernet_subsys(&nat_pub_net_ops);
	if (ret)
		return ret;
	nf_nat_helper_register(&avaya_nat_helper);
	nf_ct_helper_expectfn_register(&avaya_nat_expectfn);
	nf_ct_helper_expectfn_register(&avaya_sip_nat_expectfn);
	rcu_assign_pointer(avaya_nat_hook, &avaya_nat_ops);
	return 0;
}

module_init(nf_nat_avaya_init);
module_exit(nf_nat_avaya_fini);
