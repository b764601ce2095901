// SPDX-License-Identifier: GPL-2.0-only
/*
 * udpblast SND_NS SRC_IP SRC_PORT RCV_NS DST_IP DST_PORT COUNT SIZE
 *
 * Forwarding cost for tests/vm/perf_forward.sh: COUNT datagrams of SIZE
 * octets from SRC (a socket created in netns SND_NS) to DST (created in
 * RCV_NS), through whatever lies between. One process holds both sockets:
 * it sends a batch of 32 (sendmmsg), then reads what arrived (recvmmsg),
 * so on a one-CPU guest no scheduler decides the rate, and the forwarding
 * (softirq, run as each datagram leaves) is most of the time spent.
 * Prints "udpblast: sent S received R secs T pps P": R over the time from
 * the first send to the last datagram read. Compiled in the guest.
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

static int udp_sock(const char *ns, const char *ip, int port,
		    struct sockaddr_in *a)
{
	int s, one = 1, buf = 8 << 20;

	enter(ns);
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
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
static long drain(int r, int wait_ms, double *last)
{
	long got = 0;
	int n;

	for (;;) {
		n = recvmmsg(r, rmsg, BATCH, MSG_DONTWAIT, NULL);
		if (n > 0) {
			got += n;
			*last = now();
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

int main(int argc, char **argv)
{
	static char payload[2048];
	struct sockaddr_in src, dst;
	struct mmsghdr smsg[BATCH];
	struct iovec siov[BATCH];
	long count, sent = 0, got = 0;
	double t0, last;
	int s, r, i, size, n;

	if (argc != 9) {
		fprintf(stderr, "usage: udpblast SND_NS SRC_IP SRC_PORT RCV_NS DST_IP DST_PORT COUNT SIZE\n");
		return 2;
	}
	count = atol(argv[7]);
	size = atoi(argv[8]);
	if (size < 1 || size > (int)sizeof(payload))
		size = 172;
	r = udp_sock(argv[4], argv[5], atoi(argv[6]), &dst);
	s = udp_sock(argv[1], argv[2], atoi(argv[3]), &src);
	payload[0] = (char)0x80;	/* RTP version 2 */
	memset(smsg, 0, sizeof(smsg));
	for (i = 0; i < BATCH; i++) {
		siov[i].iov_base = payload;
		siov[i].iov_len = size;
		smsg[i].msg_hdr.msg_iov = &siov[i];
		smsg[i].msg_hdr.msg_iovlen = 1;
		smsg[i].msg_hdr.msg_name = &dst;
		smsg[i].msg_hdr.msg_namelen = sizeof(dst);
		riov[i].iov_base = rbuf[i];
		riov[i].iov_len = sizeof(rbuf[i]);
		rmsg[i].msg_hdr.msg_iov = &riov[i];
		rmsg[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = last = now();
	while (sent < count) {
		n = count - sent < BATCH ? count - sent : BATCH;
		n = sendmmsg(s, smsg, n, 0);
		if (n < 0) {
			perror("sendmmsg");
			break;
		}
		sent += n;
		got += drain(r, 0, &last);
	}
	got += drain(r, 500, &last);
	printf("udpblast: sent %ld received %ld secs %.3f pps %.0f\n", sent, got,
	       last - t0, last > t0 ? got / (last - t0) : 0.0);
	return got ? 0 : 1;
}
