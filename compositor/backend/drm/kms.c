// SPDX-License-Identifier: MIT
/* KMS resources: connectors, CRTCs, planes, properties, mode choice. */
#include <drm_fourcc.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drm-private.h"
#include "guestwl/log.h"
#include "guestwl/output.h"

static uint32_t prop_id(int fd, uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, obj, type);
	uint32_t id = 0;
	if (!props)
		return 0;
	for (uint32_t i = 0; i < props->count_props && !id; i++) {
		drmModePropertyRes *p = drmModeGetProperty(fd, props->props[i]);
		if (p && strcmp(p->name, name) == 0)
			id = p->prop_id;
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	return id;
}

static bool prop_value(int fd, uint32_t obj, uint32_t type, const char *name, uint64_t *value)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, obj, type);
	bool found = false;
	if (!props)
		return false;
	for (uint32_t i = 0; i < props->count_props && !found; i++) {
		drmModePropertyRes *p = drmModeGetProperty(fd, props->props[i]);
		if (p && strcmp(p->name, name) == 0) {
			*value = props->prop_values[i];
			found = true;
		}
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	return found;
}

static void plane_props(int fd, struct drm_plane *plane)
{
	struct drm_plane_props *p = &plane->props;
	uint32_t t = DRM_MODE_OBJECT_PLANE, id = plane->id;
	p->fb_id = prop_id(fd, id, t, "FB_ID");
	p->crtc_id = prop_id(fd, id, t, "CRTC_ID");
	p->src_x = prop_id(fd, id, t, "SRC_X");
	p->src_y = prop_id(fd, id, t, "SRC_Y");
	p->src_w = prop_id(fd, id, t, "SRC_W");
	p->src_h = prop_id(fd, id, t, "SRC_H");
	p->crtc_x = prop_id(fd, id, t, "CRTC_X");
	p->crtc_y = prop_id(fd, id, t, "CRTC_Y");
	p->crtc_w = prop_id(fd, id, t, "CRTC_W");
	p->crtc_h = prop_id(fd, id, t, "CRTC_H");
	p->damage_clips = prop_id(fd, id, t, "FB_DAMAGE_CLIPS");
}

/* format if the plane supports it, else 0. */
static uint32_t plane_has_format(const drmModePlane *plane, uint32_t format)
{
	for (uint32_t j = 0; j < plane->count_formats; j++) {
		if (plane->formats[j] == format)
			return format;
	}
	return 0;
}

static uint32_t pick_format(const drmModePlane *plane)
{
	static const uint32_t preferred[] = { DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888,
		DRM_FORMAT_RGB565 };
	for (size_t i = 0; i < sizeof(preferred) / sizeof(preferred[0]); i++) {
		for (uint32_t j = 0; j < plane->count_formats; j++) {
			if (plane->formats[j] == preferred[i])
				return preferred[i];
		}
	}
	return 0;
}

/* Find the primary and cursor planes usable on the output's CRTC. */
static bool find_planes(struct drm_backend *b, struct drm_output *out)
{
	drmModePlaneRes *res = drmModeGetPlaneResources(b->fd);
	if (!res)
		return false;
	for (uint32_t i = 0; i < res->count_planes; i++) {
		drmModePlane *plane = drmModeGetPlane(b->fd, res->planes[i]);
		uint64_t type = 0;
		if (!plane)
			continue;
		if ((plane->possible_crtcs & (1u << out->crtc_index)) &&
			prop_value(b->fd, plane->plane_id, DRM_MODE_OBJECT_PLANE, "type", &type)) {
			struct drm_plane *slot = NULL;
			if (type == DRM_PLANE_TYPE_PRIMARY && !out->primary.id)
				slot = &out->primary;
			else if (type == DRM_PLANE_TYPE_CURSOR && !out->cursor.id)
				slot = &out->cursor;
			else if (type == DRM_PLANE_TYPE_OVERLAY && !out->overlay.id &&
				plane_has_format(plane, DRM_FORMAT_XRGB8888))
				slot = &out->overlay;
			if (slot == &out->overlay)
				out->overlay_argb = plane_has_format(plane, DRM_FORMAT_ARGB8888);
			if (slot) {
				slot->id = plane->plane_id;
				slot->format = slot == &out->cursor ? plane_has_format(plane,
					DRM_FORMAT_ARGB8888) : slot == &out->overlay ?
					DRM_FORMAT_XRGB8888 : pick_format(plane);
				plane_props(b->fd, slot);
			}
		}
		drmModeFreePlane(plane);
	}
	drmModeFreePlaneResources(res);
	out->has_cursor = out->cursor.id && out->cursor.format && !b->opts.no_cursor_plane &&
		!getenv("GUESTWL_DRM_NO_CURSOR_PLANE") &&
		b->atomic;
	/* Client buffers on it need guestkms' userptr framebuffers. */
	const char *ov = getenv("GUESTWL_DRM_OVERLAY");
	out->has_overlay = out->overlay.id && b->atomic && b->scanout && !(ov && strcmp(ov, "0") == 0);
	return out->primary.id != 0 && out->primary.format != 0;
}

int32_t drm_mode_refresh_mhz(const drmModeModeInfo *mode)
{
	if (!mode->htotal || !mode->vtotal)
		return 60000;
	uint64_t mhz = (uint64_t)mode->clock * 1000000ull / mode->htotal / mode->vtotal;
	if (mode->flags & DRM_MODE_FLAG_INTERLACE)
		mhz *= 2;
	if (mode->vscan > 1)
		mhz /= mode->vscan;
	return mhz ? (int32_t)mhz : 60000;
}

bool drm_choose_mode(const drmModeConnector *conn, int32_t w, int32_t h, int32_t mhz,
	drmModeModeInfo *mode)
{
	const drmModeModeInfo *best = NULL;
	for (int i = 0; i < conn->count_modes; i++) {
		const drmModeModeInfo *m = &conn->modes[i];
		if (m->flags & DRM_MODE_FLAG_INTERLACE)
			continue;
		if (w <= 0) {
			if (!best || (!(best->type & DRM_MODE_TYPE_PREFERRED) &&
				(m->type & DRM_MODE_TYPE_PREFERRED)))
				best = m;
			continue;
		}
		if (m->hdisplay != w || m->vdisplay != h)
			continue;
		int32_t r = drm_mode_refresh_mhz(m);
		if (!best) {
			best = m;
		} else if (mhz > 0) {
			if (abs(r - mhz) < abs(drm_mode_refresh_mhz(best) - mhz))
				best = m;
		} else if (r > drm_mode_refresh_mhz(best)) {
			best = m;
		}
	}
	if (!best)
		return false;
	*mode = *best;
	return true;
}

static int find_crtc(struct drm_backend *b, drmModeRes *res, drmModeConnector *conn)
{
	for (int e = 0; e < conn->count_encoders; e++) {
		drmModeEncoder *enc = drmModeGetEncoder(b->fd, conn->encoders[e]);
		if (!enc)
			continue;
		uint32_t possible = enc->possible_crtcs;
		drmModeFreeEncoder(enc);
		for (int c = 0; c < res->count_crtcs; c++) {
			bool used = false;
			struct drm_output *o;
			wl_list_for_each(o, &b->outputs, link)
				used |= o->crtc_id == res->crtcs[c];
			if ((possible & (1u << c)) && !used)
				return c;
		}
	}
	return -1;
}

static bool output_props(struct drm_backend *b, struct drm_output *out)
{
	out->conn_crtc_prop = prop_id(b->fd, out->connector_id, DRM_MODE_OBJECT_CONNECTOR,
		"CRTC_ID");
	out->crtc_mode_prop = prop_id(b->fd, out->crtc_id, DRM_MODE_OBJECT_CRTC, "MODE_ID");
	out->crtc_active_prop = prop_id(b->fd, out->crtc_id, DRM_MODE_OBJECT_CRTC, "ACTIVE");
	return !b->atomic || (out->conn_crtc_prop && out->crtc_mode_prop &&
		out->crtc_active_prop);
}

static const char *connector_type_name(uint32_t type)
{
	switch (type) {
	case DRM_MODE_CONNECTOR_VGA: return "VGA";
	case DRM_MODE_CONNECTOR_VIRTUAL: return "Virtual";
	case DRM_MODE_CONNECTOR_HDMIA: return "HDMI-A";
	case DRM_MODE_CONNECTOR_DisplayPort: return "DP";
	case DRM_MODE_CONNECTOR_eDP: return "eDP";
	default: return "Unknown";
	}
}

static struct drm_output *output_new(struct drm_backend *b, drmModeRes *res,
	drmModeConnector *conn)
{
	int c = find_crtc(b, res, conn);
	if (c < 0) {
		gwl_log(GWL_ERROR, "drm: connector %u: no free CRTC", conn->connector_id);
		return NULL;
	}
	struct drm_output *out = calloc(1, sizeof(*out));
	if (!out)
		return NULL;
	out->backend = b;
	out->connector_id = conn->connector_id;
	out->crtc_id = res->crtcs[c];
	out->crtc_index = c;
	out->front = out->ov_front = out->ov_back = -1;
	out->needs_modeset = true;
	pixman_region32_init(&out->pending_damage);
	pixman_region32_init(&out->clips.region);
	pixman_region32_init(&out->ov_clips.region);
	pixman_region32_init(&out->ov_damage);
	const struct gwl_drm_options *o = &b->opts;
	if (!drm_choose_mode(conn, o->width, o->height, o->refresh_mhz, &out->mode)) {
		if (o->width > 0)
			gwl_log(GWL_ERROR, "drm: %s-%u has no mode %dx%d; using its preferred mode",
				connector_type_name(conn->connector_type),
				conn->connector_type_id, o->width, o->height);
		if (!drm_choose_mode(conn, 0, 0, 0, &out->mode)) {
			free(out);
			return NULL;
		}
	}
	if (b->atomic && (!find_planes(b, out) || !output_props(b, out))) {
		gwl_log(GWL_ERROR, "drm: CRTC %u lacks a usable primary plane or properties",
			out->crtc_id);
		drm_output_free(out);
		return NULL;
	}
	if (!b->atomic)
		out->primary.format = DRM_FORMAT_XRGB8888;
	return out;
}

static bool output_create(struct drm_backend *b, drmModeRes *res, drmModeConnector *conn)
{
	struct drm_output *out = output_new(b, res, conn);
	if (!out)
		return false;
	wl_list_insert(b->outputs.prev, &out->link);
	if (!drm_output_start(out)) {
		wl_list_remove(&out->link);
		drm_output_free(out);
		return false;
	}
	gwl_log(GWL_INFO, "drm: %s-%u: %dx%d@%.3f Hz on CRTC %u, %s, cursor %s, damage clips %s%s",
		connector_type_name(conn->connector_type), conn->connector_type_id,
		out->mode.hdisplay, out->mode.vdisplay, drm_mode_refresh_mhz(&out->mode) / 1000.0,
		out->crtc_id, b->atomic ? "atomic" : "legacy",
		out->has_cursor ? "plane" : "software",
		out->primary.props.damage_clips ? "yes" : "no",
		out->has_overlay ? ", overlay plane" : "");
	return true;
}

static struct drm_output *output_for_connector(struct drm_backend *b, uint32_t id)
{
	struct drm_output *out;
	wl_list_for_each(out, &b->outputs, link) {
		if (out->connector_id == id)
			return out;
	}
	return NULL;
}

/* Create outputs for new connected connectors, drop disconnected ones. */
static int sync_connectors(struct drm_backend *b)
{
	drmModeRes *res = drmModeGetResources(b->fd);
	if (!res) {
		gwl_log(GWL_ERROR, "drm: %s: cannot read KMS resources: %s", b->path,
			strerror(errno));
		return -1;
	}
	for (int i = 0; i < res->count_connectors; i++) {
		drmModeConnector *conn = drmModeGetConnector(b->fd, res->connectors[i]);
		if (!conn)
			continue;
		struct drm_output *out = output_for_connector(b, conn->connector_id);
		bool connected = conn->connection == DRM_MODE_CONNECTED && conn->count_modes > 0;
		if (connected && !out) {
			output_create(b, res, conn);
		} else if (!connected && out) {
			gwl_log(GWL_INFO, "drm: connector %u disconnected", conn->connector_id);
			drm_output_disable(out);
			gwl_output_destroy(out->output);
		}
		drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
	return 0;
}

void drm_kms_hotplug(struct drm_backend *b)
{
	sync_connectors(b);
}

bool drm_kms_init(struct drm_backend *b)
{
	uint64_t cap = 0;
	if (drmGetCap(b->fd, DRM_CAP_DUMB_BUFFER, &cap) < 0 || !cap) {
		gwl_log(GWL_ERROR, "drm: %s has no dumb buffers", b->path);
		return false;
	}
	b->monotonic = drmGetCap(b->fd, DRM_CAP_TIMESTAMP_MONOTONIC, &cap) == 0 && cap;
	b->cursor_w = drmGetCap(b->fd, DRM_CAP_CURSOR_WIDTH, &cap) == 0 ? cap : 64;
	b->cursor_h = drmGetCap(b->fd, DRM_CAP_CURSOR_HEIGHT, &cap) == 0 ? cap : 64;
	drmSetClientCap(b->fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	b->atomic = !b->opts.legacy && !getenv("GUESTWL_DRM_LEGACY") &&
		drmSetClientCap(b->fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0;
	if (sync_connectors(b) < 0)
		return false;
	if (wl_list_empty(&b->outputs)) {
		gwl_log(GWL_ERROR, "drm: %s: no connected connector could be lit", b->path);
		return false;
	}
	return true;
}

void drm_output_free(struct drm_output *out)
{
	struct drm_backend *b = out->backend;
	drm_scanout_finish(out);
	for (int i = 0; i < DRM_MAX_FBS; i++)
		drm_fb_destroy(b->fd, &out->fbs[i]);
	for (int i = 0; i < DRM_CURSOR_FBS; i++)
		drm_fb_destroy(b->fd, &out->cursor_fbs[i]);
	if (out->mode_blob)
		drmModeDestroyPropertyBlob(b->fd, out->mode_blob);
	if (out->timer)
		wl_event_source_remove(out->timer);
	if (out->cursor_idle)
		wl_event_source_remove(out->cursor_idle);
	drm_cursor_finish(out);
	if (out->clips.blob && !b->removed)
		drmModeDestroyPropertyBlob(b->fd, out->clips.blob);
	if (out->ov_clips.blob && !b->removed)
		drmModeDestroyPropertyBlob(b->fd, out->ov_clips.blob);
	pixman_region32_fini(&out->pending_damage);
	pixman_region32_fini(&out->clips.region);
	pixman_region32_fini(&out->ov_clips.region);
	pixman_region32_fini(&out->ov_damage);
	free(out);
}
