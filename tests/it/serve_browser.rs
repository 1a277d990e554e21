//! The workbench in a real browser: headless Chromium (Debian's `chromium`) driven by
//! playwright-core (`tests/browser/workbench.mjs`, installed by `npm ci` in `tests/browser`)
//! runs a query, opens an entity page and the "try a review" page, checks what they show and
//! that nothing breaks the content-security policy, and saves screenshots: to a temporary
//! directory, or to `$CINEGRAPH_SCREENSHOTS` (`CINEGRAPH_SCREENSHOTS=docs` refreshes README's).
//! Skipped with a message when a tool is missing, except in CI (`CI` set), where `.ci/run`
//! installs them and a missing one fails.

use super::common::example;
use super::serve_support::{Server, example_store, required, resource};
use std::path::PathBuf;
use std::process::Command;

/// What is missing to run the browser test, if anything.
fn missing_tool() -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !PathBuf::from(&chromium).is_file() {
        return Some(format!(
            "{chromium} (apt-get install chromium chromium-driver)"
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node".into());
    }
    if !resource("tests/browser/node_modules/playwright-core").is_dir() {
        return Some("playwright-core (cd tests/browser && npm ci)".into());
    }
    None
}

#[test]
fn the_workbench_works_in_headless_chromium() {
    if let Some(tool) = missing_tool() {
        assert!(
            !required(),
            "CI installs the browser test's tools, but {tool} is missing"
        );
        eprintln!("SKIPPED: {tool} is not installed; the browser test did not run");
        return;
    }
    let scratch = tempfile::tempdir().expect("tempdir");
    let shots = std::env::var_os("CINEGRAPH_SCREENSHOTS")
        .map(|d| resource("").join(d))
        .unwrap_or_else(|| scratch.path().join("shots"));
    std::fs::create_dir_all(&shots).expect("screenshot directory");
    let profile = scratch.path().join("profile");
    let server = Server::start(example_store(), &[]);
    let out = Command::new("node")
        .arg(resource("tests/browser/workbench.mjs"))
        .args([
            &server.url,
            shots.to_str().expect("UTF-8"),
            profile.to_str().expect("UTF-8"),
        ])
        .arg(example())
        .current_dir(resource("tests/browser"))
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let (_, log) = server.stop();
    assert!(
        out.status.success(),
        "browser checks failed:\n{stdout}\n{stderr}\nserver log:\n{log}"
    );
    assert!(stdout.contains("all browser checks passed"), "{stdout}");
    for shot in [
        "workbench-query.png",
        "workbench-entity.png",
        "workbench-try.png",
    ] {
        let size = std::fs::metadata(shots.join(shot))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(size > 10_000, "{shot}: {size} bytes");
    }
}
