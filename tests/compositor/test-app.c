/* SPDX-License-Identifier: MIT */
/*
 * guestwl's app argument (guestwl [OPTIONS] -- APP ARGS...): the app runs
 * with the compositor's WAYLAND_DISPLAY, no blocked signals and SIGPIPE at
 * its default; guestwl exits with the app's status; an app that cannot be
 * run gives a clear error and status 127.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"

struct run {
	int status;     /* exit status, -1 if it did not exit in time */
	char out[8192]; /* stdout and stderr together */
};

/* Runs guestwl headless with APP...; waits up to FX_TIMEOUT_MS. */
static void run_guestwl(struct run *r, const char *const *app)
{
	const char *bin = getenv("GUESTWL_BIN");
	char runtime[] = "/tmp/guestwl-test-app-XXXXXX";
	const char *argv[32];
	int n = 0, fds[2], status;
	size_t len = 0;
	pid_t pid;

	FX_REQUIRE(mkdtemp(runtime) != NULL, "mkdtemp: %s", strerror(errno));
	FX_REQUIRE(pipe(fds) == 0, "pipe: %s", strerror(errno));
	argv[n++] = bin && *bin ? bin : "guestwl";
	argv[n++] = "--backend=headless";
	argv[n++] = "--socket";
	argv[n++] = "wayland-app-test";
	argv[n++] = "--";
	while (*app && n < 31)
		argv[n++] = *app++;
	argv[n] = NULL;
	pid = fork();
	FX_REQUIRE(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		setenv("XDG_RUNTIME_DIR", runtime, 1);
		unsetenv("WAYLAND_DISPLAY");
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(126);
	}
	close(fds[1]);
	r->status = -1;
	/* the output ends when guestwl and the app have exited */
	for (;;) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		size_t room = sizeof(r->out) - 1 - len;
		char scratch[256];
		ssize_t got;

		if (poll(&p, 1, FX_TIMEOUT_MS) <= 0) {
			fprintf(stderr, "guestwl did not exit in %d ms\n", FX_TIMEOUT_MS);
			kill(pid, SIGKILL);
			break;
		}
		/* past the buffer: read on, so that guestwl never blocks */
		got = room ? read(fds[0], r->out + len, room)
			   : read(fds[0], scratch, sizeof(scratch));
		if (got <= 0)
			break;
		if (room)
			len += (size_t)got;
	}
	r->out[len] = 0;
	close(fds[0]);
	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	rmdir(runtime);
}

/* The hex mask of a "SigXxx:" line of /proc/self/status as the app saw it. */
static unsigned long long sig_mask(const char *out, const char *field)
{
	const char *p = strstr(out, field);

	return p ? strtoull(p + strlen(field), NULL, 16) : ~0ULL;
}

int main(void)
{
	static const char *const missing[] = { "/nonexistent/guestwl-app", NULL };
	static const char *const exit3[] = { "sh", "-c", "exit 3", NULL };
	static const char *const env[] = {
		"sh", "-c",
		"echo \"display=$WAYLAND_DISPLAY\"; grep -E '^Sig(Blk|Ign):' /proc/self/status",
		NULL,
	};
	struct run r;

	run_guestwl(&r, missing);
	FX_CHECK(r.status == 127, "app that does not exist: status %d, expected 127",
		 r.status);
	FX_CHECK(strstr(r.out, "cannot run /nonexistent/guestwl-app: No such file") != NULL,
		 "no clear error for an app that does not exist:\n%s", r.out);

	run_guestwl(&r, exit3);
	FX_CHECK(r.status == 3, "app exiting 3: guestwl status %d:\n%s", r.status, r.out);

	run_guestwl(&r, env);
	FX_CHECK(r.status == 0, "app: status %d:\n%s", r.status, r.out);
	FX_CHECK(strstr(r.out, "display=wayland-app-test\n") != NULL,
		 "app did not get WAYLAND_DISPLAY:\n%s", r.out);
	FX_CHECK(sig_mask(r.out, "SigBlk:") == 0, "app starts with blocked signals:\n%s",
		 r.out);
	FX_CHECK(!(sig_mask(r.out, "SigIgn:") & (1ULL << (SIGPIPE - 1))),
		 "app starts with SIGPIPE ignored:\n%s", r.out);
	return fx_finish(NULL);
}
