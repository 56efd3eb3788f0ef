/* SPDX-License-Identifier: MIT */
#ifndef GUESTWL_SURFACE_H
#define GUESTWL_SURFACE_H

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

#include "guestwl/region.h"

struct gwl_output;
struct gwl_server;
struct gwl_surface;

enum gwl_state_field {
	GWL_STATE_BUFFER = 1 << 0,
	GWL_STATE_OFFSET = 1 << 1,
	GWL_STATE_OPAQUE = 1 << 2,
	GWL_STATE_INPUT = 1 << 3,
	GWL_STATE_SCALE = 1 << 4,
	GWL_STATE_TRANSFORM = 1 << 5,
	GWL_STATE_VIEWPORT_SRC = 1 << 6,
	GWL_STATE_VIEWPORT_DST = 1 << 7,
};

/* Double-buffered wl_surface state (pending, or cached for sync subsurfaces). */
struct gwl_surface_state {
	uint32_t fields;
	struct wl_resource *buffer; /* NULL with GWL_STATE_BUFFER: detach */
	struct wl_listener buffer_destroy;
	int32_t dx, dy;
	pixman_region32_t damage_surface, damage_buffer;
	pixman_region32_t opaque, input;
	int32_t scale, transform;
	double src_x, src_y, src_w, src_h; /* src_w < 0: unset */
	int32_t dst_w, dst_h; /* < 0: unset */
	struct wl_list frame_callbacks; /* wl_resource links */
	struct wl_list feedbacks; /* gwl_feedback.link */
};

struct gwl_surface_role {
	const char *name;
	/* Called after the new state became current. */
	void (*commit)(struct gwl_surface *surface);
	/* Called before the current state changes; may post an error and
	 * return false to refuse the commit. */
	bool (*precommit)(struct gwl_surface *surface, const struct gwl_surface_state *next);
};

struct gwl_subsurface;

/* A wl_shm buffer shown in place (shm.c): the surface's image points into
 * the client's pool, which stays mapped, and the buffer is released only
 * when another one replaces it. */
struct gwl_buffer_hold {
	struct wl_resource *buffer; /* NULL: nothing held */
	struct wl_shm_pool *pool;
	struct wl_listener destroy;
};

struct gwl_surface {
	struct wl_resource *resource;
	struct gwl_server *server;
	struct gwl_surface_state pending;

	/* Current state. */
	/* The content: the held shm buffer in place, else a copy; NULL: none.
	 * Read it only between gwl_surface_begin/end_access(). */
	pixman_image_t *image;
	struct gwl_buffer_hold hold;
	bool opaque_format;
	int32_t buffer_w, buffer_h;
	int32_t scale, transform;
	double src_x, src_y, src_w, src_h;
	int32_t dst_w, dst_h;
	int32_t width, height; /* surface coordinates */
	pixman_region32_t opaque, input; /* clipped to the surface */
	pixman_region32_t damage; /* surface coords, of the last commit */
	int32_t commit_dx, commit_dy; /* wl_surface.offset of the last commit */
	struct wl_list frame_callbacks;
	struct wl_list feedbacks;

	const struct gwl_surface_role *role;
	void *role_data;
	struct wl_resource *role_resource; /* keeps the role after the object died */

	struct gwl_subsurface *subsurface; /* when this is a subsurface */
	struct wl_list below, above; /* current children, bottom to top */
	struct wl_list pending_below, pending_above;

	struct wl_resource *viewport;
	uint32_t output_mask; /* outputs entered */
	uint32_t shown_mask; /* outputs that drew it in their last frame */
	/* gwl_output_await_surface: the output (id) and frame that sent its
	 * frame callbacks; 0: none awaited */
	uint32_t await_output;
	uint64_t await_seq;
	struct wl_signal destroy_signal;
};

struct gwl_subsurface {
	struct wl_resource *resource;
	struct gwl_surface *surface, *parent;
	struct wl_list link, pending_link; /* in parent's lists */
	struct wl_listener parent_destroy, surface_destroy;
	int32_t x, y, pending_x, pending_y;
	bool synchronized;
	bool has_cache;
	bool mapped;
	struct gwl_surface_state cached;
};

struct gwl_surface *gwl_surface_from_resource(struct wl_resource *resource);
void gwl_surface_state_init(struct gwl_surface_state *state);
void gwl_surface_state_finish(struct gwl_surface_state *state);
/* Move src into dst (later state wins; damage and callbacks accumulate). */
void gwl_surface_state_merge(struct gwl_surface_state *dst, struct gwl_surface_state *src);
/* Make state current (consumes it). */
void gwl_surface_apply_state(struct gwl_surface *surface, struct gwl_surface_state *state);

/* Set the role; posts the role error on resource and returns false if the
 * surface already has another role. */
bool gwl_surface_set_role(struct gwl_surface *surface, const struct gwl_surface_role *role,
	void *data, struct wl_resource *error_resource, uint32_t error_code);
void gwl_surface_clear_role_data(struct gwl_surface *surface);

bool gwl_surface_has_content(const struct gwl_surface *surface);
/* Buffer pixels -> surface coordinates. */
void gwl_surface_buffer_matrix(const struct gwl_surface *surface, struct pixman_f_transform *m);
/* Buffer pixels are surface pixels (no scale, transform or viewport). */
bool gwl_surface_buffer_is_plain(const struct gwl_surface *surface);
/* Layout position of the surface origin if it is part of a mapped window. */
bool gwl_surface_layout_pos(struct gwl_surface *surface, int32_t *lx, int32_t *ly);
/* Root of a subsurface tree. */
struct gwl_surface *gwl_surface_root(struct gwl_surface *surface);

typedef void (*gwl_surface_iter_fn)(struct gwl_surface *surface, int32_t sx, int32_t sy,
	void *data);
/* Visit the tree bottom to top; sx, sy relative to the root. */
void gwl_surface_for_each(struct gwl_surface *surface, int32_t sx, int32_t sy,
	gwl_surface_iter_fn fn, void *data);
/* Damage the surface tree's extent at its position on all outputs. */
void gwl_surface_damage_whole(struct gwl_surface *surface, int32_t lx, int32_t ly);
/* Send frame callbacks / feedback discard for a surface that goes away. */
void gwl_surface_send_frame_done(struct gwl_surface *surface, uint32_t msec);
void gwl_surface_update_outputs(struct gwl_surface *surface, uint32_t mask);

/* Subsurface helpers (subcompositor.c). */
void gwl_subsurface_parent_commit(struct gwl_surface *parent);
bool gwl_subsurface_is_synchronized(const struct gwl_subsurface *sub);
void gwl_subsurface_commit(struct gwl_surface *surface);

/* Buffers (shm.c, single_pixel_buffer.c). */
enum gwl_upload {
	GWL_UPLOAD_FAILED, /* an error was posted */
	GWL_UPLOAD_COPIED, /* surface->image has a copy: release the buffer now */
	GWL_UPLOAD_HELD, /* surface->image shows it in place (surface->hold) */
};
/* Make the buffer the surface's content: shown in place when pixman can
 * read it as it is, else copied (damaged part only when the image can be
 * reused). */
enum gwl_upload gwl_buffer_upload(struct gwl_surface *surface, struct wl_resource *buffer,
	const pixman_region32_t *buffer_damage);
enum gwl_upload gwl_shm_buffer_upload(struct gwl_surface *surface,
	struct wl_resource *buffer, const pixman_region32_t *buffer_damage);
bool gwl_single_pixel_buffer_upload(struct gwl_surface *surface, struct wl_resource *buffer);
/* Release the held buffer, if any (NULL-safe; sends wl_buffer.release). */
void gwl_surface_release_hold(struct gwl_surface *surface);
/* Guard reads of surface->image (SIGBUS on a pool the client truncated
 * maps zero pages; the client gets an error). NULL-safe; not nestable
 * across surfaces. */
void gwl_surface_begin_access(struct gwl_surface *surface);
void gwl_surface_end_access(struct gwl_surface *surface);
bool gwl_buffer_size(struct wl_resource *buffer, int32_t *width, int32_t *height);

/* Check the viewport against the state about to be committed; posts the
 * wp_viewport error and returns false when it is invalid (viewporter.c). */
bool gwl_viewport_validate(struct gwl_surface *surface);

/* Presentation feedback (presentation.c). */
struct gwl_feedback {
	struct wl_resource *resource;
	struct wl_list link;
};
void gwl_feedback_discard_list(struct wl_list *list);
void gwl_feedback_present_list(struct wl_list *list, struct gwl_output *output,
	const struct timespec *when, uint64_t seq, uint32_t refresh_ns, uint32_t flags);

#endif
