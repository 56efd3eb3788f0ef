/* SPDX-License-Identifier: MIT */
/*
 * guestwl_test must be advertised only with --test-protocol: an ordinary
 * session never lets a client read pixels or fake input. Also checks that
 * the core globals the other tests rely on are present.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

static void check_instance(bool with_test_protocol)
{
	struct fx_compositor_options o = {
		.no_test_protocol = !with_test_protocol,
	};
	struct fx_compositor *c = fx_compositor_start(&o);
	struct fx_client *cl = fx_client_connect(c);

	if (with_test_protocol)
		FX_CHECK(cl->test != NULL,
			 "guestwl_test missing with --test-protocol");
	else
		FX_CHECK(cl->test == NULL,
			 "guestwl_test advertised WITHOUT --test-protocol");
	FX_CHECK(cl->compositor_version >= 5, "wl_compositor v%u < 5",
		 cl->compositor_version);
	FX_CHECK(cl->subcompositor != NULL, "no wl_subcompositor");
	FX_CHECK(cl->seat != NULL, "no wl_seat");
	FX_CHECK(cl->output != NULL, "no wl_output");
	FX_CHECK(cl->ddm != NULL, "no wl_data_device_manager");
	FX_CHECK(cl->viewporter != NULL, "no wp_viewporter");
	FX_CHECK(cl->presentation != NULL, "no wp_presentation");
	FX_CHECK(cl->decoration != NULL, "no zxdg_decoration_manager_v1");
	FX_CHECK(cl->spb != NULL, "no wp_single_pixel_buffer_manager_v1");
	FX_CHECK(fx_client_has_format(cl, WL_SHM_FORMAT_ARGB8888) &&
		 fx_client_has_format(cl, WL_SHM_FORMAT_XRGB8888),
		 "wl_shm lacks the mandatory formats");
	fx_client_destroy(cl);
	if (!fx_compositor_stop(c))
		FX_CHECK(false, "compositor did not exit cleanly");
	free(c);
}

int main(void)
{
	check_instance(false);
	check_instance(true);
	return fx_finish(NULL);
}
