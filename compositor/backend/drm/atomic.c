// SPDX-License-Identifier: MIT
/* Atomic request builder with sticky failure, no allocation per commit. */
#include <errno.h>
#include <sys/ioctl.h>

#include "drm-private.h"

void drm_atomic_init(struct drm_atomic *a)
{
	a->n_objs = a->n_props = 0;
	a->failed = false;
}

void drm_atomic_add(struct drm_atomic *a, uint32_t object, uint32_t prop, uint64_t value)
{
	if (a->failed)
		return;
	if (!object || !prop || a->n_props == DRM_ATOMIC_MAX_PROPS) {
		a->failed = true;
		return;
	}
	if (a->n_objs == 0 || a->objs[a->n_objs - 1] != object) {
		if (a->n_objs == DRM_ATOMIC_MAX_OBJS) {
			a->failed = true;
			return;
		}
		a->objs[a->n_objs] = object;
		a->count_props[a->n_objs++] = 0;
	}
	a->count_props[a->n_objs - 1]++;
	a->props[a->n_props] = prop;
	a->values[a->n_props++] = value;
}

int drm_atomic_commit(struct drm_atomic *a, int fd, uint32_t flags, void *user_data)
{
	if (a->failed)
		return -EINVAL;
	if (a->n_objs == 0)
		return 0; /* nothing to change (as libdrm's drmModeAtomicCommit) */
	struct drm_mode_atomic req = {
		.flags = flags,
		.count_objs = a->n_objs,
		.objs_ptr = (uint64_t)(uintptr_t)a->objs,
		.count_props_ptr = (uint64_t)(uintptr_t)a->count_props,
		.props_ptr = (uint64_t)(uintptr_t)a->props,
		.prop_values_ptr = (uint64_t)(uintptr_t)a->values,
		.user_data = (uint64_t)(uintptr_t)user_data,
	};
	int ret;
	do {
		ret = ioctl(fd, DRM_IOCTL_MODE_ATOMIC, &req);
	} while (ret < 0 && (errno == EINTR || errno == EAGAIN));
	return ret < 0 ? -errno : 0;
}

void drm_atomic_finish(struct drm_atomic *a)
{
	a->n_objs = a->n_props = 0;
}
