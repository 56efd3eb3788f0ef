// SPDX-License-Identifier: MIT
/*
 * Fault injection for the DRM backend's recovery paths (e2e cases
 * fault-busy, fault-einval, fault-noevents), preloaded into guestwl:
 *
 *   LD_PRELOAD=libdrm-fault.so GUESTWL_FAULT=busy|einval|noevents guestwl ...
 *
 * After GUESTWL_FAULT_AFTER (default 30) page-flip commits (atomic, not
 * TEST_ONLY, asking for an event):
 *   busy      the next 3 such commits fail with EBUSY;
 *   einval    the next one fails with EINVAL;
 *   noevents  every page-flip event is swallowed from then on (the driver
 *             "never sends events").
 * Each fault is logged on stderr ("drm-fault: ..."), and "drm-fault: done"
 * once the busy/einval sequence is over.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <drm.h>
#include <drm_mode.h>

#define DRM_MAJOR 226
#define BUSY_COMMITS 3

enum mode { MODE_NONE, MODE_BUSY, MODE_EINVAL, MODE_NOEVENTS };

static enum mode mode = MODE_NONE;
static long after = 30;
static long flips; /* page-flip commits seen */
static int injected;

__attribute__((constructor)) static void fault_init(void)
{
	const char *m = getenv("GUESTWL_FAULT"), *n = getenv("GUESTWL_FAULT_AFTER");

	if (m && strcmp(m, "busy") == 0)
		mode = MODE_BUSY;
	else if (m && strcmp(m, "einval") == 0)
		mode = MODE_EINVAL;
	else if (m && strcmp(m, "noevents") == 0)
		mode = MODE_NOEVENTS;
	else if (m)
		fprintf(stderr, "drm-fault: unknown GUESTWL_FAULT=%s (busy, einval, noevents)\n", m);
	if (n)
		after = strtol(n, NULL, 10);
}

static int fault_commit(const struct drm_mode_atomic *req)
{
	if (req->flags & DRM_MODE_ATOMIC_TEST_ONLY || !(req->flags & DRM_MODE_PAGE_FLIP_EVENT))
		return 0;
	if (++flips <= after)
		return 0;
	if (mode == MODE_BUSY && injected < BUSY_COMMITS) {
		injected++;
		fprintf(stderr, "drm-fault: commit %ld: EBUSY\n", flips);
		if (injected == BUSY_COMMITS)
			fprintf(stderr, "drm-fault: done\n");
		return EBUSY;
	}
	if (mode == MODE_EINVAL && injected == 0) {
		injected = 1;
		fprintf(stderr, "drm-fault: commit %ld: EINVAL\ndrm-fault: done\n", flips);
		return EINVAL;
	}
	if (mode == MODE_NOEVENTS && !injected) {
		injected = 1;
		fprintf(stderr, "drm-fault: from commit %ld on, no page-flip events\n", flips);
	}
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	if (request == DRM_IOCTL_MODE_ATOMIC && mode != MODE_NONE && arg) {
		int err = fault_commit(arg);

		if (err) {
			errno = err;
			return -1;
		}
	}
	return real(fd, request, arg);
}

static int is_drm(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == DRM_MAJOR;
}

/* Drop the page-flip events from what a read of the DRM device returned. */
static ssize_t drop_flip_events(char *buf, ssize_t len)
{
	ssize_t in = 0, out = 0;

	while (in + (ssize_t)sizeof(struct drm_event) <= len) {
		struct drm_event e;

		memcpy(&e, buf + in, sizeof(e));
		if (e.length < sizeof(e) || in + (ssize_t)e.length > len)
			break;
		if (e.type != DRM_EVENT_FLIP_COMPLETE) {
			memmove(buf + out, buf + in, e.length);
			out += e.length;
		}
		in += e.length;
	}
	return out;
}

ssize_t read(int fd, void *buf, size_t count)
{
	static ssize_t (*real)(int, void *, size_t);

	if (!real)
		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	ssize_t n = real(fd, buf, count);

	if (n > 0 && mode == MODE_NOEVENTS && injected && is_drm(fd))
		n = drop_flip_events(buf, n);
	return n;
}
