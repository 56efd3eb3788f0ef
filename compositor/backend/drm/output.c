// SPDX-License-Identifier: MIT
/* gwl_output_impl of DRM outputs: buffers with age, submit, blank frames. */
#include <stdlib.h>

#include "drm-private.h"
#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/server.h"

static struct drm_output *drm_out(struct gwl_output *output)
{
	return output->backend_data;
}

/* A frame starts at now: the time since the last flip event was spent
 * waiting for the client (statistics). */
void drm_output_frame_started(struct drm_output *out, int64_t now)
{
	if (out->presented_ns)
		out->wait_ns += now - out->presented_ns;
	out->presented_ns = 0;
}

static pixman_image_t *drm_begin_frame(struct gwl_output *output, int *buffer_age)
{
	struct drm_output *out = drm_out(output);
	/* The oldest buffer that is not on screen. */
	int pick = -1;
	for (int i = 0; i < out->n_fbs; i++) {
		if (i == out->front)
			continue;
		if (pick < 0 || out->fbs[i].drawn < out->fbs[pick].drawn)
			pick = i;
	}
	if (pick < 0)
		return NULL;
	out->back = pick;
	out->frame_start_ns = drm_now_ns();
	drm_output_frame_started(out, out->frame_start_ns);
	uint64_t drawn = out->fbs[pick].drawn;
	uint64_t age = drawn ? out->frame + 1 - drawn : 0;
	*buffer_age = age > 0 && age < 100 ? (int)age : 0;
	return out->fbs[pick].image;
}

static void drm_submit_frame(struct gwl_output *output, pixman_image_t *image,
	const pixman_region32_t *damage)
{
	struct drm_output *out = drm_out(output);
	if (!image) { /* only the overlay plane changes */
		out->frame++;
		drm_output_frame_started(out, drm_now_ns());
		out->frame_primary = false;
		drm_output_commit(out, damage);
		return;
	}
	if (image != out->fbs[out->back].image) {
		gwl_log(GWL_ERROR, "drm: submitted image is not the frame's buffer");
		return;
	}
	out->frame++;
	out->render_ns += drm_now_ns() - out->frame_start_ns;
	out->fbs[out->back].drawn = out->frame;
	out->frame_primary = true;
	drm_output_commit(out, damage);
}

static void drm_schedule_frame(struct gwl_output *output)
{
	drm_output_present_blank(drm_out(output));
}

static pixman_image_t *drm_front_image(struct gwl_output *output)
{
	struct drm_output *out = drm_out(output);
	/* A client's buffer on screen: the core renders the scene instead. */
	bool overlay = out->ov_front >= 0 || out->ov_back >= 0;
	return out->front >= 0 && !overlay ? drm_output_fb(out, out->front)->image : NULL;
}

static void drm_output_destroy(struct gwl_output *output)
{
	struct drm_output *out = drm_out(output);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double secs = (double)(now.tv_sec - out->started.tv_sec) +
		(double)(now.tv_nsec - out->started.tv_nsec) / 1e9;
	const uint64_t *d = out->seq_deltas;
	gwl_log(GWL_INFO, "drm: CRTC %u: %llu page flips in %.2f s (%.1f/s), %llu frames, "
		"%llu event timeouts", out->crtc_id, (unsigned long long)out->flips, secs,
		secs > 0 ? (double)out->flips / secs : 0.0, (unsigned long long)out->frame,
		(unsigned long long)out->timeouts);
	if (out->output->scanouts)
		gwl_log(GWL_INFO, "drm: CRTC %u: %llu of the frames scanned out a client's buffer "
			"directly", out->crtc_id, (unsigned long long)out->output->scanouts);
	if (out->output->overlays)
		gwl_log(GWL_INFO, "drm: CRTC %u: %llu of the frames showed a client's buffer on the "
			"overlay plane", out->crtc_id, (unsigned long long)out->output->overlays);
	const uint64_t *c = out->commit_lat;
	gwl_log(GWL_INFO, "drm: CRTC %u: vblanks between flips: 0:%llu 1:%llu 2:%llu 3+:%llu; "
		"from commit to flip: 0:%llu 1:%llu 2:%llu 3+:%llu", out->crtc_id,
		(unsigned long long)d[0], (unsigned long long)d[1], (unsigned long long)d[2],
		(unsigned long long)d[3], (unsigned long long)c[0], (unsigned long long)c[1],
		(unsigned long long)c[2], (unsigned long long)c[3]);
	double n = out->frame ? (double)out->frame : 1.0;
	gwl_log(GWL_INFO, "drm: CRTC %u: per frame: %.2f ms from flip to next frame, %.2f ms "
		"rendering, %.2f ms in the commit ioctl", out->crtc_id, (double)out->wait_ns / n / 1e6,
		(double)out->render_ns / n / 1e6, (double)out->commit_ns / n / 1e6);
	wl_list_remove(&out->link);
	drm_output_free(out);
}

const struct gwl_output_impl drm_output_impl = {
	.begin_frame = drm_begin_frame,
	.submit_frame = drm_submit_frame,
	.schedule_frame = drm_schedule_frame,
	.set_cursor = drm_cursor_set,
	.scanout = drm_scanout,
	.set_overlay = drm_overlay_set,
	.front_image = drm_front_image,
	.destroy = drm_output_destroy,
};

static int buffer_count(void)
{
	const char *env = getenv("GUESTWL_DRM_BUFFERS");
	int n = env ? atoi(env) : 2;
	return n >= 2 && n <= DRM_MAX_FBS ? n : 2;
}

bool drm_output_start(struct drm_output *out)
{
	struct drm_backend *b = out->backend;
	int32_t w = out->mode.hdisplay, h = out->mode.vdisplay;
	out->n_fbs = buffer_count();
	for (int i = 0; i < out->n_fbs; i++) {
		if (!drm_fb_create(b->fd, &out->fbs[i], w, h, out->primary.format))
			return false;
	}
	out->timer = wl_event_loop_add_timer(b->base.server->loop, drm_output_timer, out);
	if (!out->timer || !drm_cursor_init(out))
		return false;
	struct gwl_output_config config = {
		.width = w, .height = h, .refresh_mhz = drm_mode_refresh_mhz(&out->mode),
		.scale = 1, .transform = b->opts.transform,
	};
	clock_gettime(CLOCK_MONOTONIC, &out->last_present);
	out->started = out->last_present;
	out->output = gwl_output_create(b->base.server, &drm_output_impl, &config, out);
	if (!out->output)
		return false;
	out->output->overlay_blends = out->has_overlay && out->overlay_argb;
	return true;
}
