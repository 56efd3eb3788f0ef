/* SPDX-License-Identifier: MIT */
#ifndef GUESTWL_OUTPUT_H
#define GUESTWL_OUTPUT_H

#include <pixman.h>
#include <wayland-server-core.h>

#include "guestwl/backend.h"
#include "guestwl/region.h"

struct gwl_surface;

struct gwl_output {
	struct gwl_server *server;
	struct wl_list link;
	const struct gwl_output_impl *impl;
	void *backend_data;
	int index; /* bit in gwl_surface.output_mask */
	char name[32];
	char description[64];
	int32_t width, height; /* mode, buffer pixels */
	int32_t refresh_mhz;
	int32_t scale;
	int32_t transform;
	int32_t lx, ly; /* layout position */
	struct wl_global *global;
	struct wl_list resources; /* wl_output resources */
	struct wl_list xdg_resources; /* zxdg_output_v1 resources */

	pixman_region32_t damage; /* output buffer coordinates, not drawn yet */
	struct gwl_damage_ring ring;
	struct gwl_render_list *list_cache; /* the last frame's list, for reuse */
	bool frame_pending; /* submitted, waiting for gwl_output_presented */
	bool needs_frame; /* frame callbacks want a refresh */
	struct wl_event_source *repaint_idle; /* repaint now */
	struct wl_event_source *repaint_timer; /* repaint in the repaint window */
	bool repaint_armed; /* repaint_timer is counting */
	int64_t last_present_ns; /* presentation clock; 0: never presented */
	/* The repaint window ends early once every surface sent frame
	 * callbacks by the last presentation has committed again. */
	uint32_t id; /* unique for the server's life (never reused) */
	uint64_t frame_seq; /* frames drawn; the one in flight when frame_pending */
	uint64_t await_seq; /* frame_seq of the last frame presented */
	int collected; /* surfaces given frame callbacks by frame frame_seq */
	bool asked; /* frame frame_seq gave a surface frame callbacks */
	int awaited; /* of those for await_seq, how many have not committed since */
	bool all_answered; /* awaited went to 0 since the last presentation */
	/* wl_resource links, sent on present, or once latched */
	struct wl_list frame_callbacks;
	struct wl_list feedbacks; /* gwl_feedback.link, sent on present */
	uint64_t repaints; /* frames drawn (statistics) */
	uint64_t scanouts; /* of those, shown by direct scanout */
	bool scanning_out; /* the last frame was a direct scanout */
	uint64_t overlays; /* frames with the top surface on an overlay plane */
	bool overlay_on; /* the backend shows a surface on its overlay plane */
	pixman_box32_t overlay_box; /* where (output pixels) */
	/* Which surface (compared, never dereferenced; cleared when it goes). */
	const struct gwl_surface *overlay_surface;
	/* The plane blends alpha over the planes below, so a surface that is
	 * not opaque can go on it (set by the backend). */
	bool overlay_blends;
	bool overlay_translucent; /* the one on it is: what is under it is composited */
	/* Output pixels changed by overlay_surface's own commits since the last
	 * frame: the plane shows them, the composited buffers do not change. */
	pixman_region32_t overlay_damage;
	uint64_t presented; /* frames presented (wait_idle barriers) */
	bool hw_cursor; /* the backend shows the cursor on a plane */
	struct wl_signal destroy_signal;
};

struct gwl_output *gwl_output_create(struct gwl_server *server,
	const struct gwl_output_impl *impl, const struct gwl_output_config *config,
	void *backend_data);
void gwl_output_destroy(struct gwl_output *output);
/* Size in layout (logical) coordinates. */
void gwl_output_logical_size(const struct gwl_output *output, int32_t *w, int32_t *h);
/* Layout -> output buffer pixels. */
void gwl_output_layout_matrix(const struct gwl_output *output, struct pixman_f_transform *m);
/* Layout to output pixels is a plain translation (scale 1, no transform). */
bool gwl_output_layout_is_translation(const struct gwl_output *output);
/* Damage a region in output buffer coordinates / everything. */
void gwl_output_damage(struct gwl_output *output, const pixman_region32_t *region);
void gwl_output_damage_whole(struct gwl_output *output);
/* Damage a box given in layout coordinates. */
void gwl_output_damage_layout_box(struct gwl_output *output, int32_t lx, int32_t ly,
	int32_t w, int32_t h);
/* Damage to the content of surface s (a box in layout coordinates): false
 * unless s is on the output's overlay plane, which alone then shows it. */
bool gwl_output_damage_overlay(struct gwl_output *output, const struct gwl_surface *s,
	int32_t lx, int32_t ly, int32_t w, int32_t h);
/* Surface s is being destroyed: forget it as the overlay plane's. */
void gwl_output_surface_gone(struct gwl_output *output, const struct gwl_surface *s);
/* Ask for a refresh (frame callbacks) without damage. */
void gwl_output_schedule_frame(struct gwl_output *output);
bool gwl_output_is_idle(const struct gwl_output *output);
/* Value of output->presented once everything damaged or committed so far
 * is on screen. */
uint64_t gwl_output_barrier_target(const struct gwl_output *output);
struct gwl_output *gwl_output_from_resource(struct wl_resource *resource);
/* The frame being drawn sends this surface frame callbacks when shown: wait
 * (within the repaint window) for its next commit. */
void gwl_output_await_surface(struct gwl_output *output, struct gwl_surface *surface);
/* The surface committed (or is going away): stop waiting for it. */
void gwl_output_surface_answered(struct gwl_surface *surface);
struct gwl_output *gwl_output_at(struct gwl_server *server, double lx, double ly);
/* Resource of output bound by this client, or NULL. */
struct wl_resource *gwl_output_resource_for_client(struct gwl_output *output,
	struct wl_client *client);
/* Render the current scene into a new image (screenshots when the backend
 * cannot read its front buffer). */
pixman_image_t *gwl_output_snapshot(struct gwl_output *output);

#endif
