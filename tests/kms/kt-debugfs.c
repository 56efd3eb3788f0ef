// SPDX-License-Identifier: MIT
/* kmstest: debugfs counters, CRC capture, kernel log checks. */
#include "kmstest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#define KT_DEBUGFS "/sys/kernel/debug/dri"

/*
 * Reads one counter from guestkms' statistics file. Accepts "name: value",
 * "name=value" and "name value" lines.
 */
int kt_counter(struct kt *kt, const char *name, uint64_t *val)
{
	char path[128], line[256];
	size_t n = strlen(name);
	FILE *f;
	int ret = -ENOENT;

	snprintf(path, sizeof(path), KT_DEBUGFS "/%d/guestkms_stats", kt->minor);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, name, n))
			continue;
		p += n;
		if (*p != ':' && *p != '=' && *p != ' ' && *p != '\t')
			continue;
		while (*p == ':' || *p == '=' || *p == ' ' || *p == '\t')
			p++;
		errno = 0;
		*val = strtoull(p, &end, 0);
		if (end != p && !errno)
			ret = 0;
	}
	fclose(f);
	return ret;
}

/* Selects the "auto" CRC source and opens the data file (starts capture). */
int kt_crc_open(struct kt *kt, int *datafd)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), KT_DEBUGFS "/%d/crtc-%u/crc/control",
		 kt->minor, kt->crtc_index);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return kt_fail(kt, "open %s: %s", path, strerror(errno));
	if (write(fd, "auto", 4) != 4) {
		int e = errno;

		close(fd);
		return kt_fail(kt, "write auto to %s: %s", path, strerror(e));
	}
	close(fd);
	snprintf(path, sizeof(path), KT_DEBUGFS "/%d/crtc-%u/crc/data",
		 kt->minor, kt->crtc_index);
	*datafd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (*datafd < 0)
		return kt_fail(kt, "open %s: %s", path, strerror(errno));
	return KT_PASS;
}

static int kt_crc_read_one(struct kt *kt, int fd, unsigned int *frame, uint32_t *crc)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[128], *p, *end;
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n > 0)
			break;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return kt_fail(kt, "reading CRC data: %s", strerror(errno));
		if (n == 0)
			return kt_fail(kt, "CRC data: unexpected end of file");
		if (poll(&pfd, 1, 2000) == 0)
			return kt_fail(kt, "no CRC entry within 2 s");
	}
	buf[n] = 0;
	errno = 0;
	*frame = (unsigned int)strtoul(buf, &end, 0);
	if (end == buf || errno)
		return kt_fail(kt, "CRC entry without frame number: '%s'", buf);
	p = end;
	*crc = (uint32_t)strtoul(p, &end, 0);
	if (end == p)
		return kt_fail(kt, "CRC entry without a value: '%s'", buf);
	return KT_PASS;
}

/* Returns the CRC of the first frame at least two vblanks after seq. */
int kt_crc_read_after(struct kt *kt, int datafd, unsigned int seq, uint32_t *crc)
{
	unsigned int frame = 0;

	for (int i = 0; i < 600; i++) {
		KT_TRY(kt_crc_read_one(kt, datafd, &frame, crc));
		if ((int)(frame - seq) >= 2)
			return KT_PASS;
	}
	return kt_fail(kt, "no CRC entry for a frame after %u", seq);
}

static const char *const kt_bad_words[] = {
	"WARNING:", "Oops", "BUG:", "KASAN", "UBSAN", "general protection fault",
	"kernel NULL pointer", "Call Trace",
};

int kt_dmesg_check(struct kt *kt)
{
	int len = klogctl(10, NULL, 0);
	char *buf, *line;
	int n, ret = KT_PASS;

	if (len <= 0)
		return kt_fail(kt, "cannot size the kernel log: %s", strerror(errno));
	buf = malloc((size_t)len + 1);
	if (!buf)
		return kt_fail(kt, "out of memory");
	n = klogctl(3, buf, len);
	if (n < 0) {
		free(buf);
		return kt_fail(kt, "cannot read the kernel log: %s", strerror(errno));
	}
	buf[n] = 0;
	for (line = strtok(buf, "\n"); line && ret == KT_PASS; line = strtok(NULL, "\n"))
		for (size_t i = 0; i < sizeof(kt_bad_words) / sizeof(kt_bad_words[0]); i++)
			if (strstr(line, kt_bad_words[i])) {
				ret = kt_fail(kt, "kernel log: %s", line);
				break;
			}
	free(buf);
	return ret;
}
