//! Prints a deterministic random sample of extracted facts with their evidence sentence, for
//! checking precision by hand on reviews nobody tuned for.
//!
//! ```text
//! cargo run --release --example sample_facts -- ../shared/corpus/aclImdb.jsonl.gz 50 [SEED]
//! ```

use cinegraph::Extractor;
use cinegraph::resolve::Value;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let corpus = args.next().ok_or("usage: sample_facts CORPUS N [SEED]")?;
    let n: usize = args.next().unwrap_or_else(|| "50".into()).parse()?;
    let mut state: u64 = args.next().unwrap_or_else(|| "2026".into()).parse()?;
    let mut next = move || {
        // xorshift64*: reproducible without a dependency.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let extractor = Extractor::load_default()?;
    let mut facts = Vec::new();
    for item in cinegraph::input::open(&corpus)? {
        let Ok(review) = item else { continue };
        // One review in 25, so the sample spreads over the corpus.
        if next() % 25 != 0 {
            continue;
        }
        let resolved = extractor.extract(&review);
        for f in &resolved.facts {
            let label = |i: usize| {
                if i == resolved.film {
                    format!("FILM[{}]", resolved.entities[i].label)
                } else {
                    resolved.entities[i].label.clone()
                }
            };
            let object = match &f.object {
                Value::Entity(o) => label(*o),
                Value::Year(y) | Value::Text(y) => y.clone(),
            };
            facts.push(format!(
                "{}\t{} {} {}\t[{} {:.2}]\n    {}",
                review.source_id,
                label(f.subject),
                f.relation.edge_key(),
                object,
                f.rule,
                f.confidence,
                f.sentence
            ));
        }
    }
    for i in 0..n.min(facts.len()) {
        let pick = (next() as usize) % (facts.len() - i) + i;
        facts.swap(i, pick);
        println!("{:>2}. {}", i + 1, facts[i]);
    }
    Ok(())
}
