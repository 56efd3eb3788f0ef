// SPDX-License-Identifier: MIT
/*
 * Pixman renderer. Draws the scene of one output into any pixman image:
 * surfaces are collected bottom to top, their visible regions computed top
 * to bottom with opaque-region culling, then only the visible parts inside
 * the repaint region are composited.
 */
#include <stdlib.h>
#include <string.h>
#include <wayland-server-protocol.h>

#include "guestwl/output.h"
#include "guestwl/render.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/surface.h"
#include "guestwl/window.h"

struct render_item {
	struct gwl_surface *surface; /* NULL: built-in cursor */
	pixman_image_t *image;
	struct pixman_f_transform to_output; /* buffer pixels -> output pixels */
	pixman_region32_t visible; /* output pixels */
	pixman_region32_t opaque;
	bool intersects;
	bool translation; /* to_output is the integer translation (tx, ty) */
	int32_t tx, ty;
};

struct gwl_render_list {
	struct render_item *items;
	int count, cap;
	struct gwl_output *output;
	struct pixman_f_transform layout;
	bool collect;
	bool lifted; /* the top item is on an overlay plane: not drawn */
	pixman_region32_t covered; /* opaque union of all items */
};


static struct render_item *list_add(struct gwl_render_list *list)
{
	if (list->count == list->cap) {
		int cap = list->cap ? list->cap * 2 : 16;
		struct render_item *items = realloc(list->items, cap * sizeof(*items));
		if (!items)
			return NULL;
		list->items = items;
		list->cap = cap;
	}
	struct render_item *item = &list->items[list->count++];
	*item = (struct render_item){ 0 };
	pixman_region32_init(&item->visible);
	pixman_region32_init(&item->opaque);
	return item;
}

/* The usual item: buffer pixels are output pixels at an integer offset. No
 * float arithmetic (each double operation is a softfloat call under TCG). */
static void item_setup_translation(struct gwl_render_list *list, struct render_item *item,
	int32_t lx, int32_t ly, int32_t w, int32_t h, const pixman_region32_t *opaque)
{
	struct gwl_output *o = list->output;
	item->translation = true;
	item->tx = lx - o->lx;
	item->ty = ly - o->ly;
	pixman_f_transform_init_translate(&item->to_output, item->tx, item->ty);
	pixman_region32_fini(&item->visible);
	pixman_region32_init_rect(&item->visible, item->tx, item->ty, (uint32_t)w, (uint32_t)h);
	pixman_region32_intersect_rect(&item->visible, &item->visible, 0, 0, o->width,
		o->height);
	item->intersects = pixman_region32_not_empty(&item->visible);
	if (opaque) {
		pixman_region32_copy(&item->opaque, (pixman_region32_t *)opaque);
		pixman_region32_translate(&item->opaque, item->tx, item->ty);
	}
}

/* Buffer pixels map to output pixels at an integer offset: which one. */
static bool item_offset(const struct render_item *item, int32_t *tx, int32_t *ty)
{
	const double (*m)[3] = item->to_output.m;
	if (item->translation) {
		*tx = item->tx;
		*ty = item->ty;
		return true;
	}
	if (m[0][0] != 1 || m[1][1] != 1 || m[0][1] != 0 || m[1][0] != 0 ||
		m[0][2] != (int32_t)m[0][2] || m[1][2] != (int32_t)m[1][2])
		return false;
	*tx = (int32_t)m[0][2];
	*ty = (int32_t)m[1][2];
	return true;
}

static void item_setup(struct gwl_render_list *list, struct render_item *item, int32_t lx,
	int32_t ly, const struct pixman_f_transform *buffer_to_surface, int32_t w, int32_t h,
	const pixman_region32_t *opaque)
{
	struct gwl_output *o = list->output;
	struct pixman_f_transform surface_to_output;
	struct pixman_f_transform t;
	pixman_f_transform_init_translate(&t, lx, ly);
	pixman_f_transform_multiply(&surface_to_output, &list->layout, &t);
	pixman_f_transform_multiply(&item->to_output, &surface_to_output, buffer_to_surface);

	pixman_region32_t box;
	pixman_region32_init_rect(&box, 0, 0, w, h);
	gwl_region_transform(&item->visible, &box, &surface_to_output, true);
	pixman_region32_intersect_rect(&item->visible, &item->visible, 0, 0, o->width,
		o->height);
	item->intersects = pixman_region32_not_empty(&item->visible);
	if (opaque)
		gwl_region_transform(&item->opaque, opaque, &surface_to_output, false);
	pixman_region32_fini(&box);
}

static void add_surface(struct gwl_surface *surface, int32_t lx, int32_t ly, void *data)
{
	struct gwl_render_list *list = data;
	if (!gwl_surface_has_content(surface) || surface->width <= 0 || surface->height <= 0)
		return;
	struct render_item *item = list_add(list);
	if (!item)
		return;
	item->surface = surface;
	item->image = surface->image;
	pixman_region32_t full;
	pixman_region32_init_rect(&full, 0, 0, surface->width, surface->height);
	const pixman_region32_t *opaque = surface->opaque_format ? &full : &surface->opaque;
	const int64_t lim = 1 << 28; /* as gwl_region_transform: no overflow */
	int64_t tx = (int64_t)lx - list->output->lx, ty = (int64_t)ly - list->output->ly;
	if (gwl_surface_buffer_is_plain(surface) &&
		gwl_output_layout_is_translation(list->output) && tx > -lim && tx < lim &&
		ty > -lim && ty < lim && surface->width < lim && surface->height < lim) {
		item_setup_translation(list, item, lx, ly, surface->width, surface->height,
			opaque);
	} else {
		struct pixman_f_transform b2s;
		gwl_surface_buffer_matrix(surface, &b2s);
		item_setup(list, item, lx, ly, &b2s, surface->width, surface->height, opaque);
	}
	pixman_region32_fini(&full);
}

static void add_cursor(struct gwl_render_list *list, struct gwl_seat *seat)
{
	if (!gwl_seat_cursor_visible(seat))
		return;
	struct gwl_surface *cursor = gwl_seat_cursor_surface(seat);
	struct gwl_output *o = list->output;
	if (o->hw_cursor && list->collect) {
		/* On a plane: only its frame callbacks are due with this frame.
		 * (Snapshots, collect == false, draw it: they show the screen.) */
		if (cursor) {
			wl_list_insert_list(o->frame_callbacks.prev, &cursor->frame_callbacks);
			wl_list_init(&cursor->frame_callbacks);
			cursor->shown_mask |= 1u << o->index;
		}
		return;
	}
	if (cursor) {
		gwl_surface_for_each(cursor, (int32_t)seat->lx - seat->hotspot_x,
			(int32_t)seat->ly - seat->hotspot_y, add_surface, list);
		return;
	}
	pixman_image_t *image = gwl_render_default_cursor();
	if (!image)
		return;
	struct render_item *item = list_add(list);
	if (!item)
		return;
	item->image = image;
	struct pixman_f_transform id;
	pixman_f_transform_init_identity(&id);
	item_setup(list, item, (int32_t)seat->lx, (int32_t)seat->ly, &id,
		pixman_image_get_width(image), pixman_image_get_height(image), NULL);
}

static void compute_visibility(struct gwl_render_list *list, pixman_region32_t *covered)
{
	for (int i = list->count - 1; i >= 0; i--) {
		struct render_item *item = &list->items[i];
		pixman_region32_subtract(&item->visible, &item->visible, covered);
		pixman_region32_union(covered, covered, &item->opaque);
	}
}

/* memcpy beats pixman's SRC blit (under TCG about 2.7 against 1.8 GB/s). */
static bool copy_rows(pixman_image_t *src, pixman_image_t *dst, const pixman_region32_t *clip,
	int32_t tx, int32_t ty)
{
	pixman_format_code_t sf = pixman_image_get_format(src);
	pixman_format_code_t df = pixman_image_get_format(dst);
	bool same = sf == df || (df == PIXMAN_x8r8g8b8 && sf == PIXMAN_a8r8g8b8) ||
		(df == PIXMAN_x8b8g8r8 && sf == PIXMAN_a8b8g8r8);
	if (!same || PIXMAN_FORMAT_BPP(sf) != 32)
		return false;
	const uint8_t *sp = (const uint8_t *)pixman_image_get_data(src);
	uint8_t *dp = (uint8_t *)pixman_image_get_data(dst);
	int ss = pixman_image_get_stride(src), ds = pixman_image_get_stride(dst);
	int sw = pixman_image_get_width(src), sh = pixman_image_get_height(src);
	int n;
	const pixman_box32_t *b = pixman_region32_rectangles((pixman_region32_t *)clip, &n);
	for (int i = 0; i < n; i++) {
		/* Inside the source: the opaque region is clipped to the surface,
		 * and the surface is the buffer (integer offset, no scale). */
		if (b[i].x1 - tx < 0 || b[i].y1 - ty < 0 || b[i].x2 - tx > sw || b[i].y2 - ty > sh)
			return false;
	}
	for (int i = 0; i < n; i++) {
		size_t len = (size_t)(b[i].x2 - b[i].x1) * 4;
		for (int32_t y = b[i].y1; y < b[i].y2; y++)
			memcpy(dp + (size_t)y * ds + (size_t)b[i].x1 * 4,
				sp + (size_t)(y - ty) * ss + (size_t)(b[i].x1 - tx) * 4, len);
	}
	return true;
}

static void draw_item_image(struct render_item *item, pixman_image_t *dst,
	const pixman_region32_t *region)
{
	pixman_region32_t clip;
	pixman_region32_init(&clip);
	pixman_region32_intersect(&clip, &item->visible, (pixman_region32_t *)region);
	if (!pixman_region32_not_empty(&clip)) {
		pixman_region32_fini(&clip);
		return;
	}
	pixman_box32_t *ext = pixman_region32_extents(&clip);
	pixman_image_set_clip_region32(dst, &clip);
	int32_t tx, ty;
	if (item_offset(item, &tx, &ty)) {
		/* Plain integer offset: pixman's fast paths, no transform. */
		/* Opaque there (e.g. a fullscreen client): a copy, no blending. */
		pixman_op_t op = pixman_region32_contains_rectangle(&item->opaque, ext) ==
			PIXMAN_REGION_IN ? PIXMAN_OP_SRC : PIXMAN_OP_OVER;
		if (op != PIXMAN_OP_SRC || !copy_rows(item->image, dst, &clip, tx, ty))
			pixman_image_composite32(op, item->image, NULL, dst,
				ext->x1 - tx, ext->y1 - ty, 0, 0, ext->x1, ext->y1,
				ext->x2 - ext->x1, ext->y2 - ext->y1);
		pixman_image_set_clip_region32(dst, NULL);
		pixman_region32_fini(&clip);
		return;
	}
	struct pixman_f_transform inv;
	struct pixman_transform xform;
	if (!pixman_f_transform_invert(&inv, &item->to_output) ||
		!pixman_transform_from_pixman_f_transform(&xform, &inv)) {
		pixman_image_set_clip_region32(dst, NULL);
		pixman_region32_fini(&clip);
		return;
	}
	bool exact = gwl_matrix_is_integer(&item->to_output);
	pixman_image_set_transform(item->image, &xform);
	pixman_image_set_filter(item->image,
		exact ? PIXMAN_FILTER_NEAREST : PIXMAN_FILTER_BILINEAR, NULL, 0);
	pixman_image_set_repeat(item->image, exact ? PIXMAN_REPEAT_NONE : PIXMAN_REPEAT_PAD);
	pixman_image_composite32(PIXMAN_OP_OVER, item->image, NULL, dst, ext->x1, ext->y1,
		0, 0, ext->x1, ext->y1, ext->x2 - ext->x1, ext->y2 - ext->y1);
	pixman_image_set_clip_region32(dst, NULL);
	pixman_image_set_transform(item->image, NULL);
	pixman_region32_fini(&clip);
}

static void draw_item(struct render_item *item, pixman_image_t *dst,
	const pixman_region32_t *region)
{
	gwl_surface_begin_access(item->surface);
	draw_item_image(item, dst, region);
	gwl_surface_end_access(item->surface);
}

static void fill_background(struct gwl_server *server, pixman_image_t *dst,
	const pixman_region32_t *region, const pixman_region32_t *covered)
{
	pixman_region32_t bg;
	pixman_region32_init(&bg);
	pixman_region32_subtract(&bg, (pixman_region32_t *)region,
		(pixman_region32_t *)covered);
	uint32_t c = server->background;
	pixman_color_t color = {
		.red = (uint16_t)(((c >> 16) & 0xff) * 0x101),
		.green = (uint16_t)(((c >> 8) & 0xff) * 0x101),
		.blue = (uint16_t)((c & 0xff) * 0x101),
		.alpha = 0xffff,
	};
	int n;
	pixman_box32_t *boxes = pixman_region32_rectangles(&bg, &n);
	if (n > 0)
		pixman_image_fill_boxes(PIXMAN_OP_SRC, dst, &color, n, boxes);
	pixman_region32_fini(&bg);
}

static void collect_callbacks(struct gwl_output *output, struct render_item *item)
{
	struct gwl_surface *s = item->surface;
	uint32_t bit = 1u << output->index;
	gwl_surface_update_outputs(s, item->intersects ? s->output_mask | bit
		: s->output_mask & ~bit);
	if (!pixman_region32_not_empty(&item->visible)) {
		s->shown_mask &= ~bit;
		return;
	}
	s->shown_mask |= bit;
	if (!wl_list_empty(&s->frame_callbacks))
		gwl_output_await_surface(output, s);
	wl_list_insert_list(output->frame_callbacks.prev, &s->frame_callbacks);
	wl_list_init(&s->frame_callbacks);
	wl_list_insert_list(output->feedbacks.prev, &s->feedbacks);
	wl_list_init(&s->feedbacks);
}

/* A list and its items array, reused from the output's last frame when it
 * kept one: a frame allocates nothing for its list. */
static struct gwl_render_list *list_alloc(struct gwl_output *output)
{
	struct gwl_render_list *list = output->list_cache;
	output->list_cache = NULL;
	if (!list)
		return calloc(1, sizeof(*list));
	struct render_item *items = list->items;
	int cap = list->cap;
	*list = (struct gwl_render_list){ .items = items, .cap = cap };
	return list;
}

void gwl_render_list_cache_free(struct gwl_output *output)
{
	if (!output || !output->list_cache)
		return;
	free(output->list_cache->items);
	free(output->list_cache);
	output->list_cache = NULL;
}

struct gwl_render_list *gwl_render_list_build(struct gwl_output *output, bool collect)
{
	struct gwl_render_list *list = list_alloc(output);
	if (!list)
		return NULL;
	struct gwl_server *server = output->server;
	list->output = output;
	list->collect = collect;
	gwl_output_layout_matrix(output, &list->layout);
	gwl_scene_for_each_surface(server, add_surface, list);
	struct gwl_surface *icon = server->seat ? gwl_data_device_dnd_icon(server->seat) : NULL;
	if (icon)
		gwl_surface_for_each(icon, (int32_t)server->seat->lx,
			(int32_t)server->seat->ly, add_surface, list);
	if (server->seat)
		add_cursor(list, server->seat);
	pixman_region32_init(&list->covered);
	compute_visibility(list, &list->covered);
	return list;
}

void gwl_render_list_draw(struct gwl_render_list *list, pixman_image_t *image,
	const pixman_region32_t *region)
{
	fill_background(list->output->server, image, region, &list->covered);
	for (int i = 0; i < list->count - (list->lifted ? 1 : 0); i++)
		draw_item(&list->items[i], image, region);
}

void gwl_render_list_collect(struct gwl_render_list *list)
{
	for (int i = 0; list->collect && i < list->count; i++) {
		if (list->items[i].surface)
			collect_callbacks(list->output, &list->items[i]);
	}
	list->collect = false;
}

void gwl_render_list_finish(struct gwl_render_list *list)
{
	if (!list)
		return;
	gwl_render_list_collect(list);
	for (int i = 0; i < list->count; i++) {
		pixman_region32_fini(&list->items[i].visible);
		pixman_region32_fini(&list->items[i].opaque);
	}
	pixman_region32_fini(&list->covered);
	struct gwl_output *output = list->output;
	if (!output->list_cache) {
		output->list_cache = list;
		return;
	}
	free(list->items);
	free(list);
}

bool gwl_render_output(struct gwl_output *output, pixman_image_t *image,
	const pixman_region32_t *region, bool collect)
{
	struct gwl_render_list *list = gwl_render_list_build(output, collect);
	if (!list)
		return false;
	if (image)
		gwl_render_list_draw(list, image, region);
	gwl_render_list_finish(list);
	return true;
}

/* Buffer pixels are output pixels: no scale, rotation or offset. */
static bool is_identity(const struct pixman_f_transform *m)
{
	return m->m[0][0] == 1 && m->m[0][1] == 0 && m->m[0][2] == 0 &&
		m->m[1][0] == 0 && m->m[1][1] == 1 && m->m[1][2] == 0;
}

static bool covers_output(const struct render_item *item, const struct gwl_output *o)
{
	pixman_box32_t box = { 0, 0, o->width, o->height };
	pixman_region32_t *visible = (pixman_region32_t *)&item->visible;
	pixman_region32_t *opaque = (pixman_region32_t *)&item->opaque;
	return pixman_region32_contains_rectangle(visible, &box) == PIXMAN_REGION_IN &&
		pixman_region32_contains_rectangle(opaque, &box) == PIXMAN_REGION_IN;
}

struct gwl_surface *gwl_render_list_scanout(const struct gwl_render_list *list)
{
	const struct render_item *found = NULL;
	for (int i = 0; i < list->count; i++) {
		const struct render_item *item = &list->items[i];
		if (!pixman_region32_not_empty((pixman_region32_t *)&item->visible))
			continue;
		if (found)
			return NULL; /* two things to show */
		found = item;
	}
	struct gwl_output *o = list->output;
	struct gwl_surface *s = found ? found->surface : NULL;
	if (!s || !s->hold.buffer || s->buffer_w != o->width || s->buffer_h != o->height ||
		!is_identity(&found->to_output) || !covers_output(found, o))
		return NULL;
	return s;
}

struct gwl_surface *gwl_render_list_overlay(const struct gwl_render_list *list,
	pixman_box32_t *box, bool *translucent)
{
	const struct render_item *top = list->count ? &list->items[list->count - 1] : NULL;
	struct gwl_surface *s = top ? top->surface : NULL;
	if (!s || !s->hold.buffer || s->buffer_w != s->width || s->buffer_h != s->height)
		return NULL;
	int32_t x, y;
	if (!item_offset(top, &x, &y))
		return NULL;
	*box = (pixman_box32_t){ x, y, x + s->width, y + s->height };
	const struct gwl_output *o = list->output;
	if (box->x1 < 0 || box->y1 < 0 || box->x2 > o->width || box->y2 > o->height)
		return NULL;
	pixman_region32_t *visible = (pixman_region32_t *)&top->visible;
	pixman_region32_t *opaque = (pixman_region32_t *)&top->opaque;
	if (pixman_region32_contains_rectangle(visible, box) != PIXMAN_REGION_IN)
		return NULL;
	*translucent = pixman_region32_contains_rectangle(opaque, box) != PIXMAN_REGION_IN;
	if (*translucent && !o->overlay_blends)
		return NULL;
	return s;
}

void gwl_render_list_lift(struct gwl_render_list *list)
{
	list->lifted = list->count > 0;
}

/* A 12x19 arrow: 'X' black outline, '.' white fill. */
static const char *const arrow[] = {
	"X           ", "XX          ", "X.X         ", "X..X        ",
	"X...X       ", "X....X      ", "X.....X     ", "X......X    ",
	"X.......X   ", "X........X  ", "X.........X ", "X..........X",
	"X......XXXXX", "X...X..X    ", "X..XX..X    ", "X.X  X..X   ",
	"XX   X..X   ", "X     X..X  ", "      XXX   ",
};

pixman_image_t *gwl_render_default_cursor(void)
{
	static pixman_image_t *image;
	static uint32_t pixels[19][12];
	if (image)
		return image;
	for (int y = 0; y < 19; y++) {
		for (int x = 0; x < 12; x++) {
			char c = arrow[y][x];
			pixels[y][x] = c == 'X' ? 0xff000000 : c == '.' ? 0xffffffff : 0;
		}
	}
	image = pixman_image_create_bits(PIXMAN_a8r8g8b8, 12, 19, &pixels[0][0],
		12 * sizeof(uint32_t));
	return image;
}
