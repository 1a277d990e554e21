//! Naming films: the title a review gives the film it reviews, one node per film across
//! reviews without ids, labels by consensus (in a store and in an `extract --output` stream),
//! and `eval --films`, run through the real binary on made-up reviews.

use crate::common::{run_binary, s};
use std::path::Path;
use tempfile::TempDir;

const LABEL: &str = "<http://www.w3.org/2000/01/rdf-schema#label>";
const REVIEW_OF: &str = "<https://w3id.org/cinegraph/ontology#reviewOf>";

fn run(cwd: &Path, args: &[&str]) -> (Vec<u8>, String) {
    let (status, stdout, stderr) = run_binary(cwd, args, None);
    assert!(status.success(), "cinegraph {args:?}: {stderr}");
    (stdout, stderr)
}

/// A JSON Lines review.
fn review(id: &str, imdb: Option<&str>, text: &str) -> String {
    let imdb = imdb.map_or(String::new(), |i| format!(r#","imdb":"{i}""#));
    format!(r#"{{"id":"{id}","text":"{text}"{imdb}}}"#)
}

fn write_jsonl(dir: &Path, name: &str, lines: &[String]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// Reviews of two made-up films: three titling the first "The Glass Harbour" (one of them
/// comparing it with another film), one "Glass Harbour Blues"; two the second (one opening
/// with a spoiler warning in capitals).
fn reviews(with_ids: bool) -> Vec<String> {
    let a = with_ids.then_some("tt9900001");
    let b = with_ids.then_some("tt9900002");
    vec![
        review(
            "r1",
            a,
            "I watched \\\"Glass Harbour Blues\\\" last night. The acting was fine and the ending was sad.",
        ),
        review(
            "r2",
            a,
            "The Glass Harbour (2004) is a quiet drama. The Glass Harbour never hurries, and it is better than Dockside Nights.",
        ),
        review(
            "r3",
            a,
            "I watched The Glass Harbour with my sister. The Glass Harbour is a gentle film about a lighthouse keeper.",
        ),
        review(
            "r4",
            a,
            "\\\"The Glass Harbour\\\" is a film about loss. I found The Glass Harbour moving from start to finish.",
        ),
        review(
            "r5",
            b,
            "I watched Cold Quay Tales on a rainy Sunday. Cold Quay Tales is a slow thriller.",
        ),
        review(
            "r6",
            b,
            "SPOILER WARNING. Cold Quay Tales (2011) is a slow thriller with a fine score. Cold Quay Tales deserves more viewers.",
        ),
    ]
}

const FILM_TITLE: &str = "<https://w3id.org/cinegraph/ontology#filmTitle>";

/// The N-Triples `extract --output -` writes for JSON Lines reviews.
fn extract_lines(dir: &Path, lines: &[String]) -> String {
    let input = write_jsonl(dir, "r.jsonl", lines);
    let (out, _) = run(dir, &["extract", s(&input), "--output", "-"]);
    String::from_utf8(out).unwrap()
}

/// Lines of N-Triples output whose predicate is `p`.
fn with_predicate<'a>(nt: &'a str, p: &str) -> Vec<&'a str> {
    nt.lines()
        .filter(|l| l.contains(&format!(" {p} ")))
        .collect()
}

#[test]
fn reviews_without_ids_join_one_node_per_title() {
    let tmp = TempDir::new().unwrap();
    let input = write_jsonl(tmp.path(), "r.jsonl", &reviews(false));
    let (out, _) = run(tmp.path(), &["extract", s(&input), "--output", "-"]);
    let nt = String::from_utf8(out).unwrap();
    let films: std::collections::BTreeSet<&str> = with_predicate(&nt, REVIEW_OF)
        .iter()
        .filter(|l| l.starts_with("<https://w3id.org/cinegraph/id/review/"))
        .map(|l| l.rsplit(' ').nth(1).unwrap())
        .collect();
    // r1 names another title; r2-r4 join one node, r5-r6 another; the film compared with
    // (`better than Dockside Nights`) is no review's film.
    assert_eq!(films.len(), 3, "{films:?}");
    assert!(films.iter().any(|f| f.ends_with("/film/glass-harbour>")));
    assert!(films.iter().any(|f| f.ends_with("/film/cold-quay-tales>")));
    assert!(!films.iter().any(|f| f.contains("dockside")), "{films:?}");
    // A spoiler warning in capitals is no title.
    assert!(!nt.to_lowercase().contains("film/spoiler"), "{nt}");
}

#[test]
fn a_stream_closes_with_each_film_labelled_by_its_reviews() {
    let tmp = TempDir::new().unwrap();
    let input = write_jsonl(tmp.path(), "r.jsonl", &reviews(true));
    let (out, _) = run(tmp.path(), &["extract", s(&input), "--output", "-"]);
    let nt = String::from_utf8(out).unwrap();
    let labels: Vec<&str> = with_predicate(&nt, LABEL)
        .into_iter()
        .filter(|l| l.contains("/film/tt99000"))
        .collect();
    // One label a film, after every review (the first review read says "Glass Harbour
    // Blues", three say "The Glass Harbour").
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(labels[0].ends_with("\"The Glass Harbour\" ."), "{labels:?}");
    assert!(labels[1].ends_with("\"Cold Quay Tales\" ."), "{labels:?}");
    let last_lines: Vec<&str> = nt.lines().rev().take(2).collect();
    assert!(
        last_lines.iter().all(|l| l.contains(LABEL)),
        "{last_lines:?}"
    );
    // Each review records its title, and the identification its cues.
    assert_eq!(with_predicate(&nt, FILM_TITLE).len(), 6);
    assert!(nt.contains("\"imdb id\""));
}

#[test]
fn a_store_relabels_a_film_as_reviews_are_added() {
    let tmp = TempDir::new().unwrap();
    let store = tmp.path().join("store");
    let all = reviews(true);
    let first = write_jsonl(tmp.path(), "first.jsonl", &all[..1]);
    let rest = write_jsonl(tmp.path(), "rest.jsonl", &all[1..]);
    let label_of = |store: &Path| {
        let (out, _) = run(
            tmp.path(),
            &[
                "query",
                "--store",
                s(store),
                "--format",
                "tsv",
                "SELECT ?l WHERE { film:tt9900001 rdfs:label ?l }",
            ],
        );
        String::from_utf8(out).unwrap()
    };
    run(
        tmp.path(),
        &["extract", s(&first), "--store", s(&store), "--quiet"],
    );
    assert!(label_of(&store).contains("Glass Harbour Blues"));
    run(
        tmp.path(),
        &["extract", s(&rest), "--store", s(&store), "--quiet"],
    );
    let label = label_of(&store);
    assert_eq!(label.lines().count(), 2, "one label: {label}");
    assert!(label.contains("\"The Glass Harbour\""), "{label}");
    // `explain` shows how the label was chosen, and each review's identification.
    let (out, _) = run(
        tmp.path(),
        &["explain", "--store", s(&store), "the glass harbour"],
    );
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with("The Glass Harbour  label: the title most of its reviews give (The Glass Harbour 3, Glass Harbour Blues 1; 4 of 4 reviews title it)"),
        "{text}"
    );
    assert!(
        text.contains("review r2: identified (confidence 1): `better` after it; before `is a`; first sentence; imdb id; named; title `glass harbour`; year after it"),
        "{text}"
    );
}

#[test]
fn eval_films_scores_grouping_and_labels() {
    let tmp = TempDir::new().unwrap();
    let input = write_jsonl(tmp.path(), "r.jsonl", &reviews(true));
    let (out, _) = run(
        tmp.path(),
        &[
            "eval",
            "--films",
            "--corpus",
            s(&input),
            "--show-films",
            "2",
        ],
    );
    let report = String::from_utf8(out).unwrap();
    assert!(
        report.contains("6 reviews with an IMDb id, 2 films"),
        "{report}"
    );
    // Grouping is perfect in precision; r1 stays apart, so recall is below 1.
    assert!(report.contains("B-cubed precision 1.000"), "{report}");
    assert!(
        report.contains("films labelled with a title 2 of 2"),
        "{report}"
    );
    assert!(report.contains("tt9900001\t4 reviews\tThe Glass Harbour\tThe Glass Harbour (3) | Glass Harbour Blues (1)"), "{report}");
}

/// Titles a review names among other films (in a filmography, a list, after `a remake of
/// X's`), or songs, are not the title it gives its film;
/// a lone capitalised name where a title stands is (and a person's name there is not).
#[test]
fn titles_in_filmographies_lists_and_songs_are_other_works() {
    let tmp = TempDir::new().unwrap();
    let lines = vec![
        review(
            "f1",
            None,
            "Director Ada Berg (Night Train, Cold Quay Tales) gives us a slow and gentle drama. The cast is fine.",
        ),
        review(
            "f2",
            None,
            "Berg has made three fine movies: \\\"Night Train\\\", \\\"Dockside Nights\\\" and \\\"Cold Quay Tales\\\". This one is weaker.",
        ),
        review(
            "f3",
            None,
            "We hear the song \\\"Harbour Lights\\\" three times in the first ten minutes. It gets old.",
        ),
        review(
            "f4",
            None,
            "It was a long week. Yesterday I watched Quaywater with friends. Quaywater is a gentle comedy.",
        ),
        review(
            "f5",
            None,
            "It was a long week. Later, Tom Hanks is a delight in a small part.",
        ),
        review(
            "f6",
            None,
            "Yet another remake of Ada Berg's \"Harbour Lights\", and a dull one.",
        ),
    ];
    let nt = extract_lines(tmp.path(), &lines);
    let titles: Vec<&str> = with_predicate(&nt, FILM_TITLE);
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].contains("/review/f4>"), "{titles:?}");
    assert!(titles[0].ends_with("\"Quaywater\" ."), "{titles:?}");
}

/// A quoted title is the whole of what the quotes hold, even when a film the lexicon knows
/// begins it (`"The Monster Squad"` is not `The Monster`); a quoted phrase whose last word is
/// in lower case (`"Enough already!"`) is no title.
#[test]
fn a_quoted_title_is_all_its_quotes_hold() {
    let tmp = TempDir::new().unwrap();
    let lines = vec![
        review(
            "q1",
            None,
            "I watched \\\"The Monster Squad\\\" again last night. It still works.",
        ),
        review(
            "q2",
            None,
            "\\\"Enough already!\\\" is what I said after an hour. It never ends.",
        ),
    ];
    let nt = extract_lines(tmp.path(), &lines);
    let titles: Vec<&str> = with_predicate(&nt, FILM_TITLE);
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].ends_with("\"The Monster Squad\" ."), "{titles:?}");
    assert!(!nt.contains("tt0318821"), "The Monster is another film");
}

/// A title the lexicon knows, written with none of its film's people or year and out of a
/// title's place, is more often a film the review compares with than the one it reviews: it
/// gives no title. In a title's place (`I watched X`) it does.
#[test]
fn a_lexicon_title_unconfirmed_and_out_of_place_gives_no_title() {
    let tmp = TempDir::new().unwrap();
    let lines = vec![
        review(
            "u1",
            None,
            "Strangers on a Train came to mind more than once. This one has none of its tension.",
        ),
        review(
            "u2",
            None,
            "Last night I watched Strangers on a Train with friends. It has aged well.",
        ),
    ];
    let nt = extract_lines(tmp.path(), &lines);
    let titles: Vec<&str> = with_predicate(&nt, FILM_TITLE);
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].contains("/review/u2>"), "{titles:?}");
    assert!(
        titles[0].ends_with("\"Strangers on a Train\" ."),
        "{titles:?}"
    );
}

/// A sequel number belongs to the title before it (`Troll 2`), and makes a film the lexicon
/// knows another film (`Psycho 2` is not `Psycho`); a number after a count word (`Season 2`)
/// or a king's numeral (`Henry VIII`) makes no title.
#[test]
fn a_sequel_number_belongs_to_its_title() {
    let tmp = TempDir::new().unwrap();
    let lines = vec![
        review(
            "n1",
            None,
            "Troll 2 is the worst film I have seen. Nothing in it works.",
        ),
        review(
            "n2",
            None,
            "Season 2 of the show was better. This one is dull.",
        ),
        review(
            "n3",
            None,
            "Last night I watched Psycho 2 with friends. It was fine.",
        ),
        review(
            "n4",
            None,
            "Henry VIII is played with gusto. The sets are fine.",
        ),
    ];
    let nt = extract_lines(tmp.path(), &lines);
    let mut titles: Vec<&str> = with_predicate(&nt, FILM_TITLE);
    titles.sort_unstable();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(
        titles[0].contains("/review/n1>") && titles[0].ends_with("\"Troll 2\" ."),
        "{titles:?}"
    );
    assert!(
        titles[1].contains("/review/n3>") && titles[1].ends_with("\"Psycho 2\" ."),
        "{titles:?}"
    );
    assert!(!nt.contains("tt0054215"), "Psycho 2 is not Psycho");
}

/// A title the mention finders cut short is the whole capitalised phrase: back over
/// capitalised words (`The Second Ferryman`) and a title's possessive (`The Ferryman's
/// Revenge`); a person's possessive stays out (`Hitchcock's Vertigo`); a part of a name
/// holding a film noun (`Quaywater Film Society`) is no title, nor a heading holding `this
/// film` (`I LOVED THIS FILM`).
#[test]
fn a_cut_title_is_the_whole_capitalised_phrase() {
    let tmp = TempDir::new().unwrap();
    let lines = vec![
        review(
            "w1",
            None,
            "The Second Ferryman is about a lonely pilot. It is slow.",
        ),
        review(
            "w2",
            None,
            "The Ferryman's Revenge is the last of the series. It is slow.",
        ),
        review(
            "w3",
            None,
            "Hitchcock's Vertigo is a great film. It is slow.",
        ),
        review(
            "w4",
            None,
            "Then Quaywater Film Society is showing it. It is slow.",
        ),
        review("w5", None, "I LOVED THIS FILM. It is slow."),
    ];
    let nt = extract_lines(tmp.path(), &lines);
    let mut titles: Vec<&str> = with_predicate(&nt, FILM_TITLE);
    titles.sort_by_key(|t| t.split("/review/").nth(1).unwrap_or_default().to_string());
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(
        titles[0].ends_with("\"The Second Ferryman\" ."),
        "{titles:?}"
    );
    assert!(
        titles[1].ends_with("\"The Ferryman's Revenge\" ."),
        "{titles:?}"
    );
    assert!(titles[2].ends_with("\"Vertigo\" ."), "{titles:?}");
}

/// A review with an IMDb id the lexicon does not know takes a title the lexicon knows by a
/// `local:` id alone (no IMDb id to tell the films apart: the world-cinema list), but not one
/// the lexicon gives another IMDb id (another film, or a remake).
#[test]
fn a_review_with_an_id_takes_a_lexicon_title_without_one() {
    let tmp = TempDir::new().unwrap();
    let lines = vec![
        review(
            "w1",
            Some("tt9900011"),
            "\\\"Alexander Nevsky\\\" is a film I watch every winter. The battle on the ice is superb.",
        ),
        review(
            "w2",
            Some("tt9900012"),
            "\\\"Strangers on a Train\\\" is a film I watch every winter. The tennis match is superb.",
        ),
    ];
    let nt = extract_lines(tmp.path(), &lines);
    let label = |id: &str| {
        with_predicate(&nt, LABEL)
            .into_iter()
            .find(|l| l.starts_with(&format!("<https://w3id.org/cinegraph/id/film/{id}>")))
            .map(|l| l.to_string())
    };
    assert!(
        label("tt9900011").is_some_and(|l| l.ends_with("\"Alexander Nevsky\" .")),
        "{nt}"
    );
    assert!(
        label("tt9900012").is_some_and(|l| l.ends_with("\"IMDb tt9900012\" .")),
        "{nt}"
    );
}
