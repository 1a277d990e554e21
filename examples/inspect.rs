//! Shows every stage of extraction for one review: sentences, mentions (with their lexicon
//! links), the facts each rule read, and the resolved facts.
//!
//! ```text
//! cargo run --example inspect -- examples/the-cranes-are-flying.txt
//! echo "Directed by Kevin Tenney." | cargo run --example inspect -- -
//! ```

use cinegraph::model::ReviewInput;
use cinegraph::resolve::Value;
use cinegraph::{Extractor, extract, text::Document};
use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".into());
    let mut text = String::new();
    if path == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(&path)?;
    }
    let imdb = std::env::args().nth(2);
    let extractor = Extractor::load_default()?;
    let doc = Document::new(text.as_str());
    let x = extract::extract(&doc, &extractor.lexicon, &extractor.rules);
    for (si, s) in doc.sentences.iter().enumerate() {
        println!("[{si}] {}", doc.sentence_text(s));
        for m in x.mentions.iter().filter(|m| m.sentence == si) {
            let link = m
                .link
                .map(|l| {
                    let e = extractor.lexicon.entry(l.entry);
                    format!(" -> {} ({}, {:?} {:.2})", e.label, e.id, l.method, l.score)
                })
                .unwrap_or_default();
            println!(
                "    {} {:?} {:?}{link}",
                m.class.letter(),
                m.surface,
                m.kind
            );
        }
        for f in x.facts.iter().filter(|f| f.sentence == si) {
            println!(
                "    fact {:?} {} {:?} [{}]",
                f.subject,
                f.relation.key(),
                f.object,
                f.rule
            );
        }
    }
    let review = extractor.extract(&ReviewInput {
        source_id: path,
        text,
        imdb,
        rating: None,
    });
    println!("reviewed film: {}", review.entities[review.film].label);
    for f in &review.facts {
        let o = match &f.object {
            Value::Entity(o) => review.entities[*o].label.clone(),
            Value::Year(y) | Value::Text(y) => y.clone(),
        };
        println!(
            "  {} {} {} [{} {} {:.2}]",
            review.entities[f.subject].label,
            f.relation.edge_key(),
            o,
            f.rule,
            f.method.as_str(),
            f.confidence
        );
    }
    Ok(())
}
