//! `cargo bench`: extraction throughput (a benchmark, not a timed test).
//!
//! Extracts the example review many times and 1,000 reviews of
//! `../shared/corpus/aclImdb.jsonl.gz` (skipped, with a message, when the corpus is absent),
//! prints the time of each stage (reading, tokenising, mentions and rules, resolution, RDF) and
//! the parallel throughput, and fails when the number of facts falls under a floor, so a
//! benchmark that silently does nothing cannot pass.
//!
//! ```text
//! cargo bench                      # both benchmarks
//! cargo bench -- corpus            # only the corpus one
//! CINEGRAPH_BENCH_REVIEWS=10000 cargo bench -- corpus
//! ```

use cinegraph::model::ReviewInput;
use cinegraph::{Extractor, NoProgress, RunOptions, extract, input, rdf, resolve, text};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The example review gives 11 facts; fewer than this means extraction broke.
const EXAMPLE_FACT_FLOOR: usize = 8;
/// 1,000 corpus reviews give about 1,100 facts; fewer than this means extraction broke.
const CORPUS_FACTS_PER_1000_FLOOR: usize = 600;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f));
    let t = Instant::now();
    let extractor = Extractor::load_default().expect("the ontology loads");
    println!(
        "load ontology, lexicons and rules: {:.1} ms",
        ms(t.elapsed())
    );
    let dir = cinegraph::default_ontology_dir();
    let t = Instant::now();
    let lexicon = cinegraph::lexicon::Lexicon::load_dir(dir.join("lexicon")).expect("lexicon");
    let t_lex = t.elapsed();
    let t = Instant::now();
    let rules = cinegraph::rules::RuleSet::load_dir(dir.join("rules")).expect("rules");
    println!(
        "  of which lexicon {:.1} ms ({} entries), rules {:.1} ms ({} rules)",
        ms(t_lex),
        lexicon.len(),
        ms(t.elapsed()),
        rules.rules().len()
    );
    if wanted("example") {
        bench_example(&extractor);
    }
    if wanted("corpus") {
        bench_corpus(&extractor);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn bench_example(extractor: &Extractor) {
    let path = manifest_dir().join("examples/the-cranes-are-flying.txt");
    let review = ReviewInput {
        source_id: "seed".into(),
        text: std::fs::read_to_string(&path).expect("the example review is readable"),
        imdb: None,
        rating: None,
    };
    let facts = extractor.extract(&review).facts.len();
    assert!(
        facts >= EXAMPLE_FACT_FLOOR,
        "the example review gave {facts} facts, expected at least {EXAMPLE_FACT_FLOOR}"
    );
    // Warm up, then time enough iterations for a stable figure.
    for _ in 0..20 {
        std::hint::black_box(extractor.extract(&review));
    }
    let n = 500;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(rdf::review_quads(&extractor.extract(&review)));
    }
    let per = t.elapsed() / n;
    println!(
        "example review ({} bytes, {facts} facts): {:.1} µs per review ({:.1} MB/s), {n} iterations",
        review.text.len(),
        per.as_secs_f64() * 1e6,
        review.text.len() as f64 / per.as_secs_f64() / 1e6
    );
}

fn bench_corpus(extractor: &Extractor) {
    let corpus = manifest_dir().join("../shared/corpus/aclImdb.jsonl.gz");
    if !corpus.exists() {
        println!(
            "SKIPPED corpus benchmark: {} is absent (see ../shared/README.md)",
            corpus.display()
        );
        return;
    }
    let n: usize = std::env::var("CINEGRAPH_BENCH_REVIEWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let t = Instant::now();
    let reviews = read(&corpus, n);
    let read_time = t.elapsed();
    let bytes: usize = reviews.iter().map(|r| r.text.len()).sum();
    println!(
        "corpus: {} reviews, {:.2} MB of text",
        reviews.len(),
        bytes as f64 / 1e6
    );
    let mb = bytes as f64 / 1e6;
    let line = |stage: &str, d: Duration| {
        println!(
            "  {stage:<28} {:>9.1} ms  {:>8.1} MB/s  {:>9.0} reviews/s",
            ms(d),
            mb / d.as_secs_f64(),
            reviews.len() as f64 / d.as_secs_f64()
        )
    };
    line("read + gunzip + JSON", read_time);

    // Stages, one thread.
    let (mut t_doc, mut t_men, mut t_rul, mut t_res, mut t_rdf) = Default::default();
    let mut sentences = 0;
    let mut facts = 0;
    let mut quads = 0;
    for r in &reviews {
        let t0 = Instant::now();
        let doc = text::Document::new(r.text.as_str());
        let t1 = Instant::now();
        // Mentions alone, to split the extract stage (which finds them again) in two.
        std::hint::black_box(extract::find_mentions(&doc, &extractor.lexicon));
        let t_m = Instant::now();
        let x = extract::extract(&doc, &extractor.lexicon, &extractor.rules);
        let t2 = Instant::now();
        sentences += doc.sentences.len();
        let resolved = resolve::resolve(
            r,
            &doc,
            &x,
            &extractor.lexicon,
            &extractor.rules,
            &extractor.titles,
        );
        let t3 = Instant::now();
        quads += rdf::review_quads(&resolved).len();
        let t4 = Instant::now();
        facts += resolved.facts.len();
        t_doc += t1 - t0;
        t_men += t_m - t1;
        t_rul += (t2 - t_m).saturating_sub(t_m - t1);
        t_res += t3 - t2;
        t_rdf += t4 - t3;
    }
    line("tokenise (text/)", t_doc);
    line("mentions (find_mentions)", t_men);
    line("rules (extract - mentions)", t_rul);
    line("resolve", t_res);
    line("quads (rdf/)", t_rdf);
    line(
        "all stages, 1 thread",
        t_doc + t_men + t_rul + t_res + t_rdf,
    );
    let patterns: usize = extractor
        .rules
        .rules()
        .iter()
        .map(|r| r.patterns().len())
        .sum();
    println!(
        "  {facts} facts, {quads} quads; {sentences} sentences x {patterns} rule patterns = {} regex scans",
        sentences * patterns
    );
    let floor = CORPUS_FACTS_PER_1000_FLOOR * reviews.len() / 1000;
    assert!(
        facts >= floor,
        "{} corpus reviews gave {facts} facts, expected at least {floor}",
        reviews.len()
    );

    // The library's parallel path (streamed chunks, N-Quads to a sink), every thread.
    let dir = tempdir();
    let slice = dir.join("slice.jsonl");
    write_slice(&corpus, &slice, n);
    let t = Instant::now();
    let mut sink = std::io::sink();
    let summary = cinegraph::extract_to_writer(
        extractor,
        &[slice],
        &mut sink,
        &RunOptions::default(),
        &NoProgress,
    )
    .expect("extraction runs");
    line("extract_to_writer, all threads", t.elapsed());
    assert!(
        summary.facts >= floor,
        "extract_to_writer gave {} facts, expected at least {floor}",
        summary.facts
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn read(corpus: &Path, n: usize) -> Vec<ReviewInput> {
    input::open(corpus)
        .expect("the corpus opens")
        .filter_map(Result::ok)
        .take(n)
        .collect()
}

/// Copies the first `n` lines of the corpus to a plain JSONL file.
fn write_slice(corpus: &Path, out: &Path, n: usize) {
    use std::io::{BufRead, Write};
    let file = std::fs::File::open(corpus).expect("the corpus opens");
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    let mut w = std::io::BufWriter::new(std::fs::File::create(out).expect("slice file"));
    for line in reader.lines().take(n) {
        writeln!(w, "{}", line.expect("the corpus reads")).expect("slice writes");
    }
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cinegraph-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    dir
}
