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
	uint64_t drawn = out->fbs[pick].drawn;
	uint64_t age = drawn ? out->frame + 1 - drawn : 0;
	*buffer_age = age > 0 && age < 100 ? (int)age : 0;
	return out->fbs[pick].image;
}

static void drm_submit_frame(struct gwl_output *output, pixman_image_t *image,
	const pixman_region32_t *damage)
{
	struct drm_output *out = drm_out(output);
	if (image != out->fbs[out->back].image) {
		gwl_log(GWL_ERROR, "drm: submitted image is not the frame's buffer");
		return;
	}
	out->frame++;
	out->fbs[out->back].drawn = out->frame;
	drm_output_commit(out, damage);
}

static void drm_schedule_frame(struct gwl_output *output)
{
	drm_output_present_blank(drm_out(output));
}

static pixman_image_t *drm_front_image(struct gwl_output *output)
{
	struct drm_output *out = drm_out(output);
	return out->front >= 0 ? out->fbs[out->front].image : NULL;
}

static void drm_output_destroy(struct gwl_output *output)
{
	struct drm_output *out = drm_out(output);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double secs = (double)(now.tv_sec - out->started.tv_sec) +
		(double)(now.tv_nsec - out->started.tv_nsec) / 1e9;
	gwl_log(GWL_INFO, "drm: CRTC %u: %llu page flips in %.2f s (%.1f/s), %llu frames, "
		"%llu event timeouts", out->crtc_id, (unsigned long long)out->flips, secs,
		secs > 0 ? (double)out->flips / secs : 0.0, (unsigned long long)out->frame,
		(unsigned long long)out->timeouts);
	wl_list_remove(&out->link);
	drm_output_free(out);
}

const struct gwl_output_impl drm_output_impl = {
	.begin_frame = drm_begin_frame,
	.submit_frame = drm_submit_frame,
	.schedule_frame = drm_schedule_frame,
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
	if (!out->timer)
		return false;
	struct gwl_output_config config = {
		.width = w, .height = h, .refresh_mhz = drm_mode_refresh_mhz(&out->mode),
		.scale = 1, .transform = b->opts.transform,
	};
	clock_gettime(CLOCK_MONOTONIC, &out->last_present);
	out->started = out->last_present;
	out->output = gwl_output_create(b->base.server, &drm_output_impl, &config, out);
	return out->output != NULL;
}
