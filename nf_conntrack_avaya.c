// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/* Connection tracking helpers for Avaya H.323 (RAS, Q.931, H.245) and SIP. */
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
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/inet.h>
#include <linux/ctype.h>
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/route.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_ecache.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_conntrack_tuple.h>

#include "avaya_ras.h"
#include "avaya_q931.h"
#include "avaya_sip.h"
#include "nf_conntrack_avaya.h"

#define HELPER_RAS	"avaya-ras"
#define HELPER_Q931	"avaya-q931"
#define HELPER_H245	"avaya-h245"
#define HELPER_SIP	"avaya-sip"
/*
 * Media flows' helpers. conntrackd (1.4.7 and later) refuses a flow whose
 * helper name is longer than 11 characters, so HA pairs could not sync media.
 */
#define HELPER_SIP_MEDIA	"avaya-sipm"
#define HELPER_CALL_MEDIA	"avaya-h323m"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Connection tracking helpers for Avaya H.323 phones and SIP trunks");
MODULE_AUTHOR("The nf_conntrack_avaya authors");
MODULE_ALIAS_NFCT_HELPER(HELPER_RAS);
MODULE_ALIAS_NFCT_HELPER(HELPER_Q931);
MODULE_ALIAS_NFCT_HELPER(HELPER_H245);
MODULE_ALIAS_NFCT_HELPER(HELPER_SIP);
/* ctnetlink (conntrackd on a backup firewall) creates media flows by name. */
MODULE_ALIAS_NFCT_HELPER(HELPER_SIP_MEDIA);
MODULE_ALIAS_NFCT_HELPER(HELPER_CALL_MEDIA);
/* nft never asks for a NAT helper module: load ours with the helpers. */
MODULE_SOFTDEP("post: nf_nat_avaya");

/* ---------------------------------------------------------------------- */
/* Parameters                                                             */
/* ---------------------------------------------------------------------- */

static unsigned short ras_port __read_mostly = 1719;
module_param(ras_port, ushort, 0400);
MODULE_PARM_DESC(ras_port, "UDP port of H.225 RAS for automatic assignment (default 1719)");

static unsigned short q931_port __read_mostly = 1720;
module_param(q931_port, ushort, 0400);
MODULE_PARM_DESC(q931_port, "TCP port of H.225 call signalling (default 1720)");

static unsigned short sip_port __read_mostly = 5060;
module_param(sip_port, ushort, 0400);
MODULE_PARM_DESC(sip_port, "UDP and TCP port of SIP (default 5060)");

static void avaya_policy_timeouts(void);

/*
 * Lifetime parameters in seconds: bounded when set, so that no sum or
 * product of them can wrap the 32-bit jiffies of a pinhole. The classes'
 * default timeouts follow them.
 */
static int avaya_secs_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	if (v > AVAYA_MAX_PARAM_SECS)
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	avaya_policy_timeouts();
	return 0;
}

static const struct kernel_param_ops avaya_secs_ops = {
	.set = avaya_secs_set,
	.get = param_get_uint,
};

static unsigned int ras_default_ttl __read_mostly = 600;
module_param_cb(ras_default_ttl, &avaya_secs_ops, &ras_default_ttl, 0644);
MODULE_PARM_DESC(ras_default_ttl, "Registration lifetime in seconds when the RCF has no timeToLive (default 600)");

static unsigned int ras_ttl_grace __read_mostly = 10;
module_param_cb(ras_ttl_grace, &avaya_secs_ops, &ras_ttl_grace, 0644);
MODULE_PARM_DESC(ras_ttl_grace, "Seconds added to the registration lifetime before the reverse pinhole closes (default 10)");

static unsigned int ras_max_ttl __read_mostly = 86400;
module_param_cb(ras_max_ttl, &avaya_secs_ops, &ras_max_ttl, 0644);
MODULE_PARM_DESC(ras_max_ttl, "Upper bound in seconds for a granted timeToLive (default 86400)");

static bool strict __read_mostly;
module_param(strict, bool, 0644);
MODULE_PARM_DESC(strict, "Drop malformed messages on helper-tracked flows instead of passing them (default N)");

/* Source ports the gatekeeper opens the reverse connection from: lo << 16 | hi. */
static u32 gk_src_ports __read_mostly = (61440U << 16) | 61444U;

/*
 * Port-range module parameters, stored as lo << 16 | hi so one READ_ONCE()
 * sees a consistent pair: "lo-hi" or a single port, with the newline sysfs
 * writes leave.
 */
int avaya_port_range_parse(const char *val, u32 *range)
{
	unsigned int lo, hi;
	char tail;
	int n;

	n = sscanf(val, "%u-%u%c", &lo, &hi, &tail);
	if (n < 2 || (n == 3 && tail != '\n')) {
		n = sscanf(val, "%u%c", &lo, &tail);
		if (n < 1 || (n == 2 && tail != '\n') || strchr(val, '-'))
			return -EINVAL;
		hi = lo;
	}
	if (lo > hi || hi > 65535)
		return -EINVAL;
	*range = lo << 16 | hi;
	return 0;
}
EXPORT_SYMBOL_GPL(avaya_port_range_parse);

int avaya_port_range_show(char *buf, u32 range)
{
	return scnprintf(buf, PAGE_SIZE, "%u-%u\n", range >> 16, range & 0xffff);
}
EXPORT_SYMBOL_GPL(avaya_port_range_show);

static int gk_src_ports_set(const char *val, const struct kernel_param *kp)
{
	u32 range;
	int ret = avaya_port_range_parse(val, &range);

	if (!ret)
		WRITE_ONCE(gk_src_ports, range);
	return ret;
}

static int gk_src_ports_get(char *buf, const struct kernel_param *kp)
{
	return avaya_port_range_show(buf, READ_ONCE(gk_src_ports));
}

static const struct kernel_param_ops gk_src_ports_ops = {
	.set = gk_src_ports_set,
	.get = gk_src_ports_get,
};
module_param_cb(gk_src_ports, &gk_src_ports_ops, NULL, 0644);
MODULE_PARM_DESC(gk_src_ports, "Source ports the gatekeeper may use for the reverse tcp/1720 connection, lo-hi (default 61440-61444; 0-65535 means any)");

static unsigned int sip_default_expires __read_mostly = 3600;
module_param_cb(sip_default_expires, &avaya_secs_ops, &sip_default_expires, 0644);
MODULE_PARM_DESC(sip_default_expires, "Registration lifetime in seconds when the 2xx to REGISTER names none (default 3600)");

static unsigned int sip_max_expires __read_mostly = 86400;
module_param_cb(sip_max_expires, &avaya_secs_ops, &sip_max_expires, 0644);
MODULE_PARM_DESC(sip_max_expires, "Upper bound in seconds for a granted registration (default 86400)");

static bool log_refusals __read_mostly = true;
module_param(log_refusals, bool, 0644);
MODULE_PARM_DESC(log_refusals, "Log each refused pinhole or rewrite (ratelimited, \"avaya: COUNTER: ...\" in the kernel log; default Y)");

static unsigned int sip_timeout __read_mostly = 3600;
module_param_cb(sip_timeout, &avaya_secs_ops, &sip_timeout, 0644);
MODULE_PARM_DESC(sip_timeout, "Seconds a SIP-over-UDP signalling flow lives after its last message (default 3600, as the stock helper)");

static unsigned int sip_media_timeout __read_mostly = 180;
module_param_cb(sip_media_timeout, &avaya_secs_ops, &sip_media_timeout, 0644);
MODULE_PARM_DESC(sip_media_timeout, "Seconds an offered RTP/RTCP pinhole waits for its first packet (default 180)");

/*
 * Address prefixes an admin names in a parameter: where a gatekeeper may
 * answer a multicast GRQ from (one prefix), and the media peers (servers,
 * gateways, SBC media addresses) that signalling may name as a third party.
 * Readers take RCU; a write replaces the whole set.
 */
struct avaya_prefix {
	u8 family;		/* 4 or 6 */
	u8 plen;
	union nf_inet_addr addr;
	union nf_inet_addr mask;
};

struct avaya_prefix_set {
	struct rcu_head rcu;
	unsigned int n;
	struct avaya_prefix p[];
};

struct avaya_prefix_param {
	struct avaya_prefix_set __rcu *set;
	unsigned int max;	/* entries a write may carry */
};

#define AVAYA_MEDIA_PEERS_MAX	32

static struct avaya_prefix_param gk_discovery = { .max = 1 };
static struct avaya_prefix_param media_peers = { .max = AVAYA_MEDIA_PEERS_MAX };
static DEFINE_MUTEX(avaya_prefix_lock);

static void prefix_mask(union nf_inet_addr *mask, unsigned int plen)
{
	unsigned int i;

	memset(mask, 0, sizeof(*mask));
	for (i = 0; i < 4 && plen; i++) {
		unsigned int bits = min(plen, 32U);

		mask->all[i] = htonl(bits == 32 ? ~0U : ~(~0U >> bits));
		plen -= bits;
	}
}

/* One "addr[/len]" of @len bytes at @val. */
static int prefix_parse(const char *val, size_t len, struct avaya_prefix *n)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	unsigned int plen, i;
	const char *end;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, val, len);
	buf[len] = 0;
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = 0;
	if (in4_pton(buf, -1, (u8 *)&n->addr.ip, -1, &end) && !*end) {
		n->family = 4;
		plen = 32;
	} else if (in6_pton(buf, -1, (u8 *)&n->addr.in6, -1, &end) && !*end) {
		n->family = 6;
		plen = 128;
	} else {
		return -EINVAL;
	}
	if (slash && (kstrtouint(slash, 10, &i) || i > plen))
		return -EINVAL;
	n->plen = slash ? i : plen;
	prefix_mask(&n->mask, n->plen);
	for (i = 0; i < 4; i++)
		n->addr.all[i] &= n->mask.all[i];
	return 0;
}

/* A comma or space separated list; "" or a lone newline is the empty set. */
static int prefix_set_parse(const char *val, unsigned int max,
			    struct avaya_prefix_set **out)
{
	struct avaya_prefix_set *s;
	const char *sep = ", \t\n";
	size_t len;

	*out = NULL;
	val += strspn(val, sep);
	if (!*val)
		return 0;
	s = kzalloc(struct_size(s, p, max), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	while (*val) {
		len = strcspn(val, sep);
		if (s->n == max || prefix_parse(val, len, &s->p[s->n])) {
			kfree(s);
			return -EINVAL;
		}
		s->n++;
		val += len;
		val += strspn(val, sep);
	}
	*out = s;
	return 0;
}

static void prefix_param_replace(struct avaya_prefix_param *pp,
				 struct avaya_prefix_set *s)
{
	struct avaya_prefix_set *old;

	mutex_lock(&avaya_prefix_lock);
	old = rcu_replace_pointer(pp->set, s,
				  lockdep_is_held(&avaya_prefix_lock));
	mutex_unlock(&avaya_prefix_lock);
	if (old)
		kfree_rcu(old, rcu);
}

static int prefix_param_set(const char *val, const struct kernel_param *kp)
{
	struct avaya_prefix_param *pp = kp->arg;
	struct avaya_prefix_set *s;
	int ret = prefix_set_parse(val, pp->max, &s);

	if (ret) {
		pr_err("%s: not a list of at most %u address[/length] prefixes: %.80s\n",
		       kp->name, pp->max, val);
		return ret;
	}
	prefix_param_replace(pp, s);
	return 0;
}

static int prefix_param_get(char *buf, const struct kernel_param *kp)
{
	struct avaya_prefix_param *pp = kp->arg;
	const struct avaya_prefix_set *s;
	unsigned int i;
	int len = 0;

	rcu_read_lock();
	s = rcu_dereference(pp->set);
	for (i = 0; s && i < s->n; i++) {
		const struct avaya_prefix *n = &s->p[i];

		len += sysfs_emit_at(buf, len, n->family == 4 ? "%s%pI4/%u" :
				     "%s%pI6c/%u", i ? "," : "", &n->addr,
				     n->plen);
	}
	rcu_read_unlock();
	return len + sysfs_emit_at(buf, len, "\n");
}

/*
 * Called once the module's sysfs files are gone (after its exit, which
 * already emptied the sets): a write that raced rmmod is freed here.
 */
static void prefix_param_free(void *arg)
{
	struct avaya_prefix_param *pp = arg;
	struct avaya_prefix_set *s = rcu_replace_pointer(pp->set, NULL, true);

	if (s)
		kfree_rcu(s, rcu);
}

static const struct kernel_param_ops prefix_param_ops = {
	.set = prefix_param_set,
	.get = prefix_param_get,
	.free = prefix_param_free,
};

static bool prefix_match(const struct avaya_prefix *n, u8 family,
			 const union nf_inet_addr *a)
{
	unsigned int i;

	if (n->family != family)
		return false;
	for (i = 0; i < 4; i++)
		if ((a->all[i] & n->mask.all[i]) != n->addr.all[i])
			return false;
	return true;
}

/* Under rcu_read_lock(): whether @a (family 4 or 6) is in the set. */
static bool prefix_set_has(struct avaya_prefix_param *pp, u8 family,
			   const union nf_inet_addr *a)
{
	const struct avaya_prefix_set *s = rcu_dereference(pp->set);
	unsigned int i;

	for (i = 0; s && i < s->n; i++)
		if (prefix_match(&s->p[i], family, a))
			return true;
	return false;
}

/* One of this netns's own addresses, or not unicast: never a media peer. */
static bool addr_is_firewall_or_group(struct net *net, u8 family,
				      const union nf_inet_addr *a)
{
	if (family == 4)
		return inet_addr_type(net, a->ip) != RTN_UNICAST ||
		       __ip_dev_find(net, a->ip, false);	/* VRF slaves */
#if IS_ENABLED(CONFIG_IPV6)
	/*
	 * A forwarding box owns the subnet-router anycast address of each
	 * prefix (no exported check: refuse a zero interface ID), and never
	 * a v4-mapped one.
	 */
	return !(ipv6_addr_type(&a->in6) & IPV6_ADDR_UNICAST) ||
	       ipv6_addr_v4mapped(&a->in6) ||
	       (!a->in6.s6_addr32[2] && !a->in6.s6_addr32[3]) ||
	       ipv6_chk_addr(net, &a->in6, NULL, 0);
#else
	return true;
#endif
}

/*
 * A third party that signalling may name as a media endpoint: inside the
 * admin's media_peers, and never the firewall itself.
 */
static bool media_peer_allowed(const struct nf_conn *ct,
			       const union nf_inet_addr *a)
{
	u8 family = nf_ct_l3num(ct) == NFPROTO_IPV4 ? 4 : 6;

	return prefix_set_has(&media_peers, family, a) &&
	       !addr_is_firewall_or_group(nf_ct_net(ct), family, a);
}

module_param_cb(gk_discovery_src, &prefix_param_ops, &gk_discovery, 0644);
MODULE_PARM_DESC(gk_discovery_src, "Prefix a gatekeeper may answer a multicast GRQ from, e.g. 10.0.2.0/24 (default: empty, any host; from RAS port ras_port only)");
module_param_cb(media_peers, &prefix_param_ops, &media_peers, 0644);
MODULE_PARM_DESC(media_peers, "Prefixes of media servers, gateways and SBC media addresses that signalling may name as a third party, e.g. 10.2.0.0/24,2001:db8:5::/64 (default: empty, none; at most 32)");

/* ---------------------------------------------------------------------- */
/* Counters                                                               */
/* ---------------------------------------------------------------------- */

/* Per-netns counters: per-CPU, so the fast path never shares a cache line. */
struct avaya_ctrs {
	u64 c[AVAYA_CTR_MAX];
};

struct sip_dialogs;

struct avaya_net {
	struct avaya_ctrs __percpu *ctr;
	struct sip_dialogs *dialogs;	/* SIP dialogs looked up across flows */
};

static unsigned int avaya_net_id __read_mostly;

#define AVAYA_COUNTER(name) \
	[AVAYA_CTR_##name] = #name,
static const char *const avaya_counter_names[AVAYA_CTR_MAX] = {
#include "avaya_counters.h"
};

#undef AVAYA_COUNTER

void avaya_count(const struct net *net, enum avaya_counter c)
{
	struct avaya_net *an = net_generic(net, avaya_net_id);

	this_cpu_inc(an->ctr->c[c]);
}
EXPORT_SYMBOL_GPL(avaya_count);

static void avaya_counter_name(unsigned int c, char *buf, size_t size);

/* One burst of 5 lines per 5 s for each counter: a flood of one kind hides no other. */
static struct ratelimit_state avaya_refusal_rs[AVAYA_CTR_MAX];

static void avaya_refusal_rs_init(void)
{
	unsigned int c;

	for (c = 0; c < AVAYA_CTR_MAX; c++)
		ratelimit_state_init(&avaya_refusal_rs[c], 5 * HZ, 5);
}

/*
 * Count refusal @c and tell the operator, in one ratelimited kernel log line
 * with a stable prefix, the counter's name, what was refused and the flow
 * (addresses as this netns sees them). log_refusals=N keeps the count only.
 */
void avaya_refused(const struct nf_conn *ct, enum avaya_counter c,
		   const char *fmt, ...)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	struct va_format vaf;
	char name[40];
	va_list args;

	avaya_count(nf_ct_net(ct), c);
	if (!READ_ONCE(log_refusals) || !__ratelimit(&avaya_refusal_rs[c]))
		return;
	avaya_counter_name(c, name, sizeof(name));
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (nf_ct_l3num(ct) == NFPROTO_IPV4)
		pr_info("avaya: %s: %pV; flow %u %pI4:%u -> %pI4:%u\n", name, &vaf,
			t->dst.protonum, &t->src.u3.ip, ntohs(t->src.u.all),
			&t->dst.u3.ip, ntohs(t->dst.u.all));
	else
		pr_info("avaya: %s: %pV; flow %u [%pI6c]:%u -> [%pI6c]:%u\n", name,
			&vaf, t->dst.protonum, &t->src.u3.in6, ntohs(t->src.u.all),
			&t->dst.u3.in6, ntohs(t->dst.u.all));
	va_end(args);
}
EXPORT_SYMBOL_GPL(avaya_refused);

/* The /proc name: the enum's name in lower case. */
static void avaya_counter_name(unsigned int c, char *buf, size_t size)
{
	const char *n = avaya_counter_names[c];
	size_t i;

	for (i = 0; n[i] && i + 1 < size; i++)
		buf[i] = tolower(n[i]);
	buf[i] = 0;
}

static int avaya_counters_show(struct seq_file *s, void *v)
{
	struct avaya_net *an = net_generic(seq_file_single_net(s), avaya_net_id);
	char name[48];
	unsigned int c;
	int cpu;

	for (c = 0; c < AVAYA_CTR_MAX; c++) {
		u64 sum = 0;

		for_each_possible_cpu(cpu)
			sum += per_cpu_ptr(an->ctr, cpu)->c[c];
		avaya_counter_name(c, name, sizeof(name));
		seq_printf(s, "%-32s %llu\n", name, sum);
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Shared core: expectations, bad input, helper lookup                    */
/* ---------------------------------------------------------------------- */

const struct avaya_nat_ops __rcu *avaya_nat_hook __read_mostly;
EXPORT_SYMBOL_GPL(avaya_nat_hook);

/* Keys the identifier hashes: a peer cannot compute collisions offline. */
static u32 avaya_hash_seed __read_mostly;

/* Every avaya-* helper's per-connection state fits the conntrack extension. */
static_assert(sizeof(union avaya_master) <= sizeof_field(struct nf_conn_help, data));

/* Defined with the helpers they belong to, under Registration. */
static const struct nf_conntrack_expect_policy call_exp_policy[AVAYA_EXP_CALL_MAX];
static struct nf_conntrack_expect_policy sip_exp_policy[AVAYA_SIP_EXP_MAX];

/* The helpers, [kind][family]: IPv4 first, then IPv6. */
enum avaya_helper_kind {
	AVAYA_HELPER_RAS,
	AVAYA_HELPER_Q931,
	AVAYA_HELPER_H245,
	AVAYA_HELPER_SIP_UDP,
	AVAYA_HELPER_SIP_TCP,
	AVAYA_HELPER_SIP_RTP,
	AVAYA_HELPER_CALL_RTP,
	AVAYA_HELPER_KINDS,
	AVAYA_HELPER_NONE = AVAYA_HELPER_KINDS,	/* not one of ours */
};

static struct nf_conntrack_helper avaya_helpers[AVAYA_HELPER_KINDS][2];

/* Our helper of @kind in the family of @ct. */
static struct nf_conntrack_helper *avaya_helper_for(enum avaya_helper_kind kind,
						    const struct nf_conn *ct)
{
	return &avaya_helpers[kind][nf_ct_l3num(ct) == NFPROTO_IPV6];
}

/* Which of our helpers @h is: one lookup for "is this flow ours". */
static enum avaya_helper_kind avaya_helper_kind(const struct nf_conntrack_helper *h)
{
	const struct nf_conntrack_helper *first = &avaya_helpers[0][0];

	if (h < first || h >= first + AVAYA_HELPER_KINDS * 2)
		return AVAYA_HELPER_NONE;
	return (h - first) / 2;
}

static enum avaya_helper_kind avaya_ct_helper_kind(const struct nf_conn *ct)
{
	const struct nf_conn_help *help = nfct_help(ct);

	if (!help)
		return AVAYA_HELPER_NONE;
	return avaya_helper_kind(rcu_dereference_raw(help->helper));
}

/* avaya-q931 or avaya-h245: the flow has a struct avaya_call_master. */
static bool call_helper_is_ours(const struct nf_conn *ct)
{
	enum avaya_helper_kind kind = avaya_ct_helper_kind(ct);

	return kind == AVAYA_HELPER_Q931 || kind == AVAYA_HELPER_H245;
}

/* avaya-sip over UDP or TCP: its flows hold a book, TCP ones streams. */
static bool sip_helper_is_signalling(const struct nf_conn *ct)
{
	enum avaya_helper_kind kind = avaya_ct_helper_kind(ct);

	return kind == AVAYA_HELPER_SIP_UDP || kind == AVAYA_HELPER_SIP_TCP;
}

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
 * Seconds to jiffies for a pinhole or flow lifetime. Expectation and
 * conntrack timeouts are 32-bit jiffies compared as signed deltas, so the
 * sum is taken in 64 bits and clamped well below 2^31 jiffies.
 */
unsigned long avaya_lifetime(u64 secs, u64 grace)
{
	u64 j = (secs + grace) * HZ;

	return min_t(u64, j, AVAYA_MAX_LIFETIME_JIFFIES);
}
EXPORT_SYMBOL_GPL(avaya_lifetime);

/*
 * The policy sets a default lifetime; ours follows the registration, the
 * call or the module parameter.
 */
static void avaya_expect_lifetime(struct nf_conntrack_expect *exp,
				  unsigned long lifetime)
{
	spin_lock_bh(&nf_conntrack_expect_lock);
	WRITE_ONCE(exp->timeout, nfct_time_stamp + lifetime);
	spin_unlock_bh(&nf_conntrack_expect_lock);
}

/*
 * A registration's flow lives as long as the registration. nf_ct_refresh()
 * reports nothing, and conntrackd learns a flow's timeout only from an
 * event: without one, a backup firewall's copy keeps the UDP stream
 * timeout and takes the registration's pinholes with it when it expires.
 * Any event carries the timeout; IPCT_HELPER also names the helper.
 */
static void avaya_keep_registration(struct nf_conn *ct,
				    const struct sk_buff *skb,
				    unsigned long lifetime)
{
	avaya_ct_refresh(ct, skb, lifetime);
	nf_conntrack_event_cache(IPCT_HELPER, ct);
}

/*
 * Unlinks the expectations of master @ct that @match selects and returns how
 * many: every helper here closes pinholes this way (URQ, CLC, BYE, ...).
 */
static unsigned int avaya_unexpect_if(struct nf_conn *ct,
				      bool (*match)(const struct nf_conntrack_expect *exp,
						    const void *arg),
				      const void *arg)
{
	struct nf_conn_help *help = nfct_help(ct);
	struct nf_conntrack_expect *exp;
	struct hlist_node *next;
	unsigned int n = 0;

	if (!help)
		return 0;
	spin_lock_bh(&nf_conntrack_expect_lock);
	hlist_for_each_entry_safe(exp, next, &help->expectations, lnode) {
		if (match(exp, arg)) {
			nf_ct_unlink_expect(exp);
			n++;
		}
	}
	spin_unlock_bh(&nf_conntrack_expect_lock);
	return n;
}

/* Whether master @ct has an expectation that @match selects. */
static bool avaya_expects_any(struct nf_conn *ct,
			      bool (*match)(const struct nf_conntrack_expect *exp,
					    const void *arg),
			      const void *arg)
{
	struct nf_conn_help *help = nfct_help(ct);
	struct nf_conntrack_expect *exp;
	bool found = false;

	if (!help)
		return false;
	spin_lock_bh(&nf_conntrack_expect_lock);
	hlist_for_each_entry(exp, &help->expectations, lnode) {
		if (match(exp, arg)) {
			found = true;
			break;
		}
	}
	spin_unlock_bh(&nf_conntrack_expect_lock);
	return found;
}

static bool exp_any(const struct nf_conntrack_expect *exp, const void *arg)
{
	return true;
}

static unsigned int avaya_unexpect_all(struct nf_conn *ct)
{
	return avaya_unexpect_if(ct, exp_any, NULL);
}

/* Malformed input is passed untouched: this is tracking, not filtering. */
static int avaya_bad_input(struct sk_buff *skb, const struct nf_conn *ct,
			   enum avaya_counter c, const char *what)
{
	avaya_count(nf_ct_net(ct), c);
	net_dbg_ratelimited("malformed %s passed through\n", what);
	if (READ_ONCE(strict)) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_DROPPED_STRICT);
		return NF_DROP;
	}
	return NF_ACCEPT;
}

/* ---------------------------------------------------------------------- */
/* Closing the flows of an ended call                                     */
/* ---------------------------------------------------------------------- */

/*
 * An ended call's media flows (and, for H.323, its H.245 connection) are
 * closed, not left to time out. They are found by a walk of the conntrack
 * table, which cannot run in softirq: the end of a call queues its
 * signalling conntrack (and for SIP the call's tag), and one worker closes
 * a whole batch in one walk per netns.
 */
#define FLOW_CLOSE_QUEUE	256

/* Set when the module goes: no new buffers, no new work. */
static bool avaya_unloading;

/*
 * One entry, zeroed before it is filled so that entries compare as bytes.
 * @stream narrows a SIP call's flows to those admitted toward one media
 * endpoint (@dst, either port of @dport), from @src when @has_src: a
 * stream that moved, or whose media peer did.
 */
struct flow_close {
	struct nf_conn *master;
	__be16 tag;		/* SIP: the call's Call-ID tag */
	bool any;		/* H.323: every child and grandchild */
	bool call_end;		/* H.323: those of the call in @slot */
	u8 slot;
	bool stream;
	bool has_src;
	__be16 dport[2];
	union nf_inet_addr dst;
	union nf_inet_addr src;
};

struct flow_close_batch {
	unsigned int n;
	struct flow_close q[FLOW_CLOSE_QUEUE];
};

static DEFINE_SPINLOCK(flow_close_lock);
static struct flow_close_batch flow_close_pending;
static struct flow_close_batch flow_close_running;	/* the worker's */

/*
 * A media flow's tag, if it is one: its SIP call's slot, or its H.323
 * logical channel.
 */
static bool media_flow_tag(const struct nf_conn *ct, __be16 *tag)
{
	const struct nf_conn_help *help = nfct_help(ct);
	const union avaya_master *am;
	enum avaya_helper_kind kind = avaya_ct_helper_kind(ct);

	if (kind != AVAYA_HELPER_SIP_RTP && kind != AVAYA_HELPER_CALL_RTP)
		return false;
	am = (const union avaya_master *)help->data;
	*tag = am->media.tag;
	return am->media.tagged;
}

/* A media flow admitted toward the entry's endpoint (from its source). */
static bool flow_close_to_stream(const struct flow_close *c,
				 const struct nf_conn *ct)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;

	if (!nf_inet_addr_cmp(&t->dst.u3, &c->dst) ||
	    (t->dst.u.all != c->dport[0] && t->dst.u.all != c->dport[1]))
		return false;
	return !c->has_src || nf_inet_addr_cmp(&t->src.u3, &c->src);
}

/*
 * The slot of the H.323 call that flow @ct (media, or an H.245 connection)
 * belongs to on its master's connection. A flow without a tag (picked up
 * on a backup firewall, or no room for the helper) belongs to slot 0.
 */
static unsigned int call_flow_slot(const struct nf_conn *ct)
{
	const union avaya_master *am;

	switch (avaya_ct_helper_kind(ct)) {
	case AVAYA_HELPER_CALL_RTP:
		am = (const union avaya_master *)nfct_help(ct)->data;
		return am->media.tagged ? ntohs(am->media.tag) >>
					  AVAYA_CALL_TAG_SLOT_SHIFT : 0;
	case AVAYA_HELPER_H245:
		am = (const union avaya_master *)nfct_help(ct)->data;
		return (READ_ONCE(am->call.flags) & AVAYA_CALL_H245_SLOT) >>
		       AVAYA_CALL_H245_SLOT_SHIFT;
	default:
		return 0;
	}
}

/*
 * A flow of the call in @c->slot: admitted by one of its pinholes, or by
 * a pinhole of its H.245 connection.
 */
static bool flow_close_of_call(const struct flow_close *c,
			       const struct nf_conn *ct)
{
	if (ct->master == c->master)
		return call_flow_slot(ct) == c->slot;
	return ct->master->master == c->master &&
	       avaya_ct_helper_kind(ct->master) == AVAYA_HELPER_H245 &&
	       call_flow_slot(ct->master) == c->slot;
}

static bool flow_close_hit(const struct flow_close *c, const struct nf_conn *ct)
{
	__be16 tag;

	if (c->any)
		return ct->master == c->master ||
		       ct->master->master == c->master;
	if (c->call_end)
		return flow_close_of_call(c, ct);
	if (ct->master != c->master || !media_flow_tag(ct, &tag) ||
	    tag != c->tag)
		return false;
	return !c->stream || flow_close_to_stream(c, ct);
}

/*
 * A call's H.245 connection goes with the call: the media pinholes it
 * opened go with it (the core would drop them too), counted as the call's.
 */
static void flow_close_pinholes(struct nf_conn *ct)
{
	unsigned int n;

	if (!call_helper_is_ours(ct))
		return;
	n = avaya_unexpect_all(ct);
	while (n--)
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_PINHOLE_REMOVED);
}

static int flow_close_match(struct nf_conn *ct, void *data)
{
	const struct flow_close_batch *b = data;
	unsigned int i;

	if (!ct->master)
		return 0;
	for (i = 0; i < b->n; i++) {
		if (flow_close_hit(&b->q[i], ct)) {
			avaya_count(nf_ct_net(ct), b->q[i].any ||
				    call_helper_is_ours(b->q[i].master) ?
				    AVAYA_CTR_CALL_FLOW_CLOSED :
				    AVAYA_CTR_SIP_MEDIA_FLOW_CLOSED);
			flow_close_pinholes(ct);
			return 1;
		}
	}
	return 0;
}

static bool flow_close_net_done(const struct flow_close_batch *b,
				unsigned int upto)
{
	const struct net *net = nf_ct_net(b->q[upto].master);
	unsigned int i;

	for (i = 0; i < upto; i++)
		if (net_eq(nf_ct_net(b->q[i].master), net))
			return true;
	return false;
}

static void flow_close_work_fn(struct work_struct *work)
{
	struct flow_close_batch *b = &flow_close_running;
	struct nf_ct_iter_data iter = { .data = b };
	unsigned int i;

	spin_lock_bh(&flow_close_lock);
	*b = flow_close_pending;
	flow_close_pending.n = 0;
	spin_unlock_bh(&flow_close_lock);
	for (i = 0; i < b->n; i++) {
		if (flow_close_net_done(b, i))
			continue;
		iter.net = nf_ct_net(b->q[i].master);
		nf_ct_iterate_cleanup_net(flow_close_match, &iter);
	}
	for (i = 0; i < b->n; i++)
		nf_ct_put(b->q[i].master);
	b->n = 0;
}

static DECLARE_WORK(flow_close_work, flow_close_work_fn);

/* A FIN in each direction, or ReleaseComplete then FIN: one walk will do. */
static bool flow_close_queued(const struct flow_close_batch *p,
			      const struct flow_close *c)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		if (!memcmp(&p->q[i], c, sizeof(*c)))
			return true;
	return false;
}

/*
 * Channel closes and moved streams are requests one call can repeat: at
 * most FLOW_CLOSE_PER_MASTER of a master wait at once, so a flood of
 * CloseLogicalChannels or re-INVITEs cannot fill the queue that every
 * other call's end needs. A call's end (ReleaseComplete, BYE) happens
 * once per call and is never held back.
 */
#define FLOW_CLOSE_PER_MASTER	8

static bool flow_close_master_full(const struct flow_close_batch *p,
				   const struct flow_close *c)
{
	unsigned int i, n = 0;

	if (c->any || c->call_end ||
	    (!c->stream && !call_helper_is_ours(c->master)))
		return false;
	for (i = 0; i < p->n; i++)
		n += p->q[i].master == c->master;
	return n >= FLOW_CLOSE_PER_MASTER;
}

/* Queue @c, whose master is @c->master, for the worker. */
static void flow_close_queue(const struct flow_close *c)
{
	struct flow_close_batch *p = &flow_close_pending;
	struct nf_conn *ct = c->master;
	bool queued = false;

	spin_lock_bh(&flow_close_lock);
	if (flow_close_queued(p, c)) {
		spin_unlock_bh(&flow_close_lock);
		return;
	}
	if (p->n < FLOW_CLOSE_QUEUE && !READ_ONCE(avaya_unloading) &&
	    !flow_close_master_full(p, c)) {
		refcount_inc(&ct->ct_general.use);
		memcpy(&p->q[p->n++], c, sizeof(*c));
		queued = true;
	}
	spin_unlock_bh(&flow_close_lock);
	if (queued)
		schedule_work(&flow_close_work);
	else
		avaya_count(nf_ct_net(ct), AVAYA_CTR_FLOW_CLOSE_QUEUE_FULL);
}

/* H.323: every flow the call admitted, its H.245 connection's included. */
static void flow_close_call(struct nf_conn *ct)
{
	struct flow_close c;

	memset(&c, 0, sizeof(c));
	c.master = ct;
	c.any = true;
	flow_close_queue(&c);
}

/* H.323: every flow of one call on the connection (its ReleaseComplete). */
static void flow_close_slot(struct nf_conn *ct, unsigned int slot)
{
	struct flow_close c;

	memset(&c, 0, sizeof(c));
	c.master = ct;
	c.call_end = true;
	c.slot = slot;
	flow_close_queue(&c);
}

/*
 * H.323: the media flows of one logical channel of one call
 * (CloseLogicalChannel), @tag as in call_tag().
 */
static void flow_close_channel(struct nf_conn *ct, u16 tag)
{
	struct flow_close c;

	memset(&c, 0, sizeof(c));
	c.master = ct;
	c.tag = htons(tag);
	flow_close_queue(&c);
}

/* SIP: the media flows of the call in @slot of @ct's book. */
static void flow_close_sip_call(struct nf_conn *ct, __be16 slot)
{
	struct flow_close c;

	memset(&c, 0, sizeof(c));
	c.master = ct;
	c.tag = slot;
	flow_close_queue(&c);
}

/*
 * SIP: the call's media flows toward @dst at @dport[0] or @dport[1], from
 * @src only when it is not NULL.
 */
static void flow_close_sip_stream(struct nf_conn *ct, __be16 slot,
				  const union nf_inet_addr *dst,
				  const __be16 *dport,
				  const union nf_inet_addr *src)
{
	struct flow_close c;

	memset(&c, 0, sizeof(c));
	c.master = ct;
	c.tag = slot;
	c.stream = true;
	c.dst = *dst;
	c.dport[0] = dport[0];
	c.dport[1] = dport[1] ? dport[1] : dport[0];
	if (src) {
		c.has_src = true;
		c.src = *src;
	}
	flow_close_queue(&c);
}

/* ---------------------------------------------------------------------- */
/* RAS                                                                    */
/* ---------------------------------------------------------------------- */

static struct avaya_ras_master *ras_master(const struct nf_conn *ct)
{
	union avaya_master *am = nfct_help_data(ct);

	return &am->ras;
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

static bool exp_in_class(const struct nf_conntrack_expect *exp, const void *arg)
{
	return exp->class == *(const unsigned int *)arg;
}

/* Removes the master's expectations of one class, e.g. on URQ or a new RCF. */
static unsigned int ras_remove_expectations(struct nf_conn *ct, unsigned int class)
{
	return avaya_unexpect_if(ct, exp_in_class, &class);
}

struct ras_supersede {
	const struct nf_conn *keep;
	u32 epid_hash;
	unsigned int removed;
};

/* The gatekeeper a RAS flow registers with, as the phone addresses it. */
static const union nf_inet_addr *ras_gatekeeper(const struct nf_conn *ct)
{
	return &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.u3;
}

/*
 * A phone that registered again from elsewhere loses its old pinholes. An
 * endpointIdentifier is only unique per gatekeeper: two gatekeepers may
 * both hand out "00000001", so the gatekeeper must match too.
 */
static bool ras_superseded(struct nf_conntrack_expect *exp, void *data)
{
	struct ras_supersede *s = data;
	struct avaya_ras_master *old;

	if (exp->master == s->keep || exp->class != AVAYA_EXP_REVERSE ||
	    nf_ct_l3num(exp->master) != nf_ct_l3num(s->keep) ||
	    !nf_inet_addr_cmp(ras_gatekeeper(exp->master),
			      ras_gatekeeper(s->keep)))
		return false;
	if (avaya_ct_helper_kind(exp->master) != AVAYA_HELPER_RAS)
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
	return jhash(data + m->epid_off, m->epid_chars * 2, avaya_hash_seed) | 1;
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

/* Insert a RAS pinhole, through NAT when the flow is NATed. */
static int ras_expect_related(struct sk_buff *skb, struct nf_conn *ct,
			      enum ip_conntrack_info ctinfo,
			      struct nf_conntrack_expect *exp,
			      unsigned long lifetime)
{
	const struct avaya_nat_ops *nat = rcu_dereference(avaya_nat_hook);
	int ret;

	if (nat && ct->status & IPS_NAT_MASK)
		ret = nat->ras_expect(skb, ct, ctinfo, exp);
	else
		ret = nf_ct_expect_related(exp, 0);
	if (!ret)
		avaya_expect_lifetime(exp, lifetime);
	return ret;
}

#define RAS_MAX_REVERSE_EXPECT	32

static int ras_open_reverse(struct sk_buff *skb, struct nf_conn *ct,
			    enum ip_conntrack_info ctinfo,
			    const struct avaya_ras *rcf,
			    struct avaya_ras_master *rm, unsigned long lifetime)
{
	union nf_inet_addr src[1 + RAS_MAX_ADDRS];
	u16 base[32], mask[32];
	unsigned int nsrc, nblk, i, j;
	u32 ports = READ_ONCE(gk_src_ports);
	int ret;

	nsrc = ras_gk_sources(ct, rcf, rm, src, ARRAY_SIZE(src));
	nblk = port_range_blocks(ports >> 16, ports & 0xffff, base, mask,
				 ARRAY_SIZE(base));
	if (!nblk || nsrc * nblk > RAS_MAX_REVERSE_EXPECT) {
		avaya_refused(ct, AVAYA_CTR_REFUSED_TOO_MANY_PINHOLES,
			      "reverse pinhole: %u sources x %u port blocks exceed %u",
			      nsrc, nblk, RAS_MAX_REVERSE_EXPECT);
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
					   avaya_helper_for(AVAYA_HELPER_Q931, ct));
			exp->expectfn = avaya_expected;
			ret = ras_expect_related(skb, ct, ctinfo, exp, lifetime);
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
	/*
	 * The phone opens the RAS flow. An RRQ in the reply direction comes
	 * from the gatekeeper's side of a flow the helper should not be on;
	 * taking it would let that side also forge the RCF that answers it.
	 */
	if (dir != IP_CT_DIR_ORIGINAL) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_REFUSED_RRQ_REPLY_DIRECTION);
		return;
	}
	rm->rrq_keepalive = m->keep_alive;
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
	avaya_refused(ct, AVAYA_CTR_REFUSED_CSA_NOT_SOURCE,
		      "callSignalAddress is not the phone's own address");
	if (rm->state == AVAYA_RAS_RRQ_SEEN)
		rm->state = AVAYA_RAS_IDLE;
}

static unsigned long ras_lifetime(const struct avaya_ras *m)
{
	u32 ttl = m->has_ttl ? m->ttl : READ_ONCE(ras_default_ttl);

	ttl = min(ttl, READ_ONCE(ras_max_ttl));
	return avaya_lifetime(ttl, READ_ONCE(ras_ttl_grace));
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
	u32 old_epid = rm->epid_hash;
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
		avaya_refused(ct, AVAYA_CTR_REFUSED_EXPECT_FAILED,
			      "the conntrack core refused the pinhole (table full?)");
		if (ret == -ENOSPC)
			return NF_ACCEPT;
		nf_ct_helper_log(skb, ct, "cannot add reverse signalling expectation");
		return NF_DROP;
	}
	rm->state = AVAYA_RAS_REGISTERED;
	avaya_count(net, refresh ? AVAYA_CTR_REVERSE_PINHOLE_REFRESHED :
				   AVAYA_CTR_REVERSE_PINHOLE_OPENED);
	/* The RAS flow itself must outlive the keepalive interval. */
	avaya_keep_registration(ct, skb, lifetime);
	/*
	 * The netns-wide walk runs for a full registration, which may follow
	 * one from elsewhere; keepalive RCFs (one per TTL per phone) of an
	 * unchanged identity do not pay for it.
	 */
	if (rm->epid_hash &&
	    !(refresh && rm->rrq_keepalive && rm->epid_hash == old_epid)) {
		sup.epid_hash = rm->epid_hash;
		nf_ct_expect_iterate_net(nf_ct_net(ct), ras_superseded, &sup, 0, 0);
		if (sup.removed)
			avaya_count(net, AVAYA_CTR_REVERSE_PINHOLE_SUPERSEDED);
	}
	return NF_ACCEPT;
}

static void ras_unregister(struct nf_conn *ct)
{
	struct avaya_ras_master *rm = ras_master(ct);

	if (ras_remove_expectations(ct, AVAYA_EXP_REVERSE))
		avaya_count(nf_ct_net(ct), AVAYA_CTR_REVERSE_PINHOLE_REMOVED);
	rm->state = AVAYA_RAS_IDLE;
}

#define GCF_EXPECT_LIFETIME	(10 * HZ)

/*
 * Narrow the GCF pinhole's source to the configured prefix. Once a prefix
 * is set, discovery in the other address family finds no gatekeeper:
 * false, and no pinhole.
 */
static bool gcf_restrict_source(struct nf_conntrack_expect *exp, u8 family)
{
	const struct avaya_prefix_set *s = rcu_dereference(gk_discovery.set);
	const struct avaya_prefix *n = s ? &s->p[0] : NULL;

	if (!n)
		return true;
	if (n->family != family)
		return false;
	exp->tuple.src.u3 = n->addr;
	exp->mask.src.u3 = n->mask;
	return true;
}

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
		avaya_refused(ct, AVAYA_CTR_REFUSED_GRQ_RAS_NOT_SOURCE,
			      "GRQ rasAddress is not the sender's own address");
		return NF_ACCEPT;
	}
	taddr_to_inet(&m->ras[0], &ras);
	ph_port = htons(m->ras[0].port);
	exp = nf_ct_expect_alloc(ct);
	if (!exp)
		return NF_DROP;
	nf_ct_expect_init(exp, AVAYA_EXP_GCF, nf_ct_l3num(ct), NULL, &ras,
			  IPPROTO_UDP, &gk_port, &ph_port);
	if (!gcf_restrict_source(exp, m->ras[0].family)) {
		nf_ct_expect_put(exp);
		avaya_count(nf_ct_net(ct), AVAYA_CTR_GCF_REFUSED_NO_PREFIX);
		return NF_ACCEPT;
	}
	rcu_assign_pointer(exp->assign_helper, avaya_helper_for(AVAYA_HELPER_RAS, ct));
	exp->expectfn = avaya_expected;
	ret = ras_expect_related(skb, ct, ctinfo, exp, GCF_EXPECT_LIFETIME);
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
	if (avaya_ras_decode(data, len, &m) < 0)
		return avaya_bad_input(skb, ct, AVAYA_CTR_RAS_MALFORMED, "RAS");

	nat = rcu_dereference(avaya_nat_hook);
	if (nat && ct->status & IPS_NAT_MASK) {
		ret = nat->ras(skb, ct, ctinfo, protoff, &data, &len, &m);
		if (ret != NF_ACCEPT)
			return ret;
	}
	return ras_dispatch(skb, ct, ctinfo, data, &m);
}

/* ---------------------------------------------------------------------- */
/* Calls: Q.931 and H.245                                                 */
/* ---------------------------------------------------------------------- */

/*
 * Limits. A call needs at most a handful of media pinholes (RTP and RTCP,
 * each way, audio and maybe video): more than CALL_MAX_MEDIA_EXPECT per
 * signalling connection is refused and counted, never evicted silently.
 */
#define CALL_MAX_H245_EXPECT	4
#define CALL_MAX_MEDIA_EXPECT	16
#define CALL_TPKT_MAX		4096	/* longest TPKT we reassemble */
#define CALL_HOLD_MAX		1024	/* reassembly buffers in the system */

/* The part of a TPKT received so far, when a segment ended inside it. */
struct avaya_tpkt_hold {
	u16 have;
	u8 data[CALL_TPKT_MAX];
};

static atomic_t call_hold_count = ATOMIC_INIT(0);

static struct avaya_call_master *call_master(const struct nf_conn *ct)
{
	union avaya_master *am = nfct_help_data(ct);

	return &am->call;
}

/*
 * Clears @flag and says whether it was set: of several ReleaseCompletes or
 * FINs, only the first after a flow does the expensive work.
 */
static bool call_take_flag(struct nf_conn *ct, u8 flag)
{
	struct avaya_call_master *cm = call_master(ct);
	u8 old = READ_ONCE(cm->flags);

	while (old & flag) {
		u8 seen = cmpxchg(&cm->flags, old, old & ~flag);

		if (seen == old)
			return true;
		old = seen;
	}
	return false;
}

/* Sets every bit of @flag. */
static void call_set_flag(struct nf_conn *ct, u8 flag)
{
	struct avaya_call_master *cm = call_master(ct);
	u8 old = READ_ONCE(cm->flags);

	while ((old & flag) != flag) {
		u8 seen = cmpxchg(&cm->flags, old, old | flag);

		if (seen == old)
			return;
		old = seen;
	}
}

/*
 * The tag of a call pinhole: its call's slot and its logical channel. The
 * channel is folded into 14 bits; two channels of one call that fold
 * together close together, which only the call's own parties can cause.
 */
static u16 call_tag(unsigned int slot, u16 channel)
{
	u16 ch = channel ? (channel - 1) % AVAYA_CALL_TAG_CHANNELS + 1 : 0;

	return slot << AVAYA_CALL_TAG_SLOT_SHIFT | ch;
}

static unsigned int call_tag_slot(u16 tag)
{
	return tag >> AVAYA_CALL_TAG_SLOT_SHIFT;
}

/*
 * A pinhole tagged with slot *@arg. A free slot that still has one (synced
 * from the primary firewall for a call this one never saw set up) is not
 * taken: the new call would take over the old call's pinholes and flows.
 */
static bool exp_has_slot_tag(const struct nf_conntrack_expect *exp,
			     const void *arg)
{
	return call_tag_slot(ntohs(exp->tuple.src.u.all)) ==
	       *(const unsigned int *)arg;
}

/* The slot of call reference @ref on @ct, 0 when it has none. */
static unsigned int call_slot_find(struct nf_conn *ct, u16 ref)
{
	struct avaya_call_master *cm = call_master(ct);
	unsigned int i;

	if (!ref)
		return 0;
	for (i = 0; i < AVAYA_CALL_SLOTS; i++)
		if ((READ_ONCE(cm->calls[i]) & AVAYA_CALL_REF_MASK) == ref)
			return i + 1;
	return 0;
}

/*
 * A Setup: the slot of call reference @ref, taken if the call has none yet;
 * 0 for call reference 0 and when every slot is taken (counted). Only a
 * Setup takes one: any other message of a call without a slot (its Setup
 * missed, or it found the slots full) stays in slot 0, so a call never
 * moves between slots and a dead call's late message cannot hold one. The
 * two directions may take one at once: both try the slots in the same
 * order, and the one that loses finds the winner's entry.
 */
static unsigned int call_slot_take(struct nf_conn *ct, u16 ref)
{
	struct avaya_call_master *cm = call_master(ct);
	unsigned int i, slot = call_slot_find(ct, ref);
	u16 seen;

	if (slot || !ref)
		return slot;
	for (i = 0; i < AVAYA_CALL_SLOTS; i++) {
		slot = i + 1;
		if (!READ_ONCE(cm->calls[i]) &&
		    avaya_expects_any(ct, exp_has_slot_tag, &slot))
			continue;
		seen = cmpxchg(&cm->calls[i], 0, ref);
		if (!seen || (seen & AVAYA_CALL_REF_MASK) == ref)
			return slot;
	}
	avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_SLOTS_FULL);
	return 0;
}

/*
 * A pinhole of @slot admitted a flow: the call's end must close it.
 * Returns the slot the flow belongs to: @slot while a call holds it, else
 * 0 (a synced copy on a backup firewall, which saw no Setup, or a call
 * released meanwhile), whose end is any ReleaseComplete that names no
 * call of ours, and the connection's end.
 */
static unsigned int call_slot_flows(struct nf_conn *ct, unsigned int slot)
{
	struct avaya_call_master *cm = call_master(ct);
	u16 old = 0;

	if (slot && slot <= AVAYA_CALL_SLOTS)
		old = READ_ONCE(cm->calls[slot - 1]);
	while (old && !(old & AVAYA_CALL_SLOT_FLOWS)) {
		u16 seen = cmpxchg(&cm->calls[slot - 1], old,
				   old | AVAYA_CALL_SLOT_FLOWS);

		if (seen == old)
			return slot;
		old = seen;
	}
	if (old)
		return slot;
	call_set_flag(ct, AVAYA_CALL_FLOWS);
	return 0;
}

/*
 * The call with reference @ref in @slot ended: its slot is freed, or with
 * @keep_ref (a tunnelled endSession: its ReleaseComplete is still to
 * come) only its flows are forgotten. Says whether one of its pinholes
 * admitted a flow: only the first end does the expensive work. A slot
 * another call took meanwhile is left alone.
 */
static bool call_slot_end(struct nf_conn *ct, unsigned int slot, u16 ref,
			  bool keep_ref)
{
	u16 *entry, old;

	if (!slot)
		return call_take_flag(ct, AVAYA_CALL_FLOWS);
	entry = &call_master(ct)->calls[slot - 1];
	old = READ_ONCE(*entry);
	while (ref && (old & AVAYA_CALL_REF_MASK) == ref) {
		u16 seen = cmpxchg(entry, old,
				   keep_ref ? old & ~AVAYA_CALL_SLOT_FLOWS : 0);

		if (seen == old)
			return old & AVAYA_CALL_SLOT_FLOWS;
		old = seen;
	}
	return false;
}

/* The connection ended: every slot is free; did any call admit a flow? */
static bool call_slots_free_all(struct nf_conn *ct)
{
	bool flows = call_take_flag(ct, AVAYA_CALL_FLOWS);
	unsigned int i;

	for (i = 0; i < AVAYA_CALL_SLOTS; i++)
		flows |= xchg(&call_master(ct)->calls[i], 0) &
			 AVAYA_CALL_SLOT_FLOWS;
	return flows;
}

/*
 * Malformed call signalling, unless the flow was picked up in the middle of
 * its stream (a backup firewall's copy), nothing decoded yet in this
 * direction and its segment budget lasts: then we are only out of step,
 * and strict drops nothing.
 */
static int call_bad_input(struct sk_buff *skb, struct nf_conn *ct,
			  enum ip_conntrack_info ctinfo, enum avaya_counter c,
			  const char *what)
{
	u8 pickup = AVAYA_CALL_PICKUP_DIR(CTINFO2DIR(ctinfo));

	if (READ_ONCE(call_master(ct)->flags) & pickup) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_HA_PICKUP_SKIPPED);
		return NF_ACCEPT;
	}
	return avaya_bad_input(skb, ct, c, what);
}

/* A message decoded: this direction is in step again. */
static void call_in_step(struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	u8 pickup = AVAYA_CALL_PICKUP_DIR(CTINFO2DIR(ctinfo));

	if (unlikely(READ_ONCE(call_master(ct)->flags) & pickup))
		call_take_flag(ct, pickup);
}

/*
 * A segment with new data in @dir: it uses one of the picked-up flow's
 * excused segments. With none left the direction is held to strict again,
 * whether or not anything decoded: a peer cannot stay out of step forever.
 */
static void call_pickup_spend(struct nf_conn *ct, int dir)
{
	struct avaya_call_master *cm = call_master(ct);
	u8 pickup = AVAYA_CALL_PICKUP_DIR(dir);
	unsigned int shift;
	u8 old;

	if (likely(!(READ_ONCE(cm->flags) & pickup)))
		return;
	shift = dir ? 4 : 0;
	old = READ_ONCE(cm->pickup_left);
	while ((old >> shift) & 0xf) {
		u8 seen = cmpxchg(&cm->pickup_left, old, old - (1 << shift));

		if (seen == old)
			return;
		old = seen;
	}
	call_take_flag(ct, pickup);
}

static void call_hold_free(struct avaya_tpkt_hold *p)
{
	if (!p)
		return;
	kfree(p);
	atomic_dec(&call_hold_count);
}

static struct avaya_tpkt_hold *call_hold_alloc(void)
{
	struct avaya_tpkt_hold *p;

	if (READ_ONCE(avaya_unloading) ||
	    atomic_inc_return(&call_hold_count) > CALL_HOLD_MAX) {
		atomic_dec(&call_hold_count);
		return NULL;
	}
	p = kmalloc(sizeof(*p), GFP_ATOMIC);
	if (!p)
		atomic_dec(&call_hold_count);
	return p;
}

/*
 * Buffers change hands with xchg(): the two directions, or two CPUs in one
 * direction, never share one, and no lock is needed.
 */
static void call_hold_put(struct nf_conn *ct, int dir, struct avaya_tpkt_hold *p)
{
	struct avaya_call_master *cm = call_master(ct);

	call_hold_free(xchg(&cm->hold[dir], p));
	/*
	 * .destroy may have run meanwhile on another CPU (the connection was
	 * deleted while this packet held it), or the module is going: then
	 * nobody would free the buffer. DYING is set before .destroy runs.
	 */
	if (p && (nf_ct_is_dying(ct) || READ_ONCE(avaya_unloading)))
		call_hold_free(xchg(&cm->hold[dir], NULL));
}

static void call_destroy(struct nf_conn *ct)
{
	call_hold_put(ct, IP_CT_DIR_ORIGINAL, NULL);
	call_hold_put(ct, IP_CT_DIR_REPLY, NULL);
}

/*
 * A party may only announce where it receives itself: the sender's own
 * address, as it sends from it. An address of the receiver (or, under
 * masquerade, the firewall's public one) would let the sender pick a port
 * on the other party or on the firewall and be let in there.
 */
static bool call_is_party(const struct avaya_taddr *a, const struct nf_conn *ct,
			  int dir, union nf_inet_addr *from)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[dir].tuple;

	if (!a->port || !taddr_is(a, ct, &t->src.u3))
		return false;
	*from = t->dst.u3;
	return true;
}

/*
 * Insert a call pinhole, through NAT when the flow is NATed. *@pub is the
 * port the far side must use: NAT's choice for the sender's own address.
 * @h235: the announcing message carries H.235 tokens (NAT may leave
 * it as it is, and then the pinhole must be on the announced port).
 */
static int call_expect_related(struct nf_conn *ct,
			       enum ip_conntrack_info ctinfo,
			       struct nf_conntrack_expect *exp,
			       unsigned long lifetime, bool h235,
			       u16 *pub)
{
	const struct avaya_nat_ops *nat = rcu_dereference(avaya_nat_hook);
	int ret;

	*pub = ntohs(exp->tuple.dst.u.all);
	if (nat && ct->status & IPS_NAT_MASK)
		ret = nat->call_expect(ct, ctinfo, exp, h235, pub);
	else
		ret = nf_ct_expect_related(exp, 0);
	if (!ret)
		avaya_expect_lifetime(exp, lifetime);
	return ret;
}

/*
 * Whether @exp leads to @to:@port. Under NAT its tuple names the public end
 * and the private one is in saved_addr/saved_proto, which
 * nf_ct_expect_init() zeroes for every other expectation.
 */
static bool call_exp_leads_to(const struct nf_conntrack_expect *exp,
			      const union nf_inet_addr *to, __be16 port)
{
	if (nf_inet_addr_cmp(&exp->tuple.dst.u3, to) &&
	    exp->tuple.dst.u.all == port)
		return true;
#if IS_ENABLED(CONFIG_NF_NAT)
	return nf_inet_addr_cmp(&exp->saved_addr, to) &&
	       exp->saved_proto.all == port;
#else
	return false;
#endif
}

/*
 * Whether @ct has a pending @class pinhole tagged @tag to @to:@port: an
 * address announced again. Inserting it anew replaces that expectation
 * (same master, class and tuple; NAT reuses its public port), so it never
 * adds one beyond the cap. The source address is not compared: NAT may
 * have rewritten it.
 */
static bool call_exp_pending(struct nf_conn *ct, unsigned int class, u8 proto,
			     const union nf_inet_addr *to, __be16 port,
			     u16 tag)
{
	struct nf_conn_help *help = nfct_help(ct);
	const struct nf_conntrack_expect *exp;
	bool found = false;

	spin_lock_bh(&nf_conntrack_expect_lock);
	hlist_for_each_entry(exp, &help->expectations, lnode) {
		if (exp->class == class && exp->tuple.dst.protonum == proto &&
		    exp->tuple.src.u.all == htons(tag) &&
		    call_exp_leads_to(exp, to, port)) {
			found = true;
			break;
		}
	}
	spin_unlock_bh(&nf_conntrack_expect_lock);
	return found;
}

/*
 * What one call signalling message is, for the pinholes it opens: the
 * connection, the direction, and whether it is H.235-protected.
 */
struct call_msg {
	struct sk_buff *skb;
	struct nf_conn *ct;
	enum ip_conntrack_info ctinfo;
	bool h235;	/* H.235 tokens in the message */
	u16 ref;		/* its call reference, flag bit cleared */
	unsigned int slot;	/* its call's slot; 0 on avaya-h245 */
	bool tunnelled;		/* on Q.931: its H.245 is the call's */
};

/*
 * One pinhole from @from to @a. RTP source ports are not signalled, so the
 * source port is wildcarded; its slot in the tuple, ignored by the zero
 * mask, carries the tag: the call and the logical channel that
 * ReleaseComplete and CloseLogicalChannel name. *@pub is its public port,
 * 0 when it was not opened.
 */
static int call_expect(const struct call_msg *cm, unsigned int class,
		       const union nf_inet_addr *from,
		       const struct avaya_taddr *a, u16 port, u16 tag,
		       u16 *pub)
{
	struct nf_conn *ct = cm->ct;
	const struct net *net = nf_ct_net(ct);
	struct nf_conntrack_expect *exp;
	union nf_inet_addr to;
	__be16 dport = htons(port);
	u8 proto = class == AVAYA_EXP_H245 ? IPPROTO_TCP : IPPROTO_UDP;
	int ret;

	*pub = 0;
	taddr_to_inet(a, &to);
	/*
	 * At the cap the kernel would evict the call's oldest pinhole for a
	 * new one: refuse instead. An address announced again (fastStart,
	 * then OLC/OLCAck) is no new one: it goes on, to be refreshed and,
	 * under NAT, to learn its public port, or it would leave unrewritten.
	 */
	if (READ_ONCE(nfct_help(ct)->expecting[class]) >=
	    call_exp_policy[class].max_expected &&
	    !call_exp_pending(ct, class, proto, &to, dport, tag)) {
		avaya_refused(ct, AVAYA_CTR_CALL_REFUSED_TOO_MANY,
			      "more than %u %s pinholes on one connection",
			      call_exp_policy[class].max_expected,
			      call_exp_policy[class].name);
		return 0;
	}
	exp = nf_ct_expect_alloc(ct);
	if (!exp)
		return -ENOMEM;
	nf_ct_expect_init(exp, class, nf_ct_l3num(ct), from, &to, proto,
			  NULL, &dport);
	exp->tuple.src.u.all = htons(tag);
	exp->expectfn = avaya_expected;
	if (class == AVAYA_EXP_H245)
		rcu_assign_pointer(exp->assign_helper,
				   avaya_helper_for(AVAYA_HELPER_H245, ct));
	ret = call_expect_related(ct, cm->ctinfo, exp,
				  call_exp_policy[class].timeout * HZ,
				  cm->h235, pub);
	nf_ct_expect_put(exp);
	if (ret)
		*pub = 0;
	if (ret == -ENOMEM || ret == -EMFILE)
		return ret;
	if (ret) {
		/*
		 * Already expected, e.g. one RTCP port serving both channels,
		 * or by another call: not ours to take over.
		 */
		avaya_count(net, AVAYA_CTR_CALL_PINHOLE_ALREADY_EXPECTED);
		return 0;
	}
	avaya_count(net, class == AVAYA_EXP_H245 ? AVAYA_CTR_CALL_H245_PINHOLE_OPENED :
						   AVAYA_CTR_CALL_MEDIA_PINHOLE_OPENED);
	return 0;
}

static int call_expect_failed(struct sk_buff *skb, struct nf_conn *ct)
{
	avaya_refused(ct, AVAYA_CTR_CALL_REFUSED_EXPECT_FAILED,
		      "the conntrack core refused the pinhole (table full?)");
	nf_ct_helper_log(skb, ct, "cannot add call expectation");
	return NF_DROP;
}

/*
 * The H.245 connection comes from the other party to the signalled address.
 * *@pub is the pinhole's public port (0: none), for NAT to announce.
 */
static int call_open_h245(const struct call_msg *cm,
			  const struct avaya_taddr *a, u16 *pub)
{
	union nf_inet_addr from;

	if (!call_is_party(a, cm->ct, CTINFO2DIR(cm->ctinfo), &from)) {
		avaya_refused(cm->ct, AVAYA_CTR_CALL_REFUSED_NOT_PARTY,
			      "a signalled address is not its sender's own");
		return NF_ACCEPT;
	}
	if (call_expect(cm, AVAYA_EXP_H245, &from, a, a->port,
			call_tag(cm->slot, 0), pub))
		return call_expect_failed(cm->skb, cm->ct);
	return NF_ACCEPT;
}

/*
 * Gatekeeper-routed media. The gatekeeper side of a call (Avaya CM) signals
 * for media gateways, and for the other phone after shuffling: a media
 * address it announces may name a third party T. Such an address is not
 * the announcer's own (finding H1), so it is only taken from the
 * gatekeeper's end, and only when T is inside the admin's media_peers:
 * then the receiver of the message (the phone) sends to T.
 */

/*
 * The gatekeeper's address on call signalling @ct: the caller of a
 * reverse connection (its master is the RAS flow), else the called end of
 * the phone's own connection. An H.245 connection asks its Q.931 one.
 */
static const union nf_inet_addr *call_gatekeeper(const struct nf_conn *ct)
{
	if (avaya_ct_helper_kind(ct) == AVAYA_HELPER_H245 && ct->master)
		ct = ct->master;
	return &ct->tuplehash[ct->master ? IP_CT_DIR_ORIGINAL :
				IP_CT_DIR_REPLY].tuple.src.u3;
}

/* One of the addresses the signalling connection itself runs between. */
static bool call_addr_is_party(const struct nf_conn *ct,
			       const union nf_inet_addr *addr)
{
	int dir;

	for (dir = 0; dir < IP_CT_DIR_MAX; dir++) {
		const struct nf_conntrack_tuple *t = &ct->tuplehash[dir].tuple;

		if (nf_inet_addr_cmp(&t->src.u3, addr) ||
		    nf_inet_addr_cmp(&t->dst.u3, addr))
			return true;
	}
	return false;
}

/* A media address naming neither end of the connection: *@t is it. */
static bool call_names_third_party(const struct avaya_taddr *a,
				   const struct nf_conn *ct,
				   union nf_inet_addr *t)
{
	u8 family = nf_ct_l3num(ct) == NFPROTO_IPV4 ? 4 : 6;

	if (!a->port || a->family != family)
		return false;
	taddr_to_inet(a, t);
	return !call_addr_is_party(ct, t);
}

/* A third-party pinhole of channel @channel: sent from @src to a media peer. */
static bool exp_is_third_party(const struct nf_conn *ct,
			       const struct nf_conntrack_expect *exp,
			       u16 tag, const union nf_inet_addr *src)
{
	return exp->class == AVAYA_EXP_MEDIA &&
	       (tag & AVAYA_CALL_TAG_CHANNELS) &&
	       ntohs(exp->tuple.src.u.all) == tag &&
	       nf_inet_addr_cmp(&exp->tuple.src.u3, src) &&
	       !call_addr_is_party(ct, &exp->tuple.dst.u3);
}

/*
 * The media peer that sends to @own on channel @tag: the third party the
 * other side named for @own on the same logical channel of the same call
 * (pairing by channel: forward and reverse parameters and their Ack share
 * its number). False while none was named: then the signalling peer
 * sends, as without a gatekeeper.
 */
static bool call_media_peer(struct nf_conn *ct, u16 tag,
			    const union nf_inet_addr *own,
			    union nf_inet_addr *peer)
{
	struct nf_conntrack_expect *exp;
	bool found = false;

	spin_lock_bh(&nf_conntrack_expect_lock);
	hlist_for_each_entry(exp, &nfct_help(ct)->expectations, lnode) {
		if (exp_is_third_party(ct, exp, tag, own)) {
			*peer = exp->tuple.dst.u3;
			found = true;
			break;
		}
	}
	spin_unlock_bh(&nf_conntrack_expect_lock);
	/* A prefix the admin removed, or an address now the firewall's. */
	return found && media_peer_allowed(ct, peer);
}

/*
 * The receiver of an announcement naming media peer @peer had announced
 * its own addresses of @channel before, open from the signalling peer
 * @sig: those pinholes now admit @peer instead. The source address is
 * not part of the expectation hash (the destination is), and the core
 * matches expectations under this lock, so it is changed in place: the
 * public port NAT chose, and announced, stays. The core's clash check does
 * not see the new tuple, so it is done here, under the same lock: a
 * pinhole that would equal another connection's (whose traffic it would
 * take) is not moved, counted and logged. NAT gives each endpoint its own
 * public ports (nf_nat_avaya's port claims), so that is rare. Equal to one
 * of this call's own (another channel's pinhole from the same peer to the
 * same port, as fastStart and OLC announce one port twice) is no clash:
 * both lead to the same place of the same call.
 */
static bool call_move_clashes(struct nf_conn *ct,
			      const struct nf_conntrack_expect *exp,
			      const union nf_inet_addr *peer)
{
	struct nf_conntrack_tuple t = exp->tuple;
	struct nf_conntrack_expect *other;
	bool clash;

	t.src.u3 = *peer;
	rcu_read_lock();
	other = __nf_ct_expect_find(nf_ct_net(ct), nf_ct_zone(ct), &t);
	clash = other && other->master != ct;
	rcu_read_unlock();
	return clash;
}

static void call_move_to_peer(struct nf_conn *ct, u16 tag,
			      const union nf_inet_addr *sig,
			      const union nf_inet_addr *peer)
{
	struct nf_conntrack_expect *exp;
	unsigned int n = 0, refused = 0;

	spin_lock_bh(&nf_conntrack_expect_lock);
	hlist_for_each_entry(exp, &nfct_help(ct)->expectations, lnode) {
		if (exp->class != AVAYA_EXP_MEDIA ||
		    !(tag & AVAYA_CALL_TAG_CHANNELS) ||
		    ntohs(exp->tuple.src.u.all) != tag ||
		    !nf_inet_addr_cmp(&exp->tuple.src.u3, sig) ||
		    !call_addr_is_party(ct, &exp->tuple.dst.u3))
			continue;
		if (call_move_clashes(ct, exp, peer)) {
			refused++;
			continue;
		}
		exp->tuple.src.u3 = *peer;
		n++;
	}
	spin_unlock_bh(&nf_conntrack_expect_lock);
	while (n--)
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_MEDIA_PINHOLE_MOVED);
	while (refused--)
		avaya_refused(ct, AVAYA_CTR_CALL_MEDIA_MOVE_REFUSED,
			      "media pinhole not moved to its media peer: an equal pinhole exists");
}

/* Not in media_peers, or the firewall itself: counted, and a hint logged. */
static void call_refuse_third_party(const struct nf_conn *ct,
				    const struct avaya_taddr *a)
{
	avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_REFUSED_NOT_PARTY);
	if (a->family == 4)
		avaya_refused(ct, AVAYA_CTR_CALL_THIRD_PARTY_REFUSED,
			      "media to third party %pI4:%u: not in media_peers (add a media gateway's prefix there)",
			      a->ip, a->port);
	else
		avaya_refused(ct, AVAYA_CTR_CALL_THIRD_PARTY_REFUSED,
			      "media to third party [%pI6c]:%u: not in media_peers (add a media gateway's prefix there)",
			      a->ip, a->port);
}

/*
 * @md names media peer @t: the receiver of the message (the phone) sends
 * its media there. RTP on an even port implies RTCP on the next odd one.
 * A refused third party is counted as not the sender's own too.
 */
static int call_open_third_party(const struct call_msg *cm,
				 const struct avaya_media *md,
				 const union nf_inet_addr *t)
{
	struct nf_conn *ct = cm->ct;
	int dir = CTINFO2DIR(cm->ctinfo);
	const struct nf_conntrack_tuple *tu = &ct->tuplehash[dir].tuple;
	/* The receiver as the sender sees it: NAT maps it to its own. */
	union nf_inet_addr from = tu->dst.u3;
	const struct avaya_taddr *a = &md->addr;
	u16 tag = call_tag(cm->slot, md->channel);
	u16 pub, rtcp_pub = 0;
	int ret;

	if (!media_peer_allowed(ct, t) || a->port < 1024) {
		call_refuse_third_party(ct, a);
		return NF_ACCEPT;
	}
	ret = call_expect(cm, AVAYA_EXP_MEDIA, &from, a, a->port, tag, &pub);
	if (!ret && !(md->flags & AVAYA_MEDIA_RTCP) && !(a->port & 1))
		ret = call_expect(cm, AVAYA_EXP_MEDIA, &from, a, a->port + 1,
				  tag, &rtcp_pub);
	if (ret)
		return call_expect_failed(cm->skb, ct);
	if (pub)
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_THIRD_PARTY_PINHOLE_OPENED);
	if (rtcp_pub)
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_THIRD_PARTY_PINHOLE_OPENED);
	/* Where the receiver's pinholes came from so far: the announcer. */
	call_move_to_peer(ct, tag, &ct->tuplehash[!dir].tuple.dst.u3, t);
	return NF_ACCEPT;
}

/*
 * A signalled media address is where one party receives: open it for the
 * other party only, or for the media peer the other party named on the
 * same channel. RTP on an even port implies RTCP on the next odd one.
 * *@pub is the public port of the signalled address's own pinhole.
 */
static int call_open_media(const struct call_msg *cm,
			   const struct avaya_media *md, u16 *pub)
{
	const struct avaya_taddr *a = &md->addr;
	struct nf_conn *ct = cm->ct;
	int dir = CTINFO2DIR(cm->ctinfo);
	u16 tag = call_tag(cm->slot, md->channel);
	union nf_inet_addr from, peer;
	u16 rtcp_pub;
	int ret;

	if (!call_is_party(a, ct, dir, &from)) {
		*pub = 0;
		if (nf_inet_addr_cmp(&ct->tuplehash[dir].tuple.src.u3,
				     call_gatekeeper(ct)) &&
		    call_names_third_party(a, ct, &peer))
			return call_open_third_party(cm, md, &peer);
		avaya_refused(ct, AVAYA_CTR_CALL_REFUSED_NOT_PARTY,
			      "a signalled address is not its sender's own");
		return NF_ACCEPT;
	}
	if (call_media_peer(ct, tag, &ct->tuplehash[dir].tuple.src.u3, &peer))
		from = peer;
	ret = call_expect(cm, AVAYA_EXP_MEDIA, &from, a, a->port, tag, pub);
	if (!ret && !(md->flags & AVAYA_MEDIA_RTCP) && !(a->port & 1))
		ret = call_expect(cm, AVAYA_EXP_MEDIA, &from, a, a->port + 1,
				  tag, &rtcp_pub);
	return ret ? call_expect_failed(cm->skb, ct) : NF_ACCEPT;
}

static bool exp_is_media_of(const struct nf_conntrack_expect *exp,
			    const void *arg)
{
	u16 tag = *(const u16 *)arg;

	/*
	 * The tag rides in the masked-out source port. Channel 0 does not
	 * exist (1..65535): it never means "all".
	 */
	return exp->class == AVAYA_EXP_MEDIA &&
	       (tag & AVAYA_CALL_TAG_CHANNELS) &&
	       ntohs(exp->tuple.src.u.all) == tag;
}

static unsigned int call_exp_slot(const struct nf_conntrack_expect *exp)
{
	return call_tag_slot(ntohs(exp->tuple.src.u.all));
}

/*
 * A pinhole of the call in slot *@arg. Slot 0 also takes those of slots
 * no call holds: synced copies on a backup firewall, which saw none of
 * the Setups.
 */
static bool exp_is_of_slot(const struct nf_conntrack_expect *exp,
			   const void *arg)
{
	unsigned int want = *(const unsigned int *)arg;
	unsigned int slot = call_exp_slot(exp);

	if (!want && slot && slot <= AVAYA_CALL_SLOTS &&
	    !READ_ONCE(call_master(exp->master)->calls[slot - 1]))
		return true;
	return slot == want;
}

/* Whether a pinhole of @slot has admitted a flow that is not closed yet. */
static bool call_slot_has_flows(struct nf_conn *ct, unsigned int slot)
{
	if (!slot)
		return READ_ONCE(call_master(ct)->flags) & AVAYA_CALL_FLOWS;
	return READ_ONCE(call_master(ct)->calls[slot - 1]) & AVAYA_CALL_SLOT_FLOWS;
}

/*
 * The media pinholes of one logical channel of one call on @ct, and the
 * flows they admitted: after a CloseLogicalChannel the channel's media
 * may reopen toward another party (shuffling), and the old one must not
 * keep sending.
 */
static void call_close_media(struct nf_conn *ct, u16 tag)
{
	unsigned int n = avaya_unexpect_if(ct, exp_is_media_of, &tag);

	while (n--)
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_PINHOLE_REMOVED);
	if ((tag & AVAYA_CALL_TAG_CHANNELS) &&
	    call_slot_has_flows(ct, call_tag_slot(tag)))
		flow_close_channel(ct, tag);
}

static void call_count_removed(struct nf_conn *ct, unsigned int n)
{
	while (n--)
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_PINHOLE_REMOVED);
}

/*
 * A whole connection is over (its end, or endSession on an H.245
 * connection): its own pinholes go now, found on its own list, never by a
 * walk of the netns table. Its flows (the H.245 connection, which takes
 * its own pinholes along when it goes, and the media) are closed by the
 * worker, and only when a pinhole was ever opened: a flood of
 * ReleaseCompletes or connection ends costs one list walk each.
 */
static void call_drop_pinholes(struct nf_conn *ct)
{
	/*
	 * Always walk the own list (at most 4 + 16 entries): a pinhole the
	 * other direction's CPU is inserting right now is not missed.
	 */
	call_count_removed(ct, avaya_unexpect_all(ct));
}

static void call_close_flows(struct nf_conn *ct)
{
	call_take_flag(ct, AVAYA_CALL_H245_CONN);
	/*
	 * The netns-wide walk of the worker only for a call that admitted a
	 * flow since it was last released: announcing addresses is free for
	 * a peer, getting a flow through is not.
	 */
	if (!call_slots_free_all(ct)) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_RELEASE_REPEATED);
		return;
	}
	flow_close_call(ct);
}

static void call_release(struct nf_conn *ct)
{
	call_drop_pinholes(ct);
	call_close_flows(ct);
}

static bool call_slots_idle(struct nf_conn *ct)
{
	unsigned int i;

	for (i = 0; i < AVAYA_CALL_SLOTS; i++)
		if (READ_ONCE(call_master(ct)->calls[i]))
			return false;
	return true;
}

/*
 * One call on the connection is over (ReleaseComplete, or with @keep_ref
 * a tunnelled endSession): its pinholes and flows go, the other calls'
 * stay. Slot 0 holds the calls without a slot of their own: they end
 * together, as do flows the helper could not tag (picked up on a backup
 * firewall).
 */
static void call_release_slot(struct nf_conn *ct, unsigned int slot, u16 ref,
			      bool keep_ref)
{
	call_count_removed(ct, avaya_unexpect_if(ct, exp_is_of_slot, &slot));
	if (!call_slot_end(ct, slot, ref, keep_ref)) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_RELEASE_REPEATED);
		return;
	}
	if (call_slots_idle(ct))
		call_take_flag(ct, AVAYA_CALL_H245_CONN);
	flow_close_slot(ct, slot);
}

/*
 * The Q.931 connection ended. H.323 lets the endpoints close it after
 * Connect when H.245 runs on its own connection: the call goes on until
 * endSession or the end of that connection.
 */
static void call_q931_ended(struct nf_conn *ct)
{
	call_drop_pinholes(ct);
	if (READ_ONCE(call_master(ct)->flags) & AVAYA_CALL_H245_CONN) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_FLOWS_KEPT_FOR_H245);
		return;
	}
	call_close_flows(ct);
}

/*
 * A logical channel message of the call in @cm->slot, standalone (the
 * H.245 connection is the call) or tunnelled (one call of the Q.931
 * connection).
 */
static void call_on_h245(const struct call_msg *cm, u8 kind, u16 channel)
{
	if (kind == AVAYA_H245_CLC)
		call_close_media(cm->ct, call_tag(cm->slot, channel));
	else if (kind != AVAYA_H245_END_SESSION)
		return;
	else if (cm->tunnelled)
		call_release_slot(cm->ct, cm->slot, cm->ref, true);
	else
		call_release(cm->ct);
}

/*
 * A tunnelled CloseLogicalChannel or endSession removed pinholes this
 * message announced: NAT finds no public port for those addresses.
 */
static void call_forget_closed(const struct avaya_q931 *m,
			       const struct avaya_q931_h245 *t,
			       struct avaya_call_ports *pub)
{
	unsigned int i;

	if (t->kind == AVAYA_H245_END_SESSION) {
		memset(pub, 0, sizeof(*pub));
		return;
	}
	/* Compared as tagged: channels that fold together closed together. */
	for (i = 0; i < m->n_media; i++)
		if (t->kind == AVAYA_H245_CLC && t->channel &&
		    call_tag(0, m->media[i].channel) == call_tag(0, t->channel))
			pub->media[i] = 0;
}

static int q931_on_msg(struct sk_buff *skb, struct nf_conn *ct,
		       enum ip_conntrack_info ctinfo, const u8 *msg,
		       unsigned int len, int msgoff)
{
	struct call_msg cm = { .skb = skb, .ct = ct, .ctinfo = ctinfo,
			       .tunnelled = true };
	struct avaya_call_ports pub = { 0 };
	const struct avaya_nat_ops *nat;
	struct avaya_q931 m;
	unsigned int i;
	int ret;

	avaya_count(nf_ct_net(ct), AVAYA_CTR_Q931_MESSAGES);
	ret = avaya_q931_decode(msg, len, &m);
	/*
	 * Tearing down is always safe, even after a damaged UUIE: only the
	 * call that its call reference names ends.
	 */
	if (m.msg_type == Q931_RELEASE_COMPLETE) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_Q931_RELEASE_COMPLETE);
		call_release_slot(ct, call_slot_find(ct, m.call_ref), m.call_ref,
				  false);
	}
	if (ret < 0)
		return call_bad_input(skb, ct, ctinfo, AVAYA_CTR_Q931_MALFORMED,
				      "Q.931");
	call_in_step(ct, ctinfo);
	if (m.msg_type == Q931_RELEASE_COMPLETE)
		return NF_ACCEPT;
	cm.h235 = m.has_tokens || m.has_crypto_tokens;
	cm.ref = m.call_ref;
	cm.slot = m.msg_type == Q931_SETUP ? call_slot_take(ct, m.call_ref) :
					     call_slot_find(ct, m.call_ref);
	if (m.h245_addr.family) {
		ret = call_open_h245(&cm, &m.h245_addr, &pub.h245);
		if (ret != NF_ACCEPT)
			return ret;
	}
	for (i = 0; i < m.n_media; i++) {
		ret = call_open_media(&cm, &m.media[i], &pub.media[i]);
		if (ret != NF_ACCEPT)
			return ret;
	}
	for (i = 0; i < m.n_h245; i++) {
		call_on_h245(&cm, m.h245[i].kind, m.h245[i].channel);
		call_forget_closed(&m, &m.h245[i], &pub);
	}
	/*
	 * NAT rewrites last: the party checks above compare the private
	 * addresses, and the rewrite needs the public ports of the pinholes.
	 */
	nat = rcu_dereference(avaya_nat_hook);
	if (nat && ct->status & IPS_NAT_MASK)
		return nat->q931(skb, ct, ctinfo, msgoff, len, &m, &pub);
	return NF_ACCEPT;
}

static int h245_on_msg(struct sk_buff *skb, struct nf_conn *ct,
		       enum ip_conntrack_info ctinfo, const u8 *msg,
		       unsigned int len, int msgoff)
{
	/* H.245 itself carries no H.235 tokens. */
	struct call_msg cm = { .skb = skb, .ct = ct, .ctinfo = ctinfo };
	struct avaya_call_ports pub = { 0 };
	const struct avaya_nat_ops *nat;
	struct avaya_h245 m;
	unsigned int i;
	int ret;

	avaya_count(nf_ct_net(ct), AVAYA_CTR_H245_MESSAGES);
	if (avaya_h245_decode(msg, len, &m) < 0)
		return call_bad_input(skb, ct, ctinfo, AVAYA_CTR_H245_MALFORMED,
				      "H.245");
	call_in_step(ct, ctinfo);
	for (i = 0; i < m.n_media; i++) {
		ret = call_open_media(&cm, &m.media[i], &pub.media[i]);
		if (ret != NF_ACCEPT)
			return ret;
	}
	call_on_h245(&cm, m.kind, m.channel);
	/* NAT rewrites last, as in q931_on_msg(). */
	nat = rcu_dereference(avaya_nat_hook);
	if (nat && ct->status & IPS_NAT_MASK)
		return nat->h245(skb, ct, ctinfo, msgoff, len, &m, &pub);
	return NF_ACCEPT;
}

/*
 * One message after its TPKT header. @msgoff is where it starts in the TCP
 * payload, for NAT to patch it there, or -1 when it was reassembled.
 */
typedef int (*call_msg_fn)(struct sk_buff *skb, struct nf_conn *ct,
			   enum ip_conntrack_info ctinfo, const u8 *msg,
			   unsigned int len, int msgoff);

#define CALL_MSG_REASSEMBLED	(-1)

/* One whole TPKT: an empty one is a keep-alive. */
static int call_on_tpkt(struct sk_buff *skb, struct nf_conn *ct,
			enum ip_conntrack_info ctinfo, const u8 *tpkt,
			unsigned int total, int tpkt_off, call_msg_fn fn)
{
	if (total == AVAYA_TPKT_HDR_LEN)
		return NF_ACCEPT;
	return fn(skb, ct, ctinfo, tpkt + AVAYA_TPKT_HDR_LEN,
		  total - AVAYA_TPKT_HDR_LEN,
		  tpkt_off < 0 ? CALL_MSG_REASSEMBLED :
				 tpkt_off + AVAYA_TPKT_HDR_LEN);
}

static unsigned int tpkt_total(const u8 *hdr)
{
	return hdr[2] << 8 | hdr[3];
}

/*
 * Append what the buffered TPKT still misses. Returns the bytes taken,
 * and sets *done once it is whole; a bad header leaves it incomplete
 * with *bad set.
 */
static unsigned int call_hold_fill(struct avaya_tpkt_hold *p, const u8 *d,
				   unsigned int n, bool *done, bool *bad)
{
	unsigned int want = AVAYA_TPKT_HDR_LEN, take, used = 0;
	size_t moff, mlen;

	*done = false;
	*bad = false;
	if (p->have < AVAYA_TPKT_HDR_LEN) {
		take = min(want - p->have, n);
		memcpy(p->data + p->have, d, take);
		p->have += take;
		used = take;
	}
	if (p->have < AVAYA_TPKT_HDR_LEN)
		return used;
	if (avaya_tpkt_frame(p->data, AVAYA_TPKT_HDR_LEN, &moff, &mlen) < 0 ||
	    tpkt_total(p->data) > CALL_TPKT_MAX) {
		*bad = true;
		return used;
	}
	want = tpkt_total(p->data);
	take = min(want - p->have, n - used);
	memcpy(p->data + p->have, d + used, take);
	p->have += take;
	*done = p->have == want;
	return used + take;
}

/* Start buffering the unfinished TPKT at the end of a segment. */
static void call_hold_start(struct nf_conn *ct, int dir, const u8 *d,
			    unsigned int n)
{
	struct avaya_tpkt_hold *p;
	bool done, bad;

	if (n >= AVAYA_TPKT_HDR_LEN && tpkt_total(d) > CALL_TPKT_MAX) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_TPKT_NOT_REASSEMBLED);
		return;
	}
	p = call_hold_alloc();
	if (!p) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_TPKT_NOT_REASSEMBLED);
		return;
	}
	p->have = 0;
	call_hold_fill(p, d, n, &done, &bad);
	call_hold_put(ct, dir, p);
}

/*
 * Where this segment's new bytes start, given what was read before:
 * returns false for a segment with nothing new (retransmission, keep-alive).
 * A gap means lost sync: the partial TPKT is dropped.
 */
static bool call_seq_advance(struct nf_conn *ct, int dir, u32 seq,
			     unsigned int len, unsigned int *skip,
			     struct avaya_tpkt_hold **held)
{
	struct avaya_call_master *cm = call_master(ct);
	u32 end = READ_ONCE(cm->end_seq[dir]);

	*skip = 0;
	if (READ_ONCE(cm->flags) & AVAYA_CALL_SEQ_VALID_DIR(dir)) {
		/* Serial number arithmetic, as tcp's before()/after(). */
		if ((s32)(seq + len - end) <= 0)
			return false;
		if ((s32)(seq - end) < 0) {
			*skip = end - seq;
		} else if (seq != end && *held) {
			avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_TPKT_NOT_REASSEMBLED);
			call_hold_free(*held);
			*held = NULL;
		}
	}
	WRITE_ONCE(cm->end_seq[dir], seq + len);
	call_set_flag(ct, AVAYA_CALL_SEQ_VALID_DIR(dir));
	return true;
}

/*
 * Walk the TPKTs of one segment: first complete a buffered one, then every
 * whole TPKT, then buffer a trailing partial one.
 */
static int call_stream(struct sk_buff *skb, struct nf_conn *ct,
		       enum ip_conntrack_info ctinfo, unsigned int dataoff,
		       unsigned int len, u32 seq, call_msg_fn fn)
{
	int dir = CTINFO2DIR(ctinfo);
	struct avaya_tpkt_hold *held;
	const u8 *data = skb->data + dataoff;
	unsigned int off;
	size_t moff, mlen;
	bool done, bad;
	int ret = NF_ACCEPT, n;

	held = xchg(&call_master(ct)->hold[dir], NULL);
	if (!call_seq_advance(ct, dir, seq, len, &off, &held)) {
		call_hold_put(ct, dir, held);
		return NF_ACCEPT;
	}
	call_pickup_spend(ct, dir);
	if (held) {
		off += call_hold_fill(held, data + off, len - off, &done, &bad);
		if (bad) {
			call_hold_free(held);
			return call_bad_input(skb, ct, ctinfo,
					      AVAYA_CTR_CALL_TPKT_NOT_REASSEMBLED,
					      "TPKT");
		}
		if (!done) {
			call_hold_put(ct, dir, held);
			return NF_ACCEPT;
		}
		avaya_count(nf_ct_net(ct), AVAYA_CTR_CALL_TPKT_REASSEMBLED);
		ret = call_on_tpkt(skb, ct, ctinfo, held->data, held->have,
				   CALL_MSG_REASSEMBLED, fn);
		call_hold_free(held);
	}
	while (off < len && ret == NF_ACCEPT) {
		/* NAT may have rewritten the skb: never keep its pointers. */
		data = skb->data + dataoff;
		n = avaya_tpkt_frame(data + off, len - off, &moff, &mlen);
		if (n < 0)
			return call_bad_input(skb, ct, ctinfo, fn == q931_on_msg ?
					      AVAYA_CTR_Q931_MALFORMED :
					      AVAYA_CTR_H245_MALFORMED, "TPKT");
		if (n == AVAYA_TPKT_INCOMPLETE) {
			call_hold_start(ct, dir, data + off, len - off);
			break;
		}
		ret = call_on_tpkt(skb, ct, ctinfo, data + off, n, off, fn);
		off += n;
	}
	return ret;
}

static int call_help(struct sk_buff *skb, unsigned int protoff,
		     struct nf_conn *ct, enum ip_conntrack_info ctinfo,
		     call_msg_fn fn)
{
	const struct tcphdr *th;
	unsigned int dataoff;
	bool ends;
	int ret = NF_ACCEPT;

	if (ctinfo != IP_CT_ESTABLISHED && ctinfo != IP_CT_ESTABLISHED_REPLY)
		return NF_ACCEPT;
	/*
	 * Parse in place: no shared buffer, no global lock. NAT patches in
	 * place too, so a NATed skb is made writable first: its data must not
	 * move under the TPKT walk.
	 */
	if (skb_linearize(skb) ||
	    (ct->status & IPS_NAT_MASK && skb_ensure_writable(skb, skb->len)))
		return NF_DROP;
	th = (const struct tcphdr *)(skb->data + protoff);
	dataoff = protoff + th->doff * 4;
	ends = th->fin || th->rst;
	if (dataoff < skb->len)
		ret = call_stream(skb, ct, ctinfo, dataoff, skb->len - dataoff,
				  ntohl(th->seq), fn);
	/* The signalling connection ends: so does everything it opened. */
	if (ends && fn == q931_on_msg)
		call_q931_ended(ct);
	else if (ends)
		call_release(ct);
	return ret;
}

static int avaya_q931_help(struct sk_buff *skb, unsigned int protoff,
			   struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	return call_help(skb, protoff, ct, ctinfo, q931_on_msg);
}

static int avaya_h245_help(struct sk_buff *skb, unsigned int protoff,
			   struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	/* The call's H.245 runs on its own connection: see call_q931_ended(). */
	if (ct->master && call_helper_is_ours(ct->master))
		call_set_flag(ct->master, AVAYA_CALL_H245_CONN);
	return call_help(skb, protoff, ct, ctinfo, h245_on_msg);
}

/* ---------------------------------------------------------------------- */
/* SIP                                                                    */
/* ---------------------------------------------------------------------- */

#define SIP_DEFAULT_PORT	5060
#define SIP_REG_GRACE		10

static struct avaya_sip_master *sip_master(const struct nf_conn *ct)
{
	union avaya_master *am = nfct_help_data(ct);

	return &am->sip;
}

/* Seeded at load: a peer cannot make two Call-IDs collide offline. */
static u32 sip_hash(const u8 *data, const struct avaya_sip_span *s)
{
	return jhash(data + s->off, s->len, avaya_hash_seed);
}

/* ---------------------------------------------------------------------- */
/* The book: per signalling flow, its registration and its calls          */
/* ---------------------------------------------------------------------- */

/*
 * A call is known by the full hash of its Call-ID and gets a slot, a number
 * unique in its flow while it lives. The slot is what a media expectation
 * carries in its (masked, so free) source port and what its media flows
 * remember: a BYE removes exactly its own call's pinholes and flows.
 */
#define SIP_BOOK_FIRST	8
#define SIP_BOOK_MAX	1024	/* calls per flow; then the oldest goes */
/*
 * System-wide bounds: a peer opening flows with INVITEs, or first packets
 * that lose a confirmation race (their conntrack is freed without
 * .destroy), cannot make the books grow without limit. Beyond them a flow
 * gets no book: its pinholes only time out (sip_call_book_full).
 */
#define SIP_BOOKS_MAX		65536
#define SIP_BOOK_CALLS_MAX	262144

static atomic_t sip_books = ATOMIC_INIT(0);

/* Take one of @max system-wide; false (nothing taken) when all are used. */
static bool sip_bound_take(atomic_t *used, int max)
{
	if (atomic_inc_return(used) <= max)
		return true;
	atomic_dec(used);
	return false;
}

static atomic_t sip_book_calls = ATOMIC_INIT(0);

/*
 * What one side of a call announced for one m= line, and the pinholes that
 * follow from it: they admit @src (the other side's media address, or its
 * signalling address while that is not known) to @dst at @pub/@pub_rtcp.
 */
struct sip_stream {
	union nf_inet_addr addr;	/* c= as announced (private under NAT) */
	union nf_inet_addr dst;		/* the pinholes' destination, public */
	union nf_inet_addr src;
	__be16 port;			/* m= RTP port as announced */
	__be16 rtcp;			/* RTCP as announced, 0 none */
	__be16 pub[2];			/* RTP, RTCP (0 none) as reached */
	u8 set;
	u8 third;			/* a media_peers address, not the sender */
};

/*
 * Per call, allocated at its first SDP: [direction of the sender][m= line].
 * @prev holds what an offer (re-INVITE, UPDATE) moved away from until the
 * exchange completes: a 2xx retires it, a failure puts it back (RFC 3261
 * 14.1: a rejected re-INVITE leaves the session as it was).
 */
struct sip_media_rec {
	struct sip_stream s[IP_CT_DIR_MAX][AVAYA_SIP_MAX_MEDIA];
	struct sip_stream prev[IP_CT_DIR_MAX][AVAYA_SIP_MAX_MEDIA];
};

/*
 * 16384 calls' worth system-wide (a record takes a 1 KiB slab object: 16
 * MiB), 256 per flow so that one peer cannot take them all; beyond either
 * a call's pinholes admit the signalling peer only (sip_media_pairing_full).
 */
#define SIP_MEDIA_RECS_MAX	16384
#define SIP_BOOK_RECS_MAX	256
static atomic_t sip_media_recs = ATOMIC_INIT(0);

struct sip_call {
	u32 id;			/* sip_hash() of the Call-ID */
	u32 dtag;		/* of the From tag that booked it, 0 none */
	__be16 slot;
	u8 confirmed;		/* a 2xx answered an INVITE: a dialog exists */
	u8 shared;		/* another flow holds the dialog too */
	struct sip_media_rec *media;
};

struct avaya_sip_book {
	spinlock_t lock;	/* every field below */
	u8 dead;		/* .destroy ran: nothing may be added */
	u8 n_reg_port;
	u16 n_calls;
	u16 cap;
	u16 next_slot;
	u16 n_recs;		/* calls with a struct sip_media_rec */
	u32 reg_callid;		/* Call-ID hash of the pending REGISTER */
	u8 reg_dir;		/* the direction it was sent in */
	__be16 reg_port[AVAYA_SIP_MAX_CONTACT];	/* its own Contact ports */
	struct sip_call *calls;	/* oldest first */
	struct rcu_head rcu;
};

static void sip_call_free_media(struct avaya_sip_book *book,
				struct sip_call *c)
{
	if (!c->media)
		return;
	kfree(c->media);
	c->media = NULL;
	book->n_recs--;
	atomic_dec(&sip_media_recs);
}

static void sip_book_free(struct avaya_sip_book *book)
{
	if (!book)
		return;
	/* A helper call on the other CPU may hold it until a grace period. */
	spin_lock_bh(&book->lock);
	book->dead = 1;
	while (book->n_calls)
		sip_call_free_media(book, &book->calls[--book->n_calls]);
	kfree(book->calls);
	book->calls = NULL;
	book->n_calls = 0;
	atomic_sub(book->cap, &sip_book_calls);
	book->cap = 0;
	book->n_reg_port = 0;
	spin_unlock_bh(&book->lock);
	kfree_rcu(book, rcu);
	atomic_dec(&sip_books);
}

/*
 * The flow's book, allocated on first need (@create). Installed with
 * cmpxchg(): the two directions may race to create it; and .destroy may
 * have run already (DYING is set before it), so then take it back.
 */
static struct avaya_sip_book *sip_book(struct nf_conn *ct, bool create)
{
	struct avaya_sip_master *sm = sip_master(ct);
	struct avaya_sip_book *book = READ_ONCE(sm->book), *old;

	if (book || !create || READ_ONCE(avaya_unloading))
		return book;
	if (!sip_bound_take(&sip_books, SIP_BOOKS_MAX)) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_CALL_BOOK_FULL);
		return NULL;
	}
	book = kzalloc(sizeof(*book), GFP_ATOMIC);
	if (!book) {
		atomic_dec(&sip_books);
		return NULL;
	}
	spin_lock_init(&book->lock);
	book->next_slot = 1;
	old = cmpxchg(&sm->book, NULL, book);
	if (old) {
		kfree(book);
		atomic_dec(&sip_books);
		return old;
	}
	if (nf_ct_is_dying(ct)) {
		sip_book_free(xchg(&sm->book, NULL));
		return NULL;
	}
	return book;
}

/* Lock a live book; false when .destroy emptied it. */
static bool sip_book_lock(struct avaya_sip_book *book)
{
	if (!book)
		return false;
	spin_lock_bh(&book->lock);
	if (!book->dead)
		return true;
	spin_unlock_bh(&book->lock);
	return false;
}

static struct sip_call *sip_call_find(struct avaya_sip_book *book, u32 id)
{
	unsigned int i;

	for (i = 0; i < book->n_calls; i++)
		if (book->calls[i].id == id)
			return &book->calls[i];
	return NULL;
}

static struct sip_call *sip_call_by_slot(struct avaya_sip_book *book,
					 __be16 slot)
{
	unsigned int i;

	for (i = 0; i < book->n_calls; i++)
		if (book->calls[i].slot == slot)
			return &book->calls[i];
	return NULL;
}

static void sip_call_drop(struct avaya_sip_book *book, struct sip_call *c)
{
	unsigned int i = c - book->calls;

	sip_call_free_media(book, c);
	memmove(c, c + 1, (book->n_calls - i - 1) * sizeof(*c));
	book->n_calls--;
}

/* Room for one more call: grow, or forget the oldest when full. */
static bool sip_book_room(const struct nf_conn *ct, struct avaya_sip_book *book)
{
	unsigned int cap = book->cap ? book->cap * 2 : SIP_BOOK_FIRST;
	struct sip_call *calls;

	if (book->n_calls < book->cap)
		return true;
	if (book->cap >= SIP_BOOK_MAX) {
		/* Its pinholes time out; no other call's are touched. */
		sip_call_drop(book, &book->calls[0]);
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_CALL_BOOK_EVICTED);
		return true;
	}
	if (atomic_add_return(cap - book->cap, &sip_book_calls) >
	    SIP_BOOK_CALLS_MAX) {
		atomic_sub(cap - book->cap, &sip_book_calls);
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_CALL_BOOK_FULL);
		return false;
	}
	calls = krealloc(book->calls, cap * sizeof(*calls), GFP_ATOMIC);
	if (!calls) {
		atomic_sub(cap - book->cap, &sip_book_calls);
		return false;
	}
	book->calls = calls;
	book->cap = cap;
	return true;
}

/* A new call's slot: the next number that is neither 0 nor in use. */
static __be16 sip_slot_next(struct avaya_sip_book *book)
{
	__be16 slot;

	do {
		slot = htons(book->next_slot++);
	} while (!slot || sip_call_by_slot(book, slot));
	return slot;
}

/*
 * The slot of call @id, which is entered in the book if new, with @dtag
 * (its dialog's tag, sip_dialog_tag()); @confirm marks it answered by a
 * 2xx, and so does @in_dialog for a new entry (a request of a dialog this
 * flow never saw begin: sip_dialog_lookup() then looks for the flow that
 * did). 0 when there is no memory for it: its pinholes then only time
 * out. *@created says it is new.
 */
static __be16 sip_call_slot(struct nf_conn *ct, u32 id, u32 dtag, bool confirm,
			    bool in_dialog, bool *created)
{
	struct avaya_sip_book *book = sip_book(ct, true);
	struct sip_call *c;
	__be16 slot = 0;

	*created = false;
	if (!sip_book_lock(book))
		return 0;
	c = sip_call_find(book, id);
	if (!c && sip_book_room(ct, book)) {
		c = &book->calls[book->n_calls++];
		c->id = id;
		c->dtag = dtag;
		c->slot = sip_slot_next(book);
		/* In a dialog a 2xx confirmed elsewhere: a CANCEL cannot end it. */
		c->confirmed = in_dialog;
		c->shared = 0;
		c->media = NULL;
		*created = true;
	}
	if (c) {
		c->confirmed |= confirm;
		slot = c->slot;
	}
	spin_unlock_bh(&book->lock);
	return slot;
}

/* The slot of call @id if it is booked, else 0; nothing is entered. */
static __be16 sip_call_lookup(struct nf_conn *ct, u32 id)
{
	struct avaya_sip_book *book = sip_book(ct, false);
	struct sip_call *c;
	__be16 slot = 0;

	if (!sip_book_lock(book))
		return 0;
	c = sip_call_find(book, id);
	if (c)
		slot = c->slot;
	spin_unlock_bh(&book->lock);
	return slot;
}

/*
 * Take call @id out of the book and return its slot, or 0 if unknown. Only
 * an unconfirmed call goes when @unconfirmed_only: a failure to a re-INVITE
 * ends a transaction, not the dialog. *@shared (when not NULL) says
 * whether another flow holds it too.
 */
static __be16 sip_call_take(struct nf_conn *ct, u32 id, bool unconfirmed_only,
			    bool *shared)
{
	struct avaya_sip_book *book = sip_book(ct, false);
	struct sip_call *c;
	__be16 slot = 0;

	if (!sip_book_lock(book))
		return 0;
	c = sip_call_find(book, id);
	if (c && !(unconfirmed_only && c->confirmed)) {
		slot = c->slot;
		if (shared)
			*shared = c->shared;
		sip_call_drop(book, c);
	}
	spin_unlock_bh(&book->lock);
	return slot;
}

/*
 * The call of dialog @id if one of @tag (the From and To tags of a BYE or
 * CANCEL, hashed) is the tag it was booked with: from another flow the
 * Call-ID alone does not name the dialog. The book is locked.
 */
static struct sip_call *sip_call_of_dialog(struct avaya_sip_book *book, u32 id,
					   const u32 *tag)
{
	struct sip_call *c = sip_call_find(book, id);

	if (c && c->dtag && (c->dtag == tag[0] || c->dtag == tag[1]))
		return c;
	return NULL;
}

/* Does @ct's book hold dialog @id, @tag? */
static bool sip_holds_dialog(struct nf_conn *ct, u32 id, const u32 *tag)
{
	struct avaya_sip_book *book = sip_book(ct, false);
	bool held;

	if (!sip_book_lock(book))
		return false;
	held = sip_call_of_dialog(book, id, tag);
	spin_unlock_bh(&book->lock);
	return held;
}

/*
 * Take dialog @id, @tag out of @ct's book (only if no 2xx confirmed it
 * when @unconfirmed_only): its slot, or 0.
 */
static __be16 sip_call_take_dialog(struct nf_conn *ct, u32 id, const u32 *tag,
				   bool unconfirmed_only)
{
	struct avaya_sip_book *book = sip_book(ct, false);
	struct sip_call *c;
	__be16 slot = 0;

	if (!sip_book_lock(book))
		return 0;
	c = sip_call_of_dialog(book, id, tag);
	if (c && !(unconfirmed_only && c->confirmed)) {
		slot = c->slot;
		sip_call_drop(book, c);
	}
	spin_unlock_bh(&book->lock);
	return slot;
}

/* Dialog @id, @tag of @ct's book is held by another flow too. */
static void sip_dialog_mark(struct nf_conn *ct, u32 id, const u32 *tag)
{
	struct avaya_sip_book *book = sip_book(ct, false);
	struct sip_call *c;

	if (!sip_book_lock(book))
		return;
	c = sip_call_of_dialog(book, id, tag);
	if (c)
		c->shared = 1;
	spin_unlock_bh(&book->lock);
}

static bool sip_span_addr(const struct nf_conn *ct, const u8 *data,
			  const struct avaya_sip_span *s, union nf_inet_addr *a)
{
	u8 want = nf_ct_l3num(ct) == NFPROTO_IPV4 ? AVAYA_SIP_IP4 : AVAYA_SIP_IP6;
	u8 family, ip[16];

	if (avaya_sip_parse_addr(data + s->off, s->len, &family, ip) || family != want)
		return false;
	memset(a, 0, sizeof(*a));
	memcpy(a, ip, family == AVAYA_SIP_IP4 ? 4 : 16);
	return true;
}

/* The sender's own address, as it wrote it or as NAT shows it outside. */
static bool sip_is_sender(const struct nf_conn *ct, int dir,
			  const union nf_inet_addr *a)
{
	return nf_inet_addr_cmp(a, &ct->tuplehash[dir].tuple.src.u3) ||
	       nf_inet_addr_cmp(a, &ct->tuplehash[!dir].tuple.dst.u3);
}

/* Whether NAT changed how the host that sends in direction @side is seen. */
static bool sip_side_natted(const struct nf_conn *ct, int side)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[side].tuple;
	const struct nf_conntrack_tuple *r = &ct->tuplehash[!side].tuple;

	return !nf_inet_addr_cmp(&t->src.u3, &r->dst.u3) ||
	       t->src.u.all != r->dst.u.all;
}

/*
 * Whether our NAT placed @exp: its tuple then names the public end and the
 * private one is in saved_addr/saved_proto. Every pinhole of ours has an
 * expectfn (avaya_expected, which ctnetlink copies find by name), so only
 * another one marks the NAT's.
 */
static bool avaya_exp_natted(const struct nf_conntrack_expect *exp)
{
	return exp->expectfn && exp->expectfn != avaya_expected;
}

/*
 * Whether NAT placed registration pinhole @old on its Contact port rather
 * than on its own flow's source port (the Contact named a port it does not
 * send from). Read under the expectation lock: while @old is linked its
 * master lives (a master's end unlinks its expectations first).
 */
static bool sip_reg_off_flow(const struct nf_conntrack_expect *old,
			     const struct nf_conntrack_expect *exp)
{
	const struct nf_conntrack_tuple *t;
	bool off = false;

	if (!avaya_exp_natted(old) || !avaya_exp_natted(exp))
		return false;
	spin_lock_bh(&nf_conntrack_expect_lock);
	if (!hlist_unhashed(&old->hnode)) {
		t = &old->master->tuplehash[!old->dir].tuple;
		off = old->saved_proto.all != t->src.u.all;
	}
	spin_unlock_bh(&nf_conntrack_expect_lock);
	return off;
}

/*
 * Whether flows through @old get the helper that @exp assigns. A copy that
 * conntrackd made through ctnetlink has no assign_helper (the core passes
 * none): its flows get the one its SIP master implies (avaya_expected_kind),
 * and the equal tuples already say udp or tcp.
 */
static bool sip_reg_same_helper(const struct nf_conntrack_expect *old,
				const struct nf_conntrack_expect *exp)
{
	const struct nf_conntrack_helper *h = rcu_access_pointer(old->assign_helper);
	enum avaya_helper_kind kind;

	if (h)
		return h == rcu_access_pointer(exp->assign_helper);
	kind = avaya_ct_helper_kind(old->master);
	return kind == AVAYA_HELPER_SIP_UDP || kind == AVAYA_HELPER_SIP_TCP;
}

/*
 * The registration pinhole equal to @exp that an older flow of the same
 * phone holds (it registered again from a new source port or connection
 * while the old flow lives on: the core refuses an equal expectation of
 * another master) is withdrawn, as a new RRQ supersedes an old one. Same
 * helper, class, tuple, mask and private endpoint (under NAT): only the
 * phone at that address and port can have announced it.
 *
 * @flow_port: NAT placed @exp on its flow's own public source port, which
 * the masquerade gave this flow: the registrar sends there what it sends
 * this phone. Another host's registration that NAT placed on that port
 * only because its Contact named it (a port it does not send from) is
 * withdrawn too; it would otherwise receive this phone's calls. True if
 * withdrawn.
 */
bool avaya_sip_reg_supersede(struct nf_conn *ct,
			     const struct nf_conntrack_expect *exp,
			     bool flow_port)
{
	struct nf_conntrack_expect *old;
	bool same;

	if (exp->class != AVAYA_SIP_EXP_REG)
		return false;
	old = nf_ct_expect_find_get(nf_ct_net(ct), nf_ct_zone(ct), &exp->tuple);
	if (!old)
		return false;
	same = old->master != ct && old->class == AVAYA_SIP_EXP_REG &&
	       sip_reg_same_helper(old, exp) &&
	       nf_ct_tuple_equal(&old->tuple, &exp->tuple) &&
	       nf_ct_tuple_mask_equal(&old->mask, &exp->mask) &&
	       ((nf_inet_addr_cmp(&old->saved_addr, &exp->saved_addr) &&
		 old->saved_proto.all == exp->saved_proto.all) ||
		(flow_port && sip_reg_off_flow(old, exp)));
	if (same) {
		nf_ct_unexpect_related(old);
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_REGISTER_SUPERSEDED);
	}
	nf_ct_expect_put(old);
	return same;
}
EXPORT_SYMBOL_GPL(avaya_sip_reg_supersede);

/*
 * Insert @exp (and @rtcp), whose destination is the private address of the
 * host that sends in direction @side; through NAT when that host is NATed.
 * Sets *@pub to the port the far side must use.
 */
static int sip_expect_insert(struct nf_conn *ct, int side,
			     struct nf_conntrack_expect *exp,
			     struct nf_conntrack_expect **rtcp,
			     unsigned long lifetime, bool keep_port,
			     const __be16 *want, u16 *pub)
{
	const struct avaya_nat_ops *nat = rcu_dereference(avaya_nat_hook);
	int ret;

	if (nat && nat->sip_expect && sip_side_natted(ct, side)) {
		/* It may replace *rtcp (see struct avaya_nat_ops). */
		*pub = nat->sip_expect(ct, side, exp, rtcp, keep_port, want,
				       lifetime);
		if (!*pub)
			return -EBUSY;
	} else {
		/* RTCP first: a failed RTP insert then withdraws only it. */
		ret = rtcp && *rtcp ? nf_ct_expect_related(*rtcp, 0) : 0;
		if (!ret) {
			ret = nf_ct_expect_related(exp, 0);
			if (ret == -EBUSY &&
			    avaya_sip_reg_supersede(ct, exp, false))
				ret = nf_ct_expect_related(exp, 0);
			if (ret && rtcp && *rtcp)
				nf_ct_unexpect_related(*rtcp);
		}
		if (ret)
			return ret;
		*pub = ntohs(exp->tuple.dst.u.all);
	}
	avaya_expect_lifetime(exp, lifetime);
	if (rtcp && *rtcp)
		avaya_expect_lifetime(*rtcp, lifetime);
	return 0;
}

static bool sip_exp_is_reg(const struct nf_conntrack_expect *exp)
{
	return exp->class == AVAYA_SIP_EXP_REG;
}

static __be16 sip_exp_private_port(const struct nf_conntrack_expect *exp)
{
#if IS_ENABLED(CONFIG_NF_NAT)
	if (avaya_exp_natted(exp))
		return exp->saved_proto.all;
#endif
	return exp->tuple.dst.u.all;
}

static bool sip_port_in(__be16 port, const __be16 *ports, unsigned int n)
{
	while (n--)
		if (ports[n] == port)
			return true;
	return false;
}

struct sip_remove_sel {
	bool reg;
	__be16 slot;
	const __be16 *keep;
	unsigned int n_keep;
};

static bool sip_exp_selected(const struct nf_conntrack_expect *exp,
			     const void *arg)
{
	const struct sip_remove_sel *sel = arg;

	if (sip_exp_is_reg(exp) != sel->reg)
		return false;
	if (sel->reg)
		return !sip_port_in(sip_exp_private_port(exp), sel->keep,
				    sel->n_keep);
	return exp->tuple.src.u.all == sel->slot;
}

/* Remove this flow's media pinholes of the call in @slot. */
static unsigned int sip_remove_call(struct nf_conn *ct, __be16 slot)
{
	const struct sip_remove_sel sel = { .reg = false, .slot = slot };

	return avaya_unexpect_if(ct, sip_exp_selected, &sel);
}

/* Remove this flow's registration pinholes whose port is not in @keep. */
static unsigned int sip_remove_reg_except(struct nf_conn *ct,
					  const __be16 *keep,
					  unsigned int n_keep)
{
	const struct sip_remove_sel sel = {
		.reg = true, .keep = keep, .n_keep = n_keep,
	};

	return avaya_unexpect_if(ct, sip_exp_selected, &sel);
}

static bool sip_reg_known(struct nf_conn *ct, __be16 port)
{
	struct nf_conn_help *help = nfct_help(ct);
	struct nf_conntrack_expect *exp;
	bool known = false;

	spin_lock_bh(&nf_conntrack_expect_lock);
	hlist_for_each_entry(exp, &help->expectations, lnode)
		if (sip_exp_is_reg(exp) && sip_exp_private_port(exp) == port)
			known = true;
	spin_unlock_bh(&nf_conntrack_expect_lock);
	return known;
}

/* Media flows carry no signalling: the helper only holds the call's slot. */
static int avaya_media_help(struct sk_buff *skb, unsigned int protoff,
			    struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	return NF_ACCEPT;
}

/*
 * The helper of a flow admitted through @exp: the one its assign_helper
 * names where it was created. A copy made through ctnetlink (conntrackd on
 * a backup firewall) has none, so it follows from the master's helper and
 * the class, which the copy keeps.
 */
static enum avaya_helper_kind avaya_expected_kind(const struct nf_conn *ct,
						  const struct nf_conntrack_expect *exp)
{
	switch (avaya_ct_helper_kind(exp->master)) {
	case AVAYA_HELPER_RAS:
		return exp->class == AVAYA_EXP_REVERSE ? AVAYA_HELPER_Q931 :
							 AVAYA_HELPER_RAS;
	case AVAYA_HELPER_Q931:
	case AVAYA_HELPER_H245:
		return exp->class == AVAYA_EXP_H245 ? AVAYA_HELPER_H245 :
						      AVAYA_HELPER_CALL_RTP;
	case AVAYA_HELPER_SIP_UDP:
	case AVAYA_HELPER_SIP_TCP:
		if (exp->class == AVAYA_SIP_EXP_MEDIA)
			return AVAYA_HELPER_SIP_RTP;
		return nf_ct_protonum(ct) == IPPROTO_TCP ? AVAYA_HELPER_SIP_TCP :
							   AVAYA_HELPER_SIP_UDP;
	default:
		return AVAYA_HELPER_NONE;
	}
}

/*
 * A media flow remembers its SIP call's slot or its H.323 logical channel
 * (which @exp carries in its masked source port): a BYE or a
 * CloseLogicalChannel then closes exactly its flows. False when the flow
 * got no room for the helper: it then only ends with the call, or ages out.
 */
static bool avaya_tag_media_flow(struct nf_conn *ct,
				 const struct nf_conntrack_expect *exp,
				 enum avaya_helper_kind kind)
{
	union avaya_master *am;

	if (avaya_ct_helper_kind(ct) != kind)
		return false;
	am = nfct_help_data(ct);
	am->media.tag = exp->tuple.src.u.all;
	am->media.tagged = 1;
	return true;
}

/*
 * A new H.245 connection remembers its call's slot on the Q.931
 * connection (call_slot_flows()): that call's end closes it. It is not
 * confirmed yet: nobody else sees its flags.
 */
static void call_h245_joins(struct nf_conn *ct,
			    const struct nf_conntrack_expect *exp,
			    unsigned int slot)
{
	/* Without helper data (no room) it is slot 0's, as call_flow_slot() says. */
	if (avaya_ct_helper_kind(ct) != AVAYA_HELPER_H245) {
		call_slot_flows(exp->master, 0);
		return;
	}
	call_set_flag(ct, slot << AVAYA_CALL_H245_SLOT_SHIFT);
}

/*
 * A call media flow belongs to @slot: its tag says so, or (slot 0) keeps
 * only the channel. Untagged (no room for the helper), it is slot 0's.
 */
static void call_media_joins(struct nf_conn *ct,
			     const struct nf_conntrack_expect *exp,
			     unsigned int slot)
{
	union avaya_master *am;

	if (!avaya_tag_media_flow(ct, exp, AVAYA_HELPER_CALL_RTP)) {
		call_slot_flows(exp->master, 0);
		return;
	}
	am = nfct_help_data(ct);
	am->media.tag = htons(call_tag(slot, ntohs(am->media.tag) &
					     AVAYA_CALL_TAG_CHANNELS));
}

/*
 * The expectfn of every pinhole of ours; the NAT ones call it first. It
 * gives the new flow its helper when the expectation could not (a synced
 * copy), before NAT is set up so that NAT adds the sequence adjustment a
 * helper may need.
 */
void avaya_expected(struct nf_conn *ct, struct nf_conntrack_expect *exp)
{
	enum avaya_helper_kind kind = avaya_expected_kind(ct, exp);
	struct nf_conntrack_helper *helper;
	struct nf_conn_help *help;

	if (kind == AVAYA_HELPER_NONE)
		return;
	helper = avaya_helper_for(kind, ct);
	/*
	 * Ours never do, but a ctnetlink expectation may name any protocol:
	 * a helper must not parse a flow of another (a tcp header read from
	 * a udp packet), and the master's notes are not about such a flow.
	 */
	if (helper->tuple.dst.protonum != nf_ct_protonum(ct))
		return;
	if (!nfct_help(ct)) {
		help = nf_ct_helper_ext_add(ct, GFP_ATOMIC);
		if (help)
			rcu_assign_pointer(help->helper, helper);
	}
	switch (kind) {
	case AVAYA_HELPER_H245:
		call_h245_joins(ct, exp, call_slot_flows(exp->master,
							 call_exp_slot(exp)));
		break;
	case AVAYA_HELPER_CALL_RTP:
		call_media_joins(ct, exp, call_slot_flows(exp->master,
							  call_exp_slot(exp)));
		break;
	case AVAYA_HELPER_SIP_RTP:
		if (avaya_tag_media_flow(ct, exp, kind))
			WRITE_ONCE(sip_master(exp->master)->media_flows, 1);
		break;
	default:
		break;
	}
}
EXPORT_SYMBOL_GPL(avaya_expected);

/*
 * Named, so that ctnetlink can give a synced copy its function: without
 * it the copy's flows would get no helper on the backup firewall.
 */
static struct nf_ct_helper_expectfn avaya_expectfn = {
	.name		= "avaya-follow",
	.expectfn	= avaya_expected,
};

static void sip_media_close(struct nf_conn *ct, __be16 slot)
{
	if (READ_ONCE(sip_master(ct)->media_flows))
		flow_close_sip_call(ct, slot);
}

/*
 * The call in @slot is over: its pinholes go now, its media flows right
 * after. Slot 0 is no call (unknown, or never booked).
 */
static void sip_call_ended(struct nf_conn *ct, __be16 slot)
{
	if (!slot)
		return;
	if (sip_remove_call(ct, slot))
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_MEDIA_PINHOLE_REMOVED);
	sip_media_close(ct, slot);
}

/*
 * A BYE or CANCEL may come on another flow than its INVITE: over TCP a
 * proxy opens a connection per direction, or reuses one. Its call is then
 * in the book of another flow between the same two hosts, found by a walk
 * of the conntrack table in process context. Each netns has its own queue
 * and work: lookups wait SIP_DIALOG_DELAY, so a netns walks at most ten
 * times a second, for up to SIP_DIALOG_QUEUE lookups at once, at most
 * SIP_DIALOG_PER_FLOW of them from one flow; more are counted and not made.
 * The same walk marks a dialog that a request booked on a second flow
 * (a re-INVITE on the other connection), so that its end on either flow
 * ends it on both.
 */
#define SIP_DIALOG_QUEUE	32
#define SIP_DIALOG_PER_FLOW	4
#define SIP_DIALOG_DELAY	(HZ / 10)

enum sip_dialog_op {
	SIP_DIALOG_END,		/* a BYE: end it there */
	SIP_DIALOG_CANCEL,	/* a CANCEL: end it there if not confirmed */
	SIP_DIALOG_MARK,	/* booked here too: mark it shared there */
};

struct sip_dialog_query {
	struct nf_conn *from;	/* the message's flow, referenced */
	u32 id;			/* the Call-ID, hashed */
	u32 tag[2];		/* its From and To tags, hashed (0: none) */
	u8 op;			/* enum sip_dialog_op */
	bool walk;		/* looked up (sip_dialog_from_both()) */
	struct nf_conn *found;	/* the flow whose book holds it, referenced */
};

struct sip_dialog_batch {
	unsigned int n;
	struct sip_dialog_query q[SIP_DIALOG_QUEUE];
};

struct sip_dialogs {
	spinlock_t lock;	/* pending */
	bool dead;		/* the netns goes: nothing is queued */
	struct net *net;
	struct delayed_work work;
	struct sip_dialog_batch pending;
	struct sip_dialog_batch running;	/* the work's own */
};

static struct sip_dialogs *sip_dialogs_of(const struct net *net)
{
	struct avaya_net *an = net_generic(net, avaya_net_id);

	return an->dialogs;
}

/* A dialog tag as the book keeps it: 0 when the message has none. */
static u32 sip_dialog_tag(const u8 *data, const struct avaya_sip_party *p)
{
	return p->tag.len ? sip_hash(data, &p->tag) | 1 : 0;
}

/*
 * The two hosts of a flow as they know themselves: the initiator's source
 * and the responder's reply source, before and after NAT respectively. Two
 * phones masqueraded by this firewall are never the same host; hosts that
 * share an address beyond it (a remote NAT) are.
 */
static bool sip_same_hosts(const struct nf_conn *a, const struct nf_conn *b)
{
	const union nf_inet_addr *a0 = &a->tuplehash[IP_CT_DIR_ORIGINAL].tuple.src.u3;
	const union nf_inet_addr *a1 = &a->tuplehash[IP_CT_DIR_REPLY].tuple.src.u3;
	const union nf_inet_addr *b0 = &b->tuplehash[IP_CT_DIR_ORIGINAL].tuple.src.u3;
	const union nf_inet_addr *b1 = &b->tuplehash[IP_CT_DIR_REPLY].tuple.src.u3;

	if (nf_ct_l3num(a) != nf_ct_l3num(b) ||
	    !nf_ct_zone_equal_any(a, nf_ct_zone(b)))
		return false;
	return (nf_inet_addr_cmp(a0, b0) && nf_inet_addr_cmp(a1, b1)) ||
	       (nf_inet_addr_cmp(a0, b1) && nf_inet_addr_cmp(a1, b0));
}

/*
 * The walk's callback, under the table's bucket lock: it notes and
 * references the flow that holds a query's dialog. A book's lock is a leaf
 * (nothing of conntrack's is taken under it), so it may nest in the
 * table's.
 */
static int sip_dialog_find(struct nf_conn *ct, void *data)
{
	struct sip_dialog_batch *b = data;
	struct sip_dialog_query *q;
	unsigned int i;

	if (!sip_helper_is_signalling(ct))
		return 0;
	for (i = 0; i < b->n; i++) {
		q = &b->q[i];
		if (!q->walk || q->found || q->from == ct ||
		    !sip_same_hosts(ct, q->from) ||
		    !sip_holds_dialog(ct, q->id, q->tag))
			continue;
		if (refcount_inc_not_zero(&ct->ct_general.use))
			q->found = ct;
	}
	return 0;
}

/* Act on the flow that held the dialog of @q, if it still does. */
static void sip_dialog_act(struct sip_dialog_query *q)
{
	bool ended = false;
	__be16 slot;

	if (q->found && !READ_ONCE(avaya_unloading) &&
	    sip_helper_is_signalling(q->found)) {
		if (q->op == SIP_DIALOG_MARK) {
			/* Both, and only when there are two: no walk at BYE else. */
			sip_dialog_mark(q->found, q->id, q->tag);
			sip_dialog_mark(q->from, q->id, q->tag);
		} else {
			slot = sip_call_take_dialog(q->found, q->id, q->tag,
						    q->op == SIP_DIALOG_CANCEL);
			if (slot)
				sip_call_ended(q->found, slot);
			ended = slot != 0;
		}
	}
	if (q->op != SIP_DIALOG_MARK)
		avaya_count(nf_ct_net(q->from),
			    ended ? AVAYA_CTR_SIP_BYE_OTHER_FLOW :
				    AVAYA_CTR_SIP_BYE_UNKNOWN_CALL);
	if (q->found)
		nf_ct_put(q->found);
	nf_ct_put(q->from);
}

/*
 * A lookup is made only from a flow that both hosts use: confirmed, and
 * answered by now (a TCP connection always is; a lone datagram whose
 * source may be forged is not). Judged here, after SIP_DIALOG_DELAY, so
 * that a BYE opening a new UDP flow has had time for its 200.
 */
static bool sip_dialog_from_both(const struct sip_dialog_query *q)
{
	return nf_ct_is_confirmed(q->from) &&
	       test_bit(IPS_SEEN_REPLY_BIT, &q->from->status);
}

static void sip_dialog_work_fn(struct work_struct *work)
{
	struct sip_dialogs *d = container_of(to_delayed_work(work),
					     struct sip_dialogs, work);
	struct sip_dialog_batch *b = &d->running;
	struct nf_ct_iter_data iter = { .net = d->net, .data = b };
	unsigned int i, n = 0;

	spin_lock_bh(&d->lock);
	*b = d->pending;
	d->pending.n = 0;
	spin_unlock_bh(&d->lock);
	for (i = 0; i < b->n; i++) {
		b->q[i].walk = sip_dialog_from_both(&b->q[i]);
		n += b->q[i].walk;
	}
	if (n && !READ_ONCE(avaya_unloading))
		nf_ct_iterate_cleanup_net(sip_dialog_find, &iter);
	rcu_read_lock();
	for (i = 0; i < b->n; i++)
		sip_dialog_act(&b->q[i]);
	rcu_read_unlock();
	b->n = 0;
}

/*
 * Queue @q (its flow @q->from not yet referenced) unless the same is
 * waiting; false when there is no room (counted by the caller).
 */
static bool sip_dialog_queue(struct sip_dialogs *d,
			     const struct sip_dialog_query *q)
{
	struct sip_dialog_batch *p = &d->pending;
	unsigned int i, mine = 0;
	bool ok = true;

	spin_lock_bh(&d->lock);
	for (i = 0; i < p->n; i++) {
		if (p->q[i].from != q->from)
			continue;
		if (p->q[i].id == q->id && p->q[i].op == q->op &&
		    !memcmp(p->q[i].tag, q->tag, sizeof(q->tag)))
			goto out;
		mine++;
	}
	if (d->dead || READ_ONCE(avaya_unloading) ||
	    p->n == SIP_DIALOG_QUEUE || mine == SIP_DIALOG_PER_FLOW) {
		ok = false;
		goto out;
	}
	refcount_inc(&q->from->ct_general.use);
	p->q[p->n++] = *q;
	/* A walk of a big table takes long: not on the system_wq. */
	queue_delayed_work(system_long_wq, &d->work, SIP_DIALOG_DELAY);
out:
	spin_unlock_bh(&d->lock);
	return ok;
}

/*
 * Look for dialog @m (its Call-ID, From and To tags) in the other flows
 * between the hosts of @ct (@ct may not be confirmed yet: the work judges
 * it, sip_dialog_from_both()).
 */
static void sip_dialog_lookup(struct nf_conn *ct, const u8 *data,
			      const struct avaya_sip_msg *m, enum sip_dialog_op op)
{
	struct sip_dialogs *d = sip_dialogs_of(nf_ct_net(ct));
	struct sip_dialog_query q = {
		.from = ct,
		.id = sip_hash(data, &m->call_id),
		.tag = { sip_dialog_tag(data, &m->from),
			 sip_dialog_tag(data, &m->to) },
		.op = op,
	};

	/* Without a tag nothing can name the dialog from another flow. */
	if ((!q.tag[0] && !q.tag[1]) || !d) {
		if (op != SIP_DIALOG_MARK)
			avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_BYE_UNKNOWN_CALL);
		return;
	}
	if (!sip_dialog_queue(d, &q))
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_BYE_LOOKUP_DROPPED);
}

/*
 * A BYE or CANCEL: the call ends in this flow's book, and in another's
 * when it is not here or is shared with another flow. A CANCEL ends only a
 * call no 2xx confirmed (RFC 3261 9.1), never one whose dialog it names
 * (a To tag: it cancels a re-INVITE), and is looked up elsewhere only on
 * a TCP connection: over UDP it goes where its INVITE went (9.1), on the
 * INVITE's own flow.
 */
static void sip_on_bye(struct nf_conn *ct, const u8 *data,
		       const struct avaya_sip_msg *m)
{
	bool cancel = m->method == AVAYA_SIP_CANCEL, shared = false;
	__be16 slot;

	if (cancel && m->to.tag.len)
		return;
	slot = sip_call_take(ct, sip_hash(data, &m->call_id), cancel, &shared);
	if (slot)
		sip_call_ended(ct, slot);
	if (slot ? !shared : cancel && nf_ct_protonum(ct) != IPPROTO_TCP)
		return;
	sip_dialog_lookup(ct, data, m, cancel ? SIP_DIALOG_CANCEL :
						SIP_DIALOG_END);
}

static int sip_dialogs_init(struct net *net)
{
	struct avaya_net *an = net_generic(net, avaya_net_id);
	struct sip_dialogs *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return -ENOMEM;
	spin_lock_init(&d->lock);
	d->net = net;
	INIT_DELAYED_WORK(&d->work, sip_dialog_work_fn);
	an->dialogs = d;
	return 0;
}

/*
 * The netns goes (no devices, so no packets): its lookups are dropped
 * with their references, before nf_conntrack waits for its flows.
 */
static void sip_dialogs_exit(struct net *net)
{
	struct avaya_net *an = net_generic(net, avaya_net_id);
	struct sip_dialogs *d = an->dialogs;
	unsigned int i;

	if (!d)
		return;
	spin_lock_bh(&d->lock);
	d->dead = true;
	spin_unlock_bh(&d->lock);
	cancel_delayed_work_sync(&d->work);
	for (i = 0; i < d->pending.n; i++)
		nf_ct_put(d->pending.q[i].from);
	an->dialogs = NULL;
	kfree(d);
}

static u32 sip_contact_expires(const struct avaya_sip_msg *m,
			       const struct avaya_sip_contact *c)
{
	if (c->has_expires)
		return c->expires;
	if (m->has_expires)
		return m->expires;
	return READ_ONCE(sip_default_expires);
}

static u16 sip_uri_port(const struct avaya_sip_uri *u)
{
	return u->host.has_port ? u->host.port : SIP_DEFAULT_PORT;
}

/*
 * The port of a Contact of the host that sends in direction @side, as that
 * host knows it: the flow's public port (what a registrar saw after NAT)
 * is its private source port.
 */
static __be16 sip_own_port(const struct nf_conn *ct, int side,
			   const struct avaya_sip_uri *u)
{
	__be16 port = htons(sip_uri_port(u));

	if (port == ct->tuplehash[!side].tuple.dst.u.all)
		port = ct->tuplehash[side].tuple.src.u.all;
	return port;
}

/* Book the REGISTER's Call-ID and the ports its own Contacts name. */
static bool sip_book_register(struct nf_conn *ct, int dir, const u8 *data,
			      const struct avaya_sip_msg *m,
			      const __be16 *port, unsigned int n_port)
{
	struct avaya_sip_book *book = sip_book(ct, true);

	if (!sip_book_lock(book))
		return false;
	book->reg_callid = sip_hash(data, &m->call_id);
	book->reg_dir = dir;
	memcpy(book->reg_port, port, n_port * sizeof(*port));
	book->n_reg_port = n_port;
	spin_unlock_bh(&book->lock);
	return true;
}

/*
 * Remember a REGISTER whose Contacts are the sender's own, and their ports:
 * the registrar's answer may only open those.
 */
static void sip_on_register(struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			    const u8 *data, const struct avaya_sip_msg *m)
{
	struct avaya_sip_master *sm = sip_master(ct);
	int dir = CTINFO2DIR(ctinfo);
	unsigned int i, own = 0, zero = 0, foreign = 0, n_port = 0;
	__be16 port[AVAYA_SIP_MAX_CONTACT];
	bool star = false;

	for (i = 0; i < m->n_contact; i++) {
		const struct avaya_sip_contact *c = &m->contact[i];
		union nf_inet_addr a;
		__be16 p;

		if (c->star) {
			star = true;
		} else if (!sip_span_addr(ct, data, &c->uri.host.host, &a) ||
			   !sip_is_sender(ct, dir, &a)) {
			foreign++;
		} else {
			own++;
			if (!sip_contact_expires(m, c))
				zero++;
			p = sip_own_port(ct, dir, &c->uri);
			if (p && !sip_port_in(p, port, n_port))
				port[n_port++] = p;
		}
	}
	/* A third-party Contact would make us a door opener for it. */
	if (foreign)
		avaya_refused(ct, AVAYA_CTR_SIP_REFUSED_CONTACT_NOT_SOURCE,
			      "a registered Contact is not the sender's own address");
	if ((!own && !star) ||
	    !sip_book_register(ct, dir, data, m, port, n_port)) {
		sm->reg_state = AVAYA_SIP_REG_IDLE;
		return;
	}
	sm->reg_cseq = m->cseq;
	sm->reg_state = star || zero == own ? AVAYA_SIP_REG_UNREG_PENDING :
					      AVAYA_SIP_REG_PENDING;
}

static int sip_open_reg(struct sk_buff *skb, struct nf_conn *ct, int side,
			__be16 port, u32 expires)
{
	struct nf_conntrack_expect *exp;
	unsigned long lifetime;
	u16 pub;
	int ret;

	exp = nf_ct_expect_alloc(ct);
	if (!exp)
		return -ENOMEM;
	/* From the registrar only, to the registered Contact. */
	nf_ct_expect_init(exp, AVAYA_SIP_EXP_REG, nf_ct_l3num(ct),
			  &ct->tuplehash[!side].tuple.src.u3,
			  &ct->tuplehash[side].tuple.src.u3,
			  nf_ct_protonum(ct), NULL, &port);
	exp->flags = NF_CT_EXPECT_PERMANENT;
	rcu_assign_pointer(exp->assign_helper, rcu_dereference(nfct_help(ct)->helper));
	exp->expectfn = avaya_expected;
	expires = min(expires, READ_ONCE(sip_max_expires));
	lifetime = avaya_lifetime(expires, SIP_REG_GRACE);
	/* The registrar already knows the public port: it must not move. */
	ret = sip_expect_insert(ct, side, exp, NULL, lifetime, true, NULL, &pub);
	nf_ct_expect_put(exp);
	if (!ret)
		avaya_keep_registration(ct, skb, lifetime);
	return ret;
}

/*
 * Whether the 2xx answers the pending REGISTER (its Call-ID, and sent by
 * the other side than the REGISTER: the registrar cannot both register and
 * answer); copies the ports that REGISTER's own Contacts named.
 */
static bool sip_reg_answers(struct nf_conn *ct, int side, const u8 *data,
			    const struct avaya_sip_msg *m, __be16 *port,
			    unsigned int *n_port)
{
	struct avaya_sip_book *book = sip_book(ct, false);
	bool match;

	if (!sip_book_lock(book))
		return false;
	match = book->reg_dir == side &&
		book->reg_callid == sip_hash(data, &m->call_id);
	*n_port = book->n_reg_port;
	memcpy(port, book->reg_port, *n_port * sizeof(*port));
	spin_unlock_bh(&book->lock);
	return match;
}

/*
 * A 2xx to REGISTER lists the bindings the registrar granted: each that is
 * the registering host's own, at a port its REGISTER named, gets a pinhole
 * from the registrar for its lifetime; a de-registration closes the ones
 * no longer listed. The registrar does not choose ports on the host.
 */
static int sip_on_register_ok(struct sk_buff *skb, struct nf_conn *ct,
			      enum ip_conntrack_info ctinfo, const u8 *data,
			      const struct avaya_sip_msg *m)
{
	struct avaya_sip_master *sm = sip_master(ct);
	const struct net *net = nf_ct_net(ct);
	int side = !CTINFO2DIR(ctinfo);
	__be16 live[AVAYA_SIP_MAX_CONTACT], asked[AVAYA_SIP_MAX_CONTACT];
	unsigned int i, n_live = 0, n_asked, removed;
	bool unreg = sm->reg_state == AVAYA_SIP_REG_UNREG_PENDING;

	if (sm->reg_state == AVAYA_SIP_REG_IDLE || m->cseq != sm->reg_cseq ||
	    !sip_reg_answers(ct, side, data, m, asked, &n_asked))
		return NF_ACCEPT;
	sm->reg_state = AVAYA_SIP_REG_IDLE;
	for (i = 0; i < m->n_contact; i++) {
		const struct avaya_sip_contact *c = &m->contact[i];
		u32 expires = sip_contact_expires(m, c);
		union nf_inet_addr a;
		__be16 port;
		bool known;
		int ret;

		if (c->star || !expires ||
		    !sip_span_addr(ct, data, &c->uri.host.host, &a) ||
		    !sip_is_sender(ct, side, &a))
			continue;
		port = sip_own_port(ct, side, &c->uri);
		if (!sip_port_in(port, asked, n_asked)) {
			avaya_refused(ct, AVAYA_CTR_SIP_REFUSED_REGISTER_PORT,
				      "the registrar named a port the REGISTER did not");
			continue;
		}
		if (sip_port_in(port, live, n_live))
			continue;
		known = sip_reg_known(ct, port);
		ret = sip_open_reg(skb, ct, side, port, expires);
		if (ret == -ENOMEM) {
			nf_ct_helper_log(skb, ct, "cannot add registration expectation");
			return NF_DROP;
		}
		if (ret) {
			avaya_refused(ct, AVAYA_CTR_SIP_REFUSED_EXPECT_FAILED,
				      "the conntrack core refused the pinhole (table full?)");
			continue;
		}
		avaya_count(net, known ? AVAYA_CTR_SIP_REGISTER_PINHOLE_REFRESHED :
					 AVAYA_CTR_SIP_REGISTER_PINHOLE_OPENED);
		live[n_live++] = port;
	}
	if (unreg) {
		removed = sip_remove_reg_except(ct, live, n_live);
		if (removed)
			avaya_count(net, AVAYA_CTR_SIP_REGISTER_PINHOLE_REMOVED);
	}
	return NF_ACCEPT;
}

/* RTCP at a=rtcp: or the next port; none past 65535 (never port 0). */
static u16 sip_rtcp_port(const struct avaya_sip_media *md)
{
	if (md->has_rtcp)
		return md->rtcp_port;
	return md->port < 65535 ? md->port + 1 : 0;
}

/* The core would evict the oldest media pinhole: refuse instead. */
static bool sip_media_room(struct nf_conn *ct, unsigned int need)
{
	const struct nf_conn_help *help = nfct_help(ct);

	return READ_ONCE(help->expecting[AVAYA_SIP_EXP_MEDIA]) + need <=
	       sip_exp_policy[AVAYA_SIP_EXP_MEDIA].max_expected;
}

static struct nf_conntrack_expect *
sip_media_exp(struct nf_conn *ct, const union nf_inet_addr *src,
	      const union nf_inet_addr *dst, u16 port, __be16 slot)
{
	struct nf_conntrack_expect *exp = nf_ct_expect_alloc(ct);
	__be16 p = htons(port);

	if (!exp)
		return NULL;
	/* Media only between the parties: from the peer, to the exact port. */
	nf_ct_expect_init(exp, AVAYA_SIP_EXP_MEDIA, nf_ct_l3num(ct), src, dst,
			  IPPROTO_UDP, NULL, &p);
	exp->tuple.src.u.all = slot;
	rcu_assign_pointer(exp->assign_helper, avaya_helper_for(AVAYA_HELPER_SIP_RTP, ct));
	exp->expectfn = avaya_expected;
	return exp;
}

/*
 * The RTP and RTCP pinholes of @st (its addr, port, rtcp and src set),
 * announced by the host that sends in direction @side; they keep the
 * public ports @want when it is not NULL. Fills st->dst and st->pub.
 * 0, -ENOSPC when the flow has too many media pinholes, or -errno.
 */
static int sip_expect_stream(struct nf_conn *ct, int side,
			     struct sip_stream *st, __be16 slot,
			     const __be16 *want)
{
	unsigned long lifetime = avaya_lifetime(READ_ONCE(sip_media_timeout), 0);
	struct nf_conntrack_expect *rtp, *rtcp = NULL;
	u16 rtcp_port = ntohs(st->rtcp), pub;
	int ret = -ENOMEM;

	if (!sip_media_room(ct, rtcp_port ? 2 : 1))
		return -ENOSPC;
	rtp = sip_media_exp(ct, &st->src, &st->addr, ntohs(st->port), slot);
	if (rtcp_port)
		rtcp = sip_media_exp(ct, &st->src, &st->addr, rtcp_port, slot);
	if (rtp && (rtcp || !rtcp_port))
		ret = sip_expect_insert(ct, side, rtp, &rtcp, lifetime,
					!!want, want, &pub);
	if (!ret) {
		st->dst = rtp->tuple.dst.u3;
		st->pub[0] = rtp->tuple.dst.u.all;
		st->pub[1] = rtcp ? rtcp->tuple.dst.u.all : 0;
	}
	if (rtp)
		nf_ct_expect_put(rtp);
	if (rtcp)
		nf_ct_expect_put(rtcp);
	return ret;
}

/*
 * Where the host sending in direction @dir sends the media of @st from: a
 * third party only while it is still in media_peers.
 */
static const union nf_inet_addr *
sip_media_source(const struct nf_conn *ct, int dir, const struct sip_stream *st)
{
	if (st->set && st->third && media_peer_allowed(ct, &st->addr))
		return &st->addr;
	return &ct->tuplehash[dir].tuple.src.u3;
}

/* Stream @i of both sides of the call in @slot; zeroed when not known. */
static void sip_pair_load(struct nf_conn *ct, __be16 slot, int dir,
			  unsigned int i, struct sip_stream *own,
			  struct sip_stream *peer)
{
	struct avaya_sip_book *book = sip_book(ct, false);
	struct sip_call *c;

	memset(own, 0, sizeof(*own));
	memset(peer, 0, sizeof(*peer));
	if (!slot || !sip_book_lock(book))
		return;
	c = sip_call_by_slot(book, slot);
	if (c && c->media) {
		*own = c->media->s[dir][i];
		*peer = c->media->s[!dir][i];
	}
	spin_unlock_bh(&book->lock);
}

static struct sip_media_rec *sip_media_rec_alloc(const struct nf_conn *ct,
						 struct avaya_sip_book *book)
{
	struct sip_media_rec *rec;

	if (book->n_recs >= SIP_BOOK_RECS_MAX ||
	    !sip_bound_take(&sip_media_recs, SIP_MEDIA_RECS_MAX)) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_MEDIA_PAIRING_FULL);
		return NULL;
	}
	rec = kzalloc(sizeof(*rec), GFP_ATOMIC);
	if (!rec) {
		atomic_dec(&sip_media_recs);
		return NULL;
	}
	book->n_recs++;
	return rec;
}

/*
 * Remember @st as stream @i of the side sending in direction @dir, and
 * @prev (when not NULL) as what it replaces until the exchange completes.
 */
static void sip_pair_store(struct nf_conn *ct, __be16 slot, int dir,
			   unsigned int i, const struct sip_stream *st,
			   const struct sip_stream *prev)
{
	struct avaya_sip_book *book = sip_book(ct, false);
	struct sip_call *c;

	if (!slot || !sip_book_lock(book))
		return;
	c = sip_call_by_slot(book, slot);
	if (c && !c->media)
		c->media = sip_media_rec_alloc(ct, book);
	if (c && c->media) {
		c->media->s[dir][i] = *st;
		if (prev)
			c->media->prev[dir][i] = *prev;
	}
	spin_unlock_bh(&book->lock);
}

struct sip_stream_sel {
	__be16 slot;
	bool by_src;
	const struct sip_stream *st;
};

static bool sip_exp_of_stream(const struct nf_conntrack_expect *exp,
			      const void *arg)
{
	const struct sip_stream_sel *sel = arg;
	const struct sip_stream *st = sel->st;
	__be16 port = exp->tuple.dst.u.all;

	if (sip_exp_is_reg(exp) || exp->tuple.src.u.all != sel->slot ||
	    !nf_inet_addr_cmp(&exp->tuple.dst.u3, &st->dst))
		return false;
	if (port != st->pub[0] && (!st->pub[1] || port != st->pub[1]))
		return false;
	return !sel->by_src || nf_inet_addr_cmp(&exp->tuple.src.u3, &st->src);
}

/*
 * @st is no longer what its side announces (@by_src: its pinholes' source
 * is no longer the other side's media address): its pinholes go, and the
 * flows they admitted are closed as at BYE.
 */
static void sip_stream_retire(struct nf_conn *ct, __be16 slot,
			      const struct sip_stream *st, bool by_src)
{
	const struct sip_stream_sel sel = {
		.slot = slot, .by_src = by_src, .st = st,
	};

	avaya_unexpect_if(ct, sip_exp_of_stream, &sel);
	if (READ_ONCE(sip_master(ct)->media_flows))
		flow_close_sip_stream(ct, slot, &st->dst, st->pub,
				      by_src ? &st->src : NULL);
}

static bool sip_stream_same(const struct sip_stream *a,
			    const struct sip_stream *b)
{
	return a->third == b->third && a->port == b->port &&
	       a->rtcp == b->rtcp && nf_inet_addr_cmp(&a->addr, &b->addr);
}

/*
 * The other side's stream @peer (announced in direction @side) now has a
 * media peer @src: its pinholes admit @src instead, on the same public
 * ports, which its SDP already carried.
 */
static void sip_stream_resource(struct nf_conn *ct, int side, __be16 slot,
				unsigned int i, const struct sip_stream *peer,
				const union nf_inet_addr *src)
{
	struct sip_stream moved = *peer;

	moved.src = *src;
	if (sip_expect_stream(ct, side, &moved, slot, peer->pub)) {
		avaya_refused(ct, AVAYA_CTR_SIP_REFUSED_EXPECT_FAILED,
			      "the media peer's pinhole could not be added");
		return;
	}
	sip_stream_retire(ct, slot, peer, true);
	sip_pair_store(ct, slot, side, i, &moved, NULL);
	avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_MEDIA_PEER_PINHOLE_OPENED);
}

/*
 * Stream @i of an SDP sent in direction @dir, at @a (the sender's own
 * address, or a media_peers third party): pinholes to it from the other
 * side's media address for the same m= line, else from the other side's
 * signalling address. A stream that moved retires its old pinholes and
 * flows; the other side's stream follows when our media address differs
 * from what its pinholes admit. *@pub: the public RTP port.
 */
static int sip_sdp_stream(struct nf_conn *ct, int dir,
			  const union nf_inet_addr *a,
			  const struct avaya_sip_media *md, __be16 slot,
			  unsigned int i, bool offer, u16 *pub)
{
	const union nf_inet_addr *peer_sig = &ct->tuplehash[!dir].tuple.src.u3;
	struct sip_stream now, was, peer;
	const struct sip_stream *prev = NULL;
	const __be16 *want = NULL;
	bool taken;
	int ret;

	sip_pair_load(ct, slot, dir, i, &was, &peer);
	memset(&now, 0, sizeof(now));
	now.third = !sip_is_sender(ct, dir, a);
	now.addr = now.third ? *a : ct->tuplehash[dir].tuple.src.u3;
	now.port = htons(md->port);
	now.rtcp = htons(sip_rtcp_port(md));
	now.src = *sip_media_source(ct, !dir, &peer);
	if (was.set && sip_stream_same(&was, &now)) {
		want = was.pub;		/* a re-announcement keeps its ports */
	} else if (was.set && offer) {
		prev = &was;		/* until the answer: sip_pair_settle() */
	} else if (was.set) {
		sip_stream_retire(ct, slot, &was, false);
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_MEDIA_MOVED);
	}
	ret = sip_expect_stream(ct, dir, &now, slot, want);
	if (ret && ret != -ENOSPC && want)
		ret = sip_expect_stream(ct, dir, &now, slot, NULL);
	taken = (ret == -EBUSY || ret == -EALREADY) && !sip_side_natted(ct, dir);
	if (ret && !taken)
		return ret;
	if (taken) {
		/* Another flow expects it: the pairing still holds. */
		now.dst = now.addr;
		now.pub[0] = now.port;
		now.pub[1] = now.rtcp;
	}
	now.set = 1;
	sip_pair_store(ct, slot, dir, i, &now, prev);
	if (want && !nf_inet_addr_cmp(&was.src, &now.src))
		sip_stream_retire(ct, slot, &was, true);
	if (now.third || !nf_inet_addr_cmp(&now.src, peer_sig))
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_MEDIA_PEER_PINHOLE_OPENED);
	if (peer.set && !nf_inet_addr_cmp(&peer.src, sip_media_source(ct, dir, &now)) &&
	    (!peer.third || media_peer_allowed(ct, &peer.addr)))
		sip_stream_resource(ct, !dir, slot, i, &peer,
				    sip_media_source(ct, dir, &now));
	*pub = ntohs(now.pub[0]);
	return taken ? -EBUSY : 0;
}

/* An offer that may be rejected: a re-INVITE or an UPDATE. */
static bool sip_is_offer(const struct avaya_sip_msg *m)
{
	return m->is_request && (m->method == AVAYA_SIP_INVITE ||
				 m->method == AVAYA_SIP_UPDATE);
}

#define SIP_STREAMS	(IP_CT_DIR_MAX * AVAYA_SIP_MAX_MEDIA)

/*
 * Take the pending moves of the call in @slot out of its record: on commit
 * the moved-away streams go to @gone; on @rollback the new streams go to
 * @gone and the record gets the old ones back. Returns how many.
 */
static unsigned int sip_pair_take_pending(struct nf_conn *ct, __be16 slot,
					  bool rollback,
					  struct sip_stream *gone)
{
	struct avaya_sip_book *book = sip_book(ct, false);
	struct sip_media_rec *rec;
	struct sip_call *c;
	unsigned int n = 0, d, i;

	if (!slot || !sip_book_lock(book))
		return 0;
	c = sip_call_by_slot(book, slot);
	rec = c ? c->media : NULL;
	for (d = 0; rec && d < IP_CT_DIR_MAX; d++) {
		for (i = 0; i < AVAYA_SIP_MAX_MEDIA; i++) {
			if (!rec->prev[d][i].set)
				continue;
			gone[n++] = rollback ? rec->s[d][i] : rec->prev[d][i];
			if (rollback)
				rec->s[d][i] = rec->prev[d][i];
			memset(&rec->prev[d][i], 0, sizeof(rec->prev[d][i]));
		}
	}
	spin_unlock_bh(&book->lock);
	return n;
}

/*
 * The offer/answer exchange of the call in @slot ended: a 2xx retires what
 * an offer moved away from, a failure retires what the offer opened (the
 * old pinholes and flows were kept: the session stays as it was).
 */
static void sip_pair_settle(struct nf_conn *ct, __be16 slot, bool rollback)
{
	struct sip_stream gone[SIP_STREAMS];
	unsigned int n = sip_pair_take_pending(ct, slot, rollback, gone);

	while (n--) {
		sip_stream_retire(ct, slot, &gone[n], false);
		if (!rollback)
			avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_MEDIA_MOVED);
	}
}

/*
 * A media address that is not the sender's: a third party admitted only
 * inside media_peers, only when the sender is not NATed (its address could
 * not be translated), and only at ports a service would not use (>= 1024).
 */
static bool sip_media_addr_ok(const struct nf_conn *ct, int dir,
			      const union nf_inet_addr *a,
			      const struct avaya_sip_media *md)
{
	if (sip_is_sender(ct, dir, a))
		return true;
	if (md->port < 1024 || (md->has_rtcp && md->rtcp_port < 1024)) {
		avaya_refused(ct, AVAYA_CTR_SIP_REFUSED_SDP_NOT_SOURCE,
			      "SDP media of a third party at port %u/%u: below 1024",
			      md->port, md->has_rtcp ? md->rtcp_port : 0);
		return false;
	}
	if (!sip_side_natted(ct, dir) && media_peer_allowed(ct, a))
		return true;
	if (nf_ct_l3num(ct) == NFPROTO_IPV4)
		avaya_refused(ct, AVAYA_CTR_SIP_REFUSED_SDP_NOT_SOURCE,
			      "SDP media at %pI4 is neither the sender's nor in media_peers",
			      &a->ip);
	else
		avaya_refused(ct, AVAYA_CTR_SIP_REFUSED_SDP_NOT_SOURCE,
			      "SDP media at %pI6c is neither the sender's nor in media_peers",
			      &a->in6);
	return false;
}

/*
 * An SDP offer or answer of the call in @slot: each media stream at the
 * sender's own address, or at a media peer, gets an RTP and an RTCP
 * pinhole (sip_sdp_stream). @media_port receives the public port when NAT
 * had to choose another one.
 */
static int sip_on_sdp(struct sk_buff *skb, struct nf_conn *ct,
		      enum ip_conntrack_info ctinfo, const u8 *data,
		      const struct avaya_sip_msg *m, __be16 slot,
		      u16 *media_port)
{
	const struct avaya_sip_sdp *sdp = &m->sdp;
	const struct net *net = nf_ct_net(ct);
	int dir = CTINFO2DIR(ctinfo);
	unsigned int i;

	for (i = 0; i < sdp->n_media; i++) {
		const struct avaya_sip_media *md = &sdp->media[i];
		const struct avaya_sip_sdp_conn *c = md->conn.family ? &md->conn :
								       &sdp->conn;
		union nf_inet_addr a;
		u16 pub;
		int ret;

		if (!md->port)		/* a disabled stream */
			continue;
		if (!c->family || !sip_span_addr(ct, data, &c->addr, &a)) {
			avaya_count(net, AVAYA_CTR_SIP_REFUSED_SDP_NOT_SOURCE);
			continue;
		}
		if (!sip_media_addr_ok(ct, dir, &a, md))
			continue;
		ret = sip_sdp_stream(ct, dir, &a, md, slot, i, sip_is_offer(m),
				     &pub);
		if (ret == -EBUSY && !sip_side_natted(ct, dir)) {
			/* Expected by another flow: its pinhole, not ours. */
			avaya_refused(ct, AVAYA_CTR_SIP_REFUSED_MEDIA_TAKEN,
				      "media port %u is expected by another flow",
				      md->port);
			continue;
		}
		if (ret == -ENOSPC) {
			avaya_refused(ct, AVAYA_CTR_SIP_REFUSED_TOO_MANY_MEDIA,
				      "more media pinholes than %u on one flow",
				      sip_exp_policy[AVAYA_SIP_EXP_MEDIA].max_expected);
			continue;
		}
		if (ret) {
			avaya_refused(ct, AVAYA_CTR_SIP_REFUSED_EXPECT_FAILED,
				      "the conntrack core refused the pinhole (table full?)");
			nf_ct_helper_log(skb, ct, "cannot add media expectation");
			return NF_DROP;
		}
		avaya_count(net, AVAYA_CTR_SIP_MEDIA_PINHOLE_OPENED);
		if (pub != md->port)
			media_port[i] = pub;
	}
	return NF_ACCEPT;
}

/* The messages whose SDP is an offer or an answer. */
static bool sip_carries_sdp(const struct avaya_sip_msg *m)
{
	u8 method = m->is_request ? m->method : m->cseq_method;

	if (!m->is_sdp || !m->sdp.n_media)
		return false;
	if (!m->is_request && (m->status < 180 || m->status >= 300))
		return false;
	return method == AVAYA_SIP_INVITE || method == AVAYA_SIP_UPDATE ||
	       method == AVAYA_SIP_PRACK || method == AVAYA_SIP_ACK;
}

/*
 * A final failure to an INVITE ends the call unless the INVITE is retried
 * (a challenge, glare, a too small session interval); sip_call_take() then
 * keeps a confirmed call, whose failed INVITE was a re-INVITE.
 */
static bool sip_invite_failure_ends(u16 status)
{
	return status >= 300 && status != 401 && status != 407 &&
	       status != 422 && status != 491;
}

/*
 * A re-INVITE or UPDATE (a request with a To tag): if this flow has not
 * booked its dialog, another flow began it.
 */
static bool sip_in_dialog_offer(const struct avaya_sip_msg *m)
{
	return m->is_request && m->to.tag.len &&
	       (m->method == AVAYA_SIP_INVITE || m->method == AVAYA_SIP_UPDATE);
}

/* An INVITE dialog's message other than a failure: SDP, and 2xx settling. */
static int sip_on_call_msg(struct sk_buff *skb, struct nf_conn *ct,
			   enum ip_conntrack_info ctinfo, const u8 *data,
			   const struct avaya_sip_msg *m, u16 *media_port)
{
	bool ok = !m->is_request && m->status >= 200;
	bool invite_ok = ok && m->cseq_method == AVAYA_SIP_INVITE;
	u32 id = sip_hash(data, &m->call_id);
	u32 dtag = sip_dialog_tag(data, &m->from);
	bool in_dialog = sip_in_dialog_offer(m), created = false;
	int ret = NF_ACCEPT;
	__be16 slot = 0;

	if (sip_carries_sdp(m)) {
		slot = sip_call_slot(ct, id, dtag, invite_ok, in_dialog, &created);
		ret = sip_on_sdp(skb, ct, ctinfo, data, m, slot, media_port);
	} else if (invite_ok || in_dialog) {
		/* A late offer's re-INVITE is booked (and marked) before its 2xx. */
		slot = sip_call_slot(ct, id, dtag, invite_ok, in_dialog, &created);
	}
	if (created && in_dialog)
		sip_dialog_lookup(ct, data, m, SIP_DIALOG_MARK);
	if (ret == NF_ACCEPT && ok && (invite_ok ||
				       m->cseq_method == AVAYA_SIP_UPDATE))
		sip_pair_settle(ct, slot ? slot : sip_call_lookup(ct, id), false);
	return ret;
}

static int sip_dispatch(struct sk_buff *skb, struct nf_conn *ct,
			enum ip_conntrack_info ctinfo, const u8 *data,
			const struct avaya_sip_msg *m, u16 *media_port)
{
	struct avaya_sip_master *sm = sip_master(ct);

	if (m->is_request && m->method == AVAYA_SIP_REGISTER) {
		sip_on_register(ct, ctinfo, data, m);
		return NF_ACCEPT;
	}
	if (m->is_request && (m->method == AVAYA_SIP_BYE ||
			      m->method == AVAYA_SIP_CANCEL)) {
		sip_on_bye(ct, data, m);
		return NF_ACCEPT;
	}
	if (!m->is_request && m->cseq_method == AVAYA_SIP_REGISTER &&
	    m->status >= 200) {
		if (m->status < 300)
			return sip_on_register_ok(skb, ct, ctinfo, data, m);
		if (m->cseq == sm->reg_cseq)
			sm->reg_state = AVAYA_SIP_REG_IDLE;
		return NF_ACCEPT;
	}
	if (!m->is_request && m->status >= 300 &&
	    (m->cseq_method == AVAYA_SIP_INVITE ||
	     m->cseq_method == AVAYA_SIP_UPDATE)) {
		u32 id = sip_hash(data, &m->call_id);

		if (m->cseq_method == AVAYA_SIP_INVITE &&
		    sip_invite_failure_ends(m->status))
			sip_call_ended(ct, sip_call_take(ct, id, true, NULL));
		/* A call that stays keeps the session it had. */
		sip_pair_settle(ct, sip_call_lookup(ct, id), true);
		return NF_ACCEPT;
	}
	return sip_on_call_msg(skb, ct, ctinfo, data, m, media_port);
}

/* Parse @avail bytes at @data; on a stream a message must give its length. */
static int sip_parse_one(const u8 *data, unsigned int avail, bool stream,
			 struct avaya_sip_msg *m)
{
	int ret = avaya_sip_parse(data, avail, m);

	if (ret == -AVAYA_SIP_INCOMPLETE && stream)
		return -EAGAIN;
	if (ret < 0 || (stream && !m->has_clen))
		return -EBADMSG;
	return ret;
}

/*
 * Parse and act on the message at @off of the payload. Returns the verdict;
 * *@used and *@newlen are its length before and after NAT.
 */
static int sip_one(struct sk_buff *skb, unsigned int protoff,
		   struct nf_conn *ct, enum ip_conntrack_info ctinfo,
		   unsigned int dataoff, unsigned int off, unsigned int avail,
		   bool stream, struct avaya_sip_msg *m,
		   unsigned int *used, unsigned int *newlen)
{
	u16 media_port[AVAYA_SIP_MAX_MEDIA] = { 0 };
	const struct avaya_nat_ops *nat;
	const u8 *data = skb->data + dataoff + off;
	int ret;

	ret = sip_parse_one(data, avail, stream, m);
	if (ret < 0)
		return ret;
	*used = ret;
	*newlen = ret;
	/* Used all the same, but not clean: strict mode wants clean only. */
	if (m->n_skipped) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_HEADER_SKIPPED);
		if (READ_ONCE(strict)) {
			avaya_count(nf_ct_net(ct), AVAYA_CTR_DROPPED_STRICT);
			return NF_DROP;
		}
	}
	ret = sip_dispatch(skb, ct, ctinfo, data, m, media_port);
	if (ret != NF_ACCEPT)
		return ret;
	nat = rcu_dereference(avaya_nat_hook);
	if (nat && nat->sip_msg && ct->status & IPS_NAT_MASK)
		return nat->sip_msg(skb, ct, ctinfo, protoff, dataoff, off,
				    newlen, m, media_port);
	return NF_ACCEPT;
}

/*
 * A call's state and pinholes live with its signalling flow: UDP's own
 * 30/120 s timeout would end a quiet call's state mid-call (a BYE after
 * five minutes would find no call). Only once the flow was answered: an
 * unanswered one must not hold its book for an hour at one message's cost.
 * The UDP tracker set 30/120 s before we run, so a registration's longer
 * lifetime (sip_open_reg) lasts until the flow's next message only.
 */
static void sip_keep_flow(const struct sk_buff *skb, struct nf_conn *ct)
{
	u32 extra = avaya_lifetime(READ_ONCE(sip_timeout), 0);

	if (test_bit(IPS_SEEN_REPLY_BIT, &ct->status) &&
	    nf_ct_is_confirmed(ct) && nf_ct_expires(ct) < extra)
		avaya_ct_refresh(ct, skb, extra);
}

static int sip_help_udp(struct sk_buff *skb, unsigned int protoff,
			struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			unsigned int dataoff)
{
	unsigned int used, newlen;
	struct avaya_sip_msg m;
	int ret;

	switch (avaya_sip_dgram_kind(skb->data + dataoff, skb->len - dataoff)) {
	case AVAYA_SIP_DGRAM_KEEPALIVE:
	case AVAYA_SIP_DGRAM_STUN:
		/* RFC 5626 keep-alives: the flow lives on, nothing to parse. */
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_KEEPALIVES);
		sip_keep_flow(skb, ct);
		return NF_ACCEPT;
	case AVAYA_SIP_DGRAM_NOT_SIP:
		return avaya_bad_input(skb, ct, AVAYA_CTR_SIP_NOT_SIP, "SIP");
	default:
		break;
	}
	ret = sip_one(skb, protoff, ct, ctinfo, dataoff, 0, skb->len - dataoff,
		      false, &m, &used, &newlen);
	if (ret < 0)
		return avaya_bad_input(skb, ct, AVAYA_CTR_SIP_MALFORMED, "SIP");
	avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_MESSAGES);
	/* A message strict mode dropped does not keep the flow alive. */
	if (ret == NF_ACCEPT)
		sip_keep_flow(skb, ct);
	return ret;
}

/*
 * SIP over TCP. Several messages may share a segment, and one may span
 * several. The start of a split message is copied into a per-direction
 * buffer that grows to at most SIP_TCP_HOLD_MAX bytes; at most
 * SIP_TCP_HOLD_BUFS such buffers exist at once. A longer message, or one
 * that finds no buffer, is skipped by its Content-Length and counted.
 */
#define SIP_TCP_HOLD_MAX	8192
#define SIP_TCP_HOLD_BUFS	1024
#define SIP_TCP_HOLD_STEP	1024

struct avaya_sip_stream {
	u32 end_seq;		/* TCP sequence after the last byte read */
	u32 skip;		/* SKIP: bytes of the message still to come */
	u8 *buf;		/* the start of a split message, or NULL */
	u16 have;		/* bytes in buf */
	u16 cap;		/* size of buf */
	u8 state;		/* enum avaya_sip_tcp_state */
	u8 valid;		/* end_seq is set */
	u8 on_stack;		/* no memory for state: never hold */
	u8 replay;		/* a retransmission read again for NAT */
};

static atomic_t sip_hold_count = ATOMIC_INIT(0);

static void sip_hold_drop(struct avaya_sip_stream *st)
{
	if (!st->buf)
		return;
	kfree(st->buf);
	st->buf = NULL;
	st->have = 0;
	st->cap = 0;
	atomic_dec(&sip_hold_count);
}

/* Room for @need bytes; false when over the bounds or out of memory. */
static bool sip_hold_reserve(struct avaya_sip_stream *st, unsigned int need)
{
	unsigned int cap = min(round_up(need, SIP_TCP_HOLD_STEP),
			       SIP_TCP_HOLD_MAX);
	u8 *buf;

	if (need <= st->cap)
		return true;
	if (need > SIP_TCP_HOLD_MAX || st->on_stack ||
	    READ_ONCE(avaya_unloading))
		return false;
	if (!st->buf &&
	    atomic_inc_return(&sip_hold_count) > SIP_TCP_HOLD_BUFS) {
		atomic_dec(&sip_hold_count);
		return false;
	}
	buf = krealloc(st->buf, cap, GFP_ATOMIC);
	if (!buf) {
		if (!st->buf)
			atomic_dec(&sip_hold_count);
		return false;
	}
	st->buf = buf;
	st->cap = cap;
	return true;
}

static void sip_stream_free(struct avaya_sip_stream *st)
{
	if (!st)
		return;
	sip_hold_drop(st);
	kfree(st);
}

/*
 * Stream state changes hands with xchg(), as the TPKT buffers do: two CPUs
 * never work on one, and no lock is needed.
 */
static struct avaya_sip_stream *sip_stream_get(struct nf_conn *ct, int dir)
{
	struct avaya_sip_stream *st = xchg(&sip_master(ct)->stream[dir], NULL);

	if (st || READ_ONCE(avaya_unloading))
		return st;
	st = kzalloc(sizeof(*st), GFP_ATOMIC);
	/* Picked up mid-stream: the first message start is still to come. */
	if (st && READ_ONCE(sip_master(ct)->picked_up))
		st->state = AVAYA_SIP_TCP_RESYNC;
	return st;
}

static void sip_stream_put(struct nf_conn *ct, int dir,
			   struct avaya_sip_stream *st)
{
	struct avaya_sip_stream **slot = &sip_master(ct)->stream[dir];

	if (READ_ONCE(avaya_unloading)) {
		sip_stream_free(st);
		st = NULL;
	}
	sip_stream_free(xchg(slot, st));
	/* .destroy may have run meanwhile (DYING is set first): take it back. */
	if (st && nf_ct_is_dying(ct))
		sip_stream_free(xchg(slot, NULL));
}

static void sip_destroy(struct nf_conn *ct)
{
	sip_stream_put(ct, IP_CT_DIR_ORIGINAL, NULL);
	sip_stream_put(ct, IP_CT_DIR_REPLY, NULL);
	sip_book_free(xchg(&sip_master(ct)->book, NULL));
}

/*
 * Place a segment of @len bytes at @seq in the byte stream; *@off skips what
 * was read before. False when none of it is new: a retransmission is not
 * parsed twice. A gap (bytes we never saw) loses any held message, and we
 * resynchronise on a later start line.
 */
static bool sip_stream_advance(const struct nf_conn *ct,
			       struct avaya_sip_stream *st, u32 seq,
			       unsigned int len, unsigned int *off)
{
	s32 d = (s32)(seq - st->end_seq);	/* wraps like tcp seq */

	*off = 0;
	if (st->valid && d < 0) {
		if ((u32)-d >= len) {
			avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_TCP_RETRANSMIT_IGNORED);
			return false;
		}
		*off = -d;
	} else if (st->valid && d > 0) {
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_TCP_GAP);
		sip_hold_drop(st);
		st->state = AVAYA_SIP_TCP_RESYNC;
	}
	st->valid = 1;
	st->end_seq = seq + len;
	return true;
}

/* SKIP: pass over the rest of a long message. False if it fills the segment. */
static bool sip_stream_skip(struct avaya_sip_stream *st, unsigned int len,
			    unsigned int *off)
{
	unsigned int left = len - *off;

	if (st->skip >= left) {
		st->skip -= left;
		if (!st->skip)
			st->state = AVAYA_SIP_TCP_SYNC;
		return false;
	}
	*off += st->skip;
	st->skip = 0;
	st->state = AVAYA_SIP_TCP_SYNC;
	return true;
}

/*
 * The held message cannot be held: skip it by its Content-Length when the
 * headers were read, else lose track until a start line. @seen is how many
 * of its bytes went by, *@used how many of this segment's @len were its.
 */
static void sip_hold_give_up(struct nf_conn *ct, struct avaya_sip_stream *st,
			     const struct avaya_sip_msg *m, unsigned int seen,
			     unsigned int len, unsigned int *used)
{
	unsigned int before = seen - len;

	if (!st->replay)
		avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_TCP_SPLIT_SKIPPED);
	sip_hold_drop(st);
	*used = len;
	if (!m->hdr_done) {
		st->state = AVAYA_SIP_TCP_RESYNC;
	} else if (m->msg_len > seen) {
		st->state = AVAYA_SIP_TCP_SKIP;
		st->skip = m->msg_len - seen;
	} else {
		*used = m->msg_len - before;
		st->state = AVAYA_SIP_TCP_SYNC;
	}
}

/* A message reassembled from several segments: tracked, not rewritten. */
static int sip_on_held(struct sk_buff *skb, struct nf_conn *ct,
		       enum ip_conntrack_info ctinfo, const u8 *msg,
		       const struct avaya_sip_msg *m)
{
	u16 media_port[AVAYA_SIP_MAX_MEDIA] = { 0 };
	const struct net *net = nf_ct_net(ct);

	avaya_count(net, AVAYA_CTR_SIP_MESSAGES);
	avaya_count(net, AVAYA_CTR_SIP_TCP_REASSEMBLED);
	if (ct->status & IPS_NAT_MASK) {
		/* Its first part has left already, as it was. */
		avaya_count(net, AVAYA_CTR_SIP_NAT_SPLIT_UNREWRITTEN);
		net_info_ratelimited("SIP message split across TCP segments passed unrewritten\n");
	}
	return sip_dispatch(skb, ct, ctinfo, msg, m, media_port);
}

/*
 * Add the @len bytes at @data to the held message (which may be empty: a
 * message starts there) and act on it once whole. *@used is how many bytes
 * were the message's. Returns the verdict.
 */
static int sip_hold_feed(struct sk_buff *skb, struct nf_conn *ct,
			 enum ip_conntrack_info ctinfo,
			 struct avaya_sip_stream *st, const u8 *data,
			 unsigned int len, unsigned int *used)
{
	unsigned int old = st->have;
	unsigned int n = min(len, SIP_TCP_HOLD_MAX - old);
	bool quiet = st->state == AVAYA_SIP_TCP_RESYNC;
	struct avaya_sip_msg m;
	int ret;

	*used = len;
	if (!sip_hold_reserve(st, old + n)) {
		/* Its length, if the headers are in what we have. */
		sip_parse_one(st->buf ? st->buf : data, st->buf ? old : len,
			      true, &m);
		sip_hold_give_up(ct, st, &m, old + len, len, used);
		return NF_ACCEPT;
	}
	memcpy(st->buf + old, data, n);
	st->have = old + n;
	ret = sip_parse_one(st->buf, st->have, true, &m);
	if (ret == -EAGAIN) {
		if (n < len || (m.hdr_done && m.msg_len > SIP_TCP_HOLD_MAX))
			sip_hold_give_up(ct, st, &m, old + len, len, used);
		return NF_ACCEPT;
	}
	if (ret < 0) {
		sip_hold_drop(st);
		st->state = AVAYA_SIP_TCP_RESYNC;
		if (quiet)
			return NF_ACCEPT;
		return avaya_bad_input(skb, ct, AVAYA_CTR_SIP_MALFORMED, "SIP");
	}
	*used = ret - old;
	st->state = AVAYA_SIP_TCP_SYNC;
	ret = sip_on_held(skb, ct, ctinfo, st->buf, &m);
	sip_hold_drop(st);
	return ret;
}

/* CRLF keep-alives between messages (RFC 5626 3.5.1) are not messages. */
static unsigned int sip_skip_crlf(const u8 *data, unsigned int len)
{
	unsigned int i = 0;

	while (i < len && (data[i] == '\r' || data[i] == '\n'))
		i++;
	return i;
}

/*
 * Read the whole messages from @off on, then hold a trailing partial one.
 * *@delta sums how much NAT grew or shrank them.
 */
static int sip_tcp_messages(struct sk_buff *skb, unsigned int protoff,
			    struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			    unsigned int dataoff, struct avaya_sip_stream *st,
			    unsigned int off, int *delta)
{
	unsigned int used, newlen;
	struct avaya_sip_msg m;
	int ret = NF_ACCEPT;

	/* skb->len moves when NAT rewrites a message: re-read it each time. */
	while (ret == NF_ACCEPT && !st->have && st->state != AVAYA_SIP_TCP_SKIP) {
		off += sip_skip_crlf(skb->data + dataoff + off,
				     skb->len - dataoff - off);
		if (off >= skb->len - dataoff)
			break;
		ret = sip_one(skb, protoff, ct, ctinfo, dataoff, off,
			      skb->len - dataoff - off, true, &m, &used, &newlen);
		if (ret == -EAGAIN) {
			ret = sip_hold_feed(skb, ct, ctinfo, st,
					    skb->data + dataoff + off,
					    skb->len - dataoff - off, &used);
			break;
		}
		if (ret < 0) {
			/* Resynchronising on a later segment is not an error. */
			if (st->state == AVAYA_SIP_TCP_RESYNC)
				return NF_ACCEPT;
			st->state = AVAYA_SIP_TCP_RESYNC;
			return avaya_bad_input(skb, ct, AVAYA_CTR_SIP_MALFORMED,
					       "SIP");
		}
		/* A retransmission read again for NAT is no new message. */
		if (!st->replay)
			avaya_count(nf_ct_net(ct), AVAYA_CTR_SIP_MESSAGES);
		st->state = AVAYA_SIP_TCP_SYNC;
		*delta += (int)newlen - (int)used;
		off += newlen;
	}
	return ret;
}

/*
 * NAT changed the segment's length by @delta: the conntrack core shifts the
 * sequence numbers that follow. One change per segment, at its own sequence
 * number, so that a retransmission is recognised as one.
 */
static void sip_tcp_seqadj(struct sk_buff *skb, struct nf_conn *ct,
			   enum ip_conntrack_info ctinfo, unsigned int protoff,
			   int delta)
{
	const struct avaya_nat_ops *nat = rcu_dereference(avaya_nat_hook);

	if (delta && nat && nat->sip_seqadj)
		nat->sip_seqadj(skb, ct, ctinfo, protoff, delta);
}

/*
 * A retransmission under NAT: the first copy may have left rewritten, so
 * this one must too. Its whole messages are read again, nothing is held.
 */
static int sip_tcp_replay(struct sk_buff *skb, unsigned int protoff,
			  struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			  unsigned int dataoff)
{
	struct avaya_sip_stream replay = {
		.state = AVAYA_SIP_TCP_RESYNC,
		.on_stack = 1,
		.replay = 1,
	};
	int delta = 0, ret;

	ret = sip_tcp_messages(skb, protoff, ct, ctinfo, dataoff, &replay, 0,
			       &delta);
	sip_tcp_seqadj(skb, ct, ctinfo, protoff, delta);
	return ret;
}

/* A segment: first finish a held message, then read the rest. */
static int sip_tcp_segment(struct sk_buff *skb, unsigned int protoff,
			   struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			   unsigned int dataoff, struct avaya_sip_stream *st,
			   u32 seq)
{
	unsigned int off, used;
	int delta = 0, ret = NF_ACCEPT;

	if (!sip_stream_advance(ct, st, seq, skb->len - dataoff, &off)) {
		if (ct->status & IPS_NAT_MASK)
			return sip_tcp_replay(skb, protoff, ct, ctinfo, dataoff);
		return NF_ACCEPT;
	}
	if (st->state == AVAYA_SIP_TCP_SKIP &&
	    !sip_stream_skip(st, skb->len - dataoff, &off))
		return NF_ACCEPT;
	if (st->have) {
		ret = sip_hold_feed(skb, ct, ctinfo, st, skb->data + dataoff + off,
				    skb->len - dataoff - off, &used);
		off += used;
	}
	if (ret == NF_ACCEPT)
		ret = sip_tcp_messages(skb, protoff, ct, ctinfo, dataoff, st,
				       off, &delta);
	sip_tcp_seqadj(skb, ct, ctinfo, protoff, delta);
	return ret;
}

static int sip_help_tcp(struct sk_buff *skb, unsigned int protoff,
			struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			unsigned int dataoff, u32 seq)
{
	struct avaya_sip_stream fallback = { .on_stack = 1 };
	int dir = CTINFO2DIR(ctinfo);
	struct avaya_sip_stream *st = sip_stream_get(ct, dir);
	int ret;

	if (!st) {
		/* No memory for state: read whole messages, hold nothing. */
		fallback.state = AVAYA_SIP_TCP_RESYNC;
		return sip_tcp_segment(skb, protoff, ct, ctinfo, dataoff,
				       &fallback, seq);
	}
	ret = sip_tcp_segment(skb, protoff, ct, ctinfo, dataoff, st, seq);
	sip_stream_put(ct, dir, st);
	return ret;
}

static int avaya_sip_help(struct sk_buff *skb, unsigned int protoff,
			  struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	unsigned int dataoff = protoff + sizeof(struct udphdr);
	bool tcp = nf_ct_protonum(ct) == IPPROTO_TCP;
	const struct tcphdr *th;
	struct tcphdr _th;
	u32 seq = 0;
	int ret;

	if (tcp) {
		if (ctinfo != IP_CT_ESTABLISHED &&
		    ctinfo != IP_CT_ESTABLISHED_REPLY)
			return NF_ACCEPT;
		th = skb_header_pointer(skb, protoff, sizeof(_th), &_th);
		if (!th)
			return NF_ACCEPT;
		dataoff = protoff + th->doff * 4;
		seq = ntohl(th->seq);
	}
	if (dataoff >= skb->len)
		return NF_ACCEPT;
	/* Parse in place: no shared buffer, no global lock. */
	if (skb_linearize(skb))
		return NF_DROP;
	if (tcp)
		return sip_help_tcp(skb, protoff, ct, ctinfo, dataoff, seq);
	ret = sip_help_udp(skb, protoff, ct, ctinfo, dataoff);
	/*
	 * A dropped first packet: the conntrack is freed unconfirmed, without
	 * .destroy. Nobody else sees it yet, so its book can go here.
	 */
	if (ret == NF_DROP && !nf_ct_is_confirmed(ct))
		sip_book_free(xchg(&sip_master(ct)->book, NULL));
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Registration                                                           */
/* ---------------------------------------------------------------------- */

static int avaya_free_held(struct nf_conn *ct, void *data)
{
	if (call_helper_is_ours(ct))
		call_destroy(ct);
	else if (sip_helper_is_signalling(ct))
		sip_destroy(ct);
	return 0;
}

/*
 * Helper unregistration forgets the helper before .destroy could run: free
 * the reassembly state first. New state is refused from here on.
 */
static void avaya_free_all_held(void)
{
	WRITE_ONCE(avaya_unloading, true);
	synchronize_rcu();
	nf_ct_iterate_destroy(avaya_free_held, NULL);
}

/*
 * Timeouts of the classes whose pinholes follow a registration or a module
 * parameter are set by avaya_policy_timeouts().
 */
static struct nf_conntrack_expect_policy ras_exp_policy[AVAYA_EXP_RAS_MAX] __read_mostly = {
	[AVAYA_EXP_REVERSE] = {
		.name		= "reverse-q931",
		.max_expected	= RAS_MAX_REVERSE_EXPECT,
	},
	[AVAYA_EXP_GCF] = {
		.name		= "gcf",
		.max_expected	= 4,
		.timeout	= 10,
	},
};

static const struct nf_conntrack_expect_policy call_exp_policy[AVAYA_EXP_CALL_MAX] = {
	[AVAYA_EXP_H245] = {
		.name		= "h245",
		.max_expected	= CALL_MAX_H245_EXPECT,
		.timeout	= 240,
	},
	[AVAYA_EXP_MEDIA] = {
		.name		= "media",
		.max_expected	= CALL_MAX_MEDIA_EXPECT,
		.timeout	= 240,
	},
};

/*
 * Registrations and media have their own classes, so that offers never
 * evict a registration; media gets as many as the core allows, for trunks,
 * and beyond that an offer is refused (counted), not an older one evicted.
 */
static struct nf_conntrack_expect_policy sip_exp_policy[AVAYA_SIP_EXP_MAX] __read_mostly = {
	[AVAYA_SIP_EXP_REG] = {
		.name		= "sip-register",
		.max_expected	= 2 * AVAYA_SIP_MAX_CONTACT,
	},
	[AVAYA_SIP_EXP_MEDIA] = {
		.name		= "sip-media",
		.max_expected	= NF_CT_EXPECT_MAX_CNT,
	},
};

/*
 * The kernel gives a pinhole its class's timeout when it is inserted; the
 * helper then sets its own. A copy that conntrackd inserts on a backup
 * firewall keeps the class's: the remaining time it is sent is ignored.
 * So a class's timeout is the longest its pinholes can live here: the
 * copy of a registration's pinhole then never expires before the
 * registration (it may outlive it, until the phone's next refresh through
 * the new active firewall replaces it).
 */
static void avaya_policy_timeouts(void)
{
	u64 reverse = (u64)READ_ONCE(ras_max_ttl) + READ_ONCE(ras_ttl_grace);
	u64 reg = (u64)READ_ONCE(sip_max_expires) + SIP_REG_GRACE;

	spin_lock_bh(&nf_conntrack_expect_lock);
	ras_exp_policy[AVAYA_EXP_REVERSE].timeout = reverse;
	sip_exp_policy[AVAYA_SIP_EXP_REG].timeout = reg;
	sip_exp_policy[AVAYA_SIP_EXP_MEDIA].timeout = READ_ONCE(sip_media_timeout);
	spin_unlock_bh(&nf_conntrack_expect_lock);
}

/*
 * ctnetlink calls a helper's from_nlattr when it creates a flow with the
 * helper (conntrackd committing a copy on a backup firewall: it carries no
 * helper data), and also when a request (ctnetlink, nfqueue) names the
 * helper a flow already has. Only the first is a pick-up: on creation the
 * help extension is fresh and its helper not set yet (ctnetlink sets it
 * after this call, and confirms the flow later still).
 */
static bool avaya_nl_creating(const struct nf_conn *ct)
{
	const struct nf_conn_help *help = nfct_help(ct);

	return !nf_ct_is_confirmed(ct) && help && !rcu_access_pointer(help->helper);
}

/*
 * A flow created with one of our helpers: the helper picks it up in the
 * middle, its state is rebuilt from the next messages.
 */
static int avaya_picked_up(struct nlattr *attr, struct nf_conn *ct)
{
	if (avaya_nl_creating(ct))
		avaya_count(nf_ct_net(ct), AVAYA_CTR_HA_FLOW_PICKED_UP);
	return 0;
}

/*
 * Q.931, H.245: each direction resynchronises at its next TPKT, within
 * AVAYA_CALL_PICKUP_SEGS segments; the call may have admitted flows, which
 * its end must close.
 */
static int call_picked_up(struct nlattr *attr, struct nf_conn *ct)
{
	struct avaya_call_master *cm = call_master(ct);

	if (!avaya_nl_creating(ct))
		return 0;
	WRITE_ONCE(cm->pickup_left,
		   AVAYA_CALL_PICKUP_SEGS | AVAYA_CALL_PICKUP_SEGS << 4);
	call_set_flag(ct, AVAYA_CALL_FLOWS | AVAYA_CALL_PICKUP |
		      AVAYA_CALL_PICKUP_REPLY);
	return avaya_picked_up(attr, ct);
}

/* SIP over TCP resynchronises at the next start line. */
static int sip_picked_up(struct nlattr *attr, struct nf_conn *ct)
{
	if (!avaya_nl_creating(ct))
		return 0;
	WRITE_ONCE(sip_master(ct)->picked_up, 1);
	return avaya_picked_up(attr, ct);
}

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
	h->from_nlattr = avaya_picked_up;
	h->data_len = sizeof(union avaya_master);
	/* Lets tc/ovs request nf_nat_avaya (alias ip_nat_avaya) by name. */
	strscpy(h->nat_mod_name, NF_NAT_HELPER_NAME("avaya"), sizeof(h->nat_mod_name));
}

static void avaya_helpers_setup(void)
{
	static const u16 fam[2] = { NFPROTO_IPV4, NFPROTO_IPV6 };
	int f;

	avaya_policy_timeouts();

	for (f = 0; f < 2; f++) {
		avaya_helper_setup(&avaya_helpers[AVAYA_HELPER_RAS][f], fam[f],
				   IPPROTO_UDP, HELPER_RAS, ras_port,
				   ras_exp_policy, AVAYA_EXP_RAS_MAX,
				   avaya_ras_help);
		avaya_helper_setup(&avaya_helpers[AVAYA_HELPER_Q931][f], fam[f],
				   IPPROTO_TCP, HELPER_Q931, q931_port,
				   call_exp_policy, AVAYA_EXP_CALL_MAX,
				   avaya_q931_help);
		avaya_helpers[AVAYA_HELPER_Q931][f].destroy = call_destroy;
		avaya_helpers[AVAYA_HELPER_Q931][f].from_nlattr = call_picked_up;
		/* H.245 is only ever assigned through expectations. */
		avaya_helper_setup(&avaya_helpers[AVAYA_HELPER_H245][f], fam[f],
				   IPPROTO_TCP, HELPER_H245, 0,
				   call_exp_policy, AVAYA_EXP_CALL_MAX,
				   avaya_h245_help);
		avaya_helpers[AVAYA_HELPER_H245][f].destroy = call_destroy;
		avaya_helpers[AVAYA_HELPER_H245][f].from_nlattr = call_picked_up;
		avaya_helper_setup(&avaya_helpers[AVAYA_HELPER_SIP_UDP][f], fam[f],
				   IPPROTO_UDP, HELPER_SIP, sip_port,
				   sip_exp_policy, AVAYA_SIP_EXP_MAX, avaya_sip_help);
		avaya_helpers[AVAYA_HELPER_SIP_UDP][f].destroy = sip_destroy;
		avaya_helpers[AVAYA_HELPER_SIP_UDP][f].from_nlattr = sip_picked_up;
		avaya_helper_setup(&avaya_helpers[AVAYA_HELPER_SIP_TCP][f], fam[f],
				   IPPROTO_TCP, HELPER_SIP, sip_port,
				   sip_exp_policy, AVAYA_SIP_EXP_MAX, avaya_sip_help);
		avaya_helpers[AVAYA_HELPER_SIP_TCP][f].destroy = sip_destroy;
		avaya_helpers[AVAYA_HELPER_SIP_TCP][f].from_nlattr = sip_picked_up;
		/* Media flows only ever get it through SIP pinholes. */
		avaya_helper_setup(&avaya_helpers[AVAYA_HELPER_SIP_RTP][f], fam[f],
				   IPPROTO_UDP, HELPER_SIP_MEDIA, 0,
				   sip_exp_policy, AVAYA_SIP_EXP_MAX, avaya_media_help);
		/*
		 * And H.323 media flows through call pinholes. The core
		 * wants each helper's family, protocol and port unique,
		 * though nothing assigns helpers by port any more: udp on
		 * the Q.931 port is nobody else's.
		 */
		avaya_helper_setup(&avaya_helpers[AVAYA_HELPER_CALL_RTP][f], fam[f],
				   IPPROTO_UDP, HELPER_CALL_MEDIA, q931_port,
				   call_exp_policy, AVAYA_EXP_CALL_MAX, avaya_media_help);
	}
}

static int __net_init avaya_net_init(struct net *net)
{
	struct avaya_net *an = net_generic(net, avaya_net_id);

	an->ctr = alloc_percpu(struct avaya_ctrs);
	if (!an->ctr)
		return -ENOMEM;
	if (sip_dialogs_init(net))
		goto fail;
	if (!proc_create_net_single(KBUILD_MODNAME, 0444, net->proc_net,
				    avaya_counters_show, NULL)) {
		sip_dialogs_exit(net);
		goto fail;
	}
	return 0;
fail:
	free_percpu(an->ctr);
	return -ENOMEM;
}

static void __net_exit avaya_net_exit(struct net *net)
{
	struct avaya_net *an = net_generic(net, avaya_net_id);

	remove_proc_entry(KBUILD_MODNAME, net->proc_net);
	/*
	 * Our exit runs before nf_conntrack's: flows of this netns may still
	 * wait in the close queue, and the worker counts what it closes. The
	 * netns has no devices left, so nothing queues more after this.
	 */
	sip_dialogs_exit(net);
	flush_work(&flow_close_work);
	free_percpu(an->ctr);
}

static struct pernet_operations avaya_net_ops = {
	.init	= avaya_net_init,
	.exit	= avaya_net_exit,
	.id	= &avaya_net_id,
	.size	= sizeof(struct avaya_net),
};

static void avaya_prefixes_free(void)
{
	prefix_param_replace(&gk_discovery, NULL);
	prefix_param_replace(&media_peers, NULL);
}

/*
 * ctnetlink may have given avaya-follow to an expectation of any master,
 * also one whose helper is not ours (which then outlives our helpers):
 * once no lookup by name can find it (a grace period after the unregister:
 * ctnetlink holds the RCU read lock from the lookup to the insert), every
 * expectation naming it goes, and a flow that matched one before has left
 * it after a second grace period.
 */
static void avaya_expectfn_remove(void)
{
	nf_ct_helper_expectfn_unregister(&avaya_expectfn);
	synchronize_rcu();
	nf_ct_helper_expectfn_destroy(&avaya_expectfn);
	synchronize_rcu();
}

static void __exit nf_conntrack_avaya_fini(void)
{
	avaya_free_all_held();
	flush_work(&flow_close_work);
	nf_conntrack_helpers_unregister(&avaya_helpers[0][0], AVAYA_HELPER_KINDS * 2);
	avaya_expectfn_remove();
	/* Only now: a GCF seen before would open from any host without it. */
	avaya_prefixes_free();
	unregister_pernet_subsys(&avaya_net_ops);
}

static int __init nf_conntrack_avaya_init(void)
{
	int ret;

	avaya_hash_seed = get_random_u32();
	avaya_refusal_rs_init();
	ret = register_pernet_subsys(&avaya_net_ops);
	if (ret)
		return ret;
	avaya_helpers_setup();
	ret = nf_conntrack_helpers_register(&avaya_helpers[0][0],
					    AVAYA_HELPER_KINDS * 2);
	if (ret) {
		pr_err("failed to register helpers: %d\n", ret);
		unregister_pernet_subsys(&avaya_net_ops);
		return ret;
	}
	/*
	 * Only now, so that a failed load leaves no expectation naming it.
	 * Our own pinholes set it directly; only ctnetlink finds it by name.
	 */
	nf_ct_helper_expectfn_register(&avaya_expectfn);
	return 0;
}

module_init(nf_conntrack_avaya_init);
module_exit(nf_conntrack_avaya_fini);
