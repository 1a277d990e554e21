//! Reading reviews: a text file (one review), a directory (every `.txt` below it, in name
//! order), a JSON Lines file, plain or gzip (one review a line), or standard input (one review,
//! or JSON Lines when asked: [`InputFormat`]). Reviews are streamed one at a time; a bad line is
//! reported with its number and skipped.
//!
//! Hostile input never stops a run and is never dropped silently:
//!
//! - invalid UTF-8 is decoded lossily (each bad sequence becomes U+FFFD) and the review is
//!   read, with a warning ([`InputProblem::skipped`] is false) at its file or `file:line`;
//! - an empty or whitespace-only review is skipped, with a message;
//! - a review longer than [`MAX_REVIEW_BYTES`] (a text file, standard input or one JSONL line)
//!   is skipped with a message, without ever holding more than that limit in memory;
//! - a JSONL line that is not JSON, or has no `text`, is skipped with its line number;
//! - markup and control characters are left to the tokeniser, which skips tags and never
//!   makes tokens of control characters.

use crate::error::{Error, Result};
use crate::model::ReviewInput;
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The largest review read, in bytes (a text file, standard input, or one JSONL line). Longer
/// ones are skipped with a message; memory stays bounded by this limit.
pub const MAX_REVIEW_BYTES: usize = 16 << 20;

/// A problem with one review of an input; the others are still read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    /// Where: `file`, `file:line`.
    pub location: String,
    /// What was wrong.
    pub message: String,
    /// True when the review was skipped (otherwise it was read with a repair, e.g. lossy UTF-8).
    pub skipped: bool,
}

/// An item of an input stream: a review, or a problem. A warning (a problem that was repaired,
/// `skipped == false`) comes just before the review it concerns.
pub type InputItem = std::result::Result<ReviewInput, InputProblem>;

#[derive(serde::Deserialize)]
struct JsonReview {
    id: Option<serde_json::Value>,
    text: Option<String>,
    imdb: Option<String>,
    rating: Option<serde_json::Value>,
}

/// The reviews of one input, as a stream, with their number when it is known before reading
/// them: one for a text file or standard input, one per `.txt` file of a directory; unknown for
/// JSON Lines.
pub struct Reviews {
    items: Box<dyn Iterator<Item = InputItem>>,
    known_total: Option<u64>,
}

impl Reviews {
    fn new(items: impl Iterator<Item = InputItem> + 'static, known_total: Option<u64>) -> Self {
        Reviews {
            items: Box::new(items),
            known_total,
        }
    }

    /// The number of reviews, when it is known without reading them.
    pub fn known_total(&self) -> Option<u64> {
        self.known_total
    }
}

impl Iterator for Reviews {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        self.items.next()
    }
}

/// How the reviews of an input are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InputFormat {
    /// From the name: a directory of `.txt` files, `.jsonl`, `.jsonl.gz` or `.ndjson` for JSON
    /// Lines, any other file (and standard input) one review.
    #[default]
    Auto,
    /// The file (or standard input) is one review.
    Text,
    /// JSON Lines, one review a line (gzip when the file name ends in `.gz`): standard input
    /// as a stream of reviews, as a filter in a pipeline (e.g. the Spark job of `spark/`).
    JsonLines,
}

/// Opens an input (file, directory, `.jsonl[.gz]`, or `-`) as a stream of reviews, its format
/// told by its name ([`InputFormat::Auto`]).
///
/// Errors are for inputs that cannot be opened at all; problems with single reviews come as
/// `Err` items of the stream.
///
/// ```no_run
/// for item in cinegraph::input::open("examples/the-cranes-are-flying.txt").unwrap() {
///     let review = item.unwrap();
///     assert!(review.text.contains("Kalatozov"));
/// }
/// ```
pub fn open(input: impl AsRef<Path>) -> Result<Reviews> {
    open_as(input, InputFormat::Auto)
}

/// Opens an input as a stream of reviews written in `format` (a directory is always read as
/// its `.txt` files).
///
/// ```
/// use cinegraph::input::{InputFormat, open_as};
/// // A `.txt` name, JSON Lines content: read as asked.
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("reviews.txt");
/// std::fs::write(&path, "{\"id\": \"r1\", \"text\": \"Directed by Kevin Tenney.\"}\n").unwrap();
/// let review = open_as(&path, InputFormat::JsonLines).unwrap().next().unwrap().unwrap();
/// assert_eq!(review.source_id, "r1");
/// ```
pub fn open_as(input: impl AsRef<Path>, format: InputFormat) -> Result<Reviews> {
    let path = input.as_ref();
    let stdin = path == Path::new("-");
    match format {
        InputFormat::JsonLines if stdin => {
            let reader: Box<dyn Read> = Box::new(std::io::stdin());
            return Ok(Reviews::new(read_jsonl(Path::new("stdin"), reader), None));
        }
        _ if stdin => return read_stdin(),
        _ => {}
    }
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        let files = txt_files(path)?;
        if files.is_empty() {
            return Err(Error::Usage(format!(
                "{}: directory has no .txt file to read",
                path.display()
            )));
        }
        let total = files.len() as u64;
        return Ok(Reviews::new(
            files.into_iter().flat_map(|f| read_text_file(&f)),
            Some(total),
        ));
    }
    let name = path.to_string_lossy();
    let jsonl_name =
        name.ends_with(".jsonl") || name.ends_with(".jsonl.gz") || name.ends_with(".ndjson");
    let jsonl = match format {
        InputFormat::Auto => jsonl_name,
        InputFormat::Text => false,
        InputFormat::JsonLines => true,
    };
    if jsonl {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let reader: Box<dyn Read> = if name.ends_with(".gz") {
            Box::new(flate2::read::MultiGzDecoder::new(file))
        } else {
            Box::new(file)
        };
        return Ok(Reviews::new(read_jsonl(path, reader), None));
    }
    if meta.len() > MAX_REVIEW_BYTES as u64 {
        let problem = too_long(path.display().to_string());
        return Ok(Reviews::new(std::iter::once(Err(problem)), Some(1)));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let items = text_review(path.display().to_string(), bytes);
    Ok(Reviews::new(items.into_iter(), Some(1)))
}

/// Standard input, as one review.
fn read_stdin() -> Result<Reviews> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_REVIEW_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("<stdin>", e))?;
    if bytes.len() > MAX_REVIEW_BYTES {
        // Drain the rest without keeping it, so the writer does not get a broken pipe.
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        return Ok(Reviews::new(
            std::iter::once(Err(too_long("stdin".into()))),
            Some(1),
        ));
    }
    Ok(Reviews::new(
        text_review("stdin".into(), bytes).into_iter(),
        Some(1),
    ))
}

/// Every `.txt` file below `dir`, in name order (a directory's files before those of the next
/// name), in one walk.
fn txt_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(&path, e.into())
        })?;
        let path = entry.path();
        if !entry.file_type().is_dir() && path.extension().is_some_and(|x| x == "txt") {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// One `.txt` file of a directory: its review (after a warning, if any), or a problem.
fn read_text_file(f: &Path) -> Vec<InputItem> {
    let location = f.display().to_string();
    let problem = |message: String| {
        vec![Err(InputProblem {
            location: location.clone(),
            message,
            skipped: true,
        })]
    };
    match std::fs::metadata(f) {
        Ok(m) if m.len() > MAX_REVIEW_BYTES as u64 => return vec![Err(too_long(location))],
        Ok(_) => {}
        Err(e) => return problem(e.to_string()),
    }
    match std::fs::read(f) {
        Ok(bytes) => text_review(location, bytes),
        Err(e) => problem(e.to_string()),
    }
}

fn too_long(location: String) -> InputProblem {
    InputProblem {
        location,
        message: format!(
            "review longer than {} MiB (MAX_REVIEW_BYTES)",
            MAX_REVIEW_BYTES >> 20
        ),
        skipped: true,
    }
}

/// Reads JSON Lines (one review a line) from any reader, as a stream; `path` names the input
/// in problem locations (`path:line`). Memory stays bounded by [`MAX_REVIEW_BYTES`] whatever
/// the length of a line.
///
/// ```
/// let data = "{\"id\": \"r1\", \"text\": \"Directed by Kevin Tenney.\"}\n{oops\n";
/// let items: Vec<_> = cinegraph::input::read_jsonl("mem.jsonl", Box::new(data.as_bytes())).collect();
/// assert_eq!(items[0].as_ref().unwrap().source_id, "r1");
/// assert_eq!(items[1].as_ref().unwrap_err().location, "mem.jsonl:2");
/// ```
pub fn read_jsonl(
    path: impl AsRef<Path>,
    reader: Box<dyn Read>,
) -> Box<dyn Iterator<Item = InputItem>> {
    Box::new(JsonLines {
        path: path.as_ref().to_path_buf(),
        reader: BufReader::with_capacity(1 << 16, reader),
        line: 0,
        buf: Vec::new(),
        pending: None,
        done: false,
    })
}

/// Decodes bytes as UTF-8, lossily: each invalid sequence becomes U+FFFD, and the warning
/// says how many there were and where the first one is.
fn decode<'a>(
    bytes: &'a [u8],
    location: &dyn Fn() -> String,
) -> (Cow<'a, str>, Option<InputProblem>) {
    match std::str::from_utf8(bytes) {
        Ok(t) => (Cow::Borrowed(t), None),
        Err(e) => {
            let bad = bytes
                .utf8_chunks()
                .filter(|c| !c.invalid().is_empty())
                .count();
            let warning = InputProblem {
                location: location(),
                message: format!(
                    "invalid UTF-8 (first at byte offset {}): decoded with {bad} replacement character{}",
                    e.valid_up_to(),
                    if bad == 1 { "" } else { "s" }
                ),
                skipped: false,
            };
            (String::from_utf8_lossy(bytes), Some(warning))
        }
    }
}

fn empty_review(location: String) -> InputProblem {
    InputProblem {
        location,
        message: "empty review (no text but whitespace)".into(),
        skipped: true,
    }
}

fn text_review(source_id: String, bytes: Vec<u8>) -> Vec<InputItem> {
    let (text, warning) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let (text, warning) = decode(e.as_bytes(), &|| source_id.clone());
            (text.into_owned(), warning)
        }
    };
    if text.trim().is_empty() {
        return vec![Err(empty_review(source_id))];
    }
    let review = Ok(ReviewInput {
        source_id,
        text,
        imdb: None,
        rating: None,
    });
    match warning {
        Some(w) => vec![Err(w), review],
        None => vec![review],
    }
}

/// Reads one line (up to and including `\n`) into `buf`, keeping at most `limit` bytes of it:
/// the rest of a longer line is read and discarded. Returns the number of bytes the line had
/// (0 at the end of the input).
fn read_line_bounded(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<usize> {
    let mut total = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(total);
        }
        let (chunk, found) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let n = chunk.len();
        if buf.len() < limit {
            let keep = n.min(limit - buf.len());
            buf.extend_from_slice(&chunk[..keep]);
        }
        total += n;
        reader.consume(n);
        if found {
            return Ok(total);
        }
    }
}

struct JsonLines {
    path: PathBuf,
    reader: BufReader<Box<dyn Read>>,
    line: usize,
    buf: Vec<u8>,
    /// The review that follows a warning just returned.
    pending: Option<InputItem>,
    done: bool,
}

impl Iterator for JsonLines {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        if let Some(item) = self.pending.take() {
            return Some(item);
        }
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            self.line += 1;
            // Built only when a problem or a missing id needs it: most lines need neither.
            let (path, line_number) = (&self.path, self.line);
            let location = || format!("{}:{}", path.display(), line_number);
            // One byte over the limit is kept, to tell a line of exactly the limit (plus its
            // newline) from a longer one.
            match read_line_bounded(&mut self.reader, &mut self.buf, MAX_REVIEW_BYTES + 1) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(n) => {
                    let content = n - usize::from(self.buf.last() == Some(&b'\n'));
                    if content > MAX_REVIEW_BYTES {
                        self.buf = Vec::new(); // give the memory back
                        return Some(Err(too_long(location())));
                    }
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(InputProblem {
                        location: location(),
                        message: format!("read error: {e}"),
                        skipped: true,
                    }));
                }
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let problem = |message: String| {
                Some(Err(InputProblem {
                    location: location(),
                    message,
                    skipped: true,
                }))
            };
            let (line, warning) = decode(&self.buf, &location);
            let review: JsonReview = match serde_json::from_str(&line) {
                Ok(r) => r,
                Err(e) => return problem(format!("invalid JSON: {e}")),
            };
            let Some(text) = review.text else {
                return problem("no `text` field".into());
            };
            if text.trim().is_empty() {
                return Some(Err(empty_review(location())));
            }
            let source_id = match review.id {
                Some(serde_json::Value::String(s)) => s,
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => location(),
            };
            let rating = review.rating.and_then(|r| match r {
                serde_json::Value::Number(n) => n.as_i64(),
                serde_json::Value::String(s) => s.parse().ok(),
                _ => None,
            });
            let imdb = review.imdb.filter(|s| !s.trim().is_empty());
            let review = Ok(ReviewInput {
                source_id,
                text,
                imdb,
                rating,
            });
            return match warning {
                Some(w) => {
                    self.pending = Some(review);
                    Some(Err(w))
                }
                None => Some(review),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jsonl(bytes: &'static [u8]) -> Vec<InputItem> {
        read_jsonl("t.jsonl", Box::new(bytes)).collect()
    }

    #[test]
    fn a_directory_is_read_in_path_order_with_its_total() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("b.txt", "B"),
            ("a.txt", "A"),
            ("a/y.txt", "AY"),
            ("a/x.txt", "AX"),
            ("a/notes.md", "no"),
            ("c/empty.txt", " "),
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let reviews = open(dir.path()).unwrap();
        assert_eq!(reviews.known_total(), Some(5));
        let read: Vec<String> = reviews
            .map(|item| match item {
                Ok(r) => r.text,
                Err(p) => format!("problem {}", p.location.rsplit('/').next().unwrap()),
            })
            .collect();
        assert_eq!(read, ["AX", "AY", "A", "B", "problem empty.txt"]);
    }

    #[test]
    fn bounded_lines_keep_at_most_the_limit() {
        let mut r = BufReader::with_capacity(4, &b"abcdefghij\nxy\nlast"[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 5).unwrap(), 11);
        assert_eq!(buf, b"abcde");
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 5).unwrap(), 3);
        assert_eq!(buf, b"xy\n");
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 5).unwrap(), 4);
        assert_eq!(buf, b"last");
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 5).unwrap(), 0);
    }

    #[test]
    fn invalid_utf8_in_jsonl_is_a_warning_then_the_review() {
        let items = jsonl(b"{\"id\": \"a\", \"text\": \"Caf\xe9 by Kevin Tenney.\"}\n");
        assert_eq!(items.len(), 2, "{items:?}");
        let warning = items[0].as_ref().unwrap_err();
        assert_eq!(warning.location, "t.jsonl:1");
        assert!(!warning.skipped);
        assert!(warning.message.contains("invalid UTF-8"), "{warning:?}");
        assert!(warning.message.contains("byte offset 24"), "{warning:?}");
        let review = items[1].as_ref().unwrap();
        assert_eq!(review.text, "Caf\u{FFFD} by Kevin Tenney.");
    }

    #[test]
    fn empty_reviews_are_skipped_with_a_message() {
        let items = jsonl(
            b"{\"id\": \"a\", \"text\": \" \\n\\t \"}\n\n   \n{\"id\": \"b\", \"text\": \"ok\"}\n",
        );
        assert_eq!(items.len(), 2, "{items:?}");
        let p = items[0].as_ref().unwrap_err();
        assert!(p.skipped && p.message.contains("empty"), "{p:?}");
        assert_eq!(p.location, "t.jsonl:1");
        assert_eq!(items[1].as_ref().unwrap().source_id, "b");

        let items = text_review("f.txt".into(), b" \r\n\t".to_vec());
        assert!(matches!(&items[..], [Err(p)] if p.skipped && p.location == "f.txt"));
    }

    #[test]
    fn invalid_utf8_in_a_text_file_is_a_warning_then_the_review() {
        let items = text_review("f.txt".into(), b"\xff\xfeDirected by \xc3 Kevin".to_vec());
        assert_eq!(items.len(), 2);
        let w = items[0].as_ref().unwrap_err();
        assert!(!w.skipped && w.location == "f.txt", "{w:?}");
        assert!(w.message.contains("3 replacement characters"), "{w:?}");
        assert!(
            items[1]
                .as_ref()
                .unwrap()
                .text
                .ends_with("by \u{FFFD} Kevin")
        );
    }
}
