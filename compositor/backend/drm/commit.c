// SPDX-License-Identifier: MIT
/*
 * Commits and their completion: atomic (TEST_ONLY before a modeset) or
 * legacy, FB_DAMAGE_CLIPS with the frame's damage, page-flip events turned
 * into presentation, and the recovery paths (EBUSY retry, EINVAL fallback,
 * a driver that never sends events).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drm-private.h"
#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/server.h"

enum drm_timer_kind {
	TIMER_NONE,
	TIMER_WATCHDOG, /* waiting for a page-flip event */
	TIMER_RETRY, /* the last commit got EBUSY */
	TIMER_PRESENT, /* present by timer (no events, no vblank, blank frame) */
};

#define WATCHDOG_MS 2000
#define MAX_BUSY_RETRIES 20

/* wp_presentation_feedback.kind bits */
enum {
	KIND_VSYNC = 0x1,
	KIND_HW_CLOCK = 0x2,
	KIND_HW_COMPLETION = 0x4,
};

static const uint32_t PRESENT_FLAGS = KIND_VSYNC | KIND_HW_CLOCK | KIND_HW_COMPLETION;

int64_t drm_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* The histogram slot of a sequence step from -> to: 0, 1, 2 or 3+. */
uint64_t *drm_delta_slot(uint64_t *hist, uint64_t from, uint64_t to)
{
	uint64_t d = to > from ? to - from : 0;
	return &hist[d > 3 ? 3 : d];
}

static int64_t period_ns(const struct drm_output *out)
{
	return 1000000000000ll / drm_mode_refresh_mhz(&out->mode);
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000ll + ts->tv_nsec;
}

static struct timespec now_ts(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

static void arm_timer(struct drm_output *out, int kind, int64_t ms)
{
	out->timer_kind = kind;
	wl_event_source_timer_update(out->timer, kind == TIMER_NONE ? 0 : (int)(ms < 1 ? 1 : ms));
}

static void present_core(struct drm_output *out, const struct timespec *ts, uint64_t seq,
	uint32_t flags)
{
	out->last_present = *ts;
	if (!out->core_pending)
		return;
	out->core_pending = false;
	gwl_output_presented(out->output, ts, seq, flags);
	drm_notify_presented(out->output);
	drm_backend_presented(out->backend, out->output);
}

/* Present at the next refresh boundary after the last presentation. */
static void present_by_timer(struct drm_output *out)
{
	int64_t next = ts_ns(&out->last_present) + period_ns(out);
	struct timespec now = now_ts();
	int64_t delay = next - ts_ns(&now);
	if (delay > period_ns(out) || delay < 0)
		delay = delay < 0 ? 0 : period_ns(out);
	arm_timer(out, TIMER_PRESENT, (delay + 999999) / 1000000);
}

static void do_commit(struct drm_output *out);
static void watchdog_expired(struct drm_output *out);

static void cursor_idle(void *data)
{
	struct drm_output *out = data;
	out->cursor_idle = NULL;
	if (out->cursor_dirty)
		drm_output_cursor_commit(out);
}

/* A cursor change waited for a flip: commit it once the core had its turn
 * (the core's repaint runs from an idle source added before this one). */
static void queue_cursor_commit(struct drm_output *out)
{
	if (!out->cursor_idle)
		out->cursor_idle = wl_event_loop_add_idle(out->backend->base.server->loop,
			cursor_idle, out);
}

static void flip_complete(struct drm_output *out, const struct timespec *ts, uint64_t seq)
{
	out->flip_pending = false;
	out->flips++;
	/* The watchdog stays armed: it checks the flip pending when it fires. */
	if (out->flip_has_fb) {
		out->flip_has_fb = false;
		drm_output_set_front(out, out->back);
	}
	drm_overlay_shown(out);
	if (seq && out->last_seq)
		(*drm_delta_slot(out->seq_deltas, out->last_seq, seq))++;
	if (seq && out->commit_seq)
		(*drm_delta_slot(out->commit_lat, out->commit_seq, seq))++;
	out->last_seq = seq;
	out->presented_ns = drm_now_ns();
	/* Drivers without vblank complete flips at once: pace them ourselves. */
	if (seq == 0 && !out->fake_vblank) {
		out->fake_vblank = true;
		gwl_log(GWL_INFO, "drm: CRTC %u has no vblank: pacing frames by timer",
			out->crtc_id);
	}
	if (out->frame_queued) {
		/* That was a cursor commit; the core's frame goes now. */
		out->frame_queued = false;
		out->flip_has_fb = out->frame_primary;
		do_commit(out);
		return;
	}
	if (out->has_cursor && out->cursor_dirty)
		queue_cursor_commit(out);
	if (out->fake_vblank && out->core_pending) {
		struct timespec now = now_ts();
		if (ts_ns(&now) - ts_ns(&out->last_present) < period_ns(out) - 500000) {
			present_by_timer(out);
			return;
		}
		present_core(out, &now, out->flips, KIND_HW_COMPLETION);
		return;
	}
	present_core(out, ts, seq, PRESENT_FLAGS);
}

static struct drm_output *output_for_crtc(struct drm_backend *b, uint32_t crtc_id)
{
	struct drm_output *out;
	wl_list_for_each(out, &b->outputs, link) {
		if (out->crtc_id == crtc_id)
			return out;
	}
	return NULL;
}

static void event_time(struct drm_backend *b, unsigned sec, unsigned usec, struct timespec *ts)
{
	if (b->monotonic && (sec || usec)) {
		ts->tv_sec = sec;
		ts->tv_nsec = (long)usec * 1000;
	} else {
		*ts = now_ts();
	}
}

static void page_flip_handler(int fd, unsigned seq, unsigned sec, unsigned usec,
	unsigned crtc_id, void *data)
{
	struct drm_backend *b = data;
	struct drm_output *out = output_for_crtc(b, crtc_id);
	if (out && !out->flip_pending && out->no_events && out->timeouts) {
		/* The event of a commit the watchdog gave up on: the driver does
		 * send events, it was only late (a starved guest): use them again. */
		gwl_log(GWL_ERROR, "drm: CRTC %u: late page-flip event: back to event pacing",
			crtc_id);
		out->no_events = false;
		return;
	}
	if (!out || !out->flip_pending)
		return;
	struct timespec ts;
	event_time(b, sec, usec, &ts);
	flip_complete(out, &ts, seq);
}

/* drmHandleEvent's vblank handler has no backend argument. */
static struct drm_backend *dispatching;

static void vblank_handler(int fd, unsigned seq, unsigned sec, unsigned usec, void *data)
{
	struct drm_output *out = output_for_crtc(dispatching, (uint32_t)(uintptr_t)data);
	if (!out)
		return;
	struct timespec ts;
	event_time(out->backend, sec, usec, &ts);
	present_core(out, &ts, seq, PRESENT_FLAGS);
}

int drm_dispatch(int fd, uint32_t mask, void *data)
{
	struct drm_backend *b = data;
	if (mask & (WL_EVENT_HANGUP | WL_EVENT_ERROR)) {
		gwl_log(GWL_ERROR, "drm: %s: device hung up", b->path);
		wl_event_source_remove(b->drm_source);
		b->drm_source = NULL;
		return 0;
	}
	drmEventContext ctx = {
		.version = 3,
		.vblank_handler = vblank_handler,
		.page_flip_handler2 = page_flip_handler,
	};
	/* page_flip_handler2 gets the backend through user_data of the commit. */
	dispatching = b;
	if (drmHandleEvent(fd, &ctx) < 0 && errno != EAGAIN)
		gwl_log(GWL_DEBUG, "drm: reading events: %s", strerror(errno));
	return 0;
}

static uint32_t new_damage_blob(struct drm_output *out, const pixman_region32_t *damage)
{
	int n = 0;
	const pixman_box32_t *r = pixman_region32_rectangles((pixman_region32_t *)damage, &n);
	if (n <= 0)
		return 0;
	/* Frames rarely have more than a few rectangles: no allocation then. */
	struct drm_mode_rect local[16];
	struct drm_mode_rect *rects = n <= 16 ? local : calloc((size_t)n, sizeof(*rects));
	if (!rects)
		return 0;
	for (int i = 0; i < n; i++)
		rects[i] = (struct drm_mode_rect){ r[i].x1, r[i].y1, r[i].x2, r[i].y2 };
	uint32_t blob = 0;
	if (drmModeCreatePropertyBlob(out->backend->fd, rects, sizeof(*rects) * (size_t)n,
		&blob) < 0)
		blob = 0;
	if (rects != local)
		free(rects);
	return blob;
}

/* The blob for this damage: the cached one when the damage did not change. */
uint32_t drm_damage_blob(struct drm_output *out, struct drm_clips *c,
	const pixman_region32_t *damage)
{
	pixman_region32_t *d = (pixman_region32_t *)damage;
	if (c->blob && pixman_region32_equal(d, &c->region))
		return c->blob;
	if (c->blob)
		drmModeDestroyPropertyBlob(out->backend->fd, c->blob);
	c->blob = new_damage_blob(out, damage);
	pixman_region32_copy(&c->region, d);
	return c->blob;
}

void drm_add_plane(struct drm_atomic *a, const struct drm_plane *p, uint32_t crtc,
	uint32_t fb, int32_t x, int32_t y, int32_t w, int32_t h)
{
	drm_atomic_add(a, p->id, p->props.fb_id, fb);
	drm_atomic_add(a, p->id, p->props.crtc_id, fb ? crtc : 0);
	drm_atomic_add(a, p->id, p->props.src_x, 0);
	drm_atomic_add(a, p->id, p->props.src_y, 0);
	drm_atomic_add(a, p->id, p->props.src_w, (uint64_t)w << 16);
	drm_atomic_add(a, p->id, p->props.src_h, (uint64_t)h << 16);
	drm_atomic_add(a, p->id, p->props.crtc_x, (uint64_t)(int64_t)x);
	drm_atomic_add(a, p->id, p->props.crtc_y, (uint64_t)(int64_t)y);
	drm_atomic_add(a, p->id, p->props.crtc_w, (uint64_t)w);
	drm_atomic_add(a, p->id, p->props.crtc_h, (uint64_t)h);
}

static void add_modeset(struct drm_atomic *a, struct drm_output *out)
{
	struct drm_backend *b = out->backend;
	if (!out->mode_blob && drmModeCreatePropertyBlob(b->fd, &out->mode, sizeof(out->mode),
		&out->mode_blob) < 0) {
		a->failed = true;
		return;
	}
	drm_atomic_add(a, out->connector_id, out->conn_crtc_prop, out->crtc_id);
	drm_atomic_add(a, out->crtc_id, out->crtc_mode_prop, out->mode_blob);
	drm_atomic_add(a, out->crtc_id, out->crtc_active_prop, 1);
}

/* Atomic state is incremental: a plane already set up with a framebuffer
 * of this size only needs what changed (a flip: FB_ID; a cursor move:
 * CRTC_X/Y), saving the kernel nine property lookups and sets a commit. */
static bool plane_kept(const struct drm_output *out, const struct drm_plane *p,
	const struct drm_fb *fb)
{
	return !out->needs_modeset && p->set_fb && p->set_w == fb->width &&
		p->set_h == fb->height;
}

static void add_cursor(struct drm_atomic *a, struct drm_output *out)
{
	const struct drm_fb *fb = &out->cursor_fbs[out->cursor_cur];
	struct drm_plane *p = &out->cursor;
	if (out->cursor_on && fb->fb_id && plane_kept(out, p, fb)) {
		if (p->set_fb != fb->fb_id)
			drm_atomic_add(a, p->id, p->props.fb_id, fb->fb_id);
		drm_atomic_add(a, p->id, p->props.crtc_x, (uint64_t)(int64_t)out->cursor_x);
		drm_atomic_add(a, p->id, p->props.crtc_y, (uint64_t)(int64_t)out->cursor_y);
	} else if (out->cursor_on && fb->fb_id) {
		drm_add_plane(a, p, out->crtc_id, fb->fb_id, out->cursor_x, out->cursor_y,
			fb->width, fb->height);
	} else {
		drm_add_plane(a, p, 0, 0, 0, 0, 0, 0);
	}
	out->cursor_dirty = false;
}

/* After a commit: what the planes now hold (0: unknown, send everything). */
static void planes_committed(struct drm_output *out, bool ok, bool cursor)
{
	struct drm_plane *primary = &out->primary, *c = &out->cursor;
	if (!ok) {
		primary->set_fb = c->set_fb = 0;
		return;
	}
	if (out->flip_has_fb) {
		const struct drm_fb *fb = drm_output_fb(out, out->back);
		primary->set_fb = fb->fb_id;
		primary->set_w = fb->width;
		primary->set_h = fb->height;
	}
	if (cursor) {
		const struct drm_fb *fb = &out->cursor_fbs[out->cursor_cur];
		bool on = out->cursor_on && fb->fb_id;
		c->set_fb = on ? fb->fb_id : 0;
		c->set_w = on ? fb->width : 0;
		c->set_h = on ? fb->height : 0;
	}
}

static int atomic_commit(struct drm_output *out, const pixman_region32_t *damage)
{
	struct drm_backend *b = out->backend;
	struct drm_atomic a;
	uint32_t flags = DRM_MODE_ATOMIC_NONBLOCK, clips = 0;
	drm_atomic_init(&a);
	if (out->needs_modeset) {
		add_modeset(&a, out);
		flags |= DRM_MODE_ATOMIC_ALLOW_MODESET;
	}
	if (out->flip_has_fb) {
		const struct drm_fb *fb = drm_output_fb(out, out->back);
		if (plane_kept(out, &out->primary, fb))
			drm_atomic_add(&a, out->primary.id, out->primary.props.fb_id, fb->fb_id);
		else
			drm_add_plane(&a, &out->primary, out->crtc_id, fb->fb_id, 0, 0, fb->width,
				fb->height);
		if (out->primary.props.damage_clips && !out->needs_modeset && damage)
			clips = drm_damage_blob(out, &out->clips, damage);
		if (clips)
			drm_atomic_add(&a, out->primary.id, out->primary.props.damage_clips, clips);
	}
	bool cursor = out->has_cursor && (out->cursor_dirty || out->needs_modeset);
	if (cursor)
		add_cursor(&a, out);
	drm_overlay_add(&a, out);
	if (!out->flip_has_fb && !out->needs_modeset) /* cursor-only commit */
		drm_atomic_add(&a, out->crtc_id, out->crtc_active_prop, 1);
	int ret = 0;
	if (out->needs_modeset)
		ret = drm_atomic_commit(&a, b->fd, flags | DRM_MODE_ATOMIC_TEST_ONLY, b);
	if (!out->no_events)
		flags |= DRM_MODE_PAGE_FLIP_EVENT;
	if (ret == 0)
		ret = drm_atomic_commit(&a, b->fd, flags, b);
	planes_committed(out, ret == 0, cursor);
	drm_overlay_committed(out, ret == 0);
	if (ret == -EINVAL && clips && !out->ov_changed) {
		gwl_log(GWL_ERROR, "drm: CRTC %u refused FB_DAMAGE_CLIPS: sending none",
			out->crtc_id);
		out->primary.props.damage_clips = 0;
	}
	drm_atomic_finish(&a);
	return ret;
}

static int legacy_commit(struct drm_output *out, const pixman_region32_t *damage)
{
	struct drm_backend *b = out->backend;
	const struct drm_fb *fb = drm_output_fb(out, out->back);
	if (!out->flip_has_fb)
		return -EINVAL;
	if (out->needs_modeset || out->no_events) {
		if (drmModeSetCrtc(b->fd, out->crtc_id, fb->fb_id, 0, 0, &out->connector_id, 1,
			&out->mode) < 0)
			return -errno;
		return 1; /* done synchronously: no event */
	}
	int n = 0;
	const pixman_box32_t *r = pixman_region32_rectangles((pixman_region32_t *)damage, &n);
	if (n > 0) {
		drmModeClip *clips = calloc((size_t)n, sizeof(*clips));
		for (int i = 0; clips && i < n; i++)
			clips[i] = (drmModeClip){ (uint16_t)r[i].x1, (uint16_t)r[i].y1,
				(uint16_t)r[i].x2, (uint16_t)r[i].y2 };
		if (clips)
			drmModeDirtyFB(b->fd, fb->fb_id, clips, (uint32_t)n);
		free(clips);
	}
	if (drmModePageFlip(b->fd, out->crtc_id, fb->fb_id, DRM_MODE_PAGE_FLIP_EVENT, b) < 0)
		return -errno;
	return 0;
}

static void commit_failed(struct drm_output *out, int ret)
{
	if (ret == -EBUSY && out->busy_retries++ < MAX_BUSY_RETRIES) {
		gwl_log(GWL_DEBUG, "drm: CRTC %u busy: retrying", out->crtc_id);
		arm_timer(out, TIMER_RETRY, period_ns(out) / 1000000 + 1);
		return;
	}
	if (ret == -EINVAL && out->ov_changed && !out->ov_failed) {
		/* The overlay's change was refused: composite everything. */
		gwl_log(GWL_ERROR, "drm: CRTC %u refused the overlay plane: compositing",
			out->crtc_id);
		out->ov_failed = true;
		out->ov_back = -1;
		gwl_output_damage_whole(out->output);
		arm_timer(out, TIMER_RETRY, 1);
		return;
	}
	if (ret == -EINVAL && out->primary.props.damage_clips == 0 && !out->needs_modeset &&
		out->busy_retries == 0 && !out->dead) {
		/* Maybe the configuration changed under us: modeset again once. */
		out->needs_modeset = true;
		out->busy_retries = MAX_BUSY_RETRIES;
		arm_timer(out, TIMER_RETRY, 1);
		return;
	}
	gwl_log(GWL_ERROR, "drm: CRTC %u: commit failed (%s); frame dropped, presenting by "
		"timer", out->crtc_id, strerror(-ret));
	out->busy_retries = 0;
	drm_output_fb(out, out->back)->drawn = 0;
	out->flip_has_fb = false;
	out->ov_changed = false; /* dropped with the frame */
	out->ov_back = out->ov_front;
	out->overlay.set_fb = 0;
	if (ret != -EBUSY) {
		/* Nothing will be shown again (a device gone: ENODEV): the
		 * client's buffers on the planes are free. */
		out->dead = true;
		out->ov_front = out->ov_back = -1;
		out->front = -1;
	}
	drm_scanout_update(out);
	present_by_timer(out);
}

/*
 * guestkms copies the planes' damage into VRAM while committing and reads
 * only the committed framebuffers from then on: what this commit replaced
 * is free already, and clients may draw their next frame while the flip
 * waits for the vblank. (Other drivers scan out of the framebuffers until
 * the flip: there, all this waits for the event.)
 */
static void commit_latched(struct drm_output *out)
{
	if (!out->backend->latch)
		return;
	if (out->flip_has_fb)
		out->front = out->back;
	if (out->ov_in_flight)
		out->ov_front = out->ov_back;
	drm_scanout_update(out);
	if (out->core_pending)
		gwl_output_latched(out->output);
}

static void do_commit(struct drm_output *out)
{
	struct drm_backend *b = out->backend;
	if (out->dead || b->removed) {
		out->flip_has_fb = false;
		out->ov_changed = false;
		drm_scanout_update(out);
		present_by_timer(out);
		return;
	}
	/* One more ioctl per frame: only with GUESTWL_DRM_STATS=1 (pacing test). */
	uint64_t seq = 0;
	if (!b->stats || out->fake_vblank ||
		drmCrtcGetSequence(b->fd, out->crtc_id, &seq, NULL) < 0)
		seq = 0;
	int64_t t0 = drm_now_ns();
	int ret = b->atomic ? atomic_commit(out, &out->pending_damage)
			    : legacy_commit(out, &out->pending_damage);
	out->commit_ns += drm_now_ns() - t0;
	out->commit_seq = seq;
	if (ret < 0) {
		commit_failed(out, ret);
		return;
	}
	out->busy_retries = 0;
	out->needs_modeset = false;
	if (ret > 0 || out->no_events) {
		/* No event will come: the frame is up when the commit returns. */
		bool shown = out->flip_has_fb;
		out->flip_has_fb = false;
		if (shown)
			drm_output_set_front(out, out->back);
		drm_overlay_shown(out);
		present_by_timer(out);
		return;
	}
	out->flip_pending = true;
	out->flip_since_ns = drm_now_ns();
	commit_latched(out);
	/* Armed once and left running: two timerfd updates a frame saved. */
	if (out->timer_kind != TIMER_WATCHDOG)
		arm_timer(out, TIMER_WATCHDOG, WATCHDOG_MS);
}

/* The watchdog fired: a flip pending for WATCHDOG_MS is lost, a younger one
 * gets the rest of its time, and without a flip pending it just stops. */
static void watchdog_fired(struct drm_output *out)
{
	if (!out->flip_pending)
		return;
	int64_t left = out->flip_since_ns + WATCHDOG_MS * 1000000ll - drm_now_ns();
	if (left > 0) {
		arm_timer(out, TIMER_WATCHDOG, (left + 999999) / 1000000);
		return;
	}
	watchdog_expired(out);
}

void drm_output_commit(struct drm_output *out, const pixman_region32_t *damage)
{
	out->core_pending = true;
	pixman_region32_copy(&out->pending_damage, damage);
	if (out->flip_pending) {
		/* A cursor-only commit is in flight: go when it completes. */
		out->frame_queued = true;
		return;
	}
	out->flip_has_fb = out->frame_primary;
	do_commit(out);
}

void drm_output_cursor_commit(struct drm_output *out)
{
	if (out->flip_pending || out->timer_kind == TIMER_RETRY || !out->has_cursor ||
		out->needs_modeset || out->dead)
		return; /* goes with the next commit */
	out->flip_has_fb = false;
	do_commit(out);
}

void drm_output_present_blank(struct drm_output *out)
{
	out->core_pending = true;
	if (out->flip_pending)
		return; /* a cursor commit is in flight: its event presents */
	if (out->has_cursor && out->cursor_dirty) {
		drm_output_cursor_commit(out);
		return;
	}
	if (!out->fake_vblank && !out->no_events && !out->dead) {
		drmVBlank vbl = { .request = {
			.type = DRM_VBLANK_RELATIVE | DRM_VBLANK_EVENT |
				((uint32_t)out->crtc_index << DRM_VBLANK_HIGH_CRTC_SHIFT),
			.sequence = 1, .signal = out->crtc_id } };
		if (drmWaitVBlank(out->backend->fd, &vbl) == 0)
			return;
	}
	present_by_timer(out);
}

static void watchdog_expired(struct drm_output *out)
{
	out->timeouts++;
	gwl_log(GWL_ERROR, "drm: CRTC %u: no page-flip event within %d ms: presenting by "
		"timer until one arrives", out->crtc_id, WATCHDOG_MS);
	out->no_events = true;
	out->flip_pending = false;
	bool shown = out->flip_has_fb;
	out->flip_has_fb = false;
	if (shown)
		drm_output_set_front(out, out->back);
	drm_overlay_shown(out);
	if (out->frame_queued) {
		out->frame_queued = false;
		out->flip_has_fb = out->frame_primary;
		do_commit(out);
		return;
	}
	struct timespec now = now_ts();
	present_core(out, &now, out->frame, 0);
}

int drm_output_timer(void *data)
{
	struct drm_output *out = data;
	int kind = out->timer_kind;
	out->timer_kind = TIMER_NONE;
	switch (kind) {
	case TIMER_WATCHDOG:
		watchdog_fired(out);
		break;
	case TIMER_RETRY:
		do_commit(out);
		break;
	case TIMER_PRESENT: {
		struct timespec now = now_ts();
		present_core(out, &now, out->frame, out->dead ? 0
			: KIND_HW_COMPLETION);
		if (out->has_cursor && out->cursor_dirty)
			drm_output_cursor_commit(out);
		break;
	}
	default:
		break;
	}
	return 0;
}

void drm_output_disable(struct drm_output *out)
{
	struct drm_backend *b = out->backend;
	if (b->removed || b->fd < 0)
		return;
	if (!b->atomic) {
		drmModeSetCrtc(b->fd, out->crtc_id, 0, 0, 0, NULL, 0, NULL);
		return;
	}
	struct drm_atomic a;
	drm_atomic_init(&a);
	out->primary.set_fb = out->cursor.set_fb = 0;
	drm_add_plane(&a, &out->primary, 0, 0, 0, 0, 0, 0);
	if (out->has_cursor)
		drm_add_plane(&a, &out->cursor, 0, 0, 0, 0, 0, 0);
	if (out->has_overlay) {
		out->overlay.set_fb = 0;
		drm_add_plane(&a, &out->overlay, 0, 0, 0, 0, 0, 0);
	}
	drm_atomic_add(&a, out->connector_id, out->conn_crtc_prop, 0);
	drm_atomic_add(&a, out->crtc_id, out->crtc_mode_prop, 0);
	drm_atomic_add(&a, out->crtc_id, out->crtc_active_prop, 0);
	int ret = drm_atomic_commit(&a, b->fd, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL);
	if (ret < 0)
		gwl_log(GWL_DEBUG, "drm: disabling CRTC %u: %s", out->crtc_id, strerror(-ret));
	drm_atomic_finish(&a);
}
