// SPDX-License-Identifier: MIT
/*
 * DRM backend: finds the KMS device through udev, opens it through the
 * session, creates one output per connected connector and watches udev
 * for hotplug and device removal.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "../input/input.h"
#include "drm-private.h"
#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "notify.h"
#include "session.h"

static const char *device_seat(struct udev_device *dev)
{
	const char *seat = udev_device_get_property_value(dev, "ID_SEAT");
	return seat ? seat : "seat0";
}

static bool is_boot_vga(struct udev_device *dev)
{
	struct udev_device *pci = udev_device_get_parent_with_subsystem_devtype(dev, "pci", NULL);
	const char *v = pci ? udev_device_get_sysattr_value(pci, "boot_vga") : NULL;
	return v && strcmp(v, "1") == 0;
}

static bool has_kms(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	drmModeRes *res = drmModeGetResources(fd);
	bool ok = res && res->count_crtcs > 0 && res->count_connectors > 0;
	drmModeFreeResources(res);
	close(fd);
	return ok;
}

/* The boot VGA card of our seat if it does KMS, else the first that does. */
static bool find_device(struct drm_backend *b, const char *seat)
{
	struct udev_enumerate *e = udev_enumerate_new(b->udev);
	udev_enumerate_add_match_subsystem(e, "drm");
	udev_enumerate_add_match_sysname(e, "card[0-9]*");
	udev_enumerate_scan_devices(e);
	bool found = false, found_boot = false;
	struct udev_list_entry *entry;
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
		struct udev_device *dev = udev_device_new_from_syspath(b->udev,
			udev_list_entry_get_name(entry));
		const char *node = dev ? udev_device_get_devnode(dev) : NULL;
		if (node && strcmp(device_seat(dev), seat) == 0 && !found_boot && has_kms(node)) {
			bool boot = is_boot_vga(dev);
			if (!found || boot) {
				snprintf(b->path, sizeof(b->path), "%s", node);
				found = true;
				found_boot = boot;
			}
		}
		if (dev)
			udev_device_unref(dev);
	}
	udev_enumerate_unref(e);
	return found;
}

static void device_removed(struct drm_backend *b)
{
	gwl_log(GWL_ERROR, "drm: %s was removed: its outputs are gone", b->path);
	b->removed = true;
	struct drm_output *out, *tmp;
	wl_list_for_each_safe(out, tmp, &b->outputs, link)
		gwl_output_destroy(out->output);
	if (b->drm_source)
		wl_event_source_remove(b->drm_source);
	b->drm_source = NULL;
}

static int udev_event(int fd, uint32_t mask, void *data)
{
	struct drm_backend *b = data;
	struct udev_device *dev = udev_monitor_receive_device(b->monitor);
	if (!dev)
		return 0;
	const char *action = udev_device_get_action(dev);
	if (udev_device_get_devnum(dev) == b->devnum && action && !b->removed) {
		if (strcmp(action, "remove") == 0) {
			device_removed(b);
		} else if (strcmp(action, "change") == 0) {
			const char *hp = udev_device_get_property_value(dev, "HOTPLUG");
			if (hp && strcmp(hp, "1") == 0 && gwl_session_active(b->session)) {
				gwl_log(GWL_INFO, "drm: hotplug event on %s", b->path);
				drm_kms_hotplug(b);
			}
		}
	}
	udev_device_unref(dev);
	return 0;
}

static void session_changed(void *data, bool active)
{
	struct drm_backend *b = data;
	gwl_log(GWL_INFO, "drm: session %s", active ? "active" : "inactive");
	if (b->input)
		active ? gwl_input_resume(b->input) : gwl_input_suspend(b->input);
	if (!active || b->removed)
		return;
	struct drm_output *out;
	wl_list_for_each(out, &b->outputs, link) {
		out->needs_modeset = true;
		out->cursor_dirty = true;
		drm_output_set_front(out, -1);
		for (int i = 0; i < out->n_fbs; i++)
			out->fbs[i].drawn = 0;
		gwl_output_damage_whole(out->output);
	}
	drm_kms_hotplug(b);
}

static bool open_device(struct drm_backend *b)
{
	if (b->opts.device)
		snprintf(b->path, sizeof(b->path), "%s", b->opts.device);
	else if (!find_device(b, gwl_session_seat(b->session))) {
		gwl_log(GWL_ERROR, "drm: no KMS device found (is a DRM driver loaded?)");
		return false;
	}
	b->fd = gwl_session_open(b->session, b->path, &b->device_id);
	if (b->fd < 0) {
		gwl_log(GWL_ERROR, "drm: cannot open %s: %s", b->path, strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(b->fd, &st) < 0 || !S_ISCHR(st.st_mode)) {
		gwl_log(GWL_ERROR, "drm: %s is not a character device", b->path);
		return false;
	}
	b->devnum = st.st_rdev;
	if (!b->session_is_seat && drmSetMaster(b->fd) < 0 && errno != EINVAL)
		gwl_log(GWL_INFO, "drm: %s: cannot become DRM master: %s", b->path,
			strerror(errno));
	drmVersion *v = drmGetVersion(b->fd);
	gwl_log(GWL_INFO, "drm: using %s (driver %s), session %s", b->path, v ? v->name : "?",
		gwl_session_kind(b->session));
	/* The userptr ioctl's number means something else to other drivers. */
	bool guestkms = v && v->name && strcmp(v->name, "guestkms") == 0;
	const char *scanout = getenv("GUESTWL_DRM_SCANOUT");
	b->scanout = guestkms && !(scanout && strcmp(scanout, "0") == 0);
	/* guestkms copies at the commit and never reads a replaced
	 * framebuffer again (docs/guestkms.md). */
	const char *latch = getenv("GUESTWL_DRM_LATCH");
	b->latch = guestkms && !(latch && strcmp(latch, "0") == 0);
	drmFreeVersion(v);
	return true;
}

static bool watch_udev(struct drm_backend *b)
{
	struct wl_event_loop *loop = b->base.server->loop;
	b->monitor = udev_monitor_new_from_netlink(b->udev, "udev");
	if (!b->monitor)
		return true; /* no udevd: no hotplug */
	udev_monitor_filter_add_match_subsystem_devtype(b->monitor, "drm", NULL);
	if (udev_monitor_enable_receiving(b->monitor) < 0)
		return true;
	b->udev_source = wl_event_loop_add_fd(loop, udev_monitor_get_fd(b->monitor),
		WL_EVENT_READABLE, udev_event, b);
	return b->udev_source != NULL;
}

/*
 * libinput's device set-up (udev, quirks, per-device configuration) takes
 * seconds in a TCG guest; done before the socket listens it delays the
 * first client frame by as much. So input starts once a client window is
 * on screen, or INPUT_LATEST_MS after start if none shows up; --notify-fd
 * then reports "input-ready".
 */
#define INPUT_LATEST_MS 5000

static void start_input(struct drm_backend *b)
{
	b->input_pending = false;
	gwl_log(GWL_DEBUG, "input: starting libinput");
	if (b->input_timer)
		wl_event_source_remove(b->input_timer);
	b->input_timer = NULL;
	/* before the first key: see gwl_seat_keymap_ready */
	gwl_seat_keymap_ready(b->base.server->seat);
	b->input = gwl_input_create_udev(b->base.server, b->udev, b->session,
		gwl_session_seat(b->session));
	if (!b->input)
		gwl_log(GWL_ERROR, "drm: no input devices (libinput failed); continuing");
	else if (!gwl_session_active(b->session))
		gwl_input_suspend(b->input);
	gwl_notify_input(b->input != NULL);
}

static int input_timer(void *data)
{
	start_input(data);
	return 0;
}

static void input_idle(void *data)
{
	struct drm_backend *b = data;
	b->input_idle = NULL;
	if (b->input_pending)
		start_input(b);
}

void drm_backend_presented(struct drm_backend *b, struct gwl_output *output)
{
	/* From an idle source: the frame callbacks reach the client first. */
	if (b->input_pending && !b->input_idle && drm_notify_window_shown(output))
		b->input_idle = wl_event_loop_add_idle(b->base.server->loop, input_idle, b);
}

static bool drm_start(struct gwl_backend *base)
{
	struct drm_backend *b = wl_container_of(base, b, base);
	struct wl_event_loop *loop = base->server->loop;
	b->udev = udev_new();
	if (!b->udev) {
		gwl_log(GWL_ERROR, "drm: udev_new failed");
		return false;
	}
	b->session = gwl_session_create(loop, b->opts.seat, !b->opts.no_session,
		session_changed, b);
	if (!b->session)
		return false;
	b->session_is_seat = strcmp(gwl_session_kind(b->session), "libseat") == 0;
	if (!open_device(b) || !drm_kms_init(b))
		return false;
	gwl_log(GWL_DEBUG, "drm: outputs set up");
	b->drm_source = wl_event_loop_add_fd(loop, b->fd, WL_EVENT_READABLE, drm_dispatch, b);
	if (!b->drm_source || !watch_udev(b))
		return false;
	if (!b->opts.no_input) {
		b->input_pending = true;
		b->input_timer = wl_event_loop_add_timer(loop, input_timer, b);
		if (!b->input_timer || wl_event_source_timer_update(b->input_timer,
			INPUT_LATEST_MS) < 0)
			start_input(b);
	}
	return true;
}

static void drm_destroy(struct gwl_backend *base)
{
	struct drm_backend *b = wl_container_of(base, b, base);
	if (b->input)
		gwl_input_destroy(b->input);
	if (b->input_timer)
		wl_event_source_remove(b->input_timer);
	if (b->input_idle)
		wl_event_source_remove(b->input_idle);
	struct drm_output *out, *tmp;
	wl_list_for_each_safe(out, tmp, &b->outputs, link) {
		drm_output_disable(out);
		gwl_output_destroy(out->output);
	}
	if (b->drm_source)
		wl_event_source_remove(b->drm_source);
	if (b->udev_source)
		wl_event_source_remove(b->udev_source);
	if (b->monitor)
		udev_monitor_unref(b->monitor);
	if (b->fd >= 0) {
		if (!b->session_is_seat)
			drmDropMaster(b->fd);
		gwl_session_close(b->session, b->fd, b->device_id);
	}
	gwl_session_destroy(b->session);
	if (b->udev)
		udev_unref(b->udev);
	free(b);
}

static const struct gwl_backend_impl drm_backend_impl = {
	.name = "DRM",
	.start = drm_start,
	.destroy = drm_destroy,
};

struct gwl_backend *gwl_drm_backend_create(struct gwl_server *server,
	const struct gwl_drm_options *options)
{
	struct drm_backend *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->base.impl = &drm_backend_impl;
	b->base.server = server;
	b->opts = *options;
	b->fd = -1;
	b->device_id = -1;
	const char *stats = getenv("GUESTWL_DRM_STATS");
	b->stats = stats && strcmp(stats, "1") == 0;
	wl_list_init(&b->outputs);
	return &b->base;
}

bool gwl_drm_parse_mode(const char *text, int32_t *width, int32_t *height,
	int32_t *refresh_mhz)
{
	char *end;
	errno = 0;
	long w = strtol(text, &end, 10);
	if (end == text || *end != 'x' || errno)
		return false;
	const char *hs = end + 1;
	long h = strtol(hs, &end, 10);
	if (end == hs || errno || w < 1 || h < 1 || w > 16384 || h > 16384)
		return false;
	double hz = 0;
	if (*end == '@') {
		const char *rs = end + 1;
		hz = strtod(rs, &end);
		if (end == rs || hz < 1 || hz > 1000)
			return false;
	}
	if (*end)
		return false;
	*width = (int32_t)w;
	*height = (int32_t)h;
	*refresh_mhz = (int32_t)(hz * 1000 + 0.5);
	return true;
}
