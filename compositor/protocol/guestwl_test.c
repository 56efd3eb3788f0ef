// SPDX-License-Identifier: MIT
/* guestwl_test: screenshots, window placement, input injection, idle barrier.
 * Registered only with --test-protocol. */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>
#include <wayland-server-protocol.h>

#include "guestwl-test-server-protocol.h"
#include "guestwl/output.h"
#include "guestwl/render.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/window.h"

static struct gwl_server *server_of(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void test_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void screenshot_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct guestwl_test_screenshot_interface screenshot_impl = {
	.destroy = screenshot_destroy,
};

static const char *take_screenshot(struct gwl_output *output, int fd, uint32_t *w, uint32_t *h)
{
	pixman_image_t *image = NULL;
	if (output->impl->front_image && gwl_output_is_idle(output))
		image = output->impl->front_image(output);
	if (image)
		pixman_image_ref(image);
	else
		image = gwl_output_snapshot(output);
	if (!image)
		return "cannot read the output";
	*w = (uint32_t)pixman_image_get_width(image);
	*h = (uint32_t)pixman_image_get_height(image);
	const char *err = gwl_write_png(image, fd);
	pixman_image_unref(image);
	return err;
}

static void test_screenshot(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *output_resource, int32_t fd, uint32_t id)
{
	struct gwl_server *server = server_of(resource);
	struct wl_resource *cb = wl_resource_create(client, &guestwl_test_screenshot_interface,
		1, id);
	if (!cb) {
		close(fd);
		wl_resource_post_no_memory(resource);
		return;
	}
	wl_resource_set_implementation(cb, &screenshot_impl, NULL, NULL);
	int flags = fcntl(fd, F_GETFL);
	struct stat st;
	if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY || fstat(fd, &st) < 0) {
		close(fd);
		wl_resource_post_error(resource, GUESTWL_TEST_ERROR_INVALID_FD,
			"screenshot fd is not writable");
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		/* A pipe could block the compositor while the client is not reading. */
		close(fd);
		guestwl_test_screenshot_send_failed(cb, "the fd must be a regular file or memfd");
		return;
	}
	struct gwl_output *output = gwl_output_from_resource(output_resource);
	if (!output && !output_resource && !wl_list_empty(&server->outputs))
		output = wl_container_of(server->outputs.next, output, link);
	uint32_t w = 0, h = 0;
	const char *err = output ? take_screenshot(output, fd, &w, &h) : "no such output";
	close(fd);
	if (err)
		guestwl_test_screenshot_send_failed(cb, err);
	else
		guestwl_test_screenshot_send_done(cb, w, h);
}

static void test_move_surface(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *surface_resource, int32_t x, int32_t y)
{
	struct gwl_surface *surface = gwl_surface_from_resource(surface_resource);
	struct gwl_window *window = gwl_window_from_surface(gwl_surface_root(surface));
	if (!window || window->kind != GWL_WINDOW_TOPLEVEL) {
		wl_resource_post_error(resource, GUESTWL_TEST_ERROR_INVALID_SURFACE,
			"wl_surface@%u has no toplevel window",
			wl_resource_get_id(surface_resource));
		return;
	}
	int32_t sx = 0, sy = 0, rx, ry;
	if (surface != window->surface && gwl_surface_layout_pos(surface, &sx, &sy) &&
		gwl_surface_layout_pos(window->surface, &rx, &ry)) {
		sx -= rx;
		sy -= ry;
	}
	window->user_placed = true;
	gwl_window_move(window, gwl_clamp_coord((int64_t)x - sx), gwl_clamp_coord((int64_t)y - sy));
}

static void test_pointer_motion_absolute(struct wl_client *client,
	struct wl_resource *resource, wl_fixed_t x, wl_fixed_t y)
{
	gwl_seat_pointer_motion_absolute(server_of(resource)->seat, wl_fixed_to_double(x),
		wl_fixed_to_double(y), gwl_now_msec());
}

static void test_pointer_button(struct wl_client *client, struct wl_resource *resource,
	uint32_t button, uint32_t state)
{
	gwl_seat_pointer_button(server_of(resource)->seat, button,
		state ? WL_POINTER_BUTTON_STATE_PRESSED : WL_POINTER_BUTTON_STATE_RELEASED,
		gwl_now_msec());
}

static void test_pointer_axis(struct wl_client *client, struct wl_resource *resource,
	uint32_t axis, wl_fixed_t value, int32_t value120)
{
	gwl_seat_pointer_axis(server_of(resource)->seat, axis, wl_fixed_to_double(value),
		value120, gwl_now_msec());
}

static void test_key(struct wl_client *client, struct wl_resource *resource, uint32_t key,
	uint32_t state)
{
	gwl_seat_key(server_of(resource)->seat, key,
		state ? WL_KEYBOARD_KEY_STATE_PRESSED : WL_KEYBOARD_KEY_STATE_RELEASED,
		gwl_now_msec());
}

static void test_touch_down(struct wl_client *client, struct wl_resource *resource,
	int32_t id, wl_fixed_t x, wl_fixed_t y)
{
	gwl_seat_touch_down(server_of(resource)->seat, id, wl_fixed_to_double(x),
		wl_fixed_to_double(y), gwl_now_msec());
}

static void test_touch_motion(struct wl_client *client, struct wl_resource *resource,
	int32_t id, wl_fixed_t x, wl_fixed_t y)
{
	gwl_seat_touch_motion(server_of(resource)->seat, id, wl_fixed_to_double(x),
		wl_fixed_to_double(y), gwl_now_msec());
}

static void test_touch_up(struct wl_client *client, struct wl_resource *resource, int32_t id)
{
	gwl_seat_touch_up(server_of(resource)->seat, id, gwl_now_msec());
}

static void test_touch_frame(struct wl_client *client, struct wl_resource *resource)
{
	gwl_seat_touch_frame(server_of(resource)->seat);
}

static void waiter_destroy(struct wl_resource *resource)
{
	struct gwl_idle_waiter *w = wl_resource_get_user_data(resource);
	wl_list_remove(&w->link);
	free(w);
}

static void test_wait_idle(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	struct gwl_server *server = server_of(resource);
	struct gwl_idle_waiter *w = calloc(1, sizeof(*w));
	struct wl_resource *cb = w ? wl_resource_create(client, &wl_callback_interface, 1, id)
		: NULL;
	if (!cb) {
		free(w);
		wl_resource_post_no_memory(resource);
		return;
	}
	w->callback = cb;
	struct gwl_output *o;
	wl_list_for_each(o, &server->outputs, link)
		w->target[o->index] = gwl_output_barrier_target(o);
	wl_resource_set_implementation(cb, NULL, w, waiter_destroy);
	wl_list_insert(server->idle_waiters.prev, &w->link);
	gwl_server_check_idle(server);
}

static const struct guestwl_test_interface test_impl = {
	.destroy = test_destroy,
	.screenshot = test_screenshot,
	.move_surface = test_move_surface,
	.pointer_motion_absolute = test_pointer_motion_absolute,
	.pointer_button = test_pointer_button,
	.pointer_axis = test_pointer_axis,
	.key = test_key,
	.touch_down = test_touch_down,
	.touch_motion = test_touch_motion,
	.touch_up = test_touch_up,
	.touch_frame = test_touch_frame,
	.wait_idle = test_wait_idle,
};

static void test_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &guestwl_test_interface, version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &test_impl, data, NULL);
}

bool gwl_test_init(struct gwl_server *server)
{
	return wl_global_create(server->display, &guestwl_test_interface, 1, server,
		test_bind) != NULL;
}
