/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-ins for the kernel types and calls that the stock SIP
 * helper's message path (net/netfilter/nf_conntrack_sip.c, cut out at build
 * time by extract-stock.sh) uses. Conntrack and expectation calls are stubs:
 * the benchmark counts the parsing, not the expectation table.
 */
#ifndef _BENCH_STOCK_SIP_SHIM_H
#define _BENCH_STOCK_SIP_SHIM_H

#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "kernel_lib.h"

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef u16 __be16;
typedef u32 __be32;
typedef u16 u_int16_t;
typedef u8 u_int8_t;

#define __rcu
#define __read_mostly
#define likely(x) (x)
#define unlikely(x) (x)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define IS_ENABLED(x) 1
#define HZ 250
#define pr_debug(...) do { } while (0)
#define rcu_dereference(p) (p)
#define rcu_assign_pointer(p, v) ((p) = (v))
#define WRITE_ONCE(x, v) ((x) = (v))
#define spin_lock_bh(l) do { } while (0)
#define spin_unlock_bh(l) do { } while (0)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define NF_DROP 0
#define NF_ACCEPT 1
#define NFPROTO_IPV4 2
#define NFPROTO_IPV6 10
#define IPS_EXPECTED (1 << 0)
#define IPS_SRC_NAT (1 << 4)
#define IPS_DST_NAT (1 << 5)
#define IPS_NAT_MASK (IPS_DST_NAT | IPS_SRC_NAT)
#define NF_CT_EXPECT_PERMANENT 0x1
#define NF_CT_EXPECT_INACTIVE 0x2
#define NF_CT_EXP_F_SKIP_MASTER 0x1

enum ip_conntrack_info {
	IP_CT_ESTABLISHED,
	IP_CT_RELATED,
	IP_CT_NEW,
	IP_CT_IS_REPLY,
	IP_CT_ESTABLISHED_REPLY = IP_CT_ESTABLISHED + IP_CT_IS_REPLY,
};

enum ip_conntrack_dir { IP_CT_DIR_ORIGINAL, IP_CT_DIR_REPLY };
#define CTINFO2DIR(ctinfo) \
	((ctinfo) >= IP_CT_IS_REPLY ? IP_CT_DIR_REPLY : IP_CT_DIR_ORIGINAL)

union nf_inet_addr {
	u32 all[4];
	__be32 ip;
	__be32 ip6[4];
	struct in_addr in;
	struct in6_addr in6;
};

static inline bool nf_inet_addr_cmp(const union nf_inet_addr *a1,
				    const union nf_inet_addr *a2)
{
	return a1->all[0] == a2->all[0] && a1->all[1] == a2->all[1] &&
	       a1->all[2] == a2->all[2] && a1->all[3] == a2->all[3];
}

union nf_conntrack_man_proto {
	__be16 all;
	struct { __be16 port; } tcp, udp;
};

struct nf_conntrack_tuple {
	struct {
		union nf_inet_addr u3;
		union nf_conntrack_man_proto u;
		u16 l3num;
	} src;
	struct {
		union nf_inet_addr u3;
		union nf_conntrack_man_proto u;
		u8 protonum;
		u8 dir;
	} dst;
};

struct hlist_node { struct hlist_node *next, **pprev; };
struct hlist_head { struct hlist_node *first; };

#define hlist_for_each_entry_safe(pos, n, head, member)			\
	for (pos = (head)->first ? container_of((head)->first,		\
				typeof(*pos), member) : NULL;		\
	     pos && ({ n = pos->member.next; 1; });			\
	     pos = n ? container_of(n, typeof(*pos), member) : NULL)

struct nf_conntrack_helper { int dummy; };
struct nf_conn_help {
	struct nf_conntrack_helper *helper;
	struct hlist_head expectations;
};

struct nf_ct_sip_master;
struct nf_conn {
	unsigned long status;
	struct { struct nf_conntrack_tuple tuple; } tuplehash[2];
	struct nf_conn_help help;
	unsigned char sip[16];	/* struct nf_ct_sip_master */
};

struct nf_conntrack_expect {
	struct hlist_node lnode;
	struct nf_conntrack_tuple tuple;
	struct nf_conntrack_helper *helper, *assign_helper;
	struct nf_conn *master;
	unsigned long timeout;
	unsigned int flags, class;
	union nf_inet_addr saved_addr;
	union nf_conntrack_man_proto saved_proto;
};

struct sk_buff {
	struct nf_conn *ct;
	enum ip_conntrack_info ctinfo;
};

struct net;
struct nf_conntrack_zone;
struct dst_entry { void *dev; };
struct flowi {
	union {
		struct { __be32 daddr; } ip4;
		struct { struct in6_addr daddr; } ip6;
	} u;
};

static inline struct nf_conn *nf_ct_get(const struct sk_buff *skb,
					enum ip_conntrack_info *ctinfo)
{
	*ctinfo = skb->ctinfo;
	return skb->ct;
}

#define nfct_help(ct) (&(ct)->help)
#define nfct_help_data(ct) ((void *)(ct)->sip)
#define nf_ct_l3num(ct) ((ct)->tuplehash[0].tuple.src.l3num)
#define nf_ct_net(ct) ((struct net *)NULL)
#define nf_ct_zone(ct) ((const struct nf_conntrack_zone *)NULL)
#define nfct_time_stamp 0UL
#define skb_dst(skb) ((struct dst_entry *)NULL)
#define dst_release(d) do { } while (0)
#define nf_ip_route(net, dst, fl, strict) (*(dst) = NULL)
#define nf_ip6_route(net, dst, fl, strict) (*(dst) = NULL)
#define nf_ct_protonum(ct) ((ct)->tuplehash[0].tuple.dst.protonum)
#define EXPORT_SYMBOL_GPL(sym)
#define BUG() __builtin_trap()
#define WARN_ON(x) (x)
#define nf_ct_helper_log(skb, ct, ...) do { } while (0)

/* Expectation table: stubs (bench_stock_sip.c) that keep no state. */
extern int nf_conntrack_expect_lock;
struct nf_conntrack_expect *
__nf_ct_expect_find(struct net *net, const struct nf_conntrack_zone *zone,
		    const struct nf_conntrack_tuple *tuple);
struct nf_conntrack_expect *nf_ct_expect_alloc(struct nf_conn *me);
void nf_ct_expect_init(struct nf_conntrack_expect *exp, unsigned int class,
		       u8 family, const union nf_inet_addr *saddr,
		       const union nf_inet_addr *daddr, u8 proto,
		       const __be16 *src, const __be16 *dst);
int nf_ct_expect_related(struct nf_conntrack_expect *exp, unsigned int flags);
void nf_ct_unexpect_related(struct nf_conntrack_expect *exp);
void nf_ct_expect_put(struct nf_conntrack_expect *exp);
void nf_ct_unlink_expect(struct nf_conntrack_expect *exp);

int in4_pton(const char *src, int srclen, u8 *dst, int delim, const char **end);
int in6_pton(const char *src, int srclen, u8 *dst, int delim, const char **end);

#endif
