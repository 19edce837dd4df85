//! The allocator of the `itdq` process: the C library's for commands that grade one answer,
//! mimalloc for the commands that grade many in parallel (`batch`, `check`).
//!
//! Why two: a batch allocates and frees millions of small blocks on every core, and mimalloc
//! does that about a quarter faster than glibc. But setting up mimalloc's heap costs page faults
//! that a one-shot `itdq grade` (a few milliseconds in all) cannot afford. So the process picks
//! one allocator before its first allocation and keeps it to the end: every block is freed by
//! the allocator that made it.
//!
//! How: glibc calls the functions of `.init_array` with the program's arguments before `main`
//! (and before the Rust runtime allocates anything). [`choose`] looks there for the name of a
//! parallel command. Anywhere else (another C library, another system) nothing chooses, and the
//! first allocation settles on the system allocator. Either choice is correct; the arguments only
//! decide which is faster.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};

const UNDECIDED: u8 = 0;
const SYSTEM: u8 = 1;
const MIMALLOC: u8 = 2;

/// Which allocator serves the process; set once, before the first allocation.
static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);

/// The subcommands that grade many answers in parallel.
const PARALLEL_COMMANDS: &[&[u8]] = &[b"batch", b"check"];

/// The global allocator: forwards to the allocator chosen for this process.
pub struct Allocator;

impl Allocator {
    /// Whether mimalloc serves this process. The first call without a choice settles on the
    /// system allocator, so the answer never changes once an allocation has been made.
    #[inline]
    fn mimalloc() -> bool {
        match CHOICE.load(Ordering::Relaxed) {
            MIMALLOC => true,
            SYSTEM => false,
            _ => {
                let _ = CHOICE.compare_exchange(
                    UNDECIDED,
                    SYSTEM,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
                CHOICE.load(Ordering::Relaxed) == MIMALLOC
            }
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
const FAST: fast::Fast = fast::Fast;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
const FAST: System = System;

/// Forwards one `GlobalAlloc` call to the allocator of this process.
macro_rules! forward {
    ($method:ident($($arg:expr),*)) => {
        if Allocator::mimalloc() {
            unsafe { FAST.$method($($arg),*) }
        } else {
            unsafe { System.$method($($arg),*) }
        }
    };
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod fast;

// SAFETY: every call goes to one allocator, the same for the whole life of the process (see
// `Allocator::mimalloc`), and both allocators uphold `GlobalAlloc`'s contract.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        forward!(alloc(layout))
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        forward!(alloc_zeroed(layout))
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        forward!(dealloc(ptr, layout))
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        forward!(realloc(ptr, layout, new_size))
    }
}

/// Whether the arguments name a parallel command. Any argument counts, so that global options
/// before the subcommand change nothing; a file that happens to be called `batch` only makes a
/// short command use the other (equally correct) allocator.
fn names_parallel_command<'a>(mut args: impl Iterator<Item = &'a [u8]>) -> bool {
    args.any(|arg| PARALLEL_COMMANDS.contains(&arg))
}

/// Called by glibc before `main` with the program's arguments (as it calls the standard
/// library's own argument capture).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
extern "C" fn choose(
    argc: std::ffi::c_int,
    argv: *const *const std::ffi::c_char,
    _envp: *const *const std::ffi::c_char,
) {
    let count = usize::try_from(argc).unwrap_or(0);
    if argv.is_null() {
        return;
    }
    // SAFETY: glibc passes `argc` valid, NUL-terminated strings in `argv`.
    let args = (1..count).filter_map(|i| {
        let arg = unsafe { *argv.add(i) };
        (!arg.is_null()).then(|| unsafe { std::ffi::CStr::from_ptr(arg) }.to_bytes())
    });
    let choice = if names_parallel_command(args) {
        MIMALLOC
    } else {
        SYSTEM
    };
    let _ = CHOICE.compare_exchange(UNDECIDED, choice, Ordering::Relaxed, Ordering::Relaxed);
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[used]
#[unsafe(link_section = ".init_array")]
static CHOOSE: extern "C" fn(
    std::ffi::c_int,
    *const *const std::ffi::c_char,
    *const *const std::ffi::c_char,
) = choose;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_commands_are_named_anywhere_in_the_arguments() {
        let args = |list: &[&'static str]| -> Vec<&'static [u8]> {
            list.iter().map(|a| a.as_bytes()).collect()
        };
        assert!(names_parallel_command(
            args(&["batch", "answers/"]).into_iter()
        ));
        assert!(names_parallel_command(
            args(&["--color", "never", "check", "."]).into_iter()
        ));
        assert!(!names_parallel_command(
            args(&["grade", "answer.md", "--q", "13"]).into_iter()
        ));
        assert!(!names_parallel_command(
            args(&["grade", "batches.md"]).into_iter()
        ));
        assert!(!names_parallel_command(args(&[]).into_iter()));
    }
}
