//! A 100 MB single-line review is skipped with bounded memory: a counting allocator measures the
//! peak heap while the JSONL reader streams past it (the bytes are generated, never stored).
//!
//! The allocator is the global one of the whole test binary, where other tests run on other
//! threads at the same time: it counts per thread, so the peak is that of the thread reading
//! the JSONL and nothing another test allocates meanwhile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Read;

struct Counting;

thread_local! {
    // Const-initialised and without a destructor: usable from inside the allocator, even while
    // a thread is being torn down.
    static CURRENT: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

/// Adds `delta` bytes to this thread's count. A block freed by another thread than the one that
/// allocated it is counted on the freeing thread; the JSONL reader frees only its own.
fn count(delta: isize) {
    let _ = CURRENT.try_with(|current| {
        let now = current.get() + delta;
        current.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: allocation is the system allocator's; the counting touches no heap.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const HUGE: u64 = 100 << 20;

#[test]
fn a_100_mb_line_is_skipped_with_bounded_memory() {
    let good =
        |id: &str| format!("{{\"id\": \"{id}\", \"text\": \"Directed by Kevin Tenney.\"}}\n");
    let data = std::io::Cursor::new(good("before").into_bytes())
        .chain(&b"{\"id\": \"huge\", \"text\": \""[..])
        .chain(std::io::repeat(b'a').take(HUGE))
        .chain(&b"\"}\n"[..])
        .chain(std::io::Cursor::new(good("after").into_bytes()));
    let baseline = CURRENT.with(Cell::get);
    PEAK.with(|peak| peak.set(baseline));
    let items: Vec<_> = cinegraph::input::read_jsonl("huge.jsonl", Box::new(data)).collect();
    let peak = (PEAK.with(Cell::get) - baseline) as usize;

    assert_eq!(
        items.len(),
        3,
        "{:?}",
        items
            .iter()
            .map(|i| i.as_ref().map(|r| &r.source_id))
            .collect::<Vec<_>>()
    );
    assert_eq!(items[0].as_ref().unwrap().source_id, "before");
    let problem = items[1].as_ref().unwrap_err();
    assert_eq!(problem.location, "huge.jsonl:2");
    assert!(
        problem.skipped && problem.message.contains("longer than"),
        "{problem:?}"
    );
    assert_eq!(items[2].as_ref().unwrap().source_id, "after");
    let limit = cinegraph::input::MAX_REVIEW_BYTES;
    eprintln!(
        "{} MB line skipped; peak heap while reading: {:.1} MiB (limit {} MiB)",
        HUGE >> 20,
        peak as f64 / (1 << 20) as f64,
        limit >> 20
    );
    // The line buffer may grow to the limit (plus the doubling of a Vec), never to the line.
    assert!(
        peak < 2 * limit + (4 << 20),
        "peak heap {peak} bytes for a {HUGE}-byte line"
    );
}
