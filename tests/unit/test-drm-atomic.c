// SPDX-License-Identifier: MIT
/* The atomic request builder: grouping by object, sticky failure, limits. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "drm-private.h"
#include "unit.h"

/* Objects in the order added, each with its run of properties. */
static void grouping(void)
{
	struct drm_atomic a;
	drm_atomic_init(&a);
	drm_atomic_add(&a, 31, 1, 10);
	drm_atomic_add(&a, 31, 2, 20);
	drm_atomic_add(&a, 40, 3, 30);
	drm_atomic_add(&a, 31, 4, (uint64_t)-5); /* CRTC_X may be negative */
	CHECK(!a.failed, "a valid request failed");
	CHECK(a.n_objs == 3 && a.n_props == 4, "%u objects, %u properties", a.n_objs,
		a.n_props);
	CHECK(a.objs[0] == 31 && a.objs[1] == 40 && a.objs[2] == 31, "objects %u %u %u",
		a.objs[0], a.objs[1], a.objs[2]);
	CHECK(a.count_props[0] == 2 && a.count_props[1] == 1 && a.count_props[2] == 1,
		"counts %u %u %u", a.count_props[0], a.count_props[1], a.count_props[2]);
	CHECK(a.props[3] == 4 && a.values[3] == (uint64_t)-5, "last property %u=%llu",
		a.props[3], (unsigned long long)a.values[3]);
	drm_atomic_finish(&a);
	CHECK(a.n_objs == 0 && a.n_props == 0, "finish leaves %u objects", a.n_objs);
}

/* A missing object or property poisons the request: it never reaches the
 * kernel (the descriptor here would answer ENOTTY). */
static void sticky(int fd)
{
	struct drm_atomic a;
	drm_atomic_init(&a);
	drm_atomic_add(&a, 31, 0, 1);
	drm_atomic_add(&a, 31, 2, 1);
	CHECK(a.failed && a.n_props == 0, "a missing property did not poison");
	CHECK(drm_atomic_commit(&a, fd, 0, NULL) == -EINVAL, "a poisoned request went out");
	drm_atomic_init(&a);
	CHECK(!a.failed, "init does not clear the failure");
	drm_atomic_add(&a, 0, 2, 1);
	CHECK(a.failed, "a missing object did not poison");
}

static void limits(void)
{
	struct drm_atomic a;
	drm_atomic_init(&a);
	for (uint32_t i = 0; i < DRM_ATOMIC_MAX_PROPS; i++)
		drm_atomic_add(&a, 7, i + 1, i);
	CHECK(!a.failed && a.n_props == DRM_ATOMIC_MAX_PROPS, "%u properties fit",
		a.n_props);
	drm_atomic_add(&a, 7, 99, 0);
	CHECK(a.failed, "one property too many was taken");

	drm_atomic_init(&a);
	for (uint32_t i = 0; i < DRM_ATOMIC_MAX_OBJS; i++)
		drm_atomic_add(&a, i + 1, 1, 0);
	CHECK(!a.failed && a.n_objs == DRM_ATOMIC_MAX_OBJS, "%u objects fit", a.n_objs);
	drm_atomic_add(&a, 99, 1, 0);
	CHECK(a.failed, "one object too many was taken");
}

/* An empty request changes nothing and is no error (as libdrm's); a real one
 * reaches the ioctl and its errno comes back negated. */
static void commit(int fd)
{
	struct drm_atomic a;
	drm_atomic_init(&a);
	CHECK(drm_atomic_commit(&a, fd, 0, NULL) == 0, "an empty request failed");
	drm_atomic_add(&a, 31, 2, 1);
	int ret = drm_atomic_commit(&a, fd, DRM_MODE_ATOMIC_TEST_ONLY, NULL);
	CHECK(ret == -ENOTTY, "commit on /dev/null returned %d, not -ENOTTY", ret);
}

int main(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0, "cannot open /dev/null");
	grouping();
	sticky(fd);
	limits();
	commit(fd);
	close(fd);
	return unit_result("drm-atomic");
}
