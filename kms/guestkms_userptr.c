// SPDX-License-Identifier: GPL-2.0
/*
 * guestkms: GEM objects over pinned user memory
 * (DRM_IOCTL_GUESTKMS_GEM_USERPTR, see guestkms_drm.h).
 *
 * The plane composition reads framebuffers through their kernel mapping,
 * so an object only needs its pages pinned and mapped once: a compositor
 * can then scan out a client's shared-memory buffer directly, saving the
 * copy into a dumb buffer. The pages are accounted like RDMA's: in the
 * caller's mm->pinned_vm, within RLIMIT_MEMLOCK.
 */
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "guestkms.h"
#include "guestkms_drm.h"

/* The largest framebuffer: GUESTKMS_MAX_FB_DIM squared at 4 bytes. */
#define GUESTKMS_USERPTR_MAX_SIZE \
	((u64)GUESTKMS_MAX_FB_DIM * GUESTKMS_MAX_FB_DIM * 4)

struct guestkms_userptr {
	struct drm_gem_object base;
	struct page **pages;
	unsigned long npages;
	void *vaddr;
	struct mm_struct *mm;	/* pinned_vm holds npages */
};

#define to_guestkms_userptr(o) container_of(o, struct guestkms_userptr, base)

static void guestkms_userptr_free(struct drm_gem_object *obj)
{
	struct guestkms_userptr *up = to_guestkms_userptr(obj);

	vunmap(up->vaddr);
	unpin_user_pages(up->pages, up->npages);
	atomic64_sub(up->npages, &up->mm->pinned_vm);
	mmdrop(up->mm);
	kvfree(up->pages);
	drm_gem_object_release(obj);
	kfree(up);
}

static int guestkms_userptr_vmap(struct drm_gem_object *obj,
				 struct iosys_map *map)
{
	iosys_map_set_vaddr(map, to_guestkms_userptr(obj)->vaddr);
	return 0;
}

static void guestkms_userptr_vunmap(struct drm_gem_object *obj,
				    struct iosys_map *map)
{
	/* The mapping lives as long as the object. */
}

static struct dma_buf *guestkms_userptr_export(struct drm_gem_object *obj,
					       int flags)
{
	return ERR_PTR(-EOPNOTSUPP);
}

/* No .mmap and no .vm_ops: drm_gem_mmap() refuses them with -EINVAL. */
static const struct drm_gem_object_funcs guestkms_userptr_funcs = {
	.free = guestkms_userptr_free,
	.vmap = guestkms_userptr_vmap,
	.vunmap = guestkms_userptr_vunmap,
	.export = guestkms_userptr_export,
};

static int guestkms_userptr_account(struct mm_struct *mm, unsigned long npages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	s64 pinned = atomic64_add_return(npages, &mm->pinned_vm);

	if (pinned > limit && !capable(CAP_IPC_LOCK)) {
		atomic64_sub(npages, &mm->pinned_vm);
		return -ENOMEM;
	}
	return 0;
}

static int guestkms_userptr_pin(struct guestkms_userptr *up, u64 addr)
{
	unsigned long done = 0;
	int ret;

	while (done < up->npages) {
		ret = pin_user_pages_fast(addr + done * PAGE_SIZE,
					  up->npages - done, FOLL_LONGTERM,
					  up->pages + done);
		if (ret <= 0) {
			unpin_user_pages(up->pages, done);
			return ret ? ret : -EFAULT;
		}
		done += ret;
	}
	return 0;
}

static struct guestkms_userptr *
guestkms_userptr_create(struct drm_device *drm, u64 addr, u64 size)
{
	struct guestkms_userptr *up;
	int ret;

	up = kzalloc(sizeof(*up), GFP_KERNEL);
	if (!up)
		return ERR_PTR(-ENOMEM);
	up->npages = size >> PAGE_SHIFT;
	up->pages = kvmalloc_array(up->npages, sizeof(*up->pages), GFP_KERNEL);
	ret = -ENOMEM;
	if (!up->pages)
		goto err_free;
	up->mm = current->mm;
	ret = guestkms_userptr_account(up->mm, up->npages);
	if (ret)
		goto err_free;
	ret = guestkms_userptr_pin(up, addr);
	if (ret)
		goto err_unaccount;
	up->vaddr = vmap(up->pages, up->npages, VM_MAP, PAGE_KERNEL);
	ret = -ENOMEM;
	if (!up->vaddr)
		goto err_unpin;
	mmgrab(up->mm);
	drm_gem_private_object_init(drm, &up->base, size);
	up->base.funcs = &guestkms_userptr_funcs;
	return up;

err_unpin:
	unpin_user_pages(up->pages, up->npages);
err_unaccount:
	atomic64_sub(up->npages, &up->mm->pinned_vm);
err_free:
	kvfree(up->pages);
	kfree(up);
	return ERR_PTR(ret);
}

int guestkms_gem_userptr_ioctl(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct drm_guestkms_gem_userptr *args = data;
	struct guestkms_userptr *up;
	int ret;

	if (args->flags || !args->size || !PAGE_ALIGNED(args->addr) ||
	    !PAGE_ALIGNED(args->size) ||
	    args->size > GUESTKMS_USERPTR_MAX_SIZE) {
		drm_dbg_kms(drm, "userptr: bad range 0x%llx+0x%llx flags 0x%x\n",
			    args->addr, args->size, args->flags);
		return -EINVAL;
	}
	if (!access_ok(u64_to_user_ptr(args->addr), args->size))
		return -EFAULT;
	if (!current->mm)
		return -EFAULT;

	up = guestkms_userptr_create(drm, args->addr, args->size);
	if (IS_ERR(up)) {
		drm_dbg_kms(drm, "userptr: 0x%llx+0x%llx: %ld\n", args->addr,
			    args->size, PTR_ERR(up));
		return PTR_ERR(up);
	}
	ret = drm_gem_handle_create(file, &up->base, &args->handle);
	/* The handle holds the object now, or it goes away on failure. */
	drm_gem_object_put(&up->base);
	return ret;
}
