//! Reading reviews: a text file (one review), a directory (every `.txt` below it, in name
//! order), a JSON Lines file, plain or gzip (one review a line), or standard input. Reviews are
//! streamed one at a time; a bad line is reported with its number and skipped.

use crate::error::{Error, Result};
use crate::resolve::ReviewInput;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

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

/// An item of an input stream.
pub type InputItem = std::result::Result<ReviewInput, InputProblem>;

#[derive(serde::Deserialize)]
struct JsonReview {
    id: Option<serde_json::Value>,
    text: Option<String>,
    imdb: Option<String>,
    rating: Option<serde_json::Value>,
}

/// Opens an input (file, directory, `.jsonl[.gz]`, or `-`) as a stream of reviews.
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
pub fn open(input: impl AsRef<Path>) -> Result<Box<dyn Iterator<Item = InputItem>>> {
    let path = input.as_ref();
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("<stdin>", e))?;
        return Ok(Box::new(std::iter::once(text_review(
            "stdin".into(),
            bytes,
        ))));
    }
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        let mut files = Vec::new();
        collect_txt(path, &mut files)?;
        if files.is_empty() {
            return Err(Error::Usage(format!(
                "{}: directory has no .txt file to read",
                path.display()
            )));
        }
        files.sort();
        return Ok(Box::new(files.into_iter().map(|f| {
            match std::fs::read(&f) {
                Ok(bytes) => text_review(f.display().to_string(), bytes),
                Err(e) => Err(InputProblem {
                    location: f.display().to_string(),
                    message: e.to_string(),
                    skipped: true,
                }),
            }
        })));
    }
    let name = path.to_string_lossy();
    if name.ends_with(".jsonl") || name.ends_with(".jsonl.gz") || name.ends_with(".ndjson") {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let reader: Box<dyn Read> = if name.ends_with(".gz") {
            Box::new(flate2::read::MultiGzDecoder::new(file))
        } else {
            Box::new(file)
        };
        return Ok(Box::new(JsonLines {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(1 << 16, reader),
            line: 0,
            buf: Vec::new(),
            done: false,
        }));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(Box::new(std::iter::once(text_review(
        path.display().to_string(),
        bytes,
    ))))
}

fn collect_txt(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let ty = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if ty.is_dir() {
            collect_txt(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "txt") {
            out.push(path);
        }
    }
    Ok(())
}

fn text_review(source_id: String, bytes: Vec<u8>) -> InputItem {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            // Lossy decoding keeps the readable text; the problem is reported, not fatal.
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    Ok(ReviewInput {
        source_id,
        text,
        imdb: None,
        rating: None,
    })
}

struct JsonLines {
    path: PathBuf,
    reader: BufReader<Box<dyn Read>>,
    line: usize,
    buf: Vec<u8>,
    done: bool,
}

impl Iterator for JsonLines {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            self.line += 1;
            let location = format!("{}:{}", self.path.display(), self.line);
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(InputProblem {
                        location,
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
                    location: location.clone(),
                    message,
                    skipped: true,
                }))
            };
            let line = String::from_utf8_lossy(&self.buf);
            let review: JsonReview = match serde_json::from_str(&line) {
                Ok(r) => r,
                Err(e) => return problem(format!("invalid JSON: {e}")),
            };
            let Some(text) = review.text else {
                return problem("no `text` field".into());
            };
            let source_id = match review.id {
                Some(serde_json::Value::String(s)) => s,
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => location.clone(),
            };
            let rating = review.rating.and_then(|r| match r {
                serde_json::Value::Number(n) => n.as_i64(),
                serde_json::Value::String(s) => s.parse().ok(),
                _ => None,
            });
            let imdb = review.imdb.filter(|s| !s.trim().is_empty());
            return Some(Ok(ReviewInput {
                source_id,
                text,
                imdb,
                rating,
            }));
        }
    }
}
