#!/usr/bin/env bash
# The Spark job against the direct binary (a benchmark, not a test): the first N reviews of the
# corpus (default 50,000) as plain JSON Lines, then
#   1. `cinegraph extract --output - | gzip` with 1 and 2 threads (the direct binary);
#   2. `spark-submit --master local[1]` and `local[2]` of spark/cinegraph_extract.py with the
#      same binary (JVM start, Python workers, pipes, the label shuffle, gzip parts);
#   3. `cinegraph load` of the Spark parts into a new snapshot store, and a check that its
#      export equals that of a direct `extract --store`.
# Prints a Markdown table: wall s, CPU s (user+sys of the process tree), reviews/s.
#
#   bench/spark.sh [CORPUS.jsonl.gz [N]]     (default ../shared/corpus/aclImdb.jsonl.gz 50000)
#
# CINEGRAPH_BIN=path skips the release build; BENCH_PARTITIONS (default 4) is --min-partitions.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
corpus=${1:-../shared/corpus/aclImdb.jsonl.gz}
n=${2:-50000}
bench_need_corpus "$corpus"
for tool in spark-submit /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done
bench_binary
partitions=${BENCH_PARTITIONS:-4}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CINEGRAPH_ONTOLOGY=${CINEGRAPH_ONTOLOGY:-ontology}
zcat "$corpus" | head -n "$n" >"$tmp/reviews.jsonl"
n=$(wc -l <"$tmp/reviews.jsonl")

# Runs a command under /usr/bin/time; sets wall and cpu (s).
timed() {
  /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr" \
    || { cat "$tmp/stderr" >&2; exit 1; }
  read -r wall user sys <"$tmp/time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
}
row() { # label
  printf '| %s | %.1f | %s | %.0f |\n' "$1" "$wall" "$cpu" "$(awk -v n="$n" -v w="$wall" 'BEGIN { print n / w }')"
}

echo "$n reviews, $(du -m "$tmp/reviews.jsonl" | cut -f1) MB of JSON Lines, --min-partitions $partitions"
echo
echo "| run | wall s | CPU s | reviews/s |"
echo "|---|---|---|---|"
for threads in 1 2; do
  timed sh -c "'$bin' extract '$tmp/reviews.jsonl' --output - --threads $threads --quiet | gzip -1 > '$tmp/direct.nq.gz'"
  row "direct: \`cinegraph extract --output - -j $threads \\| gzip -1\`"
done
for cores in 1 2; do
  rm -rf "$tmp/parts"
  timed spark-submit --master "local[$cores]" --conf spark.ui.enabled=false \
    --conf "spark.local.dir=$tmp" spark/cinegraph_extract.py \
    --input "$tmp/reviews.jsonl" --output "$tmp/parts" --binary "$bin" \
    --ontology "$CINEGRAPH_ONTOLOGY" --min-partitions "$partitions"
  row "Spark \`local[$cores]\`, $(ls "$tmp"/parts/part-* | wc -l) parts"
done
timed "$bin" load --store "$tmp/loaded" --format nquads "$tmp"/parts/part-*
row "\`cinegraph load\` of the parts (snapshot store)"
timed "$bin" extract "$tmp/reviews.jsonl" --store "$tmp/direct" --quiet
row "direct: \`cinegraph extract --store\` (snapshot store, for comparison)"
"$bin" export --store "$tmp/loaded" --format nquads | md5sum >"$tmp/a"
"$bin" export --store "$tmp/direct" --format nquads | md5sum >"$tmp/b"
if cmp -s "$tmp/a" "$tmp/b"; then
  echo
  echo "the loaded store equals the direct one ($(cut -c1-12 "$tmp/a"))"
else
  echo "error: the store loaded from the Spark parts differs from the direct one" >&2
  exit 1
fi
