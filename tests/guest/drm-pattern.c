// SPDX-License-Identifier: MIT
/*
 * drm-pattern: show a known picture on the first connected DRM connector
 * with a legacy modeset and ask the harness for a screendump of it.
 *
 *   drm-pattern [--device PATH] WxH NAME
 *
 * Pixel (x, y) is r = x & 255, g = y & 255, b = ((x + y) >> 2) & 255;
 * tests/guest/test-harness checks the screendump against that formula.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

static int usage(void)
{
	fprintf(stderr, "usage: drm-pattern [--device PATH] WxH NAME\n");
	return 2;
}

static drmModeConnector *find_connector(int fd, drmModeRes *res)
{
	for (int i = 0; i < res->count_connectors; i++) {
		drmModeConnector *c = drmModeGetConnector(fd, res->connectors[i]);
		if (c && c->connection == DRM_MODE_CONNECTED && c->count_modes > 0)
			return c;
		drmModeFreeConnector(c);
	}
	return NULL;
}

static const drmModeModeInfo *find_mode(const drmModeConnector *c, unsigned w, unsigned h)
{
	for (int i = 0; i < c->count_modes; i++) {
		if (c->modes[i].hdisplay == w && c->modes[i].vdisplay == h)
			return &c->modes[i];
	}
	return NULL;
}

static void fill(uint32_t *px, unsigned w, unsigned h, unsigned stride)
{
	for (unsigned y = 0; y < h; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)px + (size_t)y * stride);
		for (unsigned x = 0; x < w; x++) {
			uint32_t r = x & 255, g = y & 255, b = ((x + y) >> 2) & 255;
			row[x] = r << 16 | g << 8 | b;
		}
	}
}

static int show(int fd, unsigned w, unsigned h, const char *name)
{
	drmModeRes *res = drmModeGetResources(fd);
	if (!res || res->count_crtcs < 1) {
		fprintf(stderr, "drm-pattern: no KMS resources\n");
		return 1;
	}
	drmModeConnector *conn = find_connector(fd, res);
	const drmModeModeInfo *mode = conn ? find_mode(conn, w, h) : NULL;
	if (!mode) {
		fprintf(stderr, "drm-pattern: no connected connector with mode %ux%u\n", w, h);
		return 1;
	}
	struct drm_mode_create_dumb creq = {.width = w, .height = h, .bpp = 32};
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &creq)) {
		perror("drm-pattern: CREATE_DUMB");
		return 1;
	}
	uint32_t fb;
	uint32_t handles[4] = {creq.handle}, pitches[4] = {creq.pitch}, offsets[4] = {0};
	if (drmModeAddFB2(fd, w, h, 0x34325258 /* XR24 */, handles, pitches, offsets, &fb, 0)) {
		perror("drm-pattern: ADDFB2");
		return 1;
	}
	struct drm_mode_map_dumb mreq = {.handle = creq.handle};
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &mreq)) {
		perror("drm-pattern: MAP_DUMB");
		return 1;
	}
	void *map = mmap(NULL, creq.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mreq.offset);
	if (map == MAP_FAILED) {
		perror("drm-pattern: mmap");
		return 1;
	}
	fill(map, w, h, creq.pitch);
	uint32_t conn_id = conn->connector_id;
	if (drmModeSetCrtc(fd, res->crtcs[0], fb, 0, 0, &conn_id, 1, (drmModeModeInfo *)mode)) {
		perror("drm-pattern: SETCRTC");
		return 1;
	}
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "guest-ctl screendump '%s'", name);
	int st = system(cmd);
	return st == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/dri/card0";
	int i = 1;
	if (argc > 2 && strcmp(argv[1], "--device") == 0) {
		dev = argv[2];
		i = 3;
	}
	unsigned w, h;
	char junk;
	if (argc - i != 2 || sscanf(argv[i], "%ux%u%c", &w, &h, &junk) != 2 || !w || !h ||
			w > 8192 || h > 8192 || strspn(argv[i + 1],
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
			strlen(argv[i + 1]))
		return usage();
	int fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "drm-pattern: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	return show(fd, w, h, argv[i + 1]);
}
