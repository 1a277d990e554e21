//! The `cinegraph` binary: parses arguments, calls the library, maps errors to exit codes.

// The function budget (threshold in clippy.toml): a function reads at once.
#![warn(clippy::too_many_lines)]

mod cli;

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// mimalloc as the global allocator. Extraction allocates many small, short-lived values
/// (tokens, mentions, IRIs) from several threads; mimalloc serves them several times faster
/// than the system allocator.
///
/// Unlike the `mimalloc` crate's allocator, which always takes mimalloc's aligned entry points,
/// an allocation whose alignment every mimalloc block has (at most that of a pointer, as for
/// strings and most vectors) takes the plain ones: about 600 allocations a review, each some
/// thirty instructions shorter.
struct MiMalloc;

/// The alignment every block `mi_malloc` returns has, whatever its size.
const PLAIN_ALIGN: usize = std::mem::align_of::<usize>();

/// A fresh block for `layout`, from `plain` (size) when mimalloc's own alignment is enough,
/// else from `aligned` (size, alignment).
///
/// # Safety
/// `plain` and `aligned` are mimalloc allocation functions taking those arguments.
#[inline]
unsafe fn allocate(
    layout: Layout,
    plain: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    // SAFETY: plain FFI calls; mimalloc returns null or a block of the asked size.
    unsafe {
        if layout.align() <= PLAIN_ALIGN {
            plain(layout.size()) as *mut u8
        } else {
            aligned(layout.size(), layout.align()) as *mut u8
        }
    }
}

// SAFETY: every function passes the layout's size (and, past `PLAIN_ALIGN`, its alignment) to
// the mimalloc function made for it, and frees with `mi_free`, which takes any mimalloc block.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocation functions.
        unsafe { allocate(layout, mi::mi_malloc, mi::mi_malloc_aligned) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocation functions.
        unsafe { allocate(layout, mi::mi_zalloc, mi::mi_zalloc_aligned) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator, that is from mimalloc.
        unsafe { mi::mi_free(ptr as *mut c_void) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout`'s alignment.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
            } else {
                mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
            }
        }
    }
}

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (`mimalloc.h`); `libmimalloc-sys`
/// names only the options that mimalloc 2 shares.
const MI_OPTION_PURGE_DELAY: mi::mi_option_t = 15;

/// How long, in milliseconds, mimalloc keeps freed memory before giving it back to the system:
/// never (`-1`), since the command exits when its work is done.
///
/// Its default (one second) is shorter than a corpus run: memory freed by one review was
/// returned and then faulted in again, zeroed, for the next, some 3,000 page faults and 3% of the
/// CPU on the IMDB corpus. A longer delay is not enough (ten seconds still purged 140 MiB in
/// 0.8 s: `MIMALLOC_SHOW_STATS=1`); the peak stays the same.
const PURGE_DELAY_MS: std::ffi::c_long = -1;

fn main() -> std::process::ExitCode {
    // A user's own `MIMALLOC_PURGE_DELAY` wins.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets an option before any other thread exists.
        unsafe { mi::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
    cli::main()
}
