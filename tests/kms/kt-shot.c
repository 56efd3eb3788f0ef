// SPDX-License-Identifier: MIT
/* kmstest: QEMU screendumps (via guest-ctl), PNG decoding, comparisons. */
#include "kmstest.h"

#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int kt_png_load(const char *path, struct kt_img *img, char *err, size_t errlen)
{
	png_image pi;

	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&pi, path)) {
		snprintf(err, errlen, "%s: %s", path, pi.message);
		return -1;
	}
	pi.format = PNG_FORMAT_BGRA;
	if (pi.width == 0 || pi.height == 0 || pi.width > 16384 || pi.height > 16384 ||
	    kt_img_alloc(img, pi.width, pi.height)) {
		snprintf(err, errlen, "%s: unusable size %ux%u", path, pi.width, pi.height);
		png_image_free(&pi);
		return -1;
	}
	if (!png_image_finish_read(&pi, NULL, img->px, (png_int_32)(pi.width * 4), NULL)) {
		snprintf(err, errlen, "%s: %s", path, pi.message);
		kt_img_free(img);
		return -1;
	}
	for (size_t i = 0; i < (size_t)img->w * img->h; i++)
		img->px[i] &= 0xffffff;
	return 0;
}

static int kt_run_guest_ctl(const char *name)
{
	char *argv[] = { (char *)"guest-ctl", (char *)"screendump", (char *)name, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, ret;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	ret = posix_spawnp(&pid, "guest-ctl", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return -ret;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -EIO;
}

int kt_screendump(struct kt *kt, const char *tag, struct kt_img *img)
{
	char name[128], path[512], err[600];
	int ret;

	snprintf(name, sizeof(name), "%s-%s-%d-%s", kt->driver, kt->cur_test,
		 ++kt->shot_seq, tag);
	snprintf(path, sizeof(path), "%s/%s.png", kt->outdir, name);
	unlink(path);
	ret = kt_run_guest_ctl(name);
	if (ret)
		return kt_fail(kt, "guest-ctl screendump %s: %s", name,
			       ret == -EIO ? "failed" : strerror(-ret));
	if (kt_png_load(path, img, err, sizeof(err)))
		return kt_fail(kt, "screendump: %s", err);
	return KT_PASS;
}

static int kt_ch_diff(uint32_t a, uint32_t b)
{
	int m = 0;

	for (int sh = 0; sh <= 16; sh += 8) {
		int d = (int)((a >> sh) & 0xff) - (int)((b >> sh) & 0xff);

		if (d < 0)
			d = -d;
		if (d > m)
			m = d;
	}
	return m;
}

int kt_img_expect(struct kt *kt, const struct kt_img *got,
		  const struct kt_img *want, unsigned int x, unsigned int y,
		  unsigned int w, unsigned int h, int tol, const char *what)
{
	unsigned long bad = 0;
	unsigned int fx = 0, fy = 0;
	uint32_t fg = 0, fw = 0;

	if (got->w != want->w || got->h != want->h)
		return kt_fail(kt, "%s: screen is %ux%u, expected %ux%u", what,
			       got->w, got->h, want->w, want->h);
	for (unsigned int j = y; j < y + h && j < got->h; j++) {
		for (unsigned int i = x; i < x + w && i < got->w; i++) {
			size_t o = (size_t)j * got->w + i;

			if (kt_ch_diff(got->px[o], want->px[o]) <= tol)
				continue;
			if (!bad++) {
				fx = i;
				fy = j;
				fg = got->px[o];
				fw = want->px[o];
			}
		}
	}
	if (bad)
		return kt_fail(kt, "%s: %lu pixels differ in %ux%u+%u+%u, first at "
			       "(%u,%u): got %06x want %06x", what, bad, w, h, x, y,
			       fx, fy, fg, fw);
	return KT_PASS;
}

int kt_shot_expect(struct kt *kt, const char *tag, const struct kt_img *want,
		   int tol)
{
	struct kt_img got = { 0 };
	int ret;

	if (kt->no_shots)
		return KT_PASS;
	ret = kt_screendump(kt, tag, &got);
	if (ret == KT_PASS)
		ret = kt_img_expect(kt, &got, want, 0, 0, want->w, want->h, tol, tag);
	kt_img_free(&got);
	return ret;
}

/*
 * kmstest --find-window SHOT.png WxH [BEFORE.png]: finds the pixels that
 * differ from BEFORE (or are not black) and checks that they form a window
 * of about WxH (used by the weston/cage peer tests).
 */
int kt_find_window(int argc, char **argv)
{
	struct kt_img shot = { 0 }, before = { 0 };
	unsigned int ew, eh, x0 = ~0u, y0 = ~0u, x1 = 0, y1 = 0;
	unsigned long n = 0;
	char err[600];
	int ok;

	if (argc < 2 || sscanf(argv[1], "%ux%u", &ew, &eh) != 2) {
		fprintf(stderr, "usage: kmstest --find-window SHOT.png WxH [BEFORE.png]\n");
		return 2;
	}
	if (kt_png_load(argv[0], &shot, err, sizeof(err)) ||
	    (argc > 2 && kt_png_load(argv[2], &before, err, sizeof(err)))) {
		fprintf(stderr, "kmstest: %s\n", err);
		kt_img_free(&shot);
		return 1;
	}
	if (before.px && (before.w != shot.w || before.h != shot.h)) {
		fprintf(stderr, "kmstest: the two screendumps differ in size\n");
		kt_img_free(&shot);
		kt_img_free(&before);
		return 1;
	}
	for (unsigned int y = 0; y < shot.h; y++) {
		for (unsigned int x = 0; x < shot.w; x++) {
			size_t o = (size_t)y * shot.w + x;
			uint32_t ref = before.px ? before.px[o] : 0;

			if (kt_ch_diff(shot.px[o], ref) <= 4)
				continue;
			n++;
			x0 = x < x0 ? x : x0;
			y0 = y < y0 ? y : y0;
			x1 = x > x1 ? x : x1;
			y1 = y > y1 ? y : y1;
		}
	}
	ok = n && x1 - x0 + 1 >= ew - 8 && x1 - x0 + 1 <= ew + 8 &&
	     y1 - y0 + 1 >= eh - 8 && y1 - y0 + 1 <= eh + 8 &&
	     n >= (unsigned long)ew * eh * 7 / 10;
	if (n)
		printf("window: %lu changed pixels, bounding box %ux%u+%u+%u (expected ~%ux%u): %s\n",
		       n, x1 - x0 + 1, y1 - y0 + 1, x0, y0, ew, eh, ok ? "ok" : "MISMATCH");
	else
		printf("window: nothing changed on screen: MISMATCH\n");
	kt_img_free(&shot);
	kt_img_free(&before);
	return ok ? 0 : 1;
}
