/* SPDX-License-Identifier: MIT */
/*
 * What a wake-up costs a guest task: two processes ping-pong one byte over
 * pipes, on one vCPU and on two, back to back and with the waker idle for
 * a while before each round trip (as a compositor is between frames).
 * Prints the round trip and the scheduler runtime each side is charged per
 * round trip (/proc/self/schedstat), and the two-vCPU / one-vCPU ratios.
 *   wake-pingpong [--rounds N] [--idle-us N]     (needs two CPUs)
 * Run in a guest: tests/guest/run-guest --smp 2 -- build/tests/bench/wake-pingpong
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct result {
	double rt_us, parent_us, child_us;
};

static long long runtime_ns(void)
{
	FILE *f = fopen("/proc/self/schedstat", "r");
	long long ns = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%lld", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0) {
		fprintf(stderr, "wake-pingpong: cannot run on CPU %d: %s\n", cpu,
			strerror(errno));
		exit(1);
	}
}

static void xfer(int rd, int wr)
{
	char c = 0;

	if ((rd >= 0 && read(rd, &c, 1) != 1) || (wr >= 0 && write(wr, &c, 1) != 1)) {
		fprintf(stderr, "wake-pingpong: pipe: %s\n", strerror(errno));
		exit(1);
	}
}

static struct result run(int cpu_a, int cpu_b, int rounds, int idle_us)
{
	int ping[2], pong[2], back[2];
	struct result r = { 0 };

	if (pipe(ping) || pipe(pong) || pipe(back)) {
		perror("wake-pingpong: pipe");
		exit(1);
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("wake-pingpong: fork");
		exit(1);
	}
	if (pid == 0) {
		pin(cpu_b);
		long long r0 = runtime_ns();
		for (int i = 0; i < rounds; i++)
			xfer(ping[0], pong[1]);
		double us = (double)(runtime_ns() - r0) / 1000 / rounds;
		if (write(back[1], &us, sizeof(us)) != sizeof(us))
			_exit(1);
		_exit(0);
	}
	pin(cpu_a);
	double total = 0;
	long long r0 = runtime_ns();
	for (int i = 0; i < rounds; i++) {
		if (idle_us > 0)
			usleep((useconds_t)idle_us);
		double t0 = now_s();
		xfer(-1, ping[1]);
		xfer(pong[0], -1);
		total += now_s() - t0;
	}
	/* the parent's runtime includes its timer wake-ups: the same either way */
	r.parent_us = (double)(runtime_ns() - r0) / 1000 / rounds;
	r.rt_us = total * 1e6 / rounds;
	if (read(back[0], &r.child_us, sizeof(r.child_us)) != sizeof(r.child_us))
		r.child_us = -1;
	waitpid(pid, NULL, 0);
	close(ping[0]), close(ping[1]), close(pong[0]), close(pong[1]);
	close(back[0]), close(back[1]);
	return r;
}

static int number(const char *s, int lo, int hi, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "wake-pingpong: %s must be %d..%d\n", what, lo, hi);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	int rounds = 300, idle_us = 5000;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
			rounds = number(argv[++i], 10, 100000, "--rounds");
		} else if (strcmp(argv[i], "--idle-us") == 0 && i + 1 < argc) {
			idle_us = number(argv[++i], 0, 1000000, "--idle-us");
		} else {
			fprintf(stderr, "usage: wake-pingpong [--rounds N] [--idle-us N]\n");
			return 2;
		}
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		fprintf(stderr, "wake-pingpong: needs two CPUs\n");
		return 77;
	}
	const int idles[2] = { 0, idle_us };
	for (int k = 0; k < 2; k++) {
		struct result one = run(0, 0, rounds, idles[k]);
		struct result two = run(0, 1, rounds, idles[k]);
		printf("idle %6d us before each: round trip %7.0f us on 1 vCPU, %7.0f on 2 "
		       "(x%.1f); woken side charged %5.0f / %5.0f us (x%.1f)\n",
		       idles[k], one.rt_us, two.rt_us, two.rt_us / one.rt_us, one.child_us,
		       two.child_us, two.child_us / one.child_us);
	}
	return 0;
}
