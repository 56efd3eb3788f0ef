// SPDX-License-Identifier: MIT
#include <dlfcn.h>
#include <stdbool.h>
#include <string.h>

#include "guestwl/log.h"
#include "libinput-loader.h"

#ifndef GWL_LIBINPUT_SONAME
#error "GWL_LIBINPUT_SONAME must name libinput's shared library"
#endif

static bool lookup(void *lib, const char *name, void *fn, size_t size)
{
	void *sym = dlsym(lib, name);
	if (!sym) {
		gwl_log(GWL_ERROR, "input: %s has no %s", GWL_LIBINPUT_SONAME, name);
		return false;
	}
	memcpy(fn, &sym, size); /* POSIX: a function's address as a void * */
	return true;
}

const struct gwl_libinput_api *gwl_libinput_load(void)
{
	static struct gwl_libinput_api api;
	static bool loaded;
	if (loaded)
		return &api;
	void *lib = dlopen(GWL_LIBINPUT_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		gwl_log(GWL_ERROR, "input: cannot load libinput: %s", dlerror());
		return NULL;
	}
	bool ok = true;
#define GWL_LIBINPUT_LOOKUP(name) \
	ok = ok && lookup(lib, #name, &api.name, sizeof(api.name));
	GWL_LIBINPUT_FUNCTIONS(GWL_LIBINPUT_LOOKUP)
#undef GWL_LIBINPUT_LOOKUP
	if (!ok) {
		dlclose(lib);
		return NULL;
	}
	loaded = true; /* kept loaded: GLib, under libwacom, cannot be unloaded */
	return &api;
}
