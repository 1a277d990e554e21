#!/usr/bin/env bash
# Whole-corpus benchmark of the release binary (a benchmark, not a test):
#   1. the corpus to N-Quads (`extract --output`) with 1 and 2 threads: wall time, MB/s of
#      JSONL, reviews/s, facts, peak RSS (/usr/bin/time -v);
#   2. 1k / 10k / 50k review slices with 2 threads, for linearity;
#   3. for each store backend (the default N-Quads snapshot, and RocksDB: the binary built with
#      `--features rocksdb`), loading the corpus into a store, then three SPARQL queries (each
#      `cinegraph query` run includes opening the store, timed alone first).
#
#   bench/corpus.sh [CORPUS.jsonl.gz]     (default ../shared/corpus/aclImdb.jsonl.gz)
#
# CARGO_TARGET_DIR is honoured (CINEGRAPH_BIN=path and CINEGRAPH_BIN_ROCKSDB=path skip the
# builds; BENCH_BACKENDS="snapshot" skips RocksDB); BENCH_THREADS="1 2" and
# BENCH_SLICES="1000 10000 50000" override the runs. The whole-corpus N-Quads runs are repeated
# BENCH_REPEAT times (default 3): the row is the run of median wall time, and the last column
# gives the fastest and slowest (this machine's speed varies from one minute to the next).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
corpus=${1:-../shared/corpus/aclImdb.jsonl.gz}
bench_need_corpus "$corpus"
if [[ ! -x /usr/bin/time ]]; then
  echo "error: /usr/bin/time is needed (apt-get install time)" >&2
  exit 1
fi
bench_binary
backends=${BENCH_BACKENDS:-snapshot rocksdb}
if [[ $backends == *rocksdb* ]]; then
  if [[ -n ${CINEGRAPH_BIN_ROCKSDB:-} ]]; then
    bin_rocksdb=$CINEGRAPH_BIN_ROCKSDB
  else
    # A target directory of its own, so the two builds do not undo each other.
    cargo build --release --quiet --features rocksdb --target-dir "${CARGO_TARGET_DIR:-target}/rocksdb"
    bin_rocksdb=${CARGO_TARGET_DIR:-target}/rocksdb/release/cinegraph
  fi
fi
default_bin=$bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CINEGRAPH_ONTOLOGY=${CINEGRAPH_ONTOLOGY:-ontology}

# Runs cinegraph under /usr/bin/time -v; sets wall and cpu (s), rss (MB), summary (stderr line).
timed() {
  /usr/bin/time -v -o "$tmp/time" "$bin" "$@" 2>"$tmp/stderr" >/dev/null
  local t
  t=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time")
  wall=$(awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$t")
  rss=$(awk '/Maximum resident set size/ { printf "%.0f", $NF / 1024 }' "$tmp/time")
  cpu=$(awk '/User time|System time/ { s += $NF } END { printf "%.2f", s }' "$tmp/time")
  summary=$(grep '^extracted' "$tmp/stderr" || true)
}

row() { # label reviews bytes [wall range]
  local facts
  facts=$(sed -n 's/.*: \([0-9]*\) facts.*/\1/p' <<<"$summary")
  printf '| %-24s | %7s | %7.2f | %7s | %8.1f | %9.0f | %6s | %6s | %-11s |\n' "$1" "$2" "$wall" "$cpu" \
    "$(awk -v b="$3" -v w="$wall" 'BEGIN { print b / 1e6 / w }')" \
    "$(awk -v n="$2" -v w="$wall" 'BEGIN { print n / w }')" "$facts" "$rss" "${4:-}"
}

# Runs `timed "$@"` BENCH_REPEAT times, each to a new output file; leaves the results of the
# run of median wall time, and `range` (fastest-slowest wall time).
repeated() {
  local runs=${BENCH_REPEAT:-3} i walls=() results=()
  for ((i = 0; i < runs; i++)); do
    rm -f "$tmp/out.nq"
    timed "$@"
    walls+=("$wall")
    results+=("$wall;$cpu;$rss;$summary")
  done
  local median
  median=$(printf '%s\n' "${results[@]}" | sort -t';' -k1,1g | sed -n "$(((runs + 1) / 2))p")
  IFS=';' read -r wall cpu rss summary <<<"$median"
  range=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n '1p;$p' | paste -sd-)
}

zcat -f "$corpus" >"$tmp/all.jsonl"
reviews=$(grep -c . "$tmp/all.jsonl")
bytes=$(stat -c %s "$tmp/all.jsonl")
echo "corpus: $corpus, $reviews reviews, $((bytes / 1000000)) MB of JSONL; $(nproc) cores; $bin"
echo
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the cores)"
echo
echo "| run                      | reviews |  wall s |   CPU s |     MB/s | reviews/s |  facts | RSS MB | wall range  |"
echo "|--------------------------|---------|---------|---------|----------|-----------|--------|--------|-------------|"
# Each run writes a new file, as a user's would: truncating the last run's 300 MB of output is
# no part of extracting.
for t in ${BENCH_THREADS:-1 2}; do
  repeated extract "$corpus" --output "$tmp/out.nq" --threads "$t"
  row "corpus -> N-Quads, $t thr" "$reviews" "$bytes" "$range"
done
for n in ${BENCH_SLICES:-1000 10000 50000}; do
  head -n "$n" "$tmp/all.jsonl" >"$tmp/slice.jsonl"
  rm -f "$tmp/out.nq"
  timed extract "$tmp/slice.jsonl" --output "$tmp/out.nq" --threads 2
  row "${n} slice, 2 thr" "$(grep -c . "$tmp/slice.jsonl")" "$(stat -c %s "$tmp/slice.jsonl")"
done
rm -f "$tmp/slice.jsonl"
query() { # label query
  /usr/bin/time -v -o "$tmp/time" "$bin" query --store "$tmp/store" --format tsv "$2" \
    >"$tmp/result" 2>"$tmp/stderr"
  local t
  t=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time")
  wall=$(awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$t")
  printf '| %-32s | %6.2f | %5s | %s\n' "$1" "$wall" "$(awk 'END { print (NR > 0 ? NR - 1 : 0) }' "$tmp/result")" \
    "$(sed -n 2p "$tmp/result" | cut -c1-60)"
}

for backend in $backends; do
  if [[ $backend == rocksdb ]]; then bin=$bin_rocksdb; else bin=$default_bin; fi
  rm -rf "$tmp/store"
  echo
  echo "## store backend: $backend"
  echo
  echo "| run                      | reviews |  wall s |   CPU s |     MB/s | reviews/s |  facts | RSS MB | wall range  |"
  echo "|--------------------------|---------|---------|---------|----------|-----------|--------|--------|-------------|"
  timed extract "$corpus" --store "$tmp/store" --threads 2
  row "corpus -> store, 2 thr" "$reviews" "$bytes"
  echo
  echo "store: $(du -sm "$tmp/store" | cut -f1) MB on disk"
  echo
  echo "| query (incl. opening the store)  | wall s |  rows | first row"
  echo "|----------------------------------|--------|-------|----------"
  query "open only" 'SELECT ?s WHERE { ?s ?p ?o } LIMIT 0'
  query "directors of a film" \
    'SELECT ?director WHERE { ?f rdfs:label "Casablanca" ; cg:director ?p . ?p rdfs:label ?director }'
  query "films of a person" \
    'SELECT DISTINCT ?film ?relation WHERE { ?p rdfs:label "Alfred Hitchcock" . ?f ?rel ?p ; a cg:Film ; rdfs:label ?film . ?rel rdfs:label ?relation } ORDER BY ?film'
  query "top 20 most mentioned people" \
    'SELECT ?person (COUNT(*) AS ?facts) WHERE { ?p a cg:Person ; rdfs:label ?person . ?s ?rel ?p } GROUP BY ?person ORDER BY DESC(?facts) ?person LIMIT 20'
done
