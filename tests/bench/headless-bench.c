/* SPDX-License-Identifier: MIT */
/*
 * Headless benchmark: guestwl vs weston 10 (headless backend, pixman
 * renderer), same workloads in the same run. For each, the compositor's
 * CPU time (utime+stime from /proc/<pid>/stat) over a measured interval is
 * divided by the frames the client got through in it:
 *   simple-shm    weston-simple-shm (full-window animation); frames =
 *                 wl_surface.commit requests seen in WAYLAND_DEBUG output
 *                 (the client is throttled by frame callbacks)
 *   simple-damage weston-simple-damage (small moving damage); same count
 *   overlap20     headless-bench-client: 20 overlapping windows, the top
 *                 one animating; frames = presented wp_presentation feedback
 * Usage: headless-bench [--seconds N] [--size WxH] [--workload NAME]
 *                       [--client PATH] [--only guestwl|weston]
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"

enum count_mode { COUNT_COMMITS, COUNT_PRESENTED };

struct workload {
	const char *name;
	const char *argv[8];
	enum count_mode mode;
};

static const char *bench_client = "headless-bench-client";
static int seconds = 5, out_w = 1024, out_h = 768;
static bool run_guestwl = true, run_weston = true;

static const struct workload workloads[] = {
	{ "simple-shm", { "weston-simple-shm", NULL }, COUNT_COMMITS },
	{ "simple-damage", { "weston-simple-damage", NULL }, COUNT_COMMITS },
	{ "overlap20", { NULL, "--windows", "20", NULL }, COUNT_PRESENTED },
};

struct result {
	long frames;
	double wall_s, cpu_s;
	bool ok;
};

struct reader {
	int fd;
	enum count_mode mode;
	char line[4096];
	size_t len;
	long frames;
	bool eof;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* utime + stime of pid in seconds, -1 on error. */
static double cpu_seconds(pid_t pid)
{
	char path[64], buf[2048], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* after ")": state(3) ... utime(14) stime(15) */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void count_line(struct reader *r)
{
	r->line[r->len] = '\0';
	if (r->mode == COUNT_PRESENTED)
		r->frames += strcmp(r->line, "presented") == 0;
	else
		r->frames += strstr(r->line, "-> wl_surface@") &&
			     strstr(r->line, ".commit()");
	r->len = 0;
}

/* Read what is available within ms; count complete lines. */
static void pump(struct reader *r, int ms)
{
	struct pollfd p = { .fd = r->fd, .events = POLLIN };
	char buf[65536];
	ssize_t n;

	if (r->eof || poll(&p, 1, ms) <= 0)
		return;
	n = read(r->fd, buf, sizeof(buf));
	if (n <= 0) {
		r->eof = n == 0 || errno != EAGAIN;
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n')
			count_line(r);
		else if (r->len < sizeof(r->line) - 1)
			r->line[r->len++] = buf[i];
	}
}

static pid_t spawn(const struct workload *w, struct fx_compositor *c,
		   int *out_fd)
{
	int p[2];
	pid_t pid;
	const char *argv[8];

	memcpy(argv, w->argv, sizeof(argv));
	if (!argv[0])
		argv[0] = bench_client;
	FX_REQUIRE(pipe2(p, O_CLOEXEC) == 0, "pipe");
	pid = fork();
	FX_REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		setenv("WAYLAND_DISPLAY", c->socket, 1);
		setenv("XDG_RUNTIME_DIR", c->runtime_dir, 1);
		if (w->mode == COUNT_COMMITS)
			setenv("WAYLAND_DEBUG", "client", 1);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	*out_fd = p[0];
	return pid;
}

static struct result run_one(const struct workload *w, bool weston)
{
	struct fx_compositor_options o = {
		.width = out_w, .height = out_h, .no_test_protocol = true,
		.weston = weston,
	};
	struct fx_compositor *c = fx_compositor_start(&o);
	struct reader r = { .mode = w->mode };
	struct result res = { 0 };
	pid_t client = spawn(w, c, &r.fd);
	double t0, cpu0, end, deadline = now_s() + 20;
	long f0;

	/* warm-up: wait for the first 30 frames (client mapped, steady) */
	while (r.frames < 30 && !r.eof && now_s() < deadline)
		pump(&r, 100);
	if (r.frames < 30) {
		fprintf(stderr, "%s on %s: only %ld frames during warm-up\n",
			w->name, weston ? "weston" : "guestwl", r.frames);
		fx_compositor_dump_log(c);
	} else {
		t0 = now_s();
		cpu0 = cpu_seconds(c->pid);
		f0 = r.frames;
		end = t0 + seconds;
		while (!r.eof && now_s() < end)
			pump(&r, (int)((end - now_s()) * 1000) + 1);
		res.cpu_s = cpu_seconds(c->pid) - cpu0;
		res.wall_s = now_s() - t0;
		res.frames = r.frames - f0;
		res.ok = cpu0 >= 0 && res.frames > 0 && !r.eof;
	}
	fx_kill_client(client);
	close(r.fd);
	if (!fx_compositor_stop(c)) {
		fprintf(stderr, "%s did not exit cleanly\n",
			weston ? "weston" : "guestwl");
		res.ok = false;
	}
	free(c);
	return res;
}

static void print_row(const char *wl, const char *comp, const struct result *r)
{
	if (!r->ok) {
		printf("%-14s %-8s %s\n", wl, comp, "FAILED");
		return;
	}
	printf("%-14s %-8s %7ld %7.1f %9.1f %10.1f\n", wl, comp, r->frames,
	       r->frames / r->wall_s, r->cpu_s * 1000,
	       r->cpu_s * 1e6 / (double)r->frames);
}

static void parse_args(int argc, char **argv, const char **only)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--seconds") == 0 && v) {
			seconds = atoi(v);
		} else if (strcmp(a, "--size") == 0 && v) {
			if (sscanf(v, "%dx%d", &out_w, &out_h) != 2)
				out_w = 0;
		} else if (strcmp(a, "--workload") == 0 && v) {
			*only = v;
		} else if (strcmp(a, "--only") == 0 && v) {
			run_guestwl = strcmp(v, "guestwl") == 0;
			run_weston = strcmp(v, "weston") == 0;
		} else if (strcmp(a, "--client") == 0 && v) {
			bench_client = v;
		} else {
			fprintf(stderr, "usage: headless-bench [--seconds N] "
				"[--size WxH] [--workload NAME] "
				"[--client PATH] [--only guestwl|weston]\n");
			exit(2);
		}
		i++;
	}
	if (seconds < 1 || seconds > 600 || out_w < 64 || out_h < 64 ||
	    out_w > 8192 || out_h > 8192) {
		fprintf(stderr, "bad --seconds (1..600) or --size\n");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	bool all_ok = true;

	parse_args(argc, argv, &only);
	signal(SIGPIPE, SIG_IGN);
	printf("headless benchmark: %dx%d output, %d s per run, compositor "
	       "CPU = utime+stime\n", out_w, out_h, seconds);
	printf("%-14s %-8s %7s %7s %9s %10s\n", "workload", "comp.", "frames",
	       "fps", "cpu ms", "cpu us/fr");
	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		const struct workload *w = &workloads[i];
		struct result g = { 0 }, wst = { 0 };

		if (only && strcmp(only, w->name) != 0)
			continue;
		if (run_guestwl)
			g = run_one(w, false);
		if (run_weston)
			wst = run_one(w, true);
		if (run_guestwl)
			print_row(w->name, "guestwl", &g);
		if (run_weston)
			print_row(w->name, "weston", &wst);
		if (g.ok && wst.ok && wst.cpu_s > 0)
			printf("%-14s ratio guestwl/weston: cpu per frame %.2f, "
			       "frames %.2f\n", w->name,
			       (g.cpu_s / g.frames) / (wst.cpu_s / wst.frames),
			       (double)g.frames / wst.frames);
		all_ok = all_ok && (g.ok || !run_guestwl) &&
			 (wst.ok || !run_weston);
		fflush(stdout);
	}
	return all_ok ? 0 : 1;
}
