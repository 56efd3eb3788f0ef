/* SPDX-License-Identifier: MIT */
/*
 * kmstest: KMS tests for guestkms (and, for comparison, other drivers).
 * Shared declarations for the test program's files.
 */
#ifndef KMSTEST_H
#define KMSTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>

#include <xf86drm.h>
#include <xf86drmMode.h>

/* Subtest results. */
enum { KT_PASS = 0, KT_FAIL = 1, KT_SKIP = 77 };

/* An RGB image (0x00RRGGBB per pixel), for expected and captured pictures. */
struct kt_img {
	unsigned int w, h;
	uint32_t *px;
};

/* A dumb buffer with a framebuffer on it, mapped. */
struct kt_fb {
	uint32_t handle, fb_id, format;
	uint32_t w, h, pitch, cpp;
	uint64_t size;
	uint8_t *map;
};

struct kt_propcache {
	uint32_t obj;
	char name[32];
	uint32_t id;
};

struct kt {
	int fd;
	const char *driver;
	bool guestkms;       /* driver-specific debugfs checks apply */
	char node[64];       /* /dev/dri/cardN */
	int minor;
	uint32_t conn_id, crtc_id, primary_id, overlay_id, cursor_id;
	unsigned int crtc_index;
	drmModeModeInfo pref; /* the connector's preferred mode */
	unsigned int expect_w, expect_h; /* expected preferred mode, 0 = any */
	const char *outdir;   /* where guest-ctl screendump writes */
	bool no_shots;        /* no screendump available: skip pixel checks */
	int shot_seq;
	const char *cur_test;
	char reason[512];
	struct kt_propcache props[64];
	unsigned int nprops;
	uint64_t cursor_max_w, cursor_max_h;
};

/* Failure reporting: records the first reason, returns KT_FAIL. */
int kt_fail(struct kt *kt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int kt_skip(struct kt *kt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define KT_CHECK(kt, cond, ...) \
	do { \
		if (!(cond)) \
			return kt_fail((kt), __VA_ARGS__); \
	} while (0)

/* Runs an expression returning KT_*; propagates anything but KT_PASS. */
#define KT_TRY(expr) \
	do { \
		int kt_try_rc_ = (expr); \
		if (kt_try_rc_ != KT_PASS) \
			return kt_try_rc_; \
	} while (0)

/* kt-device.c */
int kt_open(struct kt *kt, const char *driver);
void kt_close(struct kt *kt);
uint32_t kt_prop(struct kt *kt, uint32_t obj, uint32_t type, const char *name);
int kt_prop_value(struct kt *kt, uint32_t obj, uint32_t type,
		  const char *name, uint64_t *val);
double kt_mode_hz(const drmModeModeInfo *m);
double kt_now(void);
/* Waits for one DRM event; fills seq/ts (seconds) of a flip/vblank event. */
int kt_wait_event(struct kt *kt, int timeout_ms, unsigned int *seq, double *ts);
int kt_drain_events(struct kt *kt);
int kt_create_mode_blob(struct kt *kt, const drmModeModeInfo *m, uint32_t *id);
void kt_make_mode(drmModeModeInfo *m, unsigned int w, unsigned int h, unsigned int hz);

/* kt-atomic.c: a sticky-failure atomic request builder. */
struct kt_req {
	struct kt *kt;
	drmModeAtomicReq *req;
	int err;            /* first error, negative errno, sticks */
	char what[160];     /* what caused it */
};
void kt_req_init(struct kt_req *r, struct kt *kt);
void kt_req_add(struct kt_req *r, uint32_t obj, uint32_t type,
		const char *prop, uint64_t val);
void kt_req_add_id(struct kt_req *r, uint32_t obj, uint32_t prop_id, uint64_t val);
/* TEST_ONLY first, then the real commit; returns 0 or -errno. */
int kt_req_commit(struct kt_req *r, uint32_t flags);
int kt_req_test(struct kt_req *r, uint32_t flags);
void kt_req_fini(struct kt_req *r);
/* Common states. */
void kt_req_primary(struct kt_req *r, const struct kt_fb *fb,
		    unsigned int w, unsigned int h);
/* A plane showing all of fb, unscaled, at CRTC (x, y); NULL fb: off. */
void kt_req_plane_at(struct kt_req *r, uint32_t plane, const struct kt_fb *fb,
		     int x, int y);
void kt_req_cursor(struct kt_req *r, const struct kt_fb *fb, int x, int y);
void kt_req_cursor_off(struct kt_req *r);
void kt_req_overlay_off(struct kt_req *r);
/*
 * Nonblocking commit with an event, waited for; *bytes (may be NULL) gets
 * what guestkms wrote to VRAM meanwhile (0 on other drivers).
 */
int kt_req_commit_wait(struct kt_req *r, uint64_t *bytes, const char *what);
int kt_modeset(struct kt *kt, const drmModeModeInfo *m, const struct kt_fb *fb);
int kt_flip(struct kt *kt, const struct kt_fb *fb, const uint32_t *clips,
	    unsigned int nclips, unsigned int *seq);

/* kt-fb.c */
int kt_fb_create(struct kt *kt, struct kt_fb *fb, uint32_t w, uint32_t h,
		 uint32_t format);
void kt_fb_destroy(struct kt *kt, struct kt_fb *fb);
void kt_fb_fill(struct kt_fb *fb, unsigned int x, unsigned int y,
		unsigned int w, unsigned int h, uint32_t argb);
void kt_fb_pattern(struct kt_fb *fb, uint32_t seed);
void kt_fb_put(struct kt_fb *fb, unsigned int x, unsigned int y, uint32_t argb);
uint32_t kt_fb_get_rgb(const struct kt_fb *fb, unsigned int x, unsigned int y);
int kt_img_alloc(struct kt_img *img, unsigned int w, unsigned int h);
void kt_img_free(struct kt_img *img);
int kt_img_from_fb(struct kt_img *img, const struct kt_fb *fb);
void kt_img_fill(struct kt_img *img, unsigned int x, unsigned int y,
		 unsigned int w, unsigned int h, uint32_t rgb);
void kt_img_blend(struct kt_img *img, const struct kt_fb *argb, int x, int y);
/* Copies an opaque fb (X or alpha byte ignored) to (x,y), clipped. */
void kt_img_put(struct kt_img *img, const struct kt_fb *fb, int x, int y);

/* kt-shot.c: screendumps and image comparison. */
int kt_png_load(const char *path, struct kt_img *img, char *err, size_t errlen);
int kt_screendump(struct kt *kt, const char *tag, struct kt_img *img);
/* Compares a region; returns KT_PASS or kt_fail with the first mismatch. */
int kt_img_expect(struct kt *kt, const struct kt_img *got,
		  const struct kt_img *want, unsigned int x, unsigned int y,
		  unsigned int w, unsigned int h, int tol, const char *what);
int kt_shot_expect(struct kt *kt, const char *tag, const struct kt_img *want,
		   int tol);
int kt_find_window(int argc, char **argv);

/* kt-debugfs.c */
int kt_counter(struct kt *kt, const char *name, uint64_t *val);
int kt_crc_open(struct kt *kt, int *datafd);
int kt_crc_read_after(struct kt *kt, int datafd, unsigned int seq, uint32_t *crc);
int kt_dmesg_check(struct kt *kt);

/* Subtest tables (one per file). */
struct kt_test {
	const char *name;
	int (*fn)(struct kt *kt);
	const char *doc;
};
extern const struct kt_test kt_tests_basic[];
extern const struct kt_test kt_tests_timing[];
extern const struct kt_test kt_tests_planes[];
extern const struct kt_test kt_tests_bad[];
extern const struct kt_test kt_tests_bad2[];
extern const struct kt_test kt_tests_master[];
extern const struct kt_test kt_tests_userptr[];
extern const struct kt_test kt_tests_overlay[];

/* t-userptr.c: an XRGB8888 framebuffer over a fresh memfd mapping. */
int kt_userptr_fb(struct kt *kt, struct kt_fb *fb, uint32_t w, uint32_t h);

/* Shared helpers for subtests (kt-common.c). */
int kt_display_ok(struct kt *kt, const char *tag);
int kt_setup_pattern(struct kt *kt, struct kt_fb *fb, uint32_t seed);
int kt_flip_bytes(struct kt *kt, const struct kt_fb *fb, const uint32_t *clips,
		  unsigned int nclips, uint64_t *bytes);
int kt_scanout_cpp(struct kt *kt, const struct kt_fb *fb, unsigned int *cpp);
int kt_bytes_near(struct kt *kt, uint64_t got, uint64_t want, const char *what);

#endif
