/* SPDX-License-Identifier: MIT */
/* DRM/KMS backend: atomic (or legacy) modesetting into dumb buffers. */
#ifndef GUESTWL_DRM_H
#define GUESTWL_DRM_H

#include <stdbool.h>
#include <stdint.h>

#include "guestwl/backend.h"

struct gwl_drm_options {
	const char *device; /* /dev/dri/cardN; NULL: first KMS card from udev */
	const char *seat; /* udev/libseat seat; NULL: "seat0" */
	int32_t width, height; /* --mode; 0: the connector's preferred mode */
	int32_t refresh_mhz; /* 0: best refresh for the size */
	int32_t transform; /* wl_output_transform of every output */
	bool legacy; /* never use atomic modesetting */
	bool no_cursor_plane; /* always draw the cursor in software */
	bool no_input; /* do not open input devices */
	bool no_session; /* skip libseat, open devices as root */
};

struct gwl_backend *gwl_drm_backend_create(struct gwl_server *server,
	const struct gwl_drm_options *options);

/* Parse "WxH" or "WxH@Hz" (Hz may have decimals); false on bad input. */
bool gwl_drm_parse_mode(const char *text, int32_t *width, int32_t *height,
	int32_t *refresh_mhz);

#endif
