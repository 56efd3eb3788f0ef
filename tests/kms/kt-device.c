// SPDX-License-Identifier: MIT
/* kmstest: finding the device, properties, events, modes. */
#include "kmstest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

double kt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int kt_pick_crtc_planes(struct kt *kt, drmModeRes *res)
{
	drmModePlaneRes *pr = drmModeGetPlaneResources(kt->fd);

	if (!pr)
		return -errno;
	kt->crtc_id = res->crtcs[0];
	kt->crtc_index = 0;
	for (uint32_t i = 0; i < pr->count_planes; i++) {
		drmModePlane *p = drmModeGetPlane(kt->fd, pr->planes[i]);
		uint64_t type = 0;

		if (!p)
			continue;
		if ((p->possible_crtcs & 1u) &&
		    kt_prop_value(kt, p->plane_id, DRM_MODE_OBJECT_PLANE,
				  "type", &type) == 0) {
			if (type == DRM_PLANE_TYPE_PRIMARY && !kt->primary_id)
				kt->primary_id = p->plane_id;
			if (type == DRM_PLANE_TYPE_OVERLAY && !kt->overlay_id)
				kt->overlay_id = p->plane_id;
			if (type == DRM_PLANE_TYPE_CURSOR && !kt->cursor_id)
				kt->cursor_id = p->plane_id;
		}
		drmModeFreePlane(p);
	}
	drmModeFreePlaneResources(pr);
	return kt->primary_id ? 0 : -ENODEV;
}

static int kt_pick_connector(struct kt *kt, drmModeRes *res)
{
	for (int i = 0; i < res->count_connectors; i++) {
		drmModeConnector *c = drmModeGetConnector(kt->fd, res->connectors[i]);

		if (!c)
			continue;
		if (c->connection == DRM_MODE_CONNECTED && c->count_modes > 0) {
			kt->conn_id = c->connector_id;
			kt->pref = c->modes[0];
			for (int m = 0; m < c->count_modes; m++) {
				if (c->modes[m].type & DRM_MODE_TYPE_PREFERRED) {
					kt->pref = c->modes[m];
					break;
				}
			}
			drmModeFreeConnector(c);
			return 0;
		}
		drmModeFreeConnector(c);
	}
	return -ENODEV;
}

static int kt_setup(struct kt *kt)
{
	drmModeRes *res;
	struct stat st;
	int ret;

	if (drmSetClientCap(kt->fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) ||
	    drmSetClientCap(kt->fd, DRM_CLIENT_CAP_ATOMIC, 1)) {
		fprintf(stderr, "kmstest: %s: no atomic support: %s\n",
			kt->node, strerror(errno));
		return -1;
	}
	if (fstat(kt->fd, &st) == 0)
		kt->minor = (int)minor(st.st_rdev);
	res = drmModeGetResources(kt->fd);
	if (!res || res->count_crtcs < 1) {
		fprintf(stderr, "kmstest: %s: no CRTC\n", kt->node);
		drmModeFreeResources(res);
		return -1;
	}
	ret = kt_pick_connector(kt, res);
	if (!ret)
		ret = kt_pick_crtc_planes(kt, res);
	drmModeFreeResources(res);
	if (ret) {
		fprintf(stderr, "kmstest: %s: no connected connector or primary plane\n",
			kt->node);
		return -1;
	}
	if (drmGetCap(kt->fd, DRM_CAP_CURSOR_WIDTH, &kt->cursor_max_w))
		kt->cursor_max_w = 64;
	if (drmGetCap(kt->fd, DRM_CAP_CURSOR_HEIGHT, &kt->cursor_max_h))
		kt->cursor_max_h = 64;
	return 0;
}

int kt_open(struct kt *kt, const char *driver)
{
	for (int i = 0; i < 16; i++) {
		drmVersionPtr v;
		int fd;

		snprintf(kt->node, sizeof(kt->node), "/dev/dri/card%d", i);
		fd = open(kt->node, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && strcmp(v->name, driver) == 0) {
			drmFreeVersion(v);
			kt->fd = fd;
			kt->driver = driver;
			if (kt_setup(kt)) {
				close(fd);
				kt->fd = -1;
				return -1;
			}
			return 0;
		}
		drmFreeVersion(v);
		close(fd);
	}
	fprintf(stderr, "kmstest: no DRM device with driver '%s'\n", driver);
	return -1;
}

void kt_close(struct kt *kt)
{
	if (kt->fd >= 0)
		close(kt->fd);
	kt->fd = -1;
}

uint32_t kt_prop(struct kt *kt, uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectProperties *op;
	uint32_t id = 0;

	for (unsigned int i = 0; i < kt->nprops; i++)
		if (kt->props[i].obj == obj && !strcmp(kt->props[i].name, name))
			return kt->props[i].id;
	op = drmModeObjectGetProperties(kt->fd, obj, type);
	if (!op)
		return 0;
	for (uint32_t i = 0; i < op->count_props && !id; i++) {
		drmModePropertyRes *p = drmModeGetProperty(kt->fd, op->props[i]);

		if (p && !strcmp(p->name, name))
			id = p->prop_id;
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(op);
	if (id && kt->nprops < sizeof(kt->props) / sizeof(kt->props[0]) &&
	    strlen(name) < sizeof(kt->props[0].name)) {
		struct kt_propcache *c = &kt->props[kt->nprops++];

		c->obj = obj;
		c->id = id;
		snprintf(c->name, sizeof(c->name), "%s", name);
	}
	return id;
}

int kt_prop_value(struct kt *kt, uint32_t obj, uint32_t type,
		  const char *name, uint64_t *val)
{
	drmModeObjectProperties *op = drmModeObjectGetProperties(kt->fd, obj, type);
	int ret = -ENOENT;

	if (!op)
		return -errno;
	for (uint32_t i = 0; i < op->count_props && ret; i++) {
		drmModePropertyRes *p = drmModeGetProperty(kt->fd, op->props[i]);

		if (p && !strcmp(p->name, name)) {
			*val = op->prop_values[i];
			ret = 0;
		}
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(op);
	return ret;
}

double kt_mode_hz(const drmModeModeInfo *m)
{
	double t = (double)m->htotal * m->vtotal;

	if (!t || !m->clock)
		return m->vrefresh;
	if (m->flags & DRM_MODE_FLAG_INTERLACE)
		t /= 2;
	if (m->flags & DRM_MODE_FLAG_DBLSCAN)
		t *= 2;
	if (m->vscan > 1)
		t *= m->vscan;
	return m->clock * 1000.0 / t;
}

/* A plausible CVT-like mode for arbitrary sizes (reduced blanking). */
void kt_make_mode(drmModeModeInfo *m, unsigned int w, unsigned int h, unsigned int hz)
{
	memset(m, 0, sizeof(*m));
	m->hdisplay = (uint16_t)w;
	m->hsync_start = (uint16_t)(w + 48);
	m->hsync_end = (uint16_t)(w + 80);
	m->htotal = (uint16_t)(w + 160);
	m->vdisplay = (uint16_t)h;
	m->vsync_start = (uint16_t)(h + 3);
	m->vsync_end = (uint16_t)(h + 9);
	m->vtotal = (uint16_t)(h + 30);
	m->clock = (uint32_t)((uint64_t)m->htotal * m->vtotal * hz / 1000);
	m->vrefresh = hz;
	m->flags = DRM_MODE_FLAG_PHSYNC | DRM_MODE_FLAG_NVSYNC;
	m->type = DRM_MODE_TYPE_USERDEF;
	snprintf(m->name, sizeof(m->name), "%ux%u", w, h);
}

int kt_create_mode_blob(struct kt *kt, const drmModeModeInfo *m, uint32_t *id)
{
	if (drmModeCreatePropertyBlob(kt->fd, m, sizeof(*m), id))
		return -errno;
	return 0;
}

struct kt_evstate {
	bool got;
	unsigned int seq;
	double ts;
};

static void kt_on_flip(int fd, unsigned int seq, unsigned int sec,
		       unsigned int usec, unsigned int crtc, void *data)
{
	struct kt_evstate *st = data;

	st->got = true;
	st->seq = seq;
	st->ts = sec + usec / 1e6;
}

static void kt_on_vblank(int fd, unsigned int seq, unsigned int sec,
			 unsigned int usec, void *data)
{
	kt_on_flip(fd, seq, sec, usec, 0, data);
}

/*
 * Waits for one event. The user_data of every request this program makes
 * is 0, so the state lives here rather than in the request.
 */
static struct kt_evstate kt_ev;

static void kt_on_flip_ud(int fd, unsigned int seq, unsigned int sec,
			  unsigned int usec, unsigned int crtc, void *data)
{
	kt_on_flip(fd, seq, sec, usec, crtc, &kt_ev);
}

static void kt_on_vblank_ud(int fd, unsigned int seq, unsigned int sec,
			    unsigned int usec, void *data)
{
	kt_on_vblank(fd, seq, sec, usec, &kt_ev);
}

int kt_wait_event(struct kt *kt, int timeout_ms, unsigned int *seq, double *ts)
{
	drmEventContext ev = {
		.version = 3,
		.vblank_handler = kt_on_vblank_ud,
		.page_flip_handler2 = kt_on_flip_ud,
	};
	struct pollfd pfd = { .fd = kt->fd, .events = POLLIN };
	double end = kt_now() + timeout_ms / 1000.0;

	kt_ev.got = false;
	while (!kt_ev.got) {
		int left = (int)((end - kt_now()) * 1000.0);
		int n;

		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;
		if (drmHandleEvent(kt->fd, &ev))
			return -EIO;
	}
	if (seq)
		*seq = kt_ev.seq;
	if (ts)
		*ts = kt_ev.ts;
	return 0;
}

int kt_drain_events(struct kt *kt)
{
	int n = 0;

	while (kt_wait_event(kt, 0, NULL, NULL) == 0)
		n++;
	return n;
}

static int kt_report(struct kt *kt, int rc, const char *fmt, va_list ap)
{
	if (!kt->reason[0])
		vsnprintf(kt->reason, sizeof(kt->reason), fmt, ap);
	return rc;
}

int kt_fail(struct kt *kt, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kt_report(kt, KT_FAIL, fmt, ap);
	va_end(ap);
	return rc;
}

int kt_skip(struct kt *kt, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kt_report(kt, KT_SKIP, fmt, ap);
	va_end(ap);
	return rc;
}
