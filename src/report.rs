//! The outcome of grading one answer: plain data that every renderer reads.

use std::fmt;

use serde::Serialize;

/// Score at or above which an answer is strong.
pub const STRONG: f64 = 75.0;
/// Score at or above which an answer is adequate.
pub const ADEQUATE: f64 = 50.0;
/// Score below which an answer is off-topic, unless it uses the subject's vocabulary (then weak).
pub const OFF_TOPIC_BELOW: f64 = 10.0;

/// The result of grading one answer against one rubric.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub question: QuestionRef,
    /// 0-100, one decimal.
    pub score: f64,
    /// Points on the rubric's scale, when it has one.
    pub points: Option<Points>,
    pub band: Band,
    /// Every concept of the rubric, in rubric order.
    pub concepts: Vec<ConceptResult>,
    /// Groups of alternatives and what they earned.
    pub groups: Vec<GroupResult>,
    /// Misconceptions the answer states (not those it denies).
    pub misconceptions: Vec<MisconceptionResult>,
    pub warnings: Vec<Warning>,
    pub stats: Stats,
}

/// Which question was graded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuestionRef {
    pub id: String,
    pub section: String,
    pub prompt: String,
}

/// Points on a rubric's own scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Points {
    pub value: u32,
    pub max: u32,
}

/// A coarse verdict on the score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Band {
    OffTopic,
    Weak,
    Adequate,
    Strong,
}

impl Band {
    /// The band of a 0-100 score.
    pub fn of(score: f64) -> Band {
        if score >= STRONG {
            Band::Strong
        } else if score >= ADEQUATE {
            Band::Adequate
        } else if score >= OFF_TOPIC_BELOW {
            Band::Weak
        } else {
            Band::OffTopic
        }
    }

    /// The name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::OffTopic => "off-topic",
            Band::Weak => "weak",
            Band::Adequate => "adequate",
            Band::Strong => "strong",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a concept was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Found,
    Missed,
    /// Mentioned only in a negated clause ("we would not add jitter"): earns nothing.
    Negated,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Found => "found",
            Status::Missed => "missed",
            Status::Negated => "negated",
        }
    }
}

/// How a piece of evidence matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum MatchKind {
    /// Every word as the alias writes it (after lowercasing and spelling normalisation).
    Exact,
    /// Same stems, other inflections ("prioritizing" for "prioritize").
    Stem,
    /// A misspelling within `distance` edits.
    Fuzzy { distance: u8 },
    /// A regex pattern.
    Pattern,
}

impl MatchKind {
    pub fn describe(self) -> String {
        match self {
            MatchKind::Exact => "exact".into(),
            MatchKind::Stem => "stem".into(),
            MatchKind::Fuzzy { distance } => format!(
                "fuzzy, {distance} edit{}",
                if distance == 1 { "" } else { "s" }
            ),
            MatchKind::Pattern => "pattern".into(),
        }
    }
}

/// Where and how a concept or misconception was seen in the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// 1-based line of the first matched word.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Byte range in the answer.
    pub start: usize,
    pub end: usize,
    /// The words of the answer that matched (whitespace collapsed, cut at 80 characters).
    pub text: String,
    /// The alias or pattern of the rubric that matched.
    pub matched: String,
    pub how: MatchKind,
    /// The match stands in a negated clause.
    pub negated: bool,
}

/// One concept of the rubric and what the answer did with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConceptResult {
    pub id: String,
    pub label: String,
    pub weight: f64,
    pub required: bool,
    /// The group it belongs to, if any.
    pub group: Option<String>,
    pub status: Status,
    /// Evidence, affirmative mentions first; negated mentions when that is all there is.
    pub evidence: Vec<Evidence>,
    pub hint: Option<String>,
}

/// A group of alternatives.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupResult {
    pub id: String,
    pub label: String,
    pub need: usize,
    pub found: usize,
    pub weight: f64,
    pub earned: f64,
}

/// A misconception the answer states.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MisconceptionResult {
    pub id: String,
    pub label: String,
    pub penalty: f64,
    pub explanation: String,
    pub evidence: Vec<Evidence>,
}

/// Something the reader of a grade should know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
}

/// The kinds of warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningCode {
    /// No words at all.
    EmptyAnswer,
    /// Fewer words than an answer needs.
    ShortAnswer,
    /// Mostly bare terms, not sentences.
    KeywordList,
    /// A required concept is missing.
    MissingRequired,
    /// The bytes were not UTF-8 and were decoded otherwise.
    Encoding,
}

impl WarningCode {
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::EmptyAnswer => "empty-answer",
            WarningCode::ShortAnswer => "short-answer",
            WarningCode::KeywordList => "keyword-list",
            WarningCode::MissingRequired => "missing-required",
            WarningCode::Encoding => "encoding",
        }
    }
}

/// Counts about the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub words: usize,
    pub sentences: usize,
}

impl Report {
    /// Concepts with the given status.
    pub fn concepts_with(&self, status: Status) -> impl Iterator<Item = &ConceptResult> {
        self.concepts.iter().filter(move |c| c.status == status)
    }

    /// Whether every required concept was found.
    pub fn has_required(&self) -> bool {
        self.concepts
            .iter()
            .all(|c| !c.required || c.status == Status::Found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_the_thresholds() {
        assert_eq!(Band::of(100.0), Band::Strong);
        assert_eq!(Band::of(75.0), Band::Strong);
        assert_eq!(Band::of(74.9), Band::Adequate);
        assert_eq!(Band::of(50.0), Band::Adequate);
        assert_eq!(Band::of(49.9), Band::Weak);
        assert_eq!(Band::of(10.0), Band::Weak);
        assert_eq!(Band::of(9.9), Band::OffTopic);
        assert_eq!(Band::of(0.0), Band::OffTopic);
    }
}
