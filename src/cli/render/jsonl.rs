//! `--format jsonl`: one JSON object per answer and line, written as each answer is graded.
//!
//! A graded answer is the object of `itdq grade --format json` with `file` (and `section` for a
//! take-home section, `question_from`, `verdict`) added; an input that could not be graded is
//! `{"file": ..., "error": ...}`. Documented in docs/batch-formats.md.

use std::io::Write;

use itdq::summary::Summary;
use itdq::wire::JsonReport;
use serde::Serialize;

use super::Sink;
use crate::cli::grading::{Outcome, Row};

/// One answer of a batch on the wire.
#[derive(Serialize)]
pub struct JsonRow<'a> {
    pub file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<JsonSection<'a>>,
    /// Where the question came from: flag, config, front-matter, marker, section, file-name,
    /// detected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question_from: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<JsonVerdict<'a>>,
    #[serde(flatten)]
    pub report: Option<JsonReport<'a>>,
    /// For an input that could not be graded: the question, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
}

#[derive(Serialize)]
pub struct JsonSection<'a> {
    pub heading: &'a str,
    pub line: usize,
}

#[derive(Serialize)]
pub struct JsonVerdict<'a> {
    pub passed: bool,
    pub min_score: Option<f64>,
    pub below_min_score: bool,
    pub missing_required: Vec<&'a str>,
}

impl<'a> From<&'a Row> for JsonRow<'a> {
    fn from(row: &'a Row) -> Self {
        let section = row.section.as_ref().map(|s| JsonSection {
            heading: &s.heading,
            line: s.line,
        });
        match &row.outcome {
            Outcome::Graded(g) => JsonRow {
                file: &row.file,
                section,
                question_from: Some(g.source.as_str()),
                verdict: Some(JsonVerdict {
                    passed: g.verdict.passed,
                    min_score: g.verdict.min_score,
                    below_min_score: g.verdict.below,
                    missing_required: g
                        .verdict
                        .missing_required
                        .iter()
                        .map(|(id, _)| id.as_str())
                        .collect(),
                }),
                report: Some(JsonReport::from(&g.report).with_detection(g.detection.as_ref())),
                question_id: None,
                error: None,
            },
            Outcome::Error(message) => JsonRow {
                file: &row.file,
                section,
                question_from: None,
                verdict: None,
                report: None,
                question_id: row.question.as_deref(),
                error: Some(message),
            },
        }
    }
}

pub struct Jsonl<'a> {
    out: &'a mut (dyn Write + Send),
}

impl<'a> Jsonl<'a> {
    pub fn new(out: &'a mut (dyn Write + Send)) -> Self {
        Jsonl { out }
    }
}

/// One row as a line of JSON.
fn render(row: &Row, out: &mut Vec<u8>) -> anyhow::Result<()> {
    super::write_json_row(out, &JsonRow::from(row))?;
    out.push(b'\n');
    Ok(())
}

impl Sink for Jsonl<'_> {
    fn row(&mut self, row: &Row) -> anyhow::Result<()> {
        let mut line = Vec::new();
        render(row, &mut line)?;
        self.out.write_all(&line)?;
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> anyhow::Result<()> {
        self.out.flush()?;
        Ok(())
    }

    fn row_renderer(&self) -> Option<super::RowRenderer> {
        Some(render)
    }

    fn rendered(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.out.write_all(bytes)?;
        Ok(())
    }
}
