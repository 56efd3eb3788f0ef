/* SPDX-License-Identifier: MIT */
/*
 * Session: access to DRM and input devices. Through libseat (seatd or
 * logind) when a seat daemon answers, else as root with plain open() and
 * DRM master taken directly; then this module also puts the active VT in
 * graphics mode and restores it on exit, SIGTERM and crashes.
 */
#ifndef GUESTWL_DRM_SESSION_H
#define GUESTWL_DRM_SESSION_H

#include <stdbool.h>
#include <wayland-server-core.h>

struct gwl_session;

typedef void (*gwl_session_active_fn)(void *data, bool active);

struct gwl_session *gwl_session_create(struct wl_event_loop *loop, const char *seat,
	bool try_libseat, gwl_session_active_fn changed, void *data);
void gwl_session_destroy(struct gwl_session *session);
/* Open a device node; returns the fd or -1 (errno set). */
int gwl_session_open(struct gwl_session *session, const char *path, int *device_id);
void gwl_session_close(struct gwl_session *session, int fd, int device_id);
bool gwl_session_active(const struct gwl_session *session);
const char *gwl_session_seat(const struct gwl_session *session);
/* Ctrl+Alt+Fn: switch to VT n (libseat only); false when not possible. */
bool gwl_session_switch_vt(struct gwl_session *session, int vt);
/* "libseat" or "root". */
const char *gwl_session_kind(const struct gwl_session *session);
/* Restore the console now (async-signal-safe; used by crash handlers). */
void gwl_session_restore_console(void);

#endif
