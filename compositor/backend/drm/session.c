// SPDX-License-Identifier: MIT
/* Session through libseat, or root with direct VT handling. */
#include <errno.h>
#include <fcntl.h>
#include <libseat.h>
#include <linux/kd.h>
#include <linux/vt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guestwl/log.h"
#include "session.h"

struct gwl_session {
	struct wl_event_loop *loop;
	struct libseat *seat; /* NULL: root session */
	struct wl_event_source *seat_source;
	bool active;
	char seat_name[64];
	gwl_session_active_fn changed;
	void *data;
};

/* Console state saved by the root session, restored at exit or crash. */
static int vt_fd = -1;
static int saved_kd_mode = KD_TEXT;
static int saved_kb_mode = K_UNICODE;
static bool crash_handlers_installed;

void gwl_session_restore_console(void)
{
	if (vt_fd < 0)
		return;
	ioctl(vt_fd, KDSKBMODE, saved_kb_mode);
	ioctl(vt_fd, KDSETMODE, saved_kd_mode);
}

static void crash_handler(int sig)
{
	gwl_session_restore_console();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_crash_handlers(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE };
	if (crash_handlers_installed)
		return;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction sa = { .sa_handler = crash_handler, .sa_flags = SA_RESETHAND };
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
	crash_handlers_installed = true;
}

/* Open the active VT and switch it to graphics mode (root session). */
static void vt_setup(void)
{
	int tty0 = open("/dev/tty0", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (tty0 < 0) {
		gwl_log(GWL_INFO, "session: no /dev/tty0 (%s): not touching the console",
			strerror(errno));
		return;
	}
	struct vt_stat st;
	if (ioctl(tty0, VT_GETSTATE, &st) < 0) {
		gwl_log(GWL_INFO, "session: VT_GETSTATE failed: %s", strerror(errno));
		close(tty0);
		return;
	}
	close(tty0);
	char path[32];
	snprintf(path, sizeof(path), "/dev/tty%u", (unsigned)st.v_active);
	vt_fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (vt_fd < 0) {
		gwl_log(GWL_INFO, "session: cannot open %s: %s", path, strerror(errno));
		return;
	}
	if (ioctl(vt_fd, KDGETMODE, &saved_kd_mode) < 0)
		saved_kd_mode = KD_TEXT;
	if (ioctl(vt_fd, KDGKBMODE, &saved_kb_mode) < 0)
		saved_kb_mode = K_UNICODE;
	install_crash_handlers();
	if (ioctl(vt_fd, KDSETMODE, KD_GRAPHICS) < 0)
		gwl_log(GWL_ERROR, "session: %s: KD_GRAPHICS failed: %s", path, strerror(errno));
	/* Keys go to us through libinput, not to the console as well. */
	ioctl(vt_fd, KDSKBMODE, K_OFF);
	gwl_log(GWL_INFO, "session: %s in graphics mode", path);
}

static void vt_restore(void)
{
	if (vt_fd < 0)
		return;
	gwl_session_restore_console();
	close(vt_fd);
	vt_fd = -1;
	gwl_log(GWL_INFO, "session: console restored");
}

static void seat_enable(struct libseat *seat, void *data)
{
	struct gwl_session *session = data;
	session->active = true;
	if (session->changed)
		session->changed(session->data, true);
}

static void seat_disable(struct libseat *seat, void *data)
{
	struct gwl_session *session = data;
	session->active = false;
	if (session->changed)
		session->changed(session->data, false);
	libseat_disable_seat(seat);
}

static const struct libseat_seat_listener seat_listener = {
	.enable_seat = seat_enable,
	.disable_seat = seat_disable,
};

static int seat_dispatch(int fd, uint32_t mask, void *data)
{
	struct gwl_session *session = data;
	if (libseat_dispatch(session->seat, 0) < 0) {
		gwl_log(GWL_ERROR, "session: libseat dispatch failed: %s", strerror(errno));
		wl_event_source_remove(session->seat_source);
		session->seat_source = NULL;
	}
	return 0;
}

static void quiet_log(enum libseat_log_level level, const char *fmt, va_list args)
{
	if (level > LIBSEAT_LOG_LEVEL_ERROR && !getenv("GUESTWL_DEBUG"))
		return;
	char line[256];
	vsnprintf(line, sizeof(line), fmt, args);
	gwl_log(GWL_DEBUG, "libseat: %s", line);
}

static bool open_libseat(struct gwl_session *session)
{
	libseat_set_log_handler(quiet_log);
	libseat_set_log_level(LIBSEAT_LOG_LEVEL_ERROR);
	session->seat = libseat_open_seat(&seat_listener, session);
	if (!session->seat)
		return false;
	/* Wait (bounded) for the seat to be enabled. */
	for (int i = 0; i < 50 && !session->active; i++) {
		if (libseat_dispatch(session->seat, 100) < 0)
			break;
	}
	if (!session->active) {
		gwl_log(GWL_INFO, "session: libseat seat never became active");
		libseat_close_seat(session->seat);
		session->seat = NULL;
		return false;
	}
	session->seat_source = wl_event_loop_add_fd(session->loop,
		libseat_get_fd(session->seat), WL_EVENT_READABLE, seat_dispatch, session);
	snprintf(session->seat_name, sizeof(session->seat_name), "%s",
		libseat_seat_name(session->seat));
	return true;
}

struct gwl_session *gwl_session_create(struct wl_event_loop *loop, const char *seat,
	bool try_libseat, gwl_session_active_fn changed, void *data)
{
	struct gwl_session *session = calloc(1, sizeof(*session));
	if (!session)
		return NULL;
	session->loop = loop;
	snprintf(session->seat_name, sizeof(session->seat_name), "%s", seat ? seat : "seat0");
	if (try_libseat && open_libseat(session)) {
		gwl_log(GWL_INFO, "session: libseat, seat %s", session->seat_name);
	} else {
		if (geteuid() != 0) {
			gwl_log(GWL_ERROR, "session: no seat daemon (seatd/logind) and not root");
			free(session);
			return NULL;
		}
		gwl_log(GWL_INFO, "session: no seat daemon: running as root");
		vt_setup();
		session->active = true;
	}
	session->changed = changed;
	session->data = data;
	return session;
}

void gwl_session_destroy(struct gwl_session *session)
{
	if (!session)
		return;
	if (session->seat_source)
		wl_event_source_remove(session->seat_source);
	if (session->seat)
		libseat_close_seat(session->seat);
	else
		vt_restore();
	free(session);
}

int gwl_session_open(struct gwl_session *session, const char *path, int *device_id)
{
	*device_id = -1;
	if (!session->seat)
		return open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	int fd = -1;
	int id = libseat_open_device(session->seat, path, &fd);
	if (id < 0)
		return -1;
	*device_id = id;
	/* libseat hands out blocking fds. */
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	return fd;
}

void gwl_session_close(struct gwl_session *session, int fd, int device_id)
{
	if (session->seat && device_id >= 0)
		libseat_close_device(session->seat, device_id);
	if (fd >= 0)
		close(fd);
}

bool gwl_session_active(const struct gwl_session *session)
{
	return session->active;
}

const char *gwl_session_seat(const struct gwl_session *session)
{
	return session->seat_name;
}

bool gwl_session_switch_vt(struct gwl_session *session, int vt)
{
	if (!session->seat)
		return false;
	return libseat_switch_session(session->seat, vt) == 0;
}

const char *gwl_session_kind(const struct gwl_session *session)
{
	return session->seat ? "libseat" : "root";
}
