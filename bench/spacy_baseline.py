#!/usr/bin/env python3
"""Cinegraph against spaCy on the same reviews (a benchmark, not a test).

(a) spaCy 3.8 `spacy.blank("en")`: tokenising the reviews and nothing else, the least work any
    spaCy pipeline does;
(b) a spaCy rule pipeline: a PhraseMatcher (attr LOWER) over every lexicon name of
    ontology/lexicon/*.tsv (labels and aliases) and a Matcher with one pattern per cue phrase of
    the rules (every quoted phrase of a `match` line in ontology/rules/*.rules, word by word,
    case-insensitive) plus one for runs of capitalised words (candidate names);
then Cinegraph's release binary on the same reviews (`extract --output`, 1 and 2 threads, the
process's whole wall time including loading its lexicons), and the ratios.

    pip install 'spacy==3.8.*'        # no model download: spacy.blank needs none
    cargo build --release
    python3 bench/spacy_baseline.py [--corpus FILE] [--reviews N] [--rule-reviews M]

(b) runs on the first M reviews (default 5,000) and is extrapolated linearly to N, since it is
slow; the output says so.
"""

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_reviews(path, n):
    opener = gzip.open if str(path).endswith(".gz") else open
    lines, texts = [], []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            lines.append(line)
            texts.append(json.loads(line)["text"])
            if len(texts) == n:
                break
    return lines, texts


def lexicon_names(lexicon_dir):
    names = set()
    for tsv in sorted(Path(lexicon_dir).glob("*.tsv")):
        header = None
        for line in tsv.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            row = dict(zip(header, cells))
            for cell in (row.get("label", ""), row.get("aliases", "")):
                for name in cell.split("|"):
                    name = name.strip()
                    if name and name != "-":
                        names.add(name)
    return sorted(names)


def cue_phrases(rules_dir):
    phrases = set()
    for f in sorted(Path(rules_dir).glob("*.rules")):
        for line in f.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("match "):
                for phrase in re.findall(r'"([^"]+)"', line):
                    words = phrase.lower().split()
                    if words and any(w.isalpha() for w in words):
                        phrases.add(tuple(words))
    return sorted(phrases)


def run_cinegraph(binary, jsonl, threads, ontology):
    env = dict(os.environ, CINEGRAPH_ONTOLOGY=str(ontology))
    start = time.perf_counter()
    out = subprocess.run(
        [str(binary), "extract", str(jsonl), "--output", os.devnull,
         "--threads", str(threads)],
        env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"error: cinegraph failed ({out.returncode}): {out.stderr}")
    summary = next((l for l in out.stderr.splitlines() if l.startswith("extracted")), "")
    return wall, summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(ROOT / "../shared/corpus/aclImdb.jsonl.gz"))
    ap.add_argument("--reviews", type=int, default=50000)
    ap.add_argument("--rule-reviews", type=int, default=5000)
    ap.add_argument("--ontology", default=str(ROOT / "ontology"))
    ap.add_argument("--binary", default=None,
                    help="cinegraph release binary [default: $CARGO_TARGET_DIR or target]")
    args = ap.parse_args()
    if not Path(args.corpus).exists():
        print(f"SKIPPED: corpus {args.corpus} is absent (see ../shared/README.md)")
        return 0
    try:
        import spacy
        from spacy.matcher import Matcher, PhraseMatcher
    except ImportError:
        print("error: spaCy is missing: pip install 'spacy==3.8.*'", file=sys.stderr)
        return 1
    binary = Path(args.binary or Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
                  / "release" / "cinegraph")
    if not binary.exists():
        print(f"error: {binary} is missing: cargo build --release", file=sys.stderr)
        return 1

    lines, texts = read_reviews(args.corpus, args.reviews)
    n = len(texts)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{n} reviews ({mb:.1f} MB of text) from {args.corpus}; spaCy {spacy.__version__}, "
          f"Python {sys.version.split()[0]}, one process")

    # (a) tokenising only.
    nlp = spacy.blank("en")
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=1000))
    tok_time = time.perf_counter() - start
    print(f"(a) spacy.blank('en') tokenising: {tok_time:.2f} s, {tokens} tokens, "
          f"{mb / tok_time:.2f} MB/s")

    # (b) rule pipeline, on a subset.
    names = lexicon_names(Path(args.ontology) / "lexicon")
    cues = cue_phrases(Path(args.ontology) / "rules")
    start = time.perf_counter()
    phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrase_matcher.add("NAME", list(nlp.tokenizer.pipe(names)))
    matcher = Matcher(nlp.vocab)
    for i, words in enumerate(cues):
        matcher.add(f"CUE{i}", [[{"LOWER": w} for w in words]])
    matcher.add("CAPS", [[{"IS_TITLE": True}, {"IS_TITLE": True, "OP": "+"}]], greedy="LONGEST")
    build_time = time.perf_counter() - start
    m = min(args.rule_reviews, n)
    subset = texts[:m]
    sub_mb = sum(len(t.encode("utf-8")) for t in subset) / 1e6
    start = time.perf_counter()
    matches = 0
    for doc in nlp.pipe(subset, batch_size=1000):
        matches += len(phrase_matcher(doc)) + len(matcher(doc))
    rule_sub = time.perf_counter() - start
    rule_time = rule_sub * n / m
    note = "" if m == n else f", extrapolated x{n / m:.1f} from {m} reviews ({rule_sub:.2f} s)"
    print(f"(b) PhraseMatcher ({len(names)} lexicon names) + Matcher ({len(cues)} cue phrases "
          f"+ capitalised runs): {rule_time:.2f} s{note}, {matches} matches in the subset, "
          f"{sub_mb / rule_sub:.2f} MB/s; building the matchers {build_time:.2f} s (not counted)")

    # Cinegraph on the same reviews.
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "reviews.jsonl"
        jsonl.write_text("".join(lines), encoding="utf-8")
        results = {t: run_cinegraph(binary, jsonl, t, args.ontology) for t in (1, 2)}
    print()
    print("| tool | wall s | MB/s | Cinegraph 1 thread is | Cinegraph 2 threads is |")
    print("|---|---|---|---|---|")
    cg1, cg2 = results[1][0], results[2][0]
    for label, secs in [
        ("spaCy blank('en'), tokenising only", tok_time),
        ("spaCy PhraseMatcher + Matcher" + (" (extrapolated)" if m != n else ""), rule_time),
    ]:
        print(f"| {label} | {secs:.2f} | {mb / secs:.2f} | {secs / cg1:.1f}x faster | "
              f"{secs / cg2:.1f}x faster |")
    for t, (secs, summary) in results.items():
        print(f"| Cinegraph extract --output, {t} thread{'s' if t > 1 else ''} | {secs:.2f} | "
              f"{mb / secs:.2f} | | |")
    print()
    for t, (_, summary) in results.items():
        print(f"cinegraph, {t} thread(s): {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
