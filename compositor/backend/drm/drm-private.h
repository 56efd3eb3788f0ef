/* SPDX-License-Identifier: MIT */
/* DRM backend internals (shared by the files of compositor/backend/drm). */
#ifndef GUESTWL_DRM_PRIVATE_H
#define GUESTWL_DRM_PRIVATE_H

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <wayland-server-core.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "drm-backend.h"

struct gwl_output;
struct gwl_session;
struct gwl_input;
struct udev;
struct udev_monitor;

#define DRM_MAX_FBS 3
#define DRM_CURSOR_FBS 2
/* Client buffers with a framebuffer (direct scanout); their index in
 * drm_output.front/back is DRM_SCANOUT_BASE + slot. */
#define DRM_SCANOUT_FBS 4
#define DRM_SCANOUT_BASE DRM_MAX_FBS

struct drm_plane_props {
	uint32_t fb_id, crtc_id;
	uint32_t src_x, src_y, src_w, src_h;
	uint32_t crtc_x, crtc_y, crtc_w, crtc_h;
	uint32_t damage_clips; /* 0: driver lacks FB_DAMAGE_CLIPS */
};

struct drm_plane {
	uint32_t id;
	uint32_t format; /* DRM fourcc chosen for our buffers */
	struct drm_plane_props props;
	/* What our last commit left on it: framebuffer (0: unknown or off)
	 * and size; position 0,0 for the primary. */
	uint32_t set_fb;
	int32_t set_x, set_y, set_w, set_h;
};

/* An FB_DAMAGE_CLIPS blob, reused while the damage stays the same (a
 * client redrawing one area: no blob ioctls per frame). */
struct drm_clips {
	uint32_t blob;
	pixman_region32_t region;
};

struct drm_fb {
	uint32_t handle, fb_id, stride;
	uint64_t size;
	int32_t width, height;
	void *map;
	pixman_image_t *image;
	uint64_t drawn; /* output frame number last drawn into it; 0: never */
};

struct drm_output;

/* A client's wl_shm buffer made a framebuffer (scanout.c). */
struct drm_scanout {
	struct drm_output *out;
	struct drm_fb fb; /* handle, fb_id, size, stride; no map or image */
	struct wl_resource *buffer; /* NULL: free, or the client destroyed it */
	struct wl_listener destroy;
	bool pinned; /* holds gwl_buffer_pin while busy */
	bool failed; /* cannot be scanned out: composited */
	uint64_t used; /* drm_output.frame of its last commit */
};

/*
 * Sticky-failure atomic request: the first failed add poisons it. The
 * arrays are the DRM_IOCTL_MODE_ATOMIC ones, filled in place (no allocation
 * per commit); properties of one object are added together, as every
 * caller does, and an object seen again starts a new group (the kernel
 * takes that).
 */
#define DRM_ATOMIC_MAX_OBJS 16
#define DRM_ATOMIC_MAX_PROPS 64
struct drm_atomic {
	uint32_t objs[DRM_ATOMIC_MAX_OBJS];
	uint32_t count_props[DRM_ATOMIC_MAX_OBJS];
	uint32_t props[DRM_ATOMIC_MAX_PROPS];
	uint64_t values[DRM_ATOMIC_MAX_PROPS];
	uint32_t n_objs, n_props;
	bool failed;
};

void drm_atomic_init(struct drm_atomic *a);
void drm_atomic_add(struct drm_atomic *a, uint32_t object, uint32_t prop, uint64_t value);
/* Returns 0 or -errno (-EINVAL when a property was missing). */
int drm_atomic_commit(struct drm_atomic *a, int fd, uint32_t flags, void *user_data);
void drm_atomic_finish(struct drm_atomic *a);

enum drm_cursor_state {
	DRM_CURSOR_NONE, /* no cursor plane: software cursor */
	DRM_CURSOR_PLANE,
};

struct drm_output {
	struct drm_backend *backend;
	struct gwl_output *output;
	struct wl_list link;
	uint32_t connector_id, crtc_id;
	int crtc_index;
	uint32_t conn_crtc_prop, crtc_mode_prop, crtc_active_prop;
	struct drm_plane primary, cursor, overlay;
	bool has_cursor, has_overlay;
	bool overlay_argb; /* the overlay plane takes ARGB8888 (and blends it) */
	drmModeModeInfo mode;
	uint32_t mode_blob;
	struct drm_fb fbs[DRM_MAX_FBS];
	int n_fbs;
	struct drm_scanout scanout[DRM_SCANOUT_FBS];
	bool scanout_logged;
	int front; /* index on screen (fbs[] or DRM_SCANOUT_BASE + slot), -1: none */
	int back; /* index being drawn / committed */
	uint64_t frame; /* frames committed */
	bool needs_modeset;
	bool flip_pending; /* commit done, waiting for its event */
	int64_t flip_since_ns; /* when the pending flip was committed */
	bool core_pending; /* the core waits for gwl_output_presented */
	bool flip_has_fb; /* the pending commit shows fbs[back] */
	bool fake_vblank; /* driver has no vblank: events come at once */
	int timer_kind; /* enum drm_timer_kind in commit.c */
	bool no_events; /* driver never sent one: present by timer */
	bool dead; /* modeset impossible: present by timer, log once */
	int busy_retries;
	pixman_region32_t pending_damage; /* of the commit being retried */
	struct drm_clips clips; /* the primary plane's */
	/* overlay plane (overlay.c): a client buffer, scanout slot index
	 * DRM_SCANOUT_BASE + slot or -1 (off), on screen and next */
	int ov_front, ov_back;
	bool ov_changed; /* the next commit carries ov_back */
	bool ov_in_flight; /* the pending commit carries it */
	bool ov_failed; /* a commit with it failed: no more overlay */
	bool frame_primary; /* the core's frame (maybe queued) has a primary buffer */
	int32_t ov_x, ov_y;
	pixman_region32_t ov_damage; /* buffer pixels */
	struct drm_clips ov_clips;
	struct wl_event_source *timer; /* flip watchdog / retry / timer mode */
	struct timespec last_present, started;
	uint64_t last_seq;
	uint64_t flips, timeouts;
	/* Pacing statistics (logged at exit). Vblank-sequence deltas between
	 * consecutive flips and from the vblank counter at commit time to the
	 * flip: [0], [1], [2], [3+]. */
	uint64_t seq_deltas[4], commit_lat[4];
	uint64_t commit_seq; /* vblank counter when the pending commit went in; 0: unknown */
	int64_t frame_start_ns, presented_ns; /* begin_frame, last flip event */
	int64_t render_ns, commit_ns, wait_ns; /* sums over frames */
	/* cursor plane */
	struct drm_fb cursor_fbs[DRM_CURSOR_FBS];
	int cursor_cur;
	bool cursor_on, cursor_dirty, cursor_loaded;
	pixman_image_t *cursor_scratch;
	bool frame_queued; /* the core's frame waits for a cursor commit's event */
	struct wl_event_source *cursor_idle; /* cursor commit after a flip */
	int32_t cursor_x, cursor_y, cursor_w, cursor_h;
};

struct drm_backend {
	struct gwl_backend base;
	struct gwl_drm_options opts;
	struct gwl_session *session;
	struct udev *udev;
	struct udev_monitor *monitor;
	struct wl_event_source *udev_source;
	struct wl_event_source *drm_source;
	struct gwl_input *input;
	bool input_pending; /* libinput not started yet (see drm_backend_presented) */
	struct wl_event_source *input_timer, *input_idle;
	char path[64];
	int fd, device_id;
	dev_t devnum;
	bool atomic, monotonic, removed, session_is_seat;
	bool stats; /* GUESTWL_DRM_STATS=1: vblank counter read at each commit */
	bool scanout; /* guestkms: client buffers can be scanned out */
	bool latch; /* guestkms: a commit latches its frame (gwl_output_latched) */
	uint64_t cursor_w, cursor_h;
	struct wl_list outputs; /* drm_output.link */
};

/* kms.c: resources, outputs. */
bool drm_kms_init(struct drm_backend *b);
void drm_kms_hotplug(struct drm_backend *b);
void drm_output_free(struct drm_output *out);
bool drm_choose_mode(const drmModeConnector *conn, int32_t w, int32_t h, int32_t mhz,
	drmModeModeInfo *mode);
int32_t drm_mode_refresh_mhz(const drmModeModeInfo *mode);

/* buffer.c: dumb buffers. */
bool drm_fb_create(int fd, struct drm_fb *fb, int32_t w, int32_t h, uint32_t format);
void drm_fb_destroy(int fd, struct drm_fb *fb);
pixman_format_code_t drm_format_to_pixman(uint32_t format);

/* commit.c: commits, page flips, watchdog. */
void drm_output_commit(struct drm_output *out, const pixman_region32_t *damage);
void drm_output_present_blank(struct drm_output *out);
int drm_dispatch(int fd, uint32_t mask, void *data);
void drm_output_disable(struct drm_output *out);
void drm_output_cursor_commit(struct drm_output *out);
int drm_output_timer(void *data);

/* scanout.c: direct scanout of client buffers. */
bool drm_scanout(struct gwl_output *output, struct wl_resource *buffer,
	const pixman_region32_t *damage);
/* The framebuffer of a front/back index. */
struct drm_fb *drm_output_fb(struct drm_output *out, int index);
/* Put an index on screen (-1: nothing known) and let go of client
 * buffers no longer on the plane or committed to it. */
void drm_output_set_front(struct drm_output *out, int index);
void drm_scanout_update(struct drm_output *out);
void drm_scanout_finish(struct drm_output *out);

/* overlay.c: a client buffer on the overlay plane. */
bool drm_overlay_set(struct gwl_output *output, struct wl_resource *buffer, int32_t ox,
	int32_t oy, const pixman_region32_t *damage);
/* The commit being built carries the overlay's change (commit.c). */
void drm_overlay_add(struct drm_atomic *a, struct drm_output *out);
/* Slots for buffers (scanout.c, shared by the overlay). */
struct drm_scanout *drm_scanout_slot_for(struct drm_output *out, struct wl_resource *buffer);
bool drm_scanout_pin(struct drm_output *out, struct drm_scanout *sc);
uint32_t drm_damage_blob(struct drm_output *out, struct drm_clips *c,
	const pixman_region32_t *damage);
void drm_add_plane(struct drm_atomic *a, const struct drm_plane *p, uint32_t crtc,
	uint32_t fb, int32_t x, int32_t y, int32_t w, int32_t h);
/* The commit just made (ok) or failed: what the planes hold now. */
void drm_overlay_committed(struct drm_output *out, bool ok);
/* The pending commit is on screen. */
void drm_overlay_shown(struct drm_output *out);

/* cursor.c: the cursor plane. */
bool drm_cursor_init(struct drm_output *out);
void drm_cursor_finish(struct drm_output *out);
bool drm_cursor_set(struct gwl_output *output, pixman_image_t *image, int32_t x, int32_t y);

/* output.c: gwl_output_impl. */
extern const struct gwl_output_impl drm_output_impl;
bool drm_output_start(struct drm_output *out);
void drm_output_frame_started(struct drm_output *out, int64_t now);

int64_t drm_now_ns(void);
uint64_t *drm_delta_slot(uint64_t *hist, uint64_t from, uint64_t to);

/* backend.c: after each presentation of an output. */
void drm_backend_presented(struct drm_backend *b, struct gwl_output *output);

/* notify.c */
void drm_notify_presented(struct gwl_output *output);
/* Whether a client window's content is on this output. */
bool drm_notify_window_shown(struct gwl_output *output);

#endif
