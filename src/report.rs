//! The outcome of grading one answer: plain data that every renderer reads.
//!
//! A report borrows the rubric's own text (ids, labels, hints, the aliases that matched) from the
//! [`Grader`](crate::Grader) that made it, so grading copies none of it: `Report<'g>` lives as
//! long as its grader. [`Report::into_owned`] makes a report that stands alone.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// Score at or above which an answer is strong.
pub const STRONG: f64 = 75.0;
/// Score at or above which an answer is adequate.
pub const ADEQUATE: f64 = 50.0;
/// Score below which an answer is off-topic, unless it uses the subject's vocabulary (then weak).
pub const OFF_TOPIC_BELOW: f64 = 10.0;

/// The result of grading one answer against one rubric. `'g` is the grader's (or the rubric's)
/// lifetime; a report made by hand, or by [`Report::into_owned`], is `Report<'static>`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report<'g> {
    pub question: QuestionRef<'g>,
    /// 0-100, one decimal.
    pub score: f64,
    /// Points on the rubric's scale, when it has one.
    pub points: Option<Points>,
    pub band: Band,
    /// Every concept of the rubric, in rubric order.
    pub concepts: Vec<ConceptResult<'g>>,
    /// Groups of alternatives and what they earned.
    pub groups: Vec<GroupResult<'g>>,
    /// Misconceptions the answer states (not those it denies).
    pub misconceptions: Vec<MisconceptionResult<'g>>,
    pub warnings: Vec<Warning>,
    pub stats: Stats,
}

/// Which question was graded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuestionRef<'g> {
    pub id: Cow<'g, str>,
    pub section: Cow<'g, str>,
    pub prompt: Cow<'g, str>,
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
pub struct Evidence<'g> {
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
    pub matched: Cow<'g, str>,
    pub how: MatchKind,
    /// The match stands in a negated clause.
    pub negated: bool,
}

/// One concept of the rubric and what the answer did with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConceptResult<'g> {
    pub id: Cow<'g, str>,
    pub label: Cow<'g, str>,
    pub weight: f64,
    pub required: bool,
    /// The group it belongs to, if any.
    pub group: Option<Cow<'g, str>>,
    pub status: Status,
    /// Evidence, affirmative mentions first; negated mentions when that is all there is.
    pub evidence: Vec<Evidence<'g>>,
    pub hint: Option<Cow<'g, str>>,
}

/// A group of alternatives.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupResult<'g> {
    pub id: Cow<'g, str>,
    pub label: Cow<'g, str>,
    pub need: usize,
    pub found: usize,
    pub weight: f64,
    pub earned: f64,
}

/// A misconception the answer states.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MisconceptionResult<'g> {
    pub id: Cow<'g, str>,
    pub label: Cow<'g, str>,
    pub penalty: f64,
    pub explanation: Cow<'g, str>,
    pub evidence: Vec<Evidence<'g>>,
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

impl<'g> Report<'g> {
    /// Concepts with the given status.
    pub fn concepts_with(&self, status: Status) -> impl Iterator<Item = &ConceptResult<'g>> {
        self.concepts.iter().filter(move |c| c.status == status)
    }

    /// The same report, owning all its text: it no longer needs the grader.
    pub fn into_owned(self) -> Report<'static> {
        Report {
            question: self.question.into_owned(),
            score: self.score,
            points: self.points,
            band: self.band,
            concepts: self
                .concepts
                .into_iter()
                .map(ConceptResult::into_owned)
                .collect(),
            groups: self
                .groups
                .into_iter()
                .map(GroupResult::into_owned)
                .collect(),
            misconceptions: self
                .misconceptions
                .into_iter()
                .map(MisconceptionResult::into_owned)
                .collect(),
            warnings: self.warnings,
            stats: self.stats,
        }
    }

    /// Whether every required concept was found.
    pub fn has_required(&self) -> bool {
        self.concepts
            .iter()
            .all(|c| !c.required || c.status == Status::Found)
    }
}

/// A borrowed text made owned.
fn owned(text: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(text.into_owned())
}

impl QuestionRef<'_> {
    /// A reference to the same text.
    pub fn borrowed(&self) -> QuestionRef<'_> {
        QuestionRef {
            id: Cow::Borrowed(&self.id),
            section: Cow::Borrowed(&self.section),
            prompt: Cow::Borrowed(&self.prompt),
        }
    }

    /// The same question reference, owning its text.
    pub fn into_owned(self) -> QuestionRef<'static> {
        QuestionRef {
            id: owned(self.id),
            section: owned(self.section),
            prompt: owned(self.prompt),
        }
    }
}

impl Evidence<'_> {
    /// The same evidence, owning its text.
    pub fn into_owned(self) -> Evidence<'static> {
        Evidence {
            matched: owned(self.matched),
            ..self
        }
    }
}

impl ConceptResult<'_> {
    /// The same concept result, owning its text.
    pub fn into_owned(self) -> ConceptResult<'static> {
        ConceptResult {
            id: owned(self.id),
            label: owned(self.label),
            weight: self.weight,
            required: self.required,
            group: self.group.map(owned),
            status: self.status,
            evidence: self
                .evidence
                .into_iter()
                .map(Evidence::into_owned)
                .collect(),
            hint: self.hint.map(owned),
        }
    }
}

impl GroupResult<'_> {
    /// The same group result, owning its text.
    pub fn into_owned(self) -> GroupResult<'static> {
        GroupResult {
            id: owned(self.id),
            label: owned(self.label),
            ..self
        }
    }
}

impl MisconceptionResult<'_> {
    /// The same misconception, owning its text.
    pub fn into_owned(self) -> MisconceptionResult<'static> {
        MisconceptionResult {
            id: owned(self.id),
            label: owned(self.label),
            penalty: self.penalty,
            explanation: owned(self.explanation),
            evidence: self
                .evidence
                .into_iter()
                .map(Evidence::into_owned)
                .collect(),
        }
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
