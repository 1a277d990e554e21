# Shared by the bench scripts (sourced, not run): the corpus check and the binary to measure.

# Exits with a visible SKIPPED line when the corpus file is absent (research data in ../shared).
bench_need_corpus() {
  if [[ ! -f $1 ]]; then
    echo "SKIPPED: corpus $1 is absent (see ../shared/README.md)"
    exit 0
  fi
}

# Sets `bin`: $CINEGRAPH_BIN when given (a binary built beforehand), else a fresh release build.
bench_binary() {
  if [[ -n ${CINEGRAPH_BIN:-} ]]; then
    bin=$CINEGRAPH_BIN
  else
    cargo build --release --quiet
    bin=${CARGO_TARGET_DIR:-target}/release/cinegraph
  fi
}
