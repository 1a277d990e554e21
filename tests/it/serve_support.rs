//! Running `cinegraph serve` for the tests: a store of the example review (built once), a
//! server started on a free port (`--bind 127.0.0.1:0`, the URL read from its first line of
//! stdout) and stopped with SIGTERM, and an HTTP client that returns 4xx and 5xx answers.

use super::common::{example, manifest_dir, s};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;

/// A store holding the example review, built once for all the tests.
pub fn example_store() -> &'static Path {
    static STORE: OnceLock<tempfile::TempDir> = OnceLock::new();
    STORE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let out = Command::new(env!("CARGO_BIN_EXE_cinegraph"))
                .args(["extract", s(&example()), "--store", s(dir.path())])
                .env("CINEGRAPH_ONTOLOGY", manifest_dir().join("ontology"))
                .output()
                .expect("cinegraph runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            dir
        })
        .path()
}

/// A running server.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub url: String,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Server {
    /// Starts `cinegraph serve --store STORE --bind 127.0.0.1:0 EXTRA…` and waits until it
    /// prints its URL.
    pub fn start(store: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cinegraph"))
            .args(["serve", "--store", s(store), "--bind", "127.0.0.1:0"])
            .args(extra)
            .env("CINEGRAPH_ONTOLOGY", manifest_dir().join("ontology"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cinegraph serve starts");
        let mut stderr = child.stderr.take().expect("stderr");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("reads the URL line");
        let Some(start) = line.find("http://") else {
            let _ = child.kill();
            let text = stderr.join().unwrap_or_default();
            panic!("no URL printed: {line:?}; stderr: {text}");
        };
        let url = line[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string();
        Server {
            child,
            url,
            stderr: Some(stderr),
        }
    }

    /// The URL of a path (`/sparql`).
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Stops the server with SIGTERM; its exit status and everything it wrote to stderr.
    pub fn stop(mut self) -> (ExitStatus, String) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(killed.is_ok_and(|s| s.success()), "kill -TERM {pid}");
        let status = self.child.wait().expect("server exits");
        let stderr = self.stderr.take().map(|h| h.join().unwrap_or_default());
        (status, stderr.unwrap_or_default())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.stderr.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// An HTTP client that hands back every answer, 4xx and 5xx included.
pub fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(60)))
        .build()
        .into()
}

/// Status, content type and body of an answer.
pub fn read(
    answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> (u16, String, String) {
    let mut answer = answer.expect("the server answers");
    let media = answer
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = answer
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .expect("a UTF-8 body");
    (answer.status().as_u16(), media, body)
}

/// The query string of a query.
pub fn encoded(query: &str) -> String {
    form_urlencoded::byte_serialize(query.as_bytes()).collect()
}

/// True when tests that need an external tool must run it (in CI, where `.ci/run` installs
/// it): a missing tool then fails the test instead of skipping it.
pub fn required() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// The repository's path of a test resource.
pub fn resource(path: &str) -> PathBuf {
    manifest_dir().join(path)
}
