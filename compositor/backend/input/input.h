/* SPDX-License-Identifier: MIT */
/* libinput (udev backend, or path backend for tests) feeding the seat. */
#ifndef GUESTWL_INPUT_H
#define GUESTWL_INPUT_H

#include <stdbool.h>

struct gwl_server;
struct gwl_session;
struct gwl_input;
struct udev;

/* udev backend on seat; session opens the devices (NULL: plain open). */
struct gwl_input *gwl_input_create_udev(struct gwl_server *server, struct udev *udev,
	struct gwl_session *session, const char *seat);
/* Path backend: the given event device nodes (tests). */
struct gwl_input *gwl_input_create_path(struct gwl_server *server, const char *const *paths,
	int n_paths);
void gwl_input_suspend(struct gwl_input *input);
void gwl_input_resume(struct gwl_input *input);
void gwl_input_destroy(struct gwl_input *input);

#endif
