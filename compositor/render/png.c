// SPDX-License-Identifier: MIT
/* PNG encoding of pixman images (screenshots). */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "guestwl/render.h"

static void png_error_fn(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void png_warning_fn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* Converts to RGBA rows; returns NULL on allocation failure. */
static uint8_t *to_rgba(pixman_image_t *image, int w, int h)
{
	pixman_image_t *argb = pixman_image_create_bits(PIXMAN_a8r8g8b8, w, h, NULL, 0);
	uint8_t *rgba = malloc((size_t)w * h * 4);
	if (!argb || !rgba) {
		if (argb)
			pixman_image_unref(argb);
		free(rgba);
		return NULL;
	}
	pixman_image_composite32(PIXMAN_OP_SRC, image, NULL, argb, 0, 0, 0, 0, 0, 0, w, h);
	const uint32_t *src = pixman_image_get_data(argb);
	int stride = pixman_image_get_stride(argb) / 4;
	bool has_alpha = PIXMAN_FORMAT_A(pixman_image_get_format(image)) > 0;
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			uint32_t p = src[y * stride + x];
			uint8_t *d = &rgba[((size_t)y * w + x) * 4];
			d[0] = (uint8_t)(p >> 16);
			d[1] = (uint8_t)(p >> 8);
			d[2] = (uint8_t)p;
			d[3] = has_alpha ? (uint8_t)(p >> 24) : 0xff;
		}
	}
	pixman_image_unref(argb);
	return rgba;
}

static const char *encode(FILE *f, uint8_t *rgba, int w, int h)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_error_fn,
		png_warning_fn);
	if (!png)
		return "out of memory";
	png_infop info = png_create_info_struct(png);
	png_bytep *rows = calloc(h, sizeof(*rows));
	if (!info || !rows) {
		free(rows);
		png_destroy_write_struct(&png, info ? &info : NULL);
		return "out of memory";
	}
	if (setjmp(png_jmpbuf(png))) {
		free(rows);
		png_destroy_write_struct(&png, &info);
		return "PNG encoding or write failed";
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
		PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 1);
	for (int y = 0; y < h; y++)
		rows[y] = rgba + (size_t)y * w * 4;
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	free(rows);
	png_destroy_write_struct(&png, &info);
	return NULL;
}

const char *gwl_write_png(pixman_image_t *image, int fd)
{
	int w = pixman_image_get_width(image), h = pixman_image_get_height(image);
	if (w <= 0 || h <= 0)
		return "empty image";
	int dupfd = dup(fd);
	FILE *f = dupfd >= 0 ? fdopen(dupfd, "wb") : NULL;
	if (!f) {
		if (dupfd >= 0)
			close(dupfd);
		return "cannot open the fd for writing";
	}
	uint8_t *rgba = to_rgba(image, w, h);
	const char *err = rgba ? encode(f, rgba, w, h) : "out of memory";
	free(rgba);
	if (fclose(f) != 0 && !err)
		err = "write to the fd failed";
	return err;
}
