//! The integration tests, as one test binary (one link of the library and Oxigraph instead of
//! one a file). Each module is one concern; `cargo test --test it <module>` runs one of them,
//! e.g. `cargo test --test it crash`.

mod bounded_memory;
mod cases;
mod cli;
mod common;
mod crash;
mod eval_cli;
mod films;
mod layering;
mod load_cli;
mod properties;
mod provenance;
mod provenance_cli;
mod robustness;
mod serve;
mod serve_browser;
mod serve_clients;
mod serve_support;
mod spark;
mod stages;
mod streaming;
