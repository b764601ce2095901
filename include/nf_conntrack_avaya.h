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
#include "avaya_q931.h"

/*
 * Counters an admin reads in /proc/net/nf_conntrack_avaya, per netns:
 * AVAYA_CTR_RAS_GRQ prints as "ras_grq". The list is avaya_counters.h.
 */
#define AVAYA_COUNTER(name)	AVAYA_CTR_##name,
enum avaya_counter {
#include "avaya_counters.h"
	AVAYA_CTR_MAX
};

#undef AVAYA_COUNTER

void avaya_count(const struct net *net, enum avaya_counter c);
/* Count a refusal and log it (ratelimited) unless log_refusals=N. */
__printf(3, 4)
void avaya_refused(const struct nf_conn *ct, enum avaya_counter c,
		   const char *fmt, ...);

/*
 * Pinhole and flow lifetimes are 32-bit jiffies compared as signed deltas:
 * anything computed from a peer's or an admin's seconds is clamped here.
 */
#define AVAYA_MAX_LIFETIME_JIFFIES	((unsigned long)(INT_MAX / 2))
/* Upper bound of every lifetime module parameter, in seconds (10 days). */
#define AVAYA_MAX_PARAM_SECS		864000U

unsigned long avaya_lifetime(u64 secs, u64 grace);

int avaya_port_range_parse(const char *val, u32 *range);
bool avaya_sip_reg_supersede(struct nf_conn *ct,
			     const struct nf_conntrack_expect *exp,
			     bool flow_port);
int avaya_port_range_show(char *buf, u32 range);

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
	u8 rrq_keepalive;	/* the pending RRQ is a lightweight keepAlive */
	__be16 nat_port;	/* public csa port under SNAT, set by nf_nat_avaya */
};

struct avaya_tpkt_hold;

/*
 * avaya-q931 and avaya-h245 both read a TPKT stream. A TPKT split across
 * segments is reassembled in a bounded, separately allocated buffer per
 * direction; end_seq lets retransmissions and keep-alives be skipped.
 *
 * One Q.931 connection carries every call of a registration (call waiting,
 * transfer, a second line appearance), told apart by the call reference.
 * A call gets a slot (1..AVAYA_CALL_SLOTS) that tags its pinholes and the
 * flows they admit, so that its ReleaseComplete ends only that call. Slot
 * 0 holds call reference 0, the calls that found every slot taken or whose
 * Setup was not seen (a backup firewall's copy); a separate H.245
 * connection joins its call's slot, and its own pinholes use its slot 0.
 * A tunnelled endSession ends a call's media but keeps its call reference
 * until ReleaseComplete. Calls that both sides numbered alike (the flag
 * bit tells them apart) share a slot: the first to end ends both. The
 * whole struct must fit the 32 bytes of nf_conn_help data: hence the
 * packing.
 */
#define AVAYA_CALL_SLOTS	3

struct avaya_call_master {
	struct avaya_tpkt_hold *hold[IP_CT_DIR_MAX];
	u32 end_seq[IP_CT_DIR_MAX];	/* TCP sequence after the last byte read */
	/*
	 * Per slot: the call reference (flag bit cleared; 0: slot free) and
	 * AVAYA_CALL_SLOT_FLOWS once one of its pinholes admitted a flow.
	 */
	u16 calls[AVAYA_CALL_SLOTS];
	u8 flags;			/* enum avaya_call_flags */
	/* Segments the pick-up still excuses: original direction low nibble. */
	u8 pickup_left;
};

#define AVAYA_CALL_REF_MASK	0x7fff
#define AVAYA_CALL_SLOT_FLOWS	0x8000

enum avaya_call_flags {
	AVAYA_CALL_H245_CONN	= 1 << 0,	/* its own H.245 connection came up */
	AVAYA_CALL_FLOWS	= 1 << 1,	/* a slot 0 pinhole admitted a flow */
	/*
	 * Picked up in the middle (a copy conntrackd made on a backup
	 * firewall): until a message decodes in that direction, and for at
	 * most AVAYA_CALL_PICKUP_SEGS segments, what does not decode is no
	 * error. One bit per direction: AVAYA_CALL_PICKUP_DIR(dir).
	 */
	AVAYA_CALL_PICKUP	= 1 << 2,	/* original direction */
	AVAYA_CALL_PICKUP_REPLY	= 1 << 3,
	/* end_seq[dir] holds a position: AVAYA_CALL_SEQ_VALID_DIR(dir). */
	AVAYA_CALL_SEQ_VALID	= 1 << 4,
	AVAYA_CALL_SEQ_VALID_REPLY = 1 << 5,
	/* An H.245 connection: the slot of its call on the Q.931 connection. */
	AVAYA_CALL_H245_SLOT	= 3 << 6,
};

#define AVAYA_CALL_H245_SLOT_SHIFT	6
#define AVAYA_CALL_PICKUP_DIR(dir)	(AVAYA_CALL_PICKUP << (dir))
#define AVAYA_CALL_SEQ_VALID_DIR(dir)	(AVAYA_CALL_SEQ_VALID << (dir))
static_assert(AVAYA_CALL_PICKUP_DIR(IP_CT_DIR_REPLY) == AVAYA_CALL_PICKUP_REPLY);
static_assert(AVAYA_CALL_SEQ_VALID_DIR(IP_CT_DIR_REPLY) == AVAYA_CALL_SEQ_VALID_REPLY);
static_assert(AVAYA_CALL_SLOTS < 1 << 2);

/*
 * A call pinhole's tag, carried in the masked-out source port of its
 * expectation and kept by the flow it admits: the call's slot in the top
 * two bits, the H.245 logical channel (1..65535, folded into 1..16383) in
 * the rest; 0 for no channel.
 */
#define AVAYA_CALL_TAG_SLOT_SHIFT	14
#define AVAYA_CALL_TAG_CHANNELS		0x3fff

/*
 * Segments with new data, per direction, that a picked-up flow may carry
 * before strict applies again: enough to reach the next TPKT boundary (a
 * message's tail, then the next one), too few to hide a stream of input
 * crafted for the decoders.
 */
#define AVAYA_CALL_PICKUP_SEGS	8
static_assert(AVAYA_CALL_PICKUP_SEGS <= 0xf);	/* a nibble of pickup_left */

/* Expectation classes of avaya-q931 and avaya-h245. */
enum avaya_call_exp_class {
	AVAYA_EXP_H245,		/* tcp to an h245Address, gets avaya-h245 */
	AVAYA_EXP_MEDIA,	/* udp RTP/RTCP of a logical channel */
	AVAYA_EXP_CALL_MAX,
};

struct avaya_sip_msg;

enum avaya_sip_reg_state {
	AVAYA_SIP_REG_IDLE,
	AVAYA_SIP_REG_PENDING,		/* REGISTER seen, answer awaited */
	AVAYA_SIP_REG_UNREG_PENDING,	/* a REGISTER that removes bindings */
};

/*
 * TCP: per direction, a small stream state is allocated on the first
 * segment. It remembers how far the byte stream has been read (so a
 * retransmission is not parsed twice) and holds a message split across
 * segments in a bounded buffer until it is whole.
 */
enum avaya_sip_tcp_state {
	AVAYA_SIP_TCP_SYNC,	/* the next byte starts a message */
	AVAYA_SIP_TCP_SKIP,	/* skip: the rest of a message too long to hold */
	AVAYA_SIP_TCP_RESYNC,	/* lost track: wait for a SIP start line */
};

struct avaya_sip_stream;
struct avaya_sip_book;

/*
 * The book (allocated on the first REGISTER or call, freed by .destroy)
 * holds what does not fit here: the pending REGISTER's Call-ID and Contact
 * ports, and the calls of the flow.
 */
struct avaya_sip_master {
	struct avaya_sip_stream *stream[2];	/* TCP only, per direction */
	struct avaya_sip_book *book;
	u32 reg_cseq;		/* CSeq of the REGISTER awaiting its answer */
	u8 reg_state;		/* enum avaya_sip_reg_state */
	u8 media_flows;		/* a media flow was admitted: BYE looks for them */
	u8 picked_up;		/* created by ctnetlink: TCP starts resynchronising */
};

/* Expectation classes of avaya-sip: media never evicts a registration. */
enum avaya_sip_exp_class {
	AVAYA_SIP_EXP_REG,	/* registrar -> registered Contact, permanent */
	AVAYA_SIP_EXP_MEDIA,	/* RTP/RTCP of an offer or answer */
	AVAYA_SIP_EXP_MAX,
};

/*
 * A media flow admitted through a SIP pinhole gets the avaya-sipm
 * helper, whose data is the slot of its call in the signalling flow's book
 * (unique per flow while the call lives): a BYE then closes the flows of
 * exactly that call. An H.323 media flow gets avaya-h323m, whose data
 * is its logical channel: a CloseLogicalChannel closes exactly its flows.
 */
struct avaya_media_master {
	__be16 tag;		/* the SIP call's slot, or the H.323 channel */
	u8 tagged;
};

/* What every avaya-* helper keeps in nfct_help_data(). */
union avaya_master {
	struct avaya_ras_master ras;
	struct avaya_call_master call;
	struct avaya_sip_master sip;
	struct avaya_media_master media;
};

/* Expectation classes of the avaya-ras helper. */
enum avaya_ras_exp_class {
	AVAYA_EXP_REVERSE,	/* gatekeeper -> phone tcp/1720 */
	AVAYA_EXP_GCF,		/* unicast GCF after a multicast GRQ */
	AVAYA_EXP_RAS_MAX,
};

/*
 * The public ports .call_expect chose for what one Q.931 or H.245 message
 * announces, passed on to .q931/.h245 to write into it: h245 for its
 * h245Address, media[i] for its media[i] (RTP, or the RTCP address itself).
 * 0 where no pinhole was opened: that address is left alone.
 */
struct avaya_call_ports {
	u16 h245;
	u16 media[AVAYA_Q931_MAX_MEDIA];
};

static_assert(AVAYA_H245_MAX_MEDIA <= AVAYA_Q931_MAX_MEDIA);

/*
 * NAT operations, published by nf_nat_avaya. All run with the skb
 * linearised and @data pointing at the UDP/TCP payload. The two families
 * share one contract: the conntrack side inserts pinholes through NAT,
 * which returns the public ports it chose; the conntrack side hands them
 * forward to the rewrite.
 */
struct avaya_nat_ops {
	/* Rewrite a RAS message; may update *data, *len. NF_ACCEPT/NF_DROP. */
	int (*ras)(struct sk_buff *skb, struct nf_conn *ct,
		   enum ip_conntrack_info ctinfo, unsigned int protoff,
		   unsigned char **data, unsigned int *len,
		   const struct avaya_ras *m);
	/*
	 * Insert a RAS pinhole (reverse signalling, GCF) to the phone's
	 * public address and port; returns 0 or -errno.
	 */
	int (*ras_expect)(struct sk_buff *skb, struct nf_conn *ct,
			  enum ip_conntrack_info ctinfo,
			  struct nf_conntrack_expect *exp);
	/*
	 * Insert a call pinhole (H.245, media) through NAT; returns 0 or
	 * -errno. When it leads to an address of the NATed sender's own,
	 * *@pub is the public port the far side must use. @h235: the
	 * announcing message carries H.235 tokens; when nat_mode leaves such
	 * a message unrewritten, the public port is the announced one.
	 */
	int (*call_expect)(struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			   struct nf_conntrack_expect *exp, bool h235,
			   u16 *pub);
	/*
	 * Rewrite what a Q.931 or H.245 message of @len bytes (after the
	 * TPKT header) announces for its NATed sender: the public address
	 * and the ports in @pub. The message starts @msgoff bytes into the
	 * TCP payload, or @msgoff is negative when it was reassembled from
	 * earlier segments (its first bytes have left: counted and left
	 * alone). Call these after the pinholes. NF_ACCEPT or NF_DROP; the
	 * caller finds the skb data again afterwards.
	 */
	int (*q931)(struct sk_buff *skb, struct nf_conn *ct,
		    enum ip_conntrack_info ctinfo, int msgoff,
		    unsigned int len, const struct avaya_q931 *m,
		    const struct avaya_call_ports *pub);
	int (*h245)(struct sk_buff *skb, struct nf_conn *ct,
		    enum ip_conntrack_info ctinfo, int msgoff,
		    unsigned int len, const struct avaya_h245 *m,
		    const struct avaya_call_ports *pub);
	/*
	 * Rewrite the SIP message at @msgoff in the payload: Via, Contact,
	 * Request-URI and SDP addresses as NAT translated them, the m= ports
	 * to @media_port[i] (0: keep) and Content-Length. *@msglen is updated.
	 */
	int (*sip_msg)(struct sk_buff *skb, struct nf_conn *ct,
		       enum ip_conntrack_info ctinfo, unsigned int protoff,
		       unsigned int dataoff, unsigned int msgoff,
		       unsigned int *msglen, const struct avaya_sip_msg *m,
		       const u16 *media_port);
	/*
	 * Insert @exp (and @rtcp at the next port, may be NULL), whose tuple
	 * names the private destination of the host that is the source in
	 * direction @side, as the far side reaches it through NAT. Returns the
	 * public port, or 0 when no port was free. An expectation it had to
	 * withdraw cannot be inserted again: it may replace *@rtcp by a fresh
	 * copy (putting the old one; *@rtcp is NULL when that failed). The
	 * caller sets the timeout of, and puts, what *@rtcp holds afterwards.
	 * @keep_port: one try only. @want (RTP, RTCP), when not NULL: the
	 * public ports to take, which the SDP already announced. @lifetime
	 * (jiffies): how long the pinholes will live; their public ports stay
	 * theirs at least that long.
	 */
	u16 (*sip_expect)(struct nf_conn *ct, enum ip_conntrack_dir side,
			  struct nf_conntrack_expect *exp,
			  struct nf_conntrack_expect **rtcp, bool keep_port,
			  const __be16 *want, unsigned long lifetime);
	/*
	 * TCP: sip_msg rewrote the segment's messages, @delta bytes longer in
	 * all; record one sequence adjustment for the segment.
	 */
	void (*sip_seqadj)(struct sk_buff *skb, struct nf_conn *ct,
			   enum ip_conntrack_info ctinfo, unsigned int protoff,
			   int delta);
};

extern const struct avaya_nat_ops __rcu *avaya_nat_hook;

/*
 * The expectfn of every pinhole nf_conntrack_avaya opens ("avaya-follow"):
 * gives the admitted flow @ct its helper (a copy of @exp synced by
 * conntrackd has no assign_helper), notes on an H.323 call that it admitted
 * a flow, and tags media flows with their call. An expectfn that replaces
 * it (NAT) must call it; before nf_nat_setup_info() where the new flow's
 * helper may need a sequence adjustment (SIP over TCP).
 */
void avaya_expected(struct nf_conn *ct, struct nf_conntrack_expect *exp);

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
