// SPDX-License-Identifier: GPL-2.0
/*
 * guestkms: Bochs DISPI family (QEMU -device VGA and -device bochs-display).
 *
 * Registers are in the MMIO BAR 2 when present (EDID block at 0x000, VGA
 * ports 0x3c0-0x3df at 0x400, DISPI at 0x500, QEMU extensions at 0x600),
 * otherwise the DISPI registers are reached through I/O ports 0x1ce/0x1cf.
 */
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/sizes.h>

#include <drm/drm_edid.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_print.h>

#include <video/vga.h>

#include "guestkms.h"

#define DISPI_IOPORT_INDEX	0x01ce
#define DISPI_IOPORT_DATA	0x01cf

enum {
	DISPI_ID = 0,
	DISPI_XRES,
	DISPI_YRES,
	DISPI_BPP,
	DISPI_ENABLE,
	DISPI_BANK,
	DISPI_VIRT_WIDTH,
	DISPI_VIRT_HEIGHT,
	DISPI_X_OFFSET,
	DISPI_Y_OFFSET,
	DISPI_VIDEO_MEMORY_64K,
};

#define DISPI_ID_MASK		0xfff0
#define DISPI_ID0		0xb0c0
#define DISPI_ENABLED		0x01
#define DISPI_LFB_ENABLED	0x40
#define DISPI_NOCLEARMEM	0x80

/* QEMU limits the DISPI resolution to 16000x12000. */
#define DISPI_MAX_XRES		16000
#define DISPI_MAX_YRES		12000

#define MMIO_EDID		0x000
#define MMIO_EDID_SIZE		0x400
#define MMIO_VGA		0x400
#define MMIO_DISPI		0x500
#define MMIO_QEXT		0x600
#define QEXT_SIZE		0x0
#define QEXT_ENDIAN		0x4
#define QEXT_LITTLE_ENDIAN	0x1e1e1e1e

static u16 bochs_dispi_read(struct guestkms_device *gdev, u16 reg)
{
	if (gdev->mmio)
		return readw(gdev->mmio + MMIO_DISPI + (reg << 1));
	outw(reg, DISPI_IOPORT_INDEX);
	return inw(DISPI_IOPORT_DATA);
}

static void bochs_dispi_write(struct guestkms_device *gdev, u16 reg, u16 val)
{
	if (gdev->mmio) {
		writew(val, gdev->mmio + MMIO_DISPI + (reg << 1));
		return;
	}
	outw(reg, DISPI_IOPORT_INDEX);
	outw(val, DISPI_IOPORT_DATA);
}

static void bochs_vga_writeb(struct guestkms_device *gdev, u16 port, u8 val)
{
	if (gdev->mmio)
		writeb(val, gdev->mmio + MMIO_VGA + port - 0x3c0);
	else
		outb(val, port);
}

static u8 bochs_vga_readb(struct guestkms_device *gdev, u16 port)
{
	if (gdev->mmio)
		return readb(gdev->mmio + MMIO_VGA + port - 0x3c0);
	return inb(port);
}

/* Turn the VGA attribute controller's video output on or off. */
static void bochs_vga_blank(struct guestkms_device *gdev, bool blank)
{
	if (!gdev->has_vga)
		return;
	bochs_vga_writeb(gdev, VGA_MIS_W, VGA_MIS_COLOR);
	(void)bochs_vga_readb(gdev, VGA_IS1_RC);	/* reset flip-flop */
	bochs_vga_writeb(gdev, VGA_ATT_W, blank ? 0 : 0x20);
}

static int bochs_map_registers(struct guestkms_device *gdev,
			       struct pci_dev *pdev)
{
	if (pci_resource_flags(pdev, 2) & IORESOURCE_MEM) {
		if (pci_request_region(pdev, 2, GUESTKMS_NAME))
			return -EBUSY;
		gdev->mmio_size = pci_resource_len(pdev, 2);
		gdev->mmio = devm_ioremap(&pdev->dev, pci_resource_start(pdev, 2),
					  gdev->mmio_size);
		return gdev->mmio ? 0 : -ENOMEM;
	}
	if (!devm_request_region(&pdev->dev, DISPI_IOPORT_INDEX, 2,
				 GUESTKMS_NAME))
		return -EBUSY;
	gdev->ioports = true;
	return 0;
}

static void bochs_init_qext(struct guestkms_device *gdev,
			    struct pci_dev *pdev)
{
	u32 size;

	if (!gdev->mmio || pdev->revision < 2 ||
	    gdev->mmio_size < MMIO_QEXT + 8)
		return;
	size = readl(gdev->mmio + MMIO_QEXT + QEXT_SIZE);
	if (size < 8 || size > gdev->mmio_size - MMIO_QEXT)
		return;
	gdev->qext_size = size;
	writel(QEXT_LITTLE_ENDIAN, gdev->mmio + MMIO_QEXT + QEXT_ENDIAN);
}

static int bochs_init(struct guestkms_device *gdev)
{
	struct pci_dev *pdev = to_pci_dev(gdev->drm.dev);
	resource_size_t size, mem;
	u16 id;
	int ret;

	gdev->has_vga = (pdev->class >> 8) == PCI_CLASS_DISPLAY_VGA;
	ret = bochs_map_registers(gdev, pdev);
	if (ret)
		return ret;

	id = bochs_dispi_read(gdev, DISPI_ID);
	if ((id & DISPI_ID_MASK) != DISPI_ID0) {
		drm_err(&gdev->drm, "not a Bochs DISPI device (id 0x%x)\n", id);
		return -ENODEV;
	}
	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_MEM) ||
	    !pci_resource_start(pdev, 0))
		return -ENODEV;
	size = pci_resource_len(pdev, 0);
	mem = (resource_size_t)bochs_dispi_read(gdev, DISPI_VIDEO_MEMORY_64K) *
	      SZ_64K;
	if (mem && mem < size)
		size = mem;
	if (size < SZ_1M)
		return -ENODEV;
	if (pci_request_region(pdev, 0, GUESTKMS_NAME))
		drm_warn(&gdev->drm, "VRAM region busy, continuing\n");
	gdev->vram = devm_ioremap_wc(&pdev->dev, pci_resource_start(pdev, 0),
				     size);
	if (!gdev->vram)
		return -ENOMEM;
	gdev->vram_size = size;
	gdev->max_width = min(GUESTKMS_MAX_FB_DIM, DISPI_MAX_XRES);
	gdev->max_height = min(GUESTKMS_MAX_FB_DIM, DISPI_MAX_YRES);
	bochs_init_qext(gdev, pdev);
	return 0;
}

static int bochs_scanout(struct guestkms_device *gdev,
			 const struct drm_display_mode *mode,
			 struct guestkms_scanout *so)
{
	/* QEMU rounds XRES down to a multiple of 8 (1366 shows as 1360). */
	if (mode->hdisplay % 8 || mode->hdisplay > DISPI_MAX_XRES ||
	    mode->vdisplay > DISPI_MAX_YRES)
		return -EINVAL;
	so->format = DRM_FORMAT_XRGB8888;
	so->cpp = 4;
	so->width = mode->hdisplay;
	so->height = mode->vdisplay;
	so->pitch = so->width * so->cpp;
	return 0;
}

static void bochs_set_mode(struct guestkms_device *gdev,
			   const struct drm_display_mode *mode,
			   const struct guestkms_scanout *so)
{
	unsigned int vheight = min_t(resource_size_t,
				     gdev->vram_size / so->pitch, 0xffff);

	bochs_vga_blank(gdev, false);
	bochs_dispi_write(gdev, DISPI_ENABLE, 0);
	bochs_dispi_write(gdev, DISPI_BPP, so->cpp * 8);
	bochs_dispi_write(gdev, DISPI_XRES, so->width);
	bochs_dispi_write(gdev, DISPI_YRES, so->height);
	bochs_dispi_write(gdev, DISPI_BANK, 0);
	bochs_dispi_write(gdev, DISPI_VIRT_WIDTH, so->pitch / so->cpp);
	bochs_dispi_write(gdev, DISPI_VIRT_HEIGHT, vheight);
	bochs_dispi_write(gdev, DISPI_X_OFFSET, 0);
	bochs_dispi_write(gdev, DISPI_Y_OFFSET, 0);
	bochs_dispi_write(gdev, DISPI_ENABLE, DISPI_ENABLED |
			  DISPI_LFB_ENABLED | DISPI_NOCLEARMEM);
	if (gdev->qext_size)
		writel(QEXT_LITTLE_ENDIAN, gdev->mmio + MMIO_QEXT + QEXT_ENDIAN);
}

static void bochs_disable(struct guestkms_device *gdev)
{
	bochs_vga_blank(gdev, true);
	bochs_dispi_write(gdev, DISPI_ENABLE, 0);
}

static int bochs_edid_block(void *data, u8 *buf, unsigned int block,
			    size_t len)
{
	struct guestkms_device *gdev = data;
	size_t start = (size_t)block * EDID_LENGTH, i;

	if (start + len > MMIO_EDID_SIZE)
		return -EINVAL;
	for (i = 0; i < len; i++)
		buf[i] = readb(gdev->mmio + MMIO_EDID + start + i);
	return 0;
}

static const struct drm_edid *bochs_read_edid(struct guestkms_device *gdev)
{
	u8 header[8];

	if (!gdev->mmio || gdev->mmio_size < MMIO_EDID_SIZE)
		return NULL;
	/* QEMU leaves the block zeroed when EDID is off (edid=off). */
	bochs_edid_block(gdev, header, 0, sizeof(header));
	if (drm_edid_header_is_valid(header) != 8)
		return NULL;
	return drm_edid_read_custom(&gdev->connector, bochs_edid_block, gdev);
}

const struct guestkms_hw_funcs guestkms_bochs_funcs = {
	.name = "bochs",
	.connector_type = DRM_MODE_CONNECTOR_VIRTUAL,
	.init = bochs_init,
	.scanout = bochs_scanout,
	.set_mode = bochs_set_mode,
	.disable = bochs_disable,
	.read_edid = bochs_read_edid,
};
