// SPDX-License-Identifier: MIT
/*
 * kmstest: DRM_IOCTL_GUESTKMS_GEM_USERPTR, framebuffers over pinned user
 * memory (guestkms only; other drivers skip).
 */
#include "kmstest.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guestkms_drm.h"

static int kt_userptr(struct kt *kt, void *addr, uint64_t size, uint32_t flags,
		      uint32_t *handle)
{
	struct drm_guestkms_gem_userptr u = {
		.addr = (uint64_t)(uintptr_t)addr, .size = size, .flags = flags,
	};

	if (drmIoctl(kt->fd, DRM_IOCTL_GUESTKMS_GEM_USERPTR, &u))
		return -errno;
	*handle = u.handle;
	return 0;
}

static void kt_gem_close(struct kt *kt, uint32_t handle)
{
	struct drm_gem_close gc = { .handle = handle };

	drmIoctl(kt->fd, DRM_IOCTL_GEM_CLOSE, &gc);
}

static uint64_t kt_page_round(uint64_t n)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	return (n + page - 1) / page * page;
}

/* An XRGB8888 framebuffer over a fresh memfd mapping (like a wl_shm pool). */
int kt_userptr_fb(struct kt *kt, struct kt_fb *fb, uint32_t w, uint32_t h)
{
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	int memfd, ret;

	memset(fb, 0, sizeof(*fb));
	fb->w = w;
	fb->h = h;
	fb->cpp = 4;
	fb->pitch = w * 4;
	fb->format = DRM_FORMAT_XRGB8888;
	fb->size = kt_page_round((uint64_t)fb->pitch * h);
	memfd = memfd_create("kmstest-userptr", MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, (off_t)fb->size))
		return kt_fail(kt, "memfd: %s", strerror(errno));
	fb->map = mmap(NULL, fb->size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	close(memfd);
	if (fb->map == MAP_FAILED) {
		fb->map = NULL;
		return kt_fail(kt, "mmap memfd: %s", strerror(errno));
	}
	ret = kt_userptr(kt, fb->map, fb->size, 0, &fb->handle);
	if (ret) {
		kt_fb_destroy(kt, fb);
		return kt_fail(kt, "USERPTR of %llu bytes: %s",
			       (unsigned long long)fb->size, strerror(-ret));
	}
	handles[0] = fb->handle;
	pitches[0] = fb->pitch;
	if (drmModeAddFB2(kt->fd, w, h, fb->format, handles, pitches, offsets,
			  &fb->fb_id, 0)) {
		ret = errno;
		kt_fb_destroy(kt, fb);
		return kt_fail(kt, "ADDFB2 on a userptr object: %s", strerror(ret));
	}
	return KT_PASS;
}

static int kt_need_guestkms(struct kt *kt)
{
	if (!kt->guestkms)
		return kt_skip(kt, "guestkms-only ioctl (driver %s)", kt->driver);
	return KT_PASS;
}

static int t_userptr_scanout_fb(struct kt *kt, struct kt_fb *fb, struct kt_img *want)
{
	uint32_t clip[4] = { 100, 60, 260, 180 };

	kt_fb_pattern(fb, 0x1234);
	KT_TRY(kt_modeset(kt, &kt->pref, fb));
	KT_CHECK(kt, !kt_img_from_fb(want, fb), "out of memory");
	KT_TRY(kt_shot_expect(kt, "userptr-modeset", want, 8));

	/* The client draws into its memory; a flip with the clip shows it. */
	kt_fb_fill(fb, clip[0], clip[1], clip[2] - clip[0], clip[3] - clip[1],
		   0xff00ff00);
	kt_img_fill(want, clip[0], clip[1], clip[2] - clip[0], clip[3] - clip[1],
		    0x00ff00);
	KT_TRY(kt_flip(kt, fb, clip, 1, NULL));
	KT_TRY(kt_shot_expect(kt, "userptr-damage", want, 8));

	/* Unmapped by its owner: the pinned pages still back the fb. */
	munmap(fb->map, fb->size);
	fb->map = NULL;
	KT_TRY(kt_flip(kt, fb, NULL, 0, NULL));
	return kt_shot_expect(kt, "userptr-unmapped", want, 8);
}

static int t_userptr_scanout(struct kt *kt)
{
	struct kt_fb fb;
	struct kt_img want = { 0 };
	int ret;

	KT_TRY(kt_need_guestkms(kt));
	KT_TRY(kt_userptr_fb(kt, &fb, kt->pref.hdisplay, kt->pref.vdisplay));
	ret = t_userptr_scanout_fb(kt, &fb, &want);
	kt_img_free(&want);
	kt_fb_destroy(kt, &fb);
	if (ret != KT_PASS)
		return ret;
	return kt_display_ok(kt, "after-userptr");
}

static int kt_userptr_err(struct kt *kt, void *addr, uint64_t size, uint32_t flags,
			  int want, const char *what)
{
	uint32_t handle = 0;
	int ret = kt_userptr(kt, addr, size, flags, &handle);

	if (ret == 0)
		kt_gem_close(kt, handle);
	KT_CHECK(kt, ret == -want, "USERPTR %s: got %s, want %s", what,
		 ret ? strerror(-ret) : "success", strerror(want));
	return KT_PASS;
}

static int t_userptr_bad_ranges(struct kt *kt, uint8_t *mem, long page)
{
	KT_TRY(kt_userptr_err(kt, mem, (uint64_t)page, 1, EINVAL, "flags 1"));
	KT_TRY(kt_userptr_err(kt, mem, (uint64_t)page, 0x80000000u, EINVAL, "flags 1<<31"));
	KT_TRY(kt_userptr_err(kt, mem, 0, 0, EINVAL, "size 0"));
	KT_TRY(kt_userptr_err(kt, mem + 16, (uint64_t)page, 0, EINVAL, "address +16"));
	KT_TRY(kt_userptr_err(kt, mem, (uint64_t)page + 4, 0, EINVAL, "size page+4"));
	KT_TRY(kt_userptr_err(kt, mem, 512ull << 20, 0, EINVAL, "size 512 MiB"));
	KT_TRY(kt_userptr_err(kt, mem, ~0ull - (uint64_t)page + 1, 0, EINVAL, "size 2^64-page"));
	KT_TRY(kt_userptr_err(kt, (void *)(uintptr_t)0xffff888000000000ull,
			      (uint64_t)page, 0, EFAULT, "kernel address"));
	/* The second page of mem is past the end of its one-page file. */
	KT_TRY(kt_userptr_err(kt, mem, 2 * (uint64_t)page, 0, EFAULT, "past the file's end"));
	/* The third page was unmapped. */
	KT_TRY(kt_userptr_err(kt, mem + 2 * page, (uint64_t)page, 0, EFAULT, "unmapped"));
	return KT_PASS;
}

static int t_userptr_bad_object(struct kt *kt, uint8_t *mem, long page)
{
	uint32_t handle = 0, fb_id = 0;
	uint32_t handles[4] = { 0 }, pitches[4] = { 256 }, offsets[4] = { 0 };
	struct drm_mode_map_dumb md = { 0 };
	int prime = -1, ret = KT_PASS;
	void *map = MAP_FAILED;

	KT_CHECK(kt, !kt_userptr(kt, mem, (uint64_t)page, 0, &handle),
		 "USERPTR of one page failed: %s", strerror(errno));
	md.handle = handle;
	if (!drmIoctl(kt->fd, DRM_IOCTL_MODE_MAP_DUMB, &md))
		map = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED, kt->fd, (off_t)md.offset);
	if (map != MAP_FAILED)
		ret = kt_fail(kt, "a userptr object could be mmapped through DRM");
	if (ret == KT_PASS && !drmPrimeHandleToFD(kt->fd, handle, DRM_CLOEXEC, &prime))
		ret = kt_fail(kt, "a userptr object could be exported with PRIME");
	/* 64x64 at 256 bytes a line needs 16 KiB: more than the object. */
	handles[0] = handle;
	if (ret == KT_PASS && page < 16384 &&
	    !drmModeAddFB2(kt->fd, 64, 64, DRM_FORMAT_XRGB8888, handles, pitches, offsets,
			   &fb_id, 0))
		ret = kt_fail(kt, "ADDFB2 larger than the userptr object succeeded");
	if (map != MAP_FAILED)
		munmap(map, (size_t)page);
	if (prime >= 0)
		close(prime);
	if (fb_id)
		drmModeRmFB(kt->fd, fb_id);
	kt_gem_close(kt, handle);
	return ret;
}

static int t_userptr_bad(struct kt *kt)
{
	long page = sysconf(_SC_PAGESIZE);
	int memfd, ret;
	uint8_t *mem;

	KT_TRY(kt_need_guestkms(kt));
	memfd = memfd_create("kmstest-bad", MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, page))
		return kt_fail(kt, "memfd: %s", strerror(errno));
	mem = mmap(NULL, 3 * (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	close(memfd);
	if (mem == MAP_FAILED)
		return kt_fail(kt, "mmap: %s", strerror(errno));
	munmap(mem + 2 * page, (size_t)page);
	ret = t_userptr_bad_ranges(kt, mem, page);
	if (ret == KT_PASS)
		ret = t_userptr_bad_object(kt, mem, page);
	munmap(mem, 2 * (size_t)page);
	if (ret != KT_PASS)
		return ret;
	return kt_display_ok(kt, "after-userptr-bad");
}

/* In a child without CAP_IPC_LOCK and a 64 KiB RLIMIT_MEMLOCK. */
static int kt_memlock_child(struct kt *kt)
{
	struct rlimit lim = { 64 << 10, 64 << 10 };
	size_t big = 1 << 20, small = 16 << 10;
	uint32_t h1 = 0, h2 = 0;
	uint8_t *mem;

	mem = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || setrlimit(RLIMIT_MEMLOCK, &lim) || setuid(65534))
		return 3;
	if (kt_userptr(kt, mem, big, 0, &h1) != -ENOMEM)
		return 4;
	if (kt_userptr(kt, mem, small, 0, &h1) != 0)
		return 5;
	/* 16 KiB pinned: another 56 KiB is past the limit, 48 KiB fits. */
	if (kt_userptr(kt, mem + small, 56 << 10, 0, &h2) != -ENOMEM)
		return 6;
	if (kt_userptr(kt, mem + small, 48 << 10, 0, &h2) != 0)
		return 7;
	kt_gem_close(kt, h2);
	/* h1 outlives this process: the parent closes it. */
	printf("handle %u\n", h1);
	return 0;
}

static int t_userptr_memlock(struct kt *kt)
{
	int pipefd[2], status;
	unsigned int handle = 0;
	char buf[64] = { 0 };
	pid_t pid;

	KT_TRY(kt_need_guestkms(kt));
	if (pipe(pipefd))
		return kt_fail(kt, "pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		dup2(pipefd[1], 1);
		_exit(kt_memlock_child(kt));
	}
	close(pipefd[1]);
	if (pid > 0 && read(pipefd[0], buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(pipefd[0]);
	KT_CHECK(kt, pid > 0 && waitpid(pid, &status, 0) == pid, "fork failed");
	KT_CHECK(kt, WIFEXITED(status) && WEXITSTATUS(status) == 0,
		 "RLIMIT_MEMLOCK check failed in the child (step %d; 4/6: over the limit "
		 "was not ENOMEM, 5/7: within it failed)", WEXITSTATUS(status));
	KT_CHECK(kt, sscanf(buf, "handle %u", &handle) == 1, "child printed '%s'", buf);
	/* Freeing the object after its process is gone must not oops. */
	kt_gem_close(kt, handle);
	return kt_dmesg_check(kt);
}

const struct kt_test kt_tests_userptr[] = {
	{ "userptr-scanout", t_userptr_scanout,
	  "fb over memfd memory: modeset, damage flip, still shown after munmap" },
	{ "userptr-bad", t_userptr_bad,
	  "flags, alignment, size, unmapped and past-EOF ranges; no mmap, no PRIME" },
	{ "userptr-memlock", t_userptr_memlock,
	  "RLIMIT_MEMLOCK without CAP_IPC_LOCK: ENOMEM past it; freed after exit" },
	{ NULL, NULL, NULL },
};
