//! mimalloc, through its plain entry points for blocks that need no more than pointer
//! alignment, which every mimalloc block has: `MiMalloc` always takes the aligned path, a few
//! instructions more on each of the batch's many small allocations.
//!
//! A file of its own so that `examples/grade_loop.rs` can time the library with the allocator
//! a batch grades with.

use libmimalloc_sys as ffi;
use mimalloc::MiMalloc;
use std::alloc::{GlobalAlloc, Layout};

pub struct Fast;

fn plain(layout: Layout) -> bool {
    layout.align() <= std::mem::align_of::<usize>()
}

// SAFETY: every mimalloc block has at least pointer alignment, so the plain entry points serve
// the layouts that need no more; `MiMalloc` serves the others; `mi_free` (behind
// `MiMalloc::dealloc`) frees blocks from either.
unsafe impl GlobalAlloc for Fast {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(layout) {
            unsafe { ffi::mi_malloc(layout.size()).cast() }
        } else {
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(layout) {
            unsafe { ffi::mi_zalloc(layout.size()).cast() }
        } else {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(layout) {
            unsafe { ffi::mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}
