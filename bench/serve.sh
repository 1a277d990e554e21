#!/usr/bin/env bash
# Benchmark of `cinegraph serve` (a benchmark, not a test): the 50,000-review store, 16
# concurrent clients (wrk, 2 threads, 16 connections, keep-alive) for BENCH_SECONDS (default
# 20) each on five workloads over 200 entities of the store: SPARQL point queries (an
# entity's statements by IRI; a film's directors by its title), entity pages, the label search,
# and the workbench's home page. Reports requests/s, p50 and p99 latency and failed requests
# (socket errors and non-2xx answers) a workload, the server's startup time (launch to URL
# printed, the store read and the label index built) and its RSS after start and at the end.
#
#   bench/serve.sh [CORPUS.jsonl.gz]     (default ../shared/corpus/aclImdb.jsonl.gz)
#
# The store is built once with `cinegraph extract CORPUS --store $BENCH_STORE` (default
# /tmp/cinegraph-serve-bench-store) and kept. CINEGRAPH_BIN=path skips the release build.
# Needs wrk (apt-get install wrk) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
corpus=${1:-../shared/corpus/aclImdb.jsonl.gz}
bench_need_corpus "$corpus"
for tool in wrk curl; do
  command -v $tool >/dev/null || { echo "error: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done
bench_binary
store=${BENCH_STORE:-/tmp/cinegraph-serve-bench-store}
seconds=${BENCH_SECONDS:-20}
if [[ ! -f $store/graph.nq && ! -d $store/rocksdb ]]; then
  echo "== building the store: $bin extract $corpus --store $store"
  "$bin" extract "$corpus" --store "$store"
fi
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== starting the server"
start=$(date +%s.%N)
"$bin" serve --store "$store" --bind 127.0.0.1:0 >"$work/out" 2>"$work/log" &
server=$!
until grep -q http "$work/out" 2>/dev/null; do
  kill -0 $server 2>/dev/null || { cat "$work/log" >&2; exit 1; }
  sleep 0.05
done
ready=$(date +%s.%N)
url=$(grep -o 'http://[^ ]*/' "$work/out" | head -1)
url=${url%/}
startup=$(echo "$ready - $start" | bc)
rss_start=$(awk '/VmRSS/ {print $2}' /proc/$server/status)
echo "ready at $url in $startup s, RSS $((rss_start / 1024)) MiB"

# 200 films with a director (IRI and title): the point queries' and pages' entities.
curl -s -H 'Accept: text/tab-separated-values' "$url/sparql" --data-urlencode \
  'query=SELECT DISTINCT ?f ?title WHERE { ?f a cg:Film ; cg:director [] ; rdfs:label ?title } ORDER BY ?f LIMIT 200' \
  | tail -n +2 >"$work/films.tsv"
python3 - "$work" <<'PY'
import sys, urllib.parse
work = sys.argv[1]
q = lambda s: urllib.parse.quote(s, safe="")
rows = [l.rstrip("\n").split("\t") for l in open(f"{work}/films.tsv") if l.strip()]
def lit(t):  # a TSV literal "..." (maybe with @lang or ^^type) to its value
    return t[1:t.rindex('"')].replace('\\"', '"').replace("\\\\", "\\")
paths = {
    "point-iri": [f"/sparql?query=" + q(f"SELECT ?p ?o WHERE {{ {iri} ?p ?o }}") for iri, _ in rows],
    "point-title": [f"/sparql?query=" + q(f"SELECT ?name WHERE {{ ?f rdfs:label {title} ; cg:director ?d . ?d rdfs:label ?name }}") for _, title in rows],
    "entity-page": [f"/entity?iri=" + q(iri[1:-1]) for iri, _ in rows],
    "search": [f"/search?q=" + q(lit(title)) for _, title in rows],
    "home": ["/"],
}
for name, ps in paths.items():
    open(f"{work}/{name}.paths", "w").write("\n".join(ps) + "\n")
PY
cat >"$work/paths.lua" <<'LUA'
-- Each request takes the next path of the list (PATHS), in turn; done() prints one TSV row.
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept"] = "application/sparql-results+json" })
end
done = function(summary, latency, requests)
  local e = summary.errors
  local failed = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("RESULT\t%d\t%.1f\t%.1f\t%.1f\t%d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, failed))
end
LUA

printf '\n| workload | requests | requests/s | p50 ms | p99 ms | failed |\n|---|---|---|---|---|---|\n' >"$work/table"
for workload in point-iri point-title entity-page search home; do
  echo "== $workload: 16 clients for $seconds s"
  PATHS="$work/$workload.paths" wrk -t2 -c16 -d"${seconds}s" --timeout 30s -s "$work/paths.lua" "$url" >"$work/$workload.out"
  grep RESULT "$work/$workload.out" | awk -v w="$workload" -F'\t' \
    '{printf "| %s | %d | %.0f | %.1f | %.1f | %d |\n", w, $2, $3, $4, $5, $6}' >>"$work/table"
done
rss_end=$(awk '/VmHWM/ {print $2}' /proc/$server/status)
kill -TERM $server
wait $server || true
server=
cat "$work/table"
echo
echo "startup (store read, label index built, URL printed): $startup s; RSS after start $((rss_start / 1024)) MiB, peak $((rss_end / 1024)) MiB"
echo "server log: $(wc -l <"$work/log") lines, $(grep -c ' 200 ' "$work/log") with status 200"
