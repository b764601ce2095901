// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * Decode cost of our RAS/Q.931/H.245 decoders against the stock kernel
 * H.323 ASN.1 decoder (net/netfilter/nf_conntrack_h323_asn1.c, compiled from
 * the cached linux-source tree), on the same messages, in the same run.
 * Prints ns per message and the ratio ours/stock; asserts nothing about time
 * (the exact, repeatable comparison is the instruction count, icount.c).
 *
 * In the kernel the stock decoder also runs under one global spinlock with a
 * 64 KB static buffer; ours needs neither, which this single-thread figure
 * does not even count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

#include "avaya_ras.h"
#include "avaya_q931.h"
#include "avaya_h245.h"
#include "../kunit/avaya_ras_vectors.h"
#include "../kunit/avaya_q931_vectors.h"
#include "../kunit/avaya_h245_vectors.h"

#include <linux/netfilter/nf_conntrack_h323_asn1.h>

struct vec {
	const char *name;
	const u8 *buf;
	size_t len;
};

#define V(x) { #x, x, sizeof(x) }

static const struct vec ras_vecs[] = {
	V(ras_cap_f61), V(ras_cap_f62), V(ras_cap_f71), V(ras_cap_f72),
	V(ras_avaya_rrq), V(ras_avaya_rcf), V(ras_avaya_rrq_keepalive),
};

/* Q.931 vectors are TPKT-less in the vectors header. */
static const struct vec q931_vecs[] = {
	V(q931_f6_setup), V(q931_f18_connect), V(q931_built_setup_fs),
	V(q931_built_connect_tunnel),
};

static const struct vec h245_vecs[] = {
	V(h245_f38_olc), V(h245_f41_olc_ack), V(h245_f25_tcs),
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static long sink;	/* printed at the end, so no decode call can be elided */

/* Q.931 and H.245 vectors carry their TPKT header: both decoders skip it. */
static size_t skip_tpkt(int kind)
{
	return kind ? 4 : 0;
}

static int decode_ours(int kind, const u8 *buf, size_t len)
{
	struct avaya_ras r;
	struct avaya_q931 q;
	struct avaya_h245 h;

	if (kind == 0)
		return avaya_ras_decode(buf, len, &r);
	if (kind == 1)
		return avaya_q931_decode(buf, len, &q);
	return avaya_h245_decode(buf, len, &h);
}

/* The stock decoder writes into big structs: static, as in the kernel. */
static RasMessage stock_r;
static Q931 stock_q;
static MultimediaSystemControlMessage stock_h;

static int decode_stock(int kind, unsigned char *buf, size_t len)
{
	if (kind == 0)
		return DecodeRasMessage(buf, len, &stock_r);
	if (kind == 1)
		return DecodeQ931(buf, len, &stock_q);
	return DecodeMultimediaSystemControlMessage(buf, len, &stock_h);
}

static double run_ours(int kind, const struct vec *v, long iters)
{
	size_t off = skip_tpkt(kind);
	double t0 = now_ns();
	long i;

	for (i = 0; i < iters; i++)
		sink += decode_ours(kind, v->buf + off, v->len - off);
	return (now_ns() - t0) / iters;
}

static double run_stock(int kind, const struct vec *v, long iters)
{
	size_t off = skip_tpkt(kind);
	unsigned char buf[2048];
	double t0;
	long i;

	memcpy(buf, v->buf + off, v->len - off);
	t0 = now_ns();
	for (i = 0; i < iters; i++)
		sink += decode_stock(kind, buf, v->len - off);
	return (now_ns() - t0) / iters;
}

static int failures;

static void bench(const char *title, int kind, const struct vec *v, size_t n,
		  long iters, double *sum_ratio, int *count)
{
	size_t i;

	printf("%s\n", title);
	for (i = 0; i < n; i++) {
		size_t off = skip_tpkt(kind);
		unsigned char copy[2048];
		double ours = 1e99, stock = 1e99;
		int rep, rc_ours, rc_stock;

		memcpy(copy, v[i].buf + off, v[i].len - off);
		rc_ours = decode_ours(kind, v[i].buf + off, v[i].len - off);
		rc_stock = decode_stock(kind, copy, v[i].len - off);
		if (rc_ours || rc_stock < 0) {	/* stock: > 0 means stop, fine */
			printf("  %-28s not decoded (ours %d, stock %d)\n",
			       v[i].name, rc_ours, rc_stock);
			failures++;
			continue;
		}

		/* best of five: the least disturbed run */
		for (rep = 0; rep < 5; rep++) {
			double a = run_ours(kind, &v[i], iters);
			double b = run_stock(kind, &v[i], iters);

			ours = a < ours ? a : ours;
			stock = b < stock ? b : stock;
		}
		printf("  %-28s %4zu octets  ours %7.1f ns  stock %7.1f ns  ours/stock %5.2f\n",
		       v[i].name, v[i].len, ours, stock, ours / stock);
		*sum_ratio += ours / stock;
		(*count)++;
	}
}

/*
 * The kernel's stock helper takes one global spinlock (nf_h323_lock) around
 * every decode; ours runs lock-free on each CPU. Two threads decoding RAS,
 * stock under a spinlock, ours without: messages per second.
 */
struct worker {
	int stock;
	long iters;
	pthread_spinlock_t *lock;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	unsigned char buf[2048];
	RasMessage r;
	long i;

	memcpy(buf, ras_avaya_rrq, sizeof(ras_avaya_rrq));
	for (i = 0; i < w->iters; i++) {
		if (w->stock) {
			pthread_spin_lock(w->lock);
			sink += DecodeRasMessage(buf, sizeof(ras_avaya_rrq), &r);
			pthread_spin_unlock(w->lock);
		} else {
			sink += decode_ours(0, ras_avaya_rrq, sizeof(ras_avaya_rrq));
		}
	}
	return NULL;
}

static double threaded(int stock, int nthreads, long iters)
{
	pthread_spinlock_t lock;
	pthread_t t[8];
	struct worker w = { .stock = stock, .iters = iters, .lock = &lock };
	double t0;
	int i;

	pthread_spin_init(&lock, PTHREAD_PROCESS_PRIVATE);
	t0 = now_ns();
	for (i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, work, &w);
	for (i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	return nthreads * iters / ((now_ns() - t0) / 1e9);
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 200000;
	double sum = 0;
	int n = 0;

	bench("RAS (RasMessage)", 0, ras_vecs, ARRAY_SIZE(ras_vecs), iters, &sum, &n);
	bench("Q.931 + H.225 UUIE", 1, q931_vecs, ARRAY_SIZE(q931_vecs), iters, &sum, &n);
	bench("H.245", 2, h245_vecs, ARRAY_SIZE(h245_vecs), iters, &sum, &n);
	printf("mean ours/stock time over %d messages, one thread: %.2f\n", n, sum / n);
	{
		double o1 = threaded(0, 1, iters), s1 = threaded(1, 1, iters);
		double o2 = threaded(0, 2, iters), s2 = threaded(1, 2, iters);

		printf("RAS RRQ messages/s    1 thread: ours %.0f  stock+lock %.0f\n", o1, s1);
		printf("RAS RRQ messages/s   2 threads: ours %.0f  stock+lock %.0f\n", o2, s2);
		printf("scaling 1->2 threads: ours %.2fx, stock+global lock %.2fx\n",
		       o2 / o1, s2 / s1);
		printf("2 threads: ours/stock+global lock messages/s %.2f\n",
		       o2 / s2);
	}
	printf("(checksum %ld)\n", sink);
	return failures ? 1 : 0;
}
