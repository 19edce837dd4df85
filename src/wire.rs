//! The JSON that users script against: its own serde types, versioned, documented in
//! `docs/json-output.md`, kept apart from the internal report.

use serde::Serialize;

use crate::detect::{self, Detection};
use crate::report::{self, Report};

/// Bumped on any change that could break a consumer.
pub const SCHEMA_VERSION: u32 = 1;

/// `itdq grade --format json`.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub schema_version: u32,
    pub question: JsonQuestion<'a>,
    /// How the question was told from the answer's text; absent when it was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detection: Option<JsonDetection<'a>>,
    pub score: f64,
    pub points: Option<report::Points>,
    pub band: &'static str,
    pub concepts: Vec<JsonConcept<'a>>,
    pub groups: &'a [report::GroupResult<'a>],
    pub misconceptions: Vec<JsonMisconception<'a>>,
    pub warnings: Vec<JsonWarning<'a>>,
    pub stats: report::Stats,
}

#[derive(Debug, Serialize)]
pub struct JsonQuestion<'a> {
    pub id: &'a str,
    pub section: &'a str,
    pub prompt: &'a str,
}

/// `detection`: the question detected, how confident, and the runner-up.
#[derive(Debug, Serialize)]
pub struct JsonDetection<'a> {
    pub question: &'a str,
    pub confidence: f64,
    pub runner_up: Option<JsonGuess<'a>>,
    pub method: &'static str,
}

/// A question detection considered.
#[derive(Debug, Serialize)]
pub struct JsonGuess<'a> {
    pub question: &'a str,
    pub confidence: f64,
}

impl<'a> JsonDetection<'a> {
    /// The wire form of a detection; `None` when it has no candidate.
    pub fn new(detection: &'a Detection) -> Option<Self> {
        let best = detection.best()?;
        Some(JsonDetection {
            question: &best.question,
            confidence: best.confidence,
            runner_up: detection.runner_up().map(|r| JsonGuess {
                question: &r.question,
                confidence: r.confidence,
            }),
            method: detect::METHOD,
        })
    }
}

impl<'a> JsonReport<'a> {
    /// Adds how the question was detected.
    pub fn with_detection(mut self, detection: Option<&'a Detection>) -> Self {
        self.detection = detection.and_then(JsonDetection::new);
        self
    }
}

#[derive(Debug, Serialize)]
pub struct JsonConcept<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub weight: f64,
    pub required: bool,
    pub group: Option<&'a str>,
    pub status: &'static str,
    pub evidence: Vec<JsonEvidence<'a>>,
    pub hint: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct JsonEvidence<'a> {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub text: &'a str,
    pub matched: &'a str,
    #[serde(rename = "match")]
    pub how: report::MatchKind,
}

#[derive(Debug, Serialize)]
pub struct JsonMisconception<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub penalty: f64,
    pub explanation: &'a str,
    pub evidence: Vec<JsonEvidence<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonWarning<'a> {
    pub code: &'static str,
    pub message: &'a str,
}

/// The wire form of a list of evidence.
pub fn evidence<'a>(e: &'a [report::Evidence<'_>]) -> Vec<JsonEvidence<'a>> {
    e.iter()
        .map(|e| JsonEvidence {
            line: e.line,
            column: e.column,
            end_line: e.end_line,
            end_column: e.end_column,
            text: &e.text,
            matched: &e.matched,
            how: e.how,
        })
        .collect()
}

impl<'a> From<&'a Report<'a>> for JsonReport<'a> {
    fn from(r: &'a Report<'a>) -> Self {
        JsonReport {
            schema_version: SCHEMA_VERSION,
            question: JsonQuestion {
                id: &r.question.id,
                section: &r.question.section,
                prompt: &r.question.prompt,
            },
            detection: None,
            score: r.score,
            points: r.points,
            band: r.band.as_str(),
            concepts: r
                .concepts
                .iter()
                .map(|c| JsonConcept {
                    id: &c.id,
                    label: &c.label,
                    weight: c.weight,
                    required: c.required,
                    group: c.group.as_deref(),
                    status: c.status.as_str(),
                    evidence: evidence(&c.evidence),
                    hint: c.hint.as_deref(),
                })
                .collect(),
            groups: &r.groups,
            misconceptions: misconceptions(r),
            warnings: warnings(r),
            stats: r.stats,
        }
    }
}

/// The wire form of a report's misconceptions.
pub fn misconceptions<'a>(r: &'a Report<'_>) -> Vec<JsonMisconception<'a>> {
    r.misconceptions
        .iter()
        .map(|m| JsonMisconception {
            id: &m.id,
            label: &m.label,
            penalty: m.penalty,
            explanation: &m.explanation,
            evidence: evidence(&m.evidence),
        })
        .collect()
}

/// The wire form of a report's warnings.
pub fn warnings<'a>(r: &'a Report<'_>) -> Vec<JsonWarning<'a>> {
    r.warnings
        .iter()
        .map(|w| JsonWarning {
            code: w.code.as_str(),
            message: &w.message,
        })
        .collect()
}
