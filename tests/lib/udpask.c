// SPDX-License-Identifier: GPL-2.0-only
/*
 * udpask SRC_IP:PORT DST_IP:PORT REQUEST ANSWER SECONDS
 *
 * One UDP request and its answer, for the VM scenarios (tests/vm/lib.sh
 * udp_ask): REQUEST's bytes in one datagram from SRC to DST, then the first
 * datagram that comes back to SRC within SECONDS is written to ANSWER. One
 * socket sends and receives, as a SIP or RAS endpoint does (two processes
 * sharing the port would race for the answer); a C start costs little
 * under TCG, where python's takes a second. Addresses are IPv4 or
 * [IPv6]. Exit 0 with an answer, 1 without, 2 on a usage or system error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int parse(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	char host[64];
	const char *colon = strrchr(s, ':');
	size_t n;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	n = colon - s;
	memcpy(host, s, n);
	host[n] = 0;
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		host[n - 1] = 0;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(atoi(colon + 1));
		*len = sizeof(*a);
		return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1 ? 0 : -1;
	}
	a4->sin_family = AF_INET;
	a4->sin_port = htons(atoi(colon + 1));
	*len = sizeof(*a4);
	return inet_pton(AF_INET, host, &a4->sin_addr) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static char buf[65536];
	struct sockaddr_storage src, dst;
	socklen_t slen, dlen;
	struct pollfd p;
	FILE *f;
	int fd, one = 1;
	ssize_t n;
	size_t len;

	if (argc != 6 || parse(argv[1], &src, &slen) || parse(argv[2], &dst, &dlen) ||
	    src.ss_family != dst.ss_family) {
		fprintf(stderr, "usage: udpask SRC_IP:PORT DST_IP:PORT REQUEST ANSWER SECONDS\n");
		return 2;
	}
	f = fopen(argv[3], "rb");
	if (!f)
		return 2;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	fd = socket(src.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&src, slen) ||
	    sendto(fd, buf, len, 0, (struct sockaddr *)&dst, dlen) != (ssize_t)len) {
		perror("udpask");
		return 2;
	}
	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, (int)(atof(argv[5]) * 1000)) != 1) {
		fprintf(stderr, "udpask: %s -> %s: no answer\n", argv[1], argv[2]);
		return 1;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return 1;
	f = fopen(argv[4], "wb");
	if (!f || fwrite(buf, 1, n, f) != (size_t)n || fclose(f))
		return 2;
	return 0;
}
