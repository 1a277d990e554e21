//! The `cinegraph` binary: parses arguments, calls the library, maps errors to exit codes.

mod cli;

// Extraction allocates many small, short-lived values (tokens, mentions, IRIs) from several
// threads; mimalloc serves them several times faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
