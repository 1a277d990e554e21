//! The layer order of ARCHITECTURE.md, checked on the source: a module of `src/` may name
//! (`crate::x`, in code or `use`) only the modules of lower layers. A reference up the stack
//! (the rule stage asking the store for something, say) fails here with the file and line.

use std::path::{Path, PathBuf};

/// Layers from the bottom up; a module may use the modules of earlier layers only (and its
/// own). Keep in step with ARCHITECTURE.md's "Layers".
const LAYERS: &[&[&str]] = &[
    &["error", "vocab"],
    &["model", "files"],
    &["text"],
    &["lexicon", "rules"],
    &["extract"],
    &["resolve"],
    &["rdf"],
    &["export"],
    &["store"],
    &["query", "input"],
    &["eval"],
    &["pipeline"],
    &["load", "serve"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`None` for the crate root and `main.rs`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_string())
}

/// The modules a file names as `crate::name`, with their line numbers: in paths anywhere in
/// code, and in grouped imports (`use crate::{a::B, c}`, over several lines too). Comments are
/// skipped.
fn crate_refs(text: &str) -> Vec<(usize, String)> {
    let mut refs = Vec::new();
    let mut in_group = false;
    for (n, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let code = code.split("//").next().unwrap_or(code);
        let mut push_items = |items: &str| {
            for item in items.split(',') {
                let name = item.trim().split("::").next().unwrap_or("");
                let name = name.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
                if !name.is_empty() {
                    refs.push((n + 1, name.to_string()));
                }
            }
        };
        if in_group {
            let items = code.split('}').next().unwrap_or("");
            // Only the first segment of each item names a module; nested groups close here.
            if !code.trim_start().starts_with('}') {
                push_items(items);
            }
            in_group = !code.contains("};");
            continue;
        }
        if let Some(group) = code
            .strip_prefix("use crate::{")
            .or(code.strip_prefix("pub use crate::{"))
        {
            push_items(group.split('}').next().unwrap_or(""));
            in_group = !group.contains("};");
            continue;
        }
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            refs.push((n + 1, rest[..end].to_string()));
        }
    }
    refs
}

#[test]
fn modules_use_only_lower_layers() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(own) = layer(&module) else {
            problems.push(format!(
                "{}: module `{module}` has no layer",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("source");
        {
            for (line, used) in crate_refs(&text) {
                let used = used.as_str();
                let Some(used_layer) = layer(used) else {
                    continue; // an item of the crate root, such as `crate::Extractor`
                };
                checked += 1;
                if used != module && used_layer >= own {
                    problems.push(format!(
                        "{}:{}: `{module}` (layer {own}) uses `{used}` (layer {used_layer})",
                        file.display(),
                        line
                    ));
                }
            }
        }
    }
    // Every module of src/ is in a layer, and the check saw real references.
    assert!(checked > 50, "only {checked} references checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
