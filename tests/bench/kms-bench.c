// SPDX-License-Identifier: MIT
/*
 * kms-bench: KMS figures for one driver (guestkms or, for comparison, the
 * in-tree bochs) on the current device:
 *   commit latency (TEST_ONLY, nonblocking ioctl, blocking commit),
 *   page-flip rate with events, bytes copied to VRAM per frame for a small
 *   damage and a full-screen update (guestkms debugfs counters), and CPU
 *   read/write speed of a mapped dumb buffer.
 *
 *   kms-bench [--driver NAME] [--seconds S]
 *
 * Prints "RESULT <name> <value> <unit>" lines (value "n/a" when the driver
 * cannot tell) for tests/bench/kms-bench-guest.sh to compare.
 */
#include "../kms/kmstest.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double kb_seconds = 2.0;

static int kb_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void kb_result(const char *name, double v, const char *unit)
{
	printf("RESULT %s %.3f %s\n", name, v, unit);
}

static double kb_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), kb_cmp);
	return n ? v[n / 2] : 0;
}

static drmModeAtomicReq *kb_flip_req(struct kt *kt, const struct kt_fb *fb)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();

	if (req)
		drmModeAtomicAddProperty(req, kt->primary_id,
					 kt_prop(kt, kt->primary_id, DRM_MODE_OBJECT_PLANE,
						 "FB_ID"), fb->fb_id);
	return req;
}

/* Median latency in microseconds of n commits with @flags. */
static int kb_commit_latency(struct kt *kt, struct kt_fb *fb, uint32_t flags,
			     int n, double *median_us)
{
	double v[256];

	if (n > 256)
		n = 256;
	for (int i = 0; i < n; i++) {
		drmModeAtomicReq *req = kb_flip_req(kt, &fb[i & 1]);
		double t0 = kt_now();
		int ret;

		if (!req)
			return kt_fail(kt, "out of memory");
		ret = drmModeAtomicCommit(kt->fd, req, flags, NULL);
		v[i] = (kt_now() - t0) * 1e6;
		drmModeAtomicFree(req);
		if (ret)
			return kt_fail(kt, "commit (flags %x): %s", flags, strerror(errno));
		if ((flags & DRM_MODE_PAGE_FLIP_EVENT) &&
		    kt_wait_event(kt, 2000, NULL, NULL))
			return kt_fail(kt, "no flip event within 2 s");
	}
	*median_us = kb_median(v, n);
	return KT_PASS;
}

/* Flips per second; with @blob, each flip carries that damage blob. */
static int kb_flip_rate(struct kt *kt, struct kt_fb *fb, uint32_t dmg, uint32_t blob,
			double *rate)
{
	double t0 = kt_now();
	int n = 0;

	while (kt_now() - t0 < kb_seconds) {
		drmModeAtomicReq *req = kb_flip_req(kt, &fb[n & 1]);
		int ret;

		if (!req)
			return kt_fail(kt, "out of memory");
		if (blob)
			drmModeAtomicAddProperty(req, kt->primary_id, dmg, blob);
		ret = drmModeAtomicCommit(kt->fd, req, DRM_MODE_ATOMIC_NONBLOCK |
					  DRM_MODE_PAGE_FLIP_EVENT, NULL);
		drmModeAtomicFree(req);
		if (ret)
			return kt_fail(kt, "flip: %s", strerror(errno));
		if (kt_wait_event(kt, 2000, NULL, NULL))
			return kt_fail(kt, "no flip event within 2 s");
		n++;
	}
	*rate = n / (kt_now() - t0);
	return KT_PASS;
}

/* Average bytes to VRAM per frame over n flips (clip NULL: whole plane). */
static int kb_bytes(struct kt *kt, struct kt_fb *fb, const uint32_t *clip, int n)
{
	const char *name = clip ? "bytes_per_frame_small_damage" : "bytes_per_frame_full";
	uint64_t b0, b1;

	if (kt_counter(kt, "bytes_to_vram", &b0)) {
		/* No counter: the in-tree drivers scan out the buffer itself. */
		printf("RESULT %s n/a bytes\n", name);
		return KT_PASS;
	}
	for (int i = 0; i < n; i++) {
		if (clip)
			kt_fb_fill(&fb[0], clip[0], clip[1], clip[2] - clip[0],
				   clip[3] - clip[1], 0xff000000u | (uint32_t)i * 0x010203u);
		KT_TRY(kt_flip(kt, clip ? &fb[0] : &fb[i & 1], clip, clip ? 1 : 0, NULL));
	}
	kt_counter(kt, "bytes_to_vram", &b1);
	kb_result(name, (double)(b1 - b0) / n, "bytes");
	return KT_PASS;
}

/* CPU read and write speed of a mapped dumb buffer, MB/s (best of 5). */
static void kb_map_speed(struct kt_fb *fb)
{
	size_t words = (size_t)fb->pitch * fb->h / 8;
	volatile uint64_t *p = (volatile uint64_t *)(void *)fb->map;
	uint64_t sum = 0;
	double t0, tw = 1e9, tr = 1e9;

	for (int r = 0; r < 5; r++) {
		t0 = kt_now();
		for (size_t i = 0; i < words; i++)
			p[i] = i + (size_t)r;
		if (kt_now() - t0 < tw)
			tw = kt_now() - t0;
		t0 = kt_now();
		for (size_t i = 0; i < words; i++)
			sum += p[i];
		if (kt_now() - t0 < tr)
			tr = kt_now() - t0;
	}
	kb_result("dumb_write_speed", words * 8.0 / tw / 1e6, "MB/s");
	kb_result("dumb_read_speed", words * 8.0 / tr / 1e6, "MB/s");
	if (sum == 42)
		printf("# (checksum %llu)\n", (unsigned long long)sum);
}

static int kb_small_flip_rate(struct kt *kt, struct kt_fb *fb, const uint32_t *c)
{
	struct drm_mode_rect r = { (int32_t)c[0], (int32_t)c[1], (int32_t)c[2], (int32_t)c[3] };
	uint32_t dmg = kt_prop(kt, kt->primary_id, DRM_MODE_OBJECT_PLANE, "FB_DAMAGE_CLIPS");
	uint32_t blob = 0;
	double v;
	int ret;

	if (!dmg) {
		printf("RESULT page_flip_rate_small_damage n/a flips/s\n");
		return KT_PASS;
	}
	if (drmModeCreatePropertyBlob(kt->fd, &r, sizeof(r), &blob))
		return kt_fail(kt, "damage blob: %s", strerror(errno));
	ret = kb_flip_rate(kt, fb, dmg, blob, &v);
	drmModeDestroyPropertyBlob(kt->fd, blob);
	if (ret == KT_PASS)
		kb_result("page_flip_rate_small_damage", v, "flips/s");
	return ret;
}

static int kb_run(struct kt *kt, struct kt_fb *fb)
{
	static const uint32_t small[4] = { 100, 100, 164, 164 };
	double v;

	KT_TRY(kt_setup_pattern(kt, &fb[0], 1));
	KT_TRY(kt_fb_create(kt, &fb[1], fb[0].w, fb[0].h, DRM_FORMAT_XRGB8888));
	kt_fb_pattern(&fb[1], 2);
	printf("# %s, mode %s %.2f Hz\n", kt->driver, kt->pref.name, kt_mode_hz(&kt->pref));
	KT_TRY(kb_commit_latency(kt, fb, DRM_MODE_ATOMIC_TEST_ONLY, 100, &v));
	kb_result("commit_test_only_latency", v, "us");
	KT_TRY(kb_commit_latency(kt, fb, DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT,
				 60, &v));
	kb_result("commit_nonblock_ioctl_latency", v, "us");
	KT_TRY(kb_commit_latency(kt, fb, 0, 60, &v));
	kb_result("commit_blocking_latency", v, "us");
	KT_TRY(kb_flip_rate(kt, fb, 0, 0, &v));
	kb_result("page_flip_rate_full", v, "flips/s");
	KT_TRY(kb_small_flip_rate(kt, fb, small));
	KT_TRY(kb_bytes(kt, fb, small, 30));
	KT_TRY(kb_bytes(kt, fb, NULL, 30));
	kb_result("full_frame_size", (double)fb[0].w * fb[0].h * 4, "bytes");
	kb_map_speed(&fb[1]);
	return KT_PASS;
}

int main(int argc, char **argv)
{
	struct kt kt;
	struct kt_fb fb[2];
	const char *driver = "guestkms";
	int ret;

	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--driver")) {
			driver = argv[++i];
		} else if (i + 1 < argc && !strcmp(argv[i], "--seconds")) {
			kb_seconds = atof(argv[++i]);
			if (kb_seconds <= 0 || kb_seconds > 60) {
				fprintf(stderr, "kms-bench: --seconds must be in (0, 60]\n");
				return 2;
			}
		} else {
			fprintf(stderr, "usage: kms-bench [--driver NAME] [--seconds S]\n");
			return 2;
		}
	}
	memset(&kt, 0, sizeof(kt));
	memset(fb, 0, sizeof(fb));
	kt.fd = -1;
	kt.guestkms = !strcmp(driver, "guestkms");
	kt.outdir = "/mnt/out";
	kt.cur_test = "bench";
	if (kt_open(&kt, driver))
		return 1;
	ret = kb_run(&kt, fb);
	if (ret != KT_PASS)
		fprintf(stderr, "kms-bench: %s: %s\n", driver, kt.reason);
	kt_fb_destroy(&kt, &fb[0]);
	kt_fb_destroy(&kt, &fb[1]);
	kt_close(&kt);
	return ret == KT_PASS ? 0 : 1;
}
