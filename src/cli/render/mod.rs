//! Renderers over the one `Report` model.

pub mod csv;
pub mod github;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod summary;
pub mod table;

use std::io::{IsTerminal, Write};

use itdq::summary::Summary;

use super::ColorWhen;
use super::grading::Row;

/// Output formats of `itdq batch` and `itdq check`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum BatchFormat {
    /// Aligned columns and a summary, for a person at a terminal.
    Table,
    /// One row per answer: file, section, question, score, band, passed, missed concepts, error.
    Csv,
    /// One JSON object per answer and line, as `grade --format json` plus `file`.
    Jsonl,
    /// One JSON document: every answer and the summary.
    Json,
    /// JUnit XML: one test case per answer, failed when it falls short.
    Junit,
    /// SARIF 2.1.0 for code-scanning: missed required concepts and misconceptions.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...,line=...::...`).
    Github,
    /// A Markdown summary table, for a pull-request comment.
    Markdown,
}

impl BatchFormat {
    /// The format a file name suggests (`report.csv`), for `--output` without `--format`.
    pub fn from_extension(path: &std::path::Path) -> Option<BatchFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => BatchFormat::Csv,
            "jsonl" | "ndjson" => BatchFormat::Jsonl,
            "json" => BatchFormat::Json,
            "xml" => BatchFormat::Junit,
            "sarif" => BatchFormat::Sarif,
            "md" | "markdown" => BatchFormat::Markdown,
            "txt" => BatchFormat::Table,
            _ => return None,
        })
    }
}

/// A renderer of a batch: rows as they come, then whatever needs the whole run.
pub trait Sink {
    /// One graded answer or error, in the batch's order.
    fn row(&mut self, row: &Row) -> anyhow::Result<()>;
    /// The end of the run.
    fn finish(&mut self, summary: &Summary) -> anyhow::Result<()>;
    /// For a format whose rows need nothing of the sink's state: the function that renders a
    /// row to bytes. The batch then renders each row on the thread that graded it, which also
    /// frees the report there, and hands the sink only bytes ([`Sink::rendered`]).
    fn row_renderer(&self) -> Option<RowRenderer> {
        None
    }
    /// Rows made by [`Sink::row_renderer`], in the batch's order.
    fn rendered(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let _ = bytes;
        anyhow::bail!("this format renders its rows itself")
    }
}

/// Renders one row, appending to a buffer.
pub type RowRenderer = fn(&Row, &mut Vec<u8>) -> anyhow::Result<()>;

/// What renderers need to know about the run besides its rows.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// The minimum score that applies to most answers, for headings.
    pub min_score: Option<f64>,
    pub color: bool,
    /// Width of the file column of the table.
    pub file_width: usize,
    /// How many of the most missed concepts the summary lists.
    pub most_missed: usize,
}

/// The renderer of a format, writing to `out`.
pub fn sink<'a>(
    format: BatchFormat,
    out: &'a mut (dyn Write + Send),
    info: RunInfo,
) -> anyhow::Result<Box<dyn Sink + Send + 'a>> {
    Ok(match format {
        BatchFormat::Table => Box::new(table::Table::new(out, info)),
        BatchFormat::Csv => Box::new(csv::Csv::new(out)?),
        BatchFormat::Jsonl => Box::new(jsonl::Jsonl::new(out)),
        BatchFormat::Json => Box::new(json::Batch::new(out, info)?),
        BatchFormat::Junit => Box::new(junit::Junit::new(out)?),
        BatchFormat::Sarif => Box::new(sarif::Sarif::new(out, info)?),
        BatchFormat::Github => Box::new(github::Github::new(out, info)),
        BatchFormat::Markdown => Box::new(markdown::Markdown::new(out, info)?),
    })
}

/// A scratch file for the rows of formats that must write a header counting them first
/// (JUnit, Markdown): rows go to disk, not memory, however long the batch.
#[derive(Debug)]
pub struct Spool {
    file: std::io::BufWriter<std::fs::File>,
}

impl Spool {
    pub fn new() -> anyhow::Result<Spool> {
        let file = tempfile::tempfile()
            .map_err(|e| anyhow::anyhow!("cannot create a scratch file: {e}"))?;
        Ok(Spool {
            file: std::io::BufWriter::new(file),
        })
    }

    pub fn writer(&mut self) -> &mut impl Write {
        &mut self.file
    }

    /// Copies everything spooled to `out`.
    pub fn copy_to(&mut self, out: &mut (dyn Write + Send)) -> anyhow::Result<()> {
        use std::io::Seek;
        self.file.flush()?;
        let file = self.file.get_mut();
        file.seek(std::io::SeekFrom::Start(0))?;
        std::io::copy(file, out)?;
        Ok(())
    }
}

/// Whether to colour: `--color`, then NO_COLOR, then whether stdout is a terminal.
pub fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Parses a 0-100 score given on the command line.
pub fn parse_score(s: &str) -> Result<f64, String> {
    let value: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{s} is outside 0-100"))
    }
}

/// ANSI styling that is a no-op when colour is off.
#[derive(Clone, Copy, Debug)]
pub struct Paint(pub bool);

impl Paint {
    fn wrap(self, style: anstyle::Style, text: &str) -> String {
        if self.0 {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.wrap(anstyle::Style::new().bold(), text)
    }

    pub fn green(self, text: &str) -> String {
        self.wrap(anstyle::AnsiColor::Green.on_default(), text)
    }

    pub fn red(self, text: &str) -> String {
        self.wrap(anstyle::AnsiColor::Red.on_default(), text)
    }

    pub fn yellow(self, text: &str) -> String {
        self.wrap(anstyle::AnsiColor::Yellow.on_default(), text)
    }

    pub fn dim(self, text: &str) -> String {
        self.wrap(anstyle::Style::new().dimmed(), text)
    }
}

/// Writes `value` as compact JSON. A failed write stays an `io::Error`, so that a closed pipe is
/// still recognised as one and ends the program quietly.
/// Generic over the writer, so that writing into a `Vec` (the batch renders rows into buffers) is
/// inlined rather than a dynamic call for every quote and comma.
pub fn write_json<W: Write + ?Sized>(
    out: &mut W,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    serde_json::to_writer(out, value).map_err(std::io::Error::from)
}

/// Appends `value` as compact JSON to a row buffer, with sonic-rs: its SIMD string escaping
/// makes a batch's JSONL rows (7 KB each, mostly rubric text) about 8% cheaper to produce than
/// serde_json's byte-by-byte scan. The bytes are the same as serde_json's (a test checks).
pub fn write_json_row(out: &mut Vec<u8>, value: &impl serde::Serialize) -> std::io::Result<()> {
    sonic_rs::to_writer(out, value).map_err(std::io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_written_as_serde_json_writes_them() {
        #[derive(serde::Serialize)]
        struct Sample<'a> {
            text: &'a str,
            score: f64,
            scores: Vec<f64>,
            count: usize,
            missing: Option<&'a str>,
            flag: bool,
        }
        let texts = [
            "",
            "plain prose, with \"quotes\" and a back\\slash",
            "lines\nand\ttabs\r\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "curly \u{201C}quotes\u{201D} \u{2014} caf\u{e9} \u{1F600} \u{2028}\u{2029} </script>",
            "O(V+E) \\b\\d+ [OΘθ]\\(",
        ];
        for text in texts {
            let sample = Sample {
                text,
                score: 62.9,
                scores: vec![0.0, 3.0, 100.0, 0.1 + 0.2, 1e-7, 12345678.9, -2.5],
                count: 7,
                missing: None,
                flag: true,
            };
            let mut ours = Vec::new();
            write_json_row(&mut ours, &sample).unwrap();
            let theirs = serde_json::to_vec(&sample).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
        }
    }
}
