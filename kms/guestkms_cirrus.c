// SPDX-License-Identifier: GPL-2.0
/*
 * guestkms: Cirrus Logic CLGD 5446 as emulated by QEMU (-device cirrus-vga).
 *
 * 4 MiB of VRAM in BAR 0, the VGA registers 0x3c0-0x3df memory-mapped at
 * the start of BAR 1. The scanout is 16, 24 or 32 bpp with a pitch that is
 * a multiple of 8 bytes and at most 4088 bytes; the core converts the
 * XRGB8888 (or other) framebuffers into it.
 */
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/sizes.h>

#include <drm/drm_fourcc.h>
#include <drm/drm_print.h>

#include <video/vga.h>

#include "guestkms.h"

#define CIRRUS_VRAM_SIZE	SZ_4M
#define CIRRUS_MAX_PITCH	(0x1ff << 3)
/* Display end fits 8 bits of characters, vertical display end 10 bits. */
#define CIRRUS_MAX_WIDTH	2048
#define CIRRUS_MAX_HEIGHT	1024

/* Offsets of the VGA ports inside the MMIO BAR. */
#define CIRRUS_PORT(p)		((p) - 0x3c0)
#define CIRRUS_CRT_EXT_BLANK	0x1a
#define CIRRUS_CRT_EXT_DISP	0x1b
#define CIRRUS_CRT_OVERLAY	0x1d
#define CIRRUS_SEQ_EXT_MODE	0x07

static void cirrus_wreg(struct guestkms_device *gdev, u16 index_port,
			u8 reg, u8 val)
{
	iowrite8(reg, gdev->mmio + CIRRUS_PORT(index_port));
	iowrite8(val, gdev->mmio + CIRRUS_PORT(index_port + 1));
}

static u8 cirrus_rreg(struct guestkms_device *gdev, u16 index_port, u8 reg)
{
	iowrite8(reg, gdev->mmio + CIRRUS_PORT(index_port));
	return ioread8(gdev->mmio + CIRRUS_PORT(index_port + 1));
}

static void cirrus_crt(struct guestkms_device *gdev, u8 reg, u8 val)
{
	cirrus_wreg(gdev, VGA_CRT_IC, reg, val);
}

/* The hidden DAC register is written after four reads of the pel mask. */
static void cirrus_write_hdr(struct guestkms_device *gdev, u8 val)
{
	int i;

	for (i = 0; i < 4; i++)
		ioread8(gdev->mmio + CIRRUS_PORT(VGA_PEL_MSK));
	iowrite8(val, gdev->mmio + CIRRUS_PORT(VGA_PEL_MSK));
}

static void cirrus_blank(struct guestkms_device *gdev, bool blank)
{
	(void)ioread8(gdev->mmio + CIRRUS_PORT(VGA_IS1_RC));
	iowrite8(blank ? 0 : 0x20, gdev->mmio + CIRRUS_PORT(VGA_ATT_W));
}

static int cirrus_init(struct guestkms_device *gdev)
{
	struct pci_dev *pdev = to_pci_dev(gdev->drm.dev);
	resource_size_t size;
	int ret;

	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_MEM) ||
	    !(pci_resource_flags(pdev, 1) & IORESOURCE_MEM))
		return -ENODEV;
	ret = pci_request_regions(pdev, GUESTKMS_NAME);
	if (ret)
		return ret;
	size = min_t(resource_size_t, pci_resource_len(pdev, 0),
		     CIRRUS_VRAM_SIZE);
	gdev->vram = devm_ioremap_wc(&pdev->dev, pci_resource_start(pdev, 0),
				     size);
	if (!gdev->vram)
		return -ENOMEM;
	gdev->vram_size = size;
	gdev->mmio_size = pci_resource_len(pdev, 1);
	if (gdev->mmio_size < 0x20)
		return -ENODEV;
	gdev->mmio = devm_ioremap(&pdev->dev, pci_resource_start(pdev, 1),
				  gdev->mmio_size);
	if (!gdev->mmio)
		return -ENOMEM;
	gdev->has_vga = true;
	gdev->max_width = CIRRUS_MAX_WIDTH;
	gdev->max_height = CIRRUS_MAX_HEIGHT;
	return 0;
}

static int cirrus_try_depth(struct guestkms_device *gdev,
			    const struct drm_display_mode *mode,
			    unsigned int cpp, struct guestkms_scanout *so)
{
	unsigned int pitch = ALIGN(mode->hdisplay * cpp, 8);

	if (pitch > CIRRUS_MAX_PITCH ||
	    (u64)pitch * mode->vdisplay > gdev->vram_size)
		return -EINVAL;
	so->cpp = cpp;
	so->pitch = pitch;
	so->width = mode->hdisplay;
	so->height = mode->vdisplay;
	so->format = cpp == 4 ? DRM_FORMAT_XRGB8888 :
		     cpp == 3 ? DRM_FORMAT_RGB888 : DRM_FORMAT_RGB565;
	return 0;
}

static int cirrus_scanout(struct guestkms_device *gdev,
			  const struct drm_display_mode *mode,
			  struct guestkms_scanout *so)
{
	unsigned int cpp;

	if (mode->hdisplay % 8 || mode->hdisplay > CIRRUS_MAX_WIDTH ||
	    mode->vdisplay > CIRRUS_MAX_HEIGHT)
		return -EINVAL;
	switch (gdev->cirrus_bpp) {
	case 16:
	case 24:
	case 32:
		return cirrus_try_depth(gdev, mode, gdev->cirrus_bpp / 8, so);
	default:
		for (cpp = 4; cpp >= 2; cpp--)
			if (!cirrus_try_depth(gdev, mode, cpp, so))
				return 0;
		return -EINVAL;
	}
}

static void cirrus_set_timings(struct guestkms_device *gdev,
			       const struct drm_display_mode *mode)
{
	unsigned int htotal = (mode->htotal >> 3) - 5;
	unsigned int hdisp = (mode->hdisplay >> 3) - 1;
	unsigned int hss = (mode->hsync_start >> 3) + 1;
	unsigned int hse = (mode->hsync_end >> 3) + 1;
	unsigned int vtotal = mode->vtotal - 2;
	unsigned int vdisp = mode->vdisplay - 1;
	u8 ovf, ext;

	cirrus_crt(gdev, VGA_CRTC_V_SYNC_END, 0x20);	/* unlock CR0-7 */
	cirrus_crt(gdev, VGA_CRTC_H_TOTAL, htotal);
	cirrus_crt(gdev, VGA_CRTC_H_DISP, hdisp);
	cirrus_crt(gdev, VGA_CRTC_H_SYNC_START, hss);
	cirrus_crt(gdev, VGA_CRTC_H_SYNC_END, hse);
	cirrus_crt(gdev, VGA_CRTC_V_TOTAL, vtotal);
	cirrus_crt(gdev, VGA_CRTC_V_DISP_END, vdisp);
	cirrus_crt(gdev, VGA_CRTC_MAX_SCAN,
		   0x40 | (((vdisp + 1) & 0x200) ? 0x20 : 0));

	ovf = 0x10;
	ovf |= (vtotal & 0x100) ? 0x01 : 0;
	ovf |= (vdisp & 0x100) ? 0x02 : 0;
	ovf |= ((vdisp + 1) & 0x100) ? 0x08 : 0;
	ovf |= (vtotal & 0x200) ? 0x20 : 0;
	ovf |= (vdisp & 0x200) ? 0x40 : 0;
	cirrus_crt(gdev, VGA_CRTC_OVERFLOW, ovf);

	ext = 0;
	ext |= ((htotal + 5) & 0x40) ? 0x10 : 0;
	ext |= ((htotal + 5) & 0x80) ? 0x20 : 0;
	ext |= (vtotal & 0x100) ? 0x40 : 0;
	ext |= (vtotal & 0x200) ? 0x80 : 0;
	cirrus_crt(gdev, CIRRUS_CRT_EXT_BLANK, ext);
	cirrus_crt(gdev, VGA_CRTC_MODE, 0x03);
}

static void cirrus_set_mode(struct guestkms_device *gdev,
			    const struct drm_display_mode *mode,
			    const struct guestkms_scanout *so)
{
	unsigned int offset = so->pitch >> 3;
	u8 sr07, hdr;

	cirrus_set_timings(gdev, mode);

	sr07 = cirrus_rreg(gdev, VGA_SEQ_I, CIRRUS_SEQ_EXT_MODE) & 0xe0;
	switch (so->cpp) {
	case 2:
		sr07 |= 0x17;
		hdr = 0xc1;
		break;
	case 3:
		sr07 |= 0x15;
		hdr = 0xc5;
		break;
	default:
		sr07 |= 0x19;
		hdr = 0xc5;
		break;
	}
	cirrus_wreg(gdev, VGA_SEQ_I, CIRRUS_SEQ_EXT_MODE, sr07);

	/* Pitch in units of 8 bytes, bit 8 in CR1B bit 4. */
	cirrus_crt(gdev, VGA_CRTC_OFFSET, offset & 0xff);
	cirrus_crt(gdev, CIRRUS_CRT_EXT_DISP,
		   0x22 | ((offset & 0x100) ? 0x10 : 0));
	/* Start address 0. */
	cirrus_crt(gdev, VGA_CRTC_START_HI, 0);
	cirrus_crt(gdev, VGA_CRTC_START_LO, 0);
	cirrus_crt(gdev, CIRRUS_CRT_OVERLAY,
		   cirrus_rreg(gdev, VGA_CRT_IC, CIRRUS_CRT_OVERLAY) & 0x7f);

	cirrus_wreg(gdev, VGA_GFX_I, VGA_GFX_MODE, 0x40);
	cirrus_wreg(gdev, VGA_GFX_I, VGA_GFX_MISC, 0x01);
	cirrus_write_hdr(gdev, hdr);
	cirrus_blank(gdev, false);
}

static void cirrus_disable(struct guestkms_device *gdev)
{
	cirrus_blank(gdev, true);
}

const struct guestkms_hw_funcs guestkms_cirrus_funcs = {
	.name = "cirrus",
	.connector_type = DRM_MODE_CONNECTOR_VGA,
	.init = cirrus_init,
	.scanout = cirrus_scanout,
	.set_mode = cirrus_set_mode,
	.disable = cirrus_disable,
};
