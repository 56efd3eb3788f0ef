// SPDX-License-Identifier: MIT
/*
 * Direct scanout of a client's wl_shm buffer on guestkms. The device has
 * no DMA: guestkms copies the primary plane's damage into VRAM with the
 * CPU at every commit. Compositing a fullscreen client into a dumb buffer
 * first is one more full copy per frame, so when one opaque, output-sized
 * shm surface is all there is to show, the buffer itself becomes the
 * framebuffer: DRM_IOCTL_GUESTKMS_GEM_USERPTR pins the pages of our
 * mapping of the client's pool, and ADDFB2 makes a framebuffer of them,
 * kept for the buffer's life.
 *
 * A buffer on the plane, or committed to it, is pinned (gwl_buffer_pin):
 * guestkms reads it again for cursor moves, so its release waits until
 * another framebuffer has replaced it on screen. Framebuffers of buffers
 * the client destroyed are removed once they are off the plane.
 */
#include <drm_fourcc.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server-core.h>
#include <wayland-server-protocol.h>

#include "drm-private.h"
#include "guestkms_drm.h"
#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/server.h"

/* On screen, committed, or waiting to be committed after a cursor commit. */
static bool busy(const struct drm_output *out, int index)
{
	return out->front == index ||
		((out->flip_has_fb || out->frame_queued) && out->back == index) ||
		out->ov_front == index ||
		((out->ov_changed || out->ov_in_flight) && out->ov_back == index);
}

static void slot_free_fb(struct drm_output *out, struct drm_scanout *sc)
{
	int fd = out->backend->fd;
	if (sc->fb.fb_id)
		drmModeRmFB(fd, sc->fb.fb_id);
	if (sc->fb.handle) {
		struct drm_gem_close close = { .handle = sc->fb.handle };
		drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &close);
	}
	memset(&sc->fb, 0, sizeof(sc->fb));
	sc->failed = false;
}

static void slot_unpin(struct drm_output *out, struct drm_scanout *sc)
{
	if (!sc->pinned)
		return;
	sc->pinned = false;
	gwl_buffer_unpin(out->backend->base.server, sc->buffer);
}

static void slot_forget_buffer(struct drm_scanout *sc)
{
	if (!sc->buffer)
		return;
	wl_list_remove(&sc->destroy.link);
	sc->buffer = NULL;
}

void drm_scanout_update(struct drm_output *out)
{
	for (int i = 0; i < DRM_SCANOUT_FBS; i++) {
		struct drm_scanout *sc = &out->scanout[i];
		if (busy(out, DRM_SCANOUT_BASE + i))
			continue;
		slot_unpin(out, sc);
		if (!sc->buffer)
			slot_free_fb(out, sc);
	}
}

void drm_output_set_front(struct drm_output *out, int index)
{
	out->front = index;
	drm_scanout_update(out);
}

static void slot_buffer_destroy(struct wl_listener *listener, void *data)
{
	struct drm_scanout *sc = wl_container_of(listener, sc, destroy);
	/* The buffer's pins went with it; the pages stay pinned in the kernel
	 * until the framebuffer is removed. */
	sc->pinned = false;
	slot_forget_buffer(sc);
	drm_scanout_update(sc->out);
}

void drm_scanout_finish(struct drm_output *out)
{
	for (int i = 0; i < DRM_SCANOUT_FBS; i++) {
		struct drm_scanout *sc = &out->scanout[i];
		slot_unpin(out, sc);
		slot_forget_buffer(sc);
		slot_free_fb(out, sc);
	}
}

/* A framebuffer over the buffer's pages; false (logged) when impossible. */
static bool import(struct drm_output *out, struct drm_scanout *sc, struct wl_shm_buffer *shm)
{
	int fd = out->backend->fd;
	uint32_t format = wl_shm_buffer_get_format(shm);
	int32_t stride = wl_shm_buffer_get_stride(shm);
	int32_t w = wl_shm_buffer_get_width(shm), h = wl_shm_buffer_get_height(shm);
	uintptr_t addr = (uintptr_t)wl_shm_buffer_get_data(shm);
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	/* ARGB stays ARGB: the overlay plane blends it (a translucent top
	 * surface); the primary plane ignores alpha. */
	if (format != WL_SHM_FORMAT_XRGB8888 && format != WL_SHM_FORMAT_ARGB8888)
		return false;
	uint32_t drm_format = format == WL_SHM_FORMAT_ARGB8888 ? DRM_FORMAT_ARGB8888 :
		DRM_FORMAT_XRGB8888;
	if (addr % page) {
		gwl_log(GWL_DEBUG, "drm: scanout: buffer not page aligned in its pool");
		return false;
	}
	struct drm_guestkms_gem_userptr u = {
		.addr = addr, .size = ((uint64_t)stride * (uint64_t)h + page - 1) / page * page,
	};
	if (drmIoctl(fd, DRM_IOCTL_GUESTKMS_GEM_USERPTR, &u) < 0) {
		gwl_log(GWL_DEBUG, "drm: scanout: GEM_USERPTR: %s", strerror(errno));
		return false;
	}
	sc->fb.handle = u.handle;
	uint32_t handles[4] = { u.handle }, pitches[4] = { (uint32_t)stride };
	uint32_t offsets[4] = { 0 };
	if (drmModeAddFB2(fd, (uint32_t)w, (uint32_t)h, drm_format, handles, pitches,
		offsets, &sc->fb.fb_id, 0) < 0) {
		gwl_log(GWL_DEBUG, "drm: scanout: ADDFB2: %s", strerror(errno));
		slot_free_fb(out, sc);
		return false;
	}
	sc->fb.width = w;
	sc->fb.height = h;
	sc->fb.stride = (uint32_t)stride;
	return true;
}

/* A slot for a new buffer: a free one, else the least recently used. */
static struct drm_scanout *slot_take(struct drm_output *out)
{
	struct drm_scanout *pick = NULL;
	for (int i = 0; i < DRM_SCANOUT_FBS; i++) {
		struct drm_scanout *sc = &out->scanout[i];
		if (busy(out, DRM_SCANOUT_BASE + i))
			continue;
		if (!sc->buffer && !sc->fb.fb_id)
			return sc;
		if (!pick || sc->used < pick->used)
			pick = sc;
	}
	if (pick) {
		slot_unpin(out, pick);
		slot_forget_buffer(pick);
		slot_free_fb(out, pick);
	}
	return pick;
}

/* The buffer's slot, imported on first use; NULL: composite it. */
struct drm_scanout *drm_scanout_slot_for(struct drm_output *out, struct wl_resource *buffer)
{
	for (int i = 0; i < DRM_SCANOUT_FBS; i++) {
		struct drm_scanout *sc = &out->scanout[i];
		if (sc->buffer == buffer)
			return sc->failed ? NULL : sc;
	}
	struct wl_shm_buffer *shm = wl_shm_buffer_get(buffer);
	struct drm_scanout *sc = shm ? slot_take(out) : NULL;
	if (!sc)
		return NULL;
	sc->out = out;
	sc->buffer = buffer;
	sc->destroy.notify = slot_buffer_destroy;
	wl_resource_add_destroy_listener(buffer, &sc->destroy);
	sc->failed = !import(out, sc, shm);
	return sc->failed ? NULL : sc;
}

/* Hold the buffer while the device may read it: false when it is gone. */
bool drm_scanout_pin(struct drm_output *out, struct drm_scanout *sc)
{
	if (!sc->pinned && !gwl_buffer_pin(out->backend->base.server, sc->buffer))
		return false;
	sc->pinned = true;
	return true;
}

bool drm_scanout(struct gwl_output *output, struct wl_resource *buffer,
	const pixman_region32_t *damage)
{
	struct drm_output *out = output->backend_data;
	struct drm_backend *b = out->backend;
	if (!b->scanout || out->dead || b->removed || !b->atomic)
		return false;
	struct drm_scanout *sc = drm_scanout_slot_for(out, buffer);
	if (!sc || sc->fb.width != out->mode.hdisplay || sc->fb.height != out->mode.vdisplay)
		return false;
	if (!drm_scanout_pin(out, sc))
		return false;
	if (!out->scanout_logged) {
		out->scanout_logged = true;
		gwl_log(GWL_INFO, "drm: CRTC %u: scanning out a client's buffer directly",
			out->crtc_id);
	}
	/* The dumb buffers no longer hold what is on screen. */
	for (int i = 0; i < out->n_fbs; i++)
		out->fbs[i].drawn = 0;
	out->frame++;
	sc->used = out->frame;
	out->back = DRM_SCANOUT_BASE + (int)(sc - out->scanout);
	out->frame_primary = true;
	drm_output_frame_started(out, drm_now_ns());
	drm_output_commit(out, damage);
	return true;
}

struct drm_fb *drm_output_fb(struct drm_output *out, int index)
{
	if (index >= DRM_SCANOUT_BASE)
		return &out->scanout[index - DRM_SCANOUT_BASE].fb;
	return &out->fbs[index];
}
