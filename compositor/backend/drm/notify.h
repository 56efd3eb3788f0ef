/* SPDX-License-Identifier: MIT */
/*
 * --notify-fd N: guestwl writes "ready\n" once the Wayland socket listens
 * and "presented <app_id or pid>\n" the first time each client window's
 * content reached the screen (a page flip completed with it), then
 * "input-ready\n" (or "input-failed\n") once the input devices are open.
 */
#ifndef GUESTWL_NOTIFY_H
#define GUESTWL_NOTIFY_H

#include <stdbool.h>

struct gwl_server;
struct gwl_output;

/* Takes ownership of fd (-1: notifications off). Returns false if fd is bad. */
bool gwl_notify_init(int fd);
void gwl_notify_ready(void);
/* Called by backends after gwl_output_presented(). */
void gwl_notify_presented(struct gwl_output *output);
void gwl_notify_input(bool ok);
void gwl_notify_finish(void);

#endif
