// SPDX-License-Identifier: GPL-2.0-only
/*
 * udpblast SND_NS RCV_NS COUNT SIZE CHUNK SRC_IP:PORT DST_IP:PORT [SRC DST]...
 *
 * Forwarding cost for tests/vm/perf_forward.sh: for each case (a source
 * socket created in netns SND_NS, a destination socket created in RCV_NS),
 * COUNT datagrams of SIZE octets through whatever lies between. One
 * process holds every socket: it sends a batch of 32 (sendmmsg), then
 * reads what arrived (recvmmsg), so on a one-CPU guest no scheduler decides
 * the rate, and the forwarding (softirq, run as each datagram leaves) is
 * most of the time spent. The cases take turns in chunks of CHUNK
 * datagrams, so that a loaded host's stalls fall on all of them alike;
 * each case's time is the sum of its chunks'. Before the clock starts,
 * each case's flow sees one datagram each way, so that the firewall's
 * "ct state established" (not "new", nor "related" for an expected flow)
 * admits every timed datagram alike. Prints per case
 * "udpblast: case K sent S received R secs T pps P". Compiled in the guest.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32

static void enter(const char *ns)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		perror(path);
		exit(2);
	}
	close(fd);
}

static int udp_sock(const char *ns, const char *ep, struct sockaddr_in *a)
{
	int s, one = 1, buf = 8 << 20;
	char ip[64];
	const char *colon = strrchr(ep, ':');

	enter(ns);
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	if (!colon || colon - ep >= (long)sizeof(ip)) {
		fprintf(stderr, "udpblast: bad endpoint %s\n", ep);
		exit(2);
	}
	memcpy(ip, ep, colon - ep);
	ip[colon - ep] = 0;
	a->sin_port = htons(atoi(colon + 1));
	if (inet_pton(AF_INET, ip, &a->sin_addr) != 1) {
		fprintf(stderr, "udpblast: bad address %s\n", ip);
		exit(2);
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0) {
		perror("socket");
		exit(2);
	}
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(s, (struct sockaddr *)a, sizeof(*a)) < 0) {
		perror("bind");
		exit(2);
	}
	return s;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static char rbuf[BATCH][2048];
static struct iovec riov[BATCH];
static struct mmsghdr rmsg[BATCH];

/* Read what is queued; with @wait_ms, wait that long for more. */
static long drain(int r, int wait_ms)
{
	long got = 0;
	int n;

	for (;;) {
		n = recvmmsg(r, rmsg, BATCH, MSG_DONTWAIT, NULL);
		if (n > 0) {
			got += n;
			continue;
		}
		if (wait_ms) {
			struct pollfd p = { .fd = r, .events = POLLIN };

			if (poll(&p, 1, wait_ms) > 0)
				continue;
		}
		return got;
	}
}

#define MAX_CASES 8

struct blast_case {
	int s, r;
	struct sockaddr_in src, dst;
	long sent, got;
	double secs;
};

/* Up to @chunk datagrams of case @c, each batch read back at once. */
static void chunk_run(struct blast_case *c, struct mmsghdr *smsg, long chunk,
		      long count)
{
	double t0 = now();
	long end = c->sent + chunk < count ? c->sent + chunk : count;
	int i, n;

	while (c->sent < end) {
		n = end - c->sent < BATCH ? end - c->sent : BATCH;
		for (i = 0; i < n; i++)
			smsg[i].msg_hdr.msg_name = &c->dst;
		n = sendmmsg(c->s, smsg, n, 0);
		if (n <= 0) {
			perror("sendmmsg");
			exit(1);
		}
		c->sent += n;
		c->got += drain(c->r, 0);
	}
	c->secs += now() - t0;
}

int main(int argc, char **argv)
{
	static char payload[2048];
	struct blast_case cs[MAX_CASES];
	struct mmsghdr smsg[BATCH];
	struct iovec siov[BATCH];
	long count, chunk, left;
	int ncase, i, k, size, ret = 0;

	ncase = (argc - 6) / 2;
	if (argc < 8 || (argc - 6) % 2 || ncase > MAX_CASES) {
		fprintf(stderr, "usage: udpblast SND_NS RCV_NS COUNT SIZE CHUNK %s\n",
			"SRC_IP:PORT DST_IP:PORT [SRC DST]...");
		return 2;
	}
	count = atol(argv[3]);
	size = atoi(argv[4]);
	chunk = atol(argv[5]);
	if (size < 1 || size > (int)sizeof(payload))
		size = 172;
	if (chunk < 1)
		chunk = count;
	memset(cs, 0, sizeof(cs));
	for (k = 0; k < ncase; k++) {
		cs[k].r = udp_sock(argv[2], argv[7 + 2 * k], &cs[k].dst);
		cs[k].s = udp_sock(argv[1], argv[6 + 2 * k], &cs[k].src);
	}
	payload[0] = (char)0x80;	/* RTP version 2 */
	memset(smsg, 0, sizeof(smsg));
	for (i = 0; i < BATCH; i++) {
		siov[i].iov_base = payload;
		siov[i].iov_len = size;
		smsg[i].msg_hdr.msg_iov = &siov[i];
		smsg[i].msg_hdr.msg_iovlen = 1;
		smsg[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
		riov[i].iov_base = rbuf[i];
		riov[i].iov_len = sizeof(rbuf[i]);
		rmsg[i].msg_hdr.msg_iov = &riov[i];
		rmsg[i].msg_hdr.msg_iovlen = 1;
	}
	for (k = 0; k < ncase; k++) {
		/* One datagram each way: the flow is established. */
		sendto(cs[k].s, payload, size, 0, (struct sockaddr *)&cs[k].dst,
		       sizeof(cs[k].dst));
		drain(cs[k].r, 200);
		sendto(cs[k].r, payload, size, 0, (struct sockaddr *)&cs[k].src,
		       sizeof(cs[k].src));
		drain(cs[k].s, 200);
	}
	do {
		left = 0;
		for (k = 0; k < ncase; k++) {
			chunk_run(&cs[k], smsg, chunk, count);
			left += count - cs[k].sent;
		}
	} while (left);
	for (k = 0; k < ncase; k++) {
		cs[k].got += drain(cs[k].r, 500);
		printf("udpblast: case %d sent %ld received %ld secs %.3f pps %.0f\n",
		       k, cs[k].sent, cs[k].got, cs[k].secs,
		       cs[k].secs > 0 ? cs[k].got / cs[k].secs : 0.0);
		if (!cs[k].got)
			ret = 1;
	}
	return ret;
}
