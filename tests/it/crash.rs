//! A real crash test: `cinegraph extract`, then `cinegraph load`, is killed with SIGKILL at many
//! points of a run (loading the ontology and the store, extracting or loading, writing the
//! snapshot) and the store must be exactly as before the run each time: `graph.nq` parses, holds every quad of the earlier extraction
//! and is byte-identical to either the old snapshot or the complete new one, never a mix. The
//! writer lock of a killed process is released by the kernel, so the next run succeeds.
//!
//! With the `rocksdb` feature the store is Oxigraph's RocksDB database instead, committed batch
//! by batch: after each kill the store must open, hold every quad of the earlier extraction
//! and nothing the complete run would not have written.
//!
//! `cargo test --test it crash -- --nocapture` prints what each kill hit; `CINEGRAPH_CRASH_KILLS=N`
//! kills N times instead of 16.

use crate::common;
use common::{example, manifest_dir};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Quad;
use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SYNTHETIC_REVIEWS: usize = 800;

/// Number of kills: `CINEGRAPH_CRASH_KILLS`, default 16.
fn kills() -> usize {
    std::env::var("CINEGRAPH_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(16)
}

/// `cinegraph COMMAND ARGS... --quiet`, with the repository's ontology.
fn cinegraph(command: &str, args: &[&Path]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cinegraph"));
    cmd.arg(command)
        .args(args)
        .arg("--quiet")
        .env("CINEGRAPH_ONTOLOGY", manifest_dir().join("ontology"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn extract_ok(input: &Path, store: &Path) -> Duration {
    let start = Instant::now();
    let out = cinegraph("extract", &[input, Path::new("--store"), store])
        .output()
        .expect("cinegraph runs");
    assert!(
        out.status.success(),
        "extract {} failed: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    start.elapsed()
}

/// A JSONL file of synthetic reviews, every one with a different film and crew.
fn synthetic_reviews(path: &Path, n: usize) {
    const FIRST: [&str; 20] = [
        "Anna", "Boris", "Clara", "Dmitri", "Elena", "Fyodor", "Galina", "Igor", "Katya", "Lev",
        "Maria", "Nikolai", "Olga", "Pavel", "Rita", "Sasha", "Tamara", "Viktor", "Yuri", "Zoya",
    ];
    const LAST: [&str; 10] = [
        "Petrova", "Ivanov", "Sokolova", "Volkov", "Orlova", "Morozov", "Lebedeva", "Kozlov",
        "Novikova", "Popov",
    ];
    let mut out = String::new();
    for i in 0..n {
        let title = format!("The {} Story {i}", FIRST[i % 20]);
        let director = format!("{} {}", FIRST[i % 20], LAST[(i / 20) % 10]);
        let dop = format!("{} {}", FIRST[(i * 7) % 20], LAST[(i * 3) % 10]);
        let year = 1930 + i % 80;
        let text = format!(
            "{title} was directed by {director} in {year}. The cinematographer {dop} shot \
             {title} beautifully. {director} stars as Veronica, and {dop} plays Boris. \
             It won the Palme d'Or at Cannes in {year}.<br /><br />I watched it twice."
        );
        out.push_str(&serde_json::json!({"id": format!("syn-{i}"), "text": text}).to_string());
        out.push('\n');
    }
    fs::write(path, out).unwrap();
}

fn parse_nquads(bytes: &[u8]) -> HashSet<Quad> {
    RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(bytes)
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("graph.nq does not parse: {e}"))
}

/// Replaces a file the way the store does, so a reset cannot leave a torn file either.
#[cfg(not(feature = "rocksdb"))]
fn replace(path: &Path, bytes: &[u8]) {
    let tmp = path.with_extension("test-reset");
    fs::write(&tmp, bytes).unwrap();
    fs::rename(&tmp, path).unwrap();
}

/// The snapshot store `before` (the example review), kept by every kill of the runs `spawn`
/// starts (which write the store at `store`); `after` is the snapshot an uninterrupted run
/// gives, taking `full_run`. Even kills land at points spread over the run, odd ones just after
/// the run starts writing its snapshot (graph.nq.tmp appears). Each kill must leave the old
/// snapshot or the complete new one, never a mix; a run that got to rename is undone.
#[cfg(not(feature = "rocksdb"))]
fn snapshot_survives_kills(
    store: &Path,
    spawn: &dyn Fn() -> std::process::Child,
    after: &[u8],
    full_run: Duration,
) {
    let snapshot = store.join("graph.nq");
    let before = fs::read(&snapshot).unwrap();
    let before_quads = parse_nquads(&before);
    let director = before_quads
        .iter()
        .find(|q| {
            q.predicate.as_str().ends_with("ontology#director")
                && q.object.to_string().contains("kalatozov")
        })
        .expect("the first extraction has Kalatozov as a director")
        .clone();
    assert_ne!(before, after, "the run adds nothing");
    let (mut mid_run, mut mid_write, mut completed) = (0, 0, 0);
    for i in 0..kills() {
        // Deterministic points, so a failure can be rerun.
        let mut child = spawn();
        let started = Instant::now();
        // A graph.nq.tmp older than this was left by an earlier kill, not written by this run.
        let spawned = std::time::SystemTime::now() - Duration::from_millis(5);
        let writing = || {
            fs::metadata(store.join("graph.nq.tmp"))
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= spawned)
        };
        if i % 2 == 0 {
            std::thread::sleep(full_run.mul_f64(i as f64 / kills() as f64));
        } else {
            while !writing() && child.try_wait().unwrap().is_none() {
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(Duration::from_millis((i as u64 * 7) % 50));
        }
        let delay = started.elapsed();
        let finished_before_kill = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL on Unix
        let status = child.wait().unwrap();

        let tmp_left = writing();
        let now = fs::read(&snapshot).expect("graph.nq survives");
        let quads = parse_nquads(&now);
        assert!(
            quads.contains(&director),
            "kill {i}: the earlier director fact is gone"
        );
        assert!(
            before_quads.is_subset(&quads),
            "kill {i}: quads of the earlier extraction are missing"
        );
        let what = if now == before {
            if tmp_left {
                mid_write += 1;
                "killed while writing the snapshot: old snapshot intact"
            } else {
                mid_run += 1;
                "killed before writing: old snapshot intact"
            }
        } else {
            assert!(
                now == after,
                "kill {i}: graph.nq is neither the old nor the complete new snapshot"
            );
            completed += 1;
            replace(&snapshot, &before);
            "the run had replaced the snapshot: complete new snapshot (store reset)"
        };
        eprintln!(
            "kill {i:2} at {:6.0} ms ({status}{}): {what}",
            delay.as_secs_f64() * 1000.0,
            if finished_before_kill {
                ", already exited"
            } else {
                ""
            }
        );
    }
    eprintln!(
        "{} SIGKILLs survived: {mid_run} before the snapshot write, {mid_write} during it, \
         {completed} after the rename",
        kills()
    );
    assert!(mid_run > 0, "no kill landed in the middle of a run");
    assert!(
        mid_write > 0,
        "no kill landed while the snapshot was written"
    );
}

#[cfg(not(feature = "rocksdb"))]
#[test]
fn sigkill_during_extraction_leaves_the_previous_store() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let snapshot = store.join("graph.nq");
    let big = tmp.path().join("synthetic.jsonl");
    synthetic_reviews(&big, SYNTHETIC_REVIEWS);

    // The store before: the example review.
    extract_ok(
        &manifest_dir().join("examples/the-cranes-are-flying.txt"),
        &store,
    );

    // The store after an uninterrupted run, on a copy: the only other allowed state.
    let reference = tmp.path().join("reference");
    fs::create_dir_all(&reference).unwrap();
    fs::copy(&snapshot, reference.join("graph.nq")).unwrap();
    let full_run = extract_ok(&big, &reference);
    let after = fs::read(reference.join("graph.nq")).unwrap();
    eprintln!("uninterrupted run: {SYNTHETIC_REVIEWS} reviews in {full_run:.2?}");
    let spawn = || {
        cinegraph("extract", &[&big, Path::new("--store"), &store])
            .spawn()
            .expect("cinegraph starts")
    };
    snapshot_survives_kills(&store, &spawn, &after, full_run);

    // The lock of the last killed writer is gone with it: a new run succeeds, and gives the
    // same bytes as the uninterrupted one (a leftover graph.nq.tmp changes nothing).
    extract_ok(&big, &store);
    assert_eq!(fs::read(&snapshot).unwrap(), after);
    assert!(!store.join("graph.nq.tmp").exists());
}

/// Runs `cinegraph load FILE --store STORE` to the end; its duration.
fn load_ok(file: &Path, store: &Path) -> Duration {
    let start = Instant::now();
    let out = cinegraph("load", &[file, Path::new("--store"), store])
        .output()
        .expect("cinegraph runs");
    assert!(
        out.status.success(),
        "load {} failed: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    start.elapsed()
}

/// The N-Quads `extract --output` writes for the synthetic reviews, to load.
fn synthetic_nquads(dir: &Path) -> std::path::PathBuf {
    let big = dir.join("synthetic.jsonl");
    synthetic_reviews(&big, SYNTHETIC_REVIEWS);
    let nq = dir.join("synthetic.nq");
    let out = cinegraph("extract", &[&big, Path::new("--output"), &nq])
        .output()
        .expect("cinegraph runs");
    assert!(out.status.success());
    nq
}

#[cfg(not(feature = "rocksdb"))]
#[test]
fn sigkill_during_load_leaves_the_previous_store() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let snapshot = store.join("graph.nq");
    let nq = synthetic_nquads(tmp.path());
    extract_ok(&example(), &store);

    let reference = tmp.path().join("reference");
    fs::create_dir_all(&reference).unwrap();
    fs::copy(&snapshot, reference.join("graph.nq")).unwrap();
    let full_run = load_ok(&nq, &reference);
    let after = fs::read(reference.join("graph.nq")).unwrap();
    eprintln!("uninterrupted load: {full_run:.2?}");
    let spawn = || {
        cinegraph("load", &[&nq, Path::new("--store"), &store])
            .spawn()
            .expect("cinegraph starts")
    };
    snapshot_survives_kills(&store, &spawn, &after, full_run);

    // The killed writer's lock is gone: a new load succeeds with the uninterrupted bytes.
    load_ok(&nq, &store);
    assert_eq!(fs::read(&snapshot).unwrap(), after);
}

/// Every quad of a store, read through the binary (any backend).
#[cfg(feature = "rocksdb")]
fn exported(store: &Path) -> HashSet<Quad> {
    parse_nquads(&common::store_nquads(store))
}

/// The RocksDB store at `store`, holding `before`, through kills of the runs `spawn` starts at
/// points spread over `full_run`: each kill leaves every quad of `before` and nothing the
/// complete run (`after`) would not have written.
#[cfg(feature = "rocksdb")]
fn rocksdb_survives_kills(
    store: &Path,
    spawn: &dyn Fn() -> std::process::Child,
    after: &HashSet<Quad>,
    full_run: Duration,
) {
    let before = exported(store);
    assert!(before.is_subset(after) && &before != after);
    let (mut unchanged, mut partial, mut complete) = (0, 0, 0);
    for i in 0..kills() {
        let mut child = spawn();
        std::thread::sleep(full_run.mul_f64(i as f64 / kills() as f64));
        child.kill().ok(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let now = exported(store);
        assert!(
            before.is_subset(&now),
            "kill {i}: quads of the earlier extraction are missing"
        );
        assert!(
            now.is_subset(after),
            "kill {i}: the store holds quads the complete run does not write"
        );
        let what = if now == before {
            unchanged += 1;
            "store as before"
        } else if &now == after {
            complete += 1;
            "complete run"
        } else {
            partial += 1;
            "some batches committed"
        };
        eprintln!("kill {i:2} ({status}): {what}");
    }
    eprintln!(
        "{} SIGKILLs: {unchanged} unchanged, {partial} partial, {complete} complete",
        kills()
    );
    assert!(
        unchanged + partial > 0,
        "no kill landed in the middle of a run"
    );
}

#[cfg(feature = "rocksdb")]
#[test]
fn sigkill_during_extraction_keeps_the_rocksdb_store() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let big = tmp.path().join("synthetic.jsonl");
    synthetic_reviews(&big, SYNTHETIC_REVIEWS);
    extract_ok(&example(), &store);

    // The store after an uninterrupted run: the most a killed run may have written.
    let reference = tmp.path().join("reference");
    extract_ok(&example(), &reference);
    let full_run = extract_ok(&big, &reference);
    let after = exported(&reference);
    let spawn = || {
        // Batches of 100 reviews: eight commits a run, so kills land between them too.
        let args = [
            &big,
            Path::new("--store"),
            &store,
            Path::new("--batch-size"),
        ];
        cinegraph("extract", &[&args[..], &[Path::new("100")]].concat())
            .spawn()
            .expect("cinegraph starts")
    };
    rocksdb_survives_kills(&store, &spawn, &after, full_run);

    // The lock of the last killed writer is gone with it: a new run completes the store.
    extract_ok(&big, &store);
    assert_eq!(exported(&store), after);
}

#[cfg(feature = "rocksdb")]
#[test]
fn sigkill_during_load_keeps_the_rocksdb_store() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let nq = synthetic_nquads(tmp.path());
    extract_ok(&example(), &store);
    let reference = tmp.path().join("reference");
    extract_ok(&example(), &reference);
    let full_run = load_ok(&nq, &reference);
    let after = exported(&reference);
    let spawn = || {
        cinegraph("load", &[&nq, Path::new("--store"), &store])
            .spawn()
            .expect("cinegraph starts")
    };
    rocksdb_survives_kills(&store, &spawn, &after, full_run);
    load_ok(&nq, &store);
    assert_eq!(exported(&store), after);
}
