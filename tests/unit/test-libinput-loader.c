// SPDX-License-Identifier: MIT
/* libinput is not linked but loaded on demand, and every function is there. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "../../compositor/backend/input/libinput-loader.h"
#include "unit.h"

static int open_restricted(const char *path, int flags, void *data)
{
	(void)data;
	int fd = open(path, flags);
	return fd < 0 ? -errno : fd;
}

static void close_restricted(int fd, void *data)
{
	(void)data;
	close(fd);
}

static const struct libinput_interface iface = { open_restricted, close_restricted };

int main(void)
{
	CHECK(!dlopen(GWL_LIBINPUT_SONAME, RTLD_NOW | RTLD_NOLOAD),
		"%s is loaded before gwl_libinput_load(): linked again?", GWL_LIBINPUT_SONAME);
	const struct gwl_libinput_api *api = gwl_libinput_load();
	CHECK(api != NULL, "gwl_libinput_load() failed");
	if (!api)
		return unit_result("libinput-loader");
	CHECK(dlopen(GWL_LIBINPUT_SONAME, RTLD_NOW | RTLD_NOLOAD) != NULL, "not loaded after");
#define CHECK_FUNCTION(name) CHECK(api->name != NULL, "%s missing", #name);
	GWL_LIBINPUT_FUNCTIONS(CHECK_FUNCTION)
#undef CHECK_FUNCTION
	CHECK(gwl_libinput_load() == api, "a second load gave another table");
	/* The pointers are libinput's: a path context without devices works. */
	struct libinput *li = api->libinput_path_create_context(&iface, NULL);
	CHECK(li != NULL, "libinput_path_create_context failed");
	if (li) {
		CHECK(api->libinput_get_fd(li) >= 0, "no fd");
		CHECK(api->libinput_dispatch(li) == 0, "dispatch failed");
		CHECK(api->libinput_get_event(li) == NULL, "an event without devices");
		api->libinput_unref(li);
	}
	return unit_result("libinput-loader");
}
