// SPDX-License-Identifier: MIT
/*
 * kmstest: KMS tests against libdrm for guestkms (and for comparison any
 * other driver, e.g. the in-tree bochs).
 *
 *   kmstest [--driver NAME] [--mode WxH] [--outdir DIR] [--no-shots]
 *           [--list | --run NAME[,NAME...]]
 *   kmstest --find-window SHOT.png WxH [BEFORE.png]
 *
 * Prints "ok NAME", "skip NAME: reason" or "FAIL NAME: reason" per subtest
 * and "N passed, N failed, N skipped" at the end; exits 1 if any failed.
 */
#include "kmstest.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct kt_test *const kt_tables[] = {
	kt_tests_basic, kt_tests_timing, kt_tests_planes, kt_tests_bad, kt_tests_bad2,
	kt_tests_master, kt_tests_userptr, kt_tests_overlay,
};

struct kt_opts {
	const char *driver, *outdir, *run;
	unsigned int w, h;
	bool list, no_shots;
};

static void kt_usage(void)
{
	fprintf(stderr,
		"usage: kmstest [--driver NAME] [--mode WxH] [--outdir DIR] [--no-shots]\n"
		"               [--list | --run NAME[,NAME...]]\n"
		"       kmstest --find-window SHOT.png WxH [BEFORE.png]\n");
}

static int kt_parse(int argc, char **argv, struct kt_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--list")) {
			o->list = true;
		} else if (!strcmp(a, "--no-shots")) {
			o->no_shots = true;
		} else if (v && !strcmp(a, "--driver")) {
			o->driver = v;
			i++;
		} else if (v && !strcmp(a, "--outdir")) {
			o->outdir = v;
			i++;
		} else if (v && !strcmp(a, "--run")) {
			o->run = v;
			i++;
		} else if (v && !strcmp(a, "--mode")) {
			if (sscanf(v, "%ux%u", &o->w, &o->h) != 2 || !o->w || !o->h) {
				fprintf(stderr, "kmstest: bad --mode '%s'\n", v);
				return -1;
			}
			i++;
		} else {
			fprintf(stderr, "kmstest: unknown or incomplete option '%s'\n", a);
			kt_usage();
			return -1;
		}
	}
	return 0;
}

static bool kt_selected(const char *run, const char *name)
{
	size_t n = strlen(name);

	if (!run)
		return true;
	for (const char *p = run; *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && !strncmp(p, name, n))
			return true;
		p += l + (e ? 1 : 0);
	}
	return false;
}

static int kt_run_one(const struct kt_opts *o, const struct kt_test *t)
{
	struct kt kt;
	int ret;

	memset(&kt, 0, sizeof(kt));
	kt.fd = -1;
	kt.guestkms = !strcmp(o->driver, "guestkms");
	kt.expect_w = o->w;
	kt.expect_h = o->h;
	kt.outdir = o->outdir;
	kt.no_shots = o->no_shots;
	kt.cur_test = t->name;
	if (kt_open(&kt, o->driver)) {
		printf("FAIL %s: cannot open the %s device\n", t->name, o->driver);
		return KT_FAIL;
	}
	ret = t->fn(&kt);
	kt_close(&kt);
	if (ret == KT_PASS)
		printf("ok %s\n", t->name);
	else if (ret == KT_SKIP)
		printf("skip %s: %s\n", t->name, kt.reason);
	else
		printf("FAIL %s: %s\n", t->name, kt.reason[0] ? kt.reason : "(no reason)");
	fflush(stdout);
	return ret;
}

int main(int argc, char **argv)
{
	struct kt_opts o = { .driver = "guestkms", .outdir = "/mnt/out" };
	unsigned int pass = 0, fail = 0, skip = 0, found = 0;

	if (argc > 1 && !strcmp(argv[1], "--find-window"))
		return kt_find_window(argc - 2, argv + 2);
	if (kt_parse(argc, argv, &o))
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!o.list) {
		/* Fail once, clearly, when there is no such device at all. */
		struct kt probe;

		memset(&probe, 0, sizeof(probe));
		if (kt_open(&probe, o.driver))
			return 1;
		kt_close(&probe);
	}
	for (size_t i = 0; i < sizeof(kt_tables) / sizeof(kt_tables[0]); i++) {
		for (const struct kt_test *t = kt_tables[i]; t->name; t++) {
			int ret;

			if (o.list) {
				printf("%-28s %s\n", t->name, t->doc);
				continue;
			}
			if (!kt_selected(o.run, t->name))
				continue;
			found++;
			ret = kt_run_one(&o, t);
			pass += ret == KT_PASS;
			fail += ret == KT_FAIL;
			skip += ret == KT_SKIP;
		}
	}
	if (o.list)
		return 0;
	if (!found) {
		fprintf(stderr, "kmstest: no subtest matches '%s' (see --list)\n", o.run);
		return 2;
	}
	printf("%u passed, %u failed, %u skipped\n", pass, fail, skip);
	return fail ? 1 : 0;
}
