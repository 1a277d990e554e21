//! Formatting for people: the text of `explain`, the score table of `eval`, the ranking table
//! of `graph --rank`, the progress bars of `extract` and `load`, and plurals.

use cinegraph::Progress;
use cinegraph::load::{LoadPhase, LoadProgress};
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// The plural ending of a count's noun: `"s"`, except for one.
pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The ranking of `graph --rank`: entity, class, PageRank and degree, in aligned columns.
pub(super) fn write_rank(
    out: &mut dyn Write,
    ranked: &[(cinegraph::query::graph::Node, f64, usize)],
) -> std::io::Result<()> {
    let width = ranked
        .iter()
        .map(|(n, _, _)| n.label.width())
        .max()
        .unwrap_or(0)
        .max(6);
    writeln!(
        out,
        "{:<width$}  {:<9}  {:>8}  {:>6}",
        "entity", "class", "pagerank", "degree"
    )?;
    for (n, score, degree) in ranked {
        // Padded by display width: wide and combining characters stay aligned.
        let pad = width - n.label.width();
        writeln!(
            out,
            "{}{}  {:<9}  {:>8.4}  {:>6}",
            n.label,
            " ".repeat(pad),
            n.class,
            score,
            degree
        )?;
    }
    Ok(())
}

/// The facts of `explain`, for people: the fact, then each support with its sentence, the
/// matched words in bold (`bold`, on a terminal) or in [brackets].
pub(super) fn write_explained(
    w: &mut dyn Write,
    facts: &[cinegraph::query::explain::Explained],
    bold: bool,
) -> std::io::Result<()> {
    for (i, f) in facts.iter().enumerate() {
        if i > 0 {
            writeln!(w)?;
        }
        let n = f.supports.len();
        let reviews: std::collections::BTreeSet<&str> =
            f.supports.iter().map(|s| s.review.as_str()).collect();
        writeln!(
            w,
            "{}  {}  {}  ({} occurrence{} in {} review{})",
            f.subject_label,
            f.relation,
            f.object_label,
            n,
            plural(n),
            reviews.len(),
            plural(reviews.len())
        )?;
        for s in &f.supports {
            let sentence = match &s.highlight {
                Some(h) if bold => format!(
                    "{}\x1b[1m{}\x1b[0m{}",
                    &s.sentence[..h.start],
                    &s.sentence[h.clone()],
                    &s.sentence[h.end..]
                ),
                Some(h) => format!(
                    "{}[{}]{}",
                    &s.sentence[..h.start],
                    &s.sentence[h.clone()],
                    &s.sentence[h.end..]
                ),
                None => s.sentence.clone(),
            };
            let span = match (s.begin, s.end) {
                (Some(b), Some(e)) => format!(", chars {b}-{e}"),
                _ => String::new(),
            };
            writeln!(
                w,
                "  review {}{span}: rule {} ({}, confidence {})",
                s.review, s.rule, s.method, s.confidence
            )?;
            writeln!(w, "    {sentence}")?;
        }
    }
    Ok(())
}

/// The scores of `eval` per relation and micro-averaged, then (`show_errors`) every false
/// positive and false negative.
/// How each reviewed film got its label, and (up to five) reviews' identifications of it.
pub(super) fn write_film_naming(
    w: &mut dyn Write,
    naming: &[cinegraph::query::explain::FilmNaming],
) -> std::io::Result<()> {
    const SHOWN: usize = 5;
    for f in naming {
        let votes: Vec<String> = f.votes.iter().map(|(t, n)| format!("{t} {n}")).collect();
        let titled: usize = f.votes.iter().map(|v| v.1).sum();
        let votes = if votes.is_empty() {
            "none".to_string()
        } else {
            votes.join(", ")
        };
        writeln!(
            w,
            "{}  label: the title most of its reviews give ({votes}; {titled} of {} review{} title it)",
            f.label,
            f.reviews,
            plural(f.reviews),
        )?;
        for i in f.identifications.iter().take(SHOWN) {
            writeln!(
                w,
                "  review {}: identified (confidence {}): {}",
                i.review,
                i.confidence,
                i.cues.join("; ")
            )?;
        }
        if f.identifications.len() > SHOWN {
            writeln!(w, "  ... and {} more", f.identifications.len() - SHOWN)?;
        }
    }
    Ok(())
}

/// The report of `eval --films`, then `show` films (spread over the ids) with their votes.
pub(super) fn write_film_report(
    w: &mut dyn Write,
    r: &cinegraph::eval::FilmReport,
    show: usize,
) -> std::io::Result<()> {
    let share = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    writeln!(
        w,
        "{} reviews with an IMDb id, {} films",
        r.reviews, r.films
    )?;
    writeln!(w, "ids hidden:")?;
    writeln!(
        w,
        "  B-cubed precision {:.3}  recall {:.3}  ({} film nodes; {} reviews share theirs; {} give a title)",
        r.bcubed_precision, r.bcubed_recall, r.nodes, r.joined_reviews, r.titled_reviews
    )?;
    writeln!(
        w,
        "  lexicon film recovered for {} of {} reviews ({:.1} %); another lexicon film taken for {} of {} ({:.1} %)",
        r.lexicon_recovered,
        r.lexicon_reviews,
        share(r.lexicon_recovered, r.lexicon_reviews),
        r.lexicon_wrong,
        r.reviews,
        share(r.lexicon_wrong, r.reviews)
    )?;
    writeln!(w, "ids given:")?;
    writeln!(
        w,
        "  films labelled with a title {} of {} ({:.1} %), the rest `IMDb tt…`; title written by one of its reviews {} of {} ({:.1} %)",
        r.films_titled,
        r.films,
        share(r.films_titled, r.films),
        r.films_title_in_text,
        r.films_titled,
        share(r.films_title_in_text, r.films_titled)
    )?;
    writeln!(
        w,
        "  lexicon films titled with the lexicon's title or an alias {} of {}",
        r.lexicon_films_titled_right, r.lexicon_films
    )?;
    writeln!(
        w,
        "  lexicon films labelled by the titles their reviews write, ids hidden: right {} ({:.1} %), another title {} ({:.1} %), none {} of {}",
        r.written_right,
        share(r.written_right, r.lexicon_films),
        r.written_wrong,
        share(r.written_wrong, r.lexicon_films),
        r.lexicon_films - r.written_right - r.written_wrong,
        r.lexicon_films
    )?;
    if let Some(step) = r.labels.len().checked_div(show) {
        let step = step.max(1);
        for f in r.labels.iter().step_by(step).take(show) {
            let votes: Vec<String> = f.votes.iter().map(|(t, n)| format!("{t} ({n})")).collect();
            writeln!(
                w,
                "{}\t{} reviews\t{}\t{}",
                f.imdb,
                f.reviews,
                f.title.as_deref().unwrap_or("-"),
                votes.join(" | ")
            )?;
        }
    }
    Ok(())
}

pub(super) fn write_report(
    w: &mut dyn Write,
    report: &cinegraph::eval::Report,
    show_errors: bool,
) -> std::io::Result<()> {
    use cinegraph::eval::ScoreError;
    writeln!(w, "{} reviews scored", report.reviews)?;
    writeln!(
        w,
        "{:<16} {:>5} {:>5} {:>5} {:>7} {:>7} {:>7}",
        "relation", "tp", "fp", "fn", "P", "R", "F1"
    )?;
    let row = |w: &mut dyn Write, name: &str, c: cinegraph::eval::Counts| {
        writeln!(
            w,
            "{:<16} {:>5} {:>5} {:>5} {:>7.3} {:>7.3} {:>7.3}",
            name,
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall(),
            c.f1()
        )
    };
    for (rel, c) in &report.per_relation {
        row(w, rel.key(), *c)?;
    }
    row(w, "micro", report.micro())?;
    if show_errors {
        for e in &report.errors {
            match e {
                ScoreError::FalsePositive { review, fact } => writeln!(
                    w,
                    "FP {review}\t{}\t{}\t{}\t[{}] {}",
                    fact.subject,
                    fact.relation.key(),
                    fact.object,
                    fact.rule,
                    fact.sentence
                )?,
                ScoreError::FalseNegative {
                    review,
                    gold,
                    sentence,
                } => {
                    let cells: Vec<&str> = gold.text.split('\t').collect();
                    writeln!(
                        w,
                        "FN {review}\t{}\t{}",
                        cells[1..].join("\t").trim_end(),
                        sentence.as_deref().unwrap_or("(no sentence names it)")
                    )?
                }
            }
        }
    }
    Ok(())
}

/// The progress of `extract` on a terminal: a bar with reviews done, reviews/s and ETA when the
/// number of reviews is known, a spinner with the count and rate otherwise; hidden when stderr
/// is not a terminal or with --quiet.
pub(super) struct ProgressBar {
    bar: Option<indicatif::ProgressBar>,
}

impl ProgressBar {
    pub(super) fn new(visible: bool) -> ProgressBar {
        ProgressBar {
            bar: visible.then(indicatif::ProgressBar::hidden),
        }
    }
}

impl Progress for ProgressBar {
    fn start(&self, total: Option<u64>) {
        let Some(bar) = &self.bar else { return };
        let style = match total {
            Some(n) => {
                bar.set_length(n);
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {human_pos}/{human_len} reviews, {rate}, ETA {eta}",
                )
            }
            None => indicatif::ProgressStyle::with_template(
                "{spinner} {human_pos} reviews, {rate}, {elapsed}",
            ),
        };
        if let Ok(style) = style {
            bar.set_style(style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} reviews/s", state.per_sec());
                },
            ));
        }
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
    }

    fn advance(&self, reviews: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(reviews);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The progress of `load` on a terminal: for each phase (checking, then loading the files), a
/// bar of bytes read, with the rate and ETA; hidden when stderr is not a terminal or with
/// --quiet.
impl LoadProgress for ProgressBar {
    fn start_phase(&self, phase: LoadPhase, bytes: u64) {
        let Some(bar) = &self.bar else { return };
        let what = match phase {
            LoadPhase::Check => "checking",
            LoadPhase::Load => "loading",
        };
        bar.reset();
        bar.set_length(bytes);
        let template = format!(
            "{what:8} {{bar:30}} {{binary_bytes}}/{{binary_total_bytes}}, {{binary_bytes_per_sec}}, ETA {{eta}}"
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
    }

    fn read(&self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
    }

    fn finish(&self) {
        Progress::finish(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cinegraph::query::graph::Node;

    /// A label of wide characters takes two columns a character: the columns after it line
    /// up with an ASCII label's.
    #[test]
    fn rank_columns_align_by_display_width() {
        let node = |label: &str| Node {
            iri: format!("urn:{label}"),
            label: label.into(),
            class: "Person".into(),
        };
        let ranked = [(node("黒澤明"), 0.5, 2), (node("Akira Kurosawa"), 0.25, 1)];
        let mut out = Vec::new();
        write_rank(&mut out, &ranked).unwrap();
        let text = String::from_utf8(out).unwrap();
        let columns: Vec<usize> = text
            .lines()
            .map(|l| l[..l.find("Person").unwrap_or(l.len())].width())
            .collect();
        assert_eq!(columns[1], columns[2], "{text}");
    }
}
