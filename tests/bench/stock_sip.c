// SPDX-License-Identifier: GPL-2.0-only
/*
 * The stock SIP helper's message path, for the instruction-count benchmark:
 * the shim, then the header and the body that extract-stock.sh cut out of the
 * kernel sources, then an entry point that hands one message to
 * process_sip_msg() for a conntrack the caller set up.
 */
#include "stock_sip_shim.h"
#include "nf_conntrack_sip_h.h"

static int sip_direct_signalling = 1;
static int sip_direct_media = 1;
static int sip_external_media;
const struct nf_nat_sip_hooks *nf_nat_sip_hooks;

#include "nf_conntrack_sip_body.c"

static struct nf_conn bench_ct;
static struct nf_conntrack_helper bench_helper;

int stock_sip_msg(int reply, const char *buf, unsigned int len);

/* One message of the flow stock_sip_prepare() set up, as the helper sees it. */
int stock_sip_msg(int reply, const char *buf, unsigned int len)
{
	struct sk_buff skb = {
		.ct = &bench_ct,
		.ctinfo = reply ? IP_CT_ESTABLISHED_REPLY : IP_CT_ESTABLISHED,
	};
	const char *dptr = buf;
	unsigned int datalen = len;

	return process_sip_msg(&skb, &bench_ct, 0, 0, &dptr, &datalen);
}

void stock_sip_prepare(const char *a, const char *b, unsigned int reg_cseq);

/*
 * A UDP flow from @a to @b with the SIP helper attached; @reg_cseq is the
 * CSeq of the REGISTER a 2xx answers (the stock helper checks it).
 */
void stock_sip_prepare(const char *a, const char *b, unsigned int reg_cseq)
{
	struct nf_ct_sip_master *info = nfct_help_data(&bench_ct);

	memset(&bench_ct, 0, sizeof(bench_ct));
	bench_ct.help.helper = &bench_helper;
	bench_ct.tuplehash[0].tuple.src.l3num = NFPROTO_IPV4;
	inet_pton(AF_INET, a, &bench_ct.tuplehash[0].tuple.src.u3.ip);
	inet_pton(AF_INET, b, &bench_ct.tuplehash[0].tuple.dst.u3.ip);
	bench_ct.tuplehash[1].tuple.src.u3 = bench_ct.tuplehash[0].tuple.dst.u3;
	bench_ct.tuplehash[1].tuple.dst.u3 = bench_ct.tuplehash[0].tuple.src.u3;
	bench_ct.tuplehash[0].tuple.src.u.udp.port = htons(5060);
	bench_ct.tuplehash[1].tuple.dst.u.udp.port = htons(5060);
	info->register_cseq = reg_cseq;
}
