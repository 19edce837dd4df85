//! Grading: a rubric compiled once, applied to any number of answers.

use std::borrow::Cow;

use crate::analyzer::{Analysis, Analyzer};
use crate::bank::Question;
use crate::matcher::{
    AnswerIndex, Match, PatternMatcher, PatternSet, PhraseMatcher, PhraseSet, Target, Vocabulary,
};
use crate::report::{
    Band, ConceptResult, Evidence, GroupResult, MisconceptionResult, Points, QuestionRef, Report,
    STRONG, Stats, Status, Warning, WarningCode,
};
use crate::rubric::{LevelRule, Rubric};
use crate::shape;
use crate::text::LineIndex;

/// Evidence kept per concept in a report.
const MAX_EVIDENCE: usize = 3;
/// A bare keyword list keeps this share of its score.
const KEYWORD_LIST_FACTOR: f64 = 0.5;
/// Points for using the subject's vocabulary at all, earned in full at [`RELEVANT_WORDS`]
/// distinct rubric words. They separate a vague but on-topic answer from one about something else.
const RELEVANCE_POINTS: f64 = 5.0;
const RELEVANT_WORDS: usize = 12;
/// Fewer distinct rubric words than this, and no concept found: the answer is about something else.
const ON_TOPIC_WORDS: usize = 6;

/// The most terms the thread's kept analysis has room for between answers (a few hundred
/// kilobytes).
const KEPT_TERMS: usize = 4096;

thread_local! {
    /// The analysis of the thread's last answer, emptied: its room is reused for the next.
    static ANALYSIS: std::cell::Cell<Analysis> = std::cell::Cell::default();
}

/// A rubric compiled for grading. Build it once per question; it is `Send + Sync`.
pub struct Grader {
    question: QuestionRef<'static>,
    rubric: Rubric,
    analyzer: Analyzer,
    vocabulary: Vocabulary,
    phrases: PhraseSet,
    patterns: PatternSet,
    /// The rubric's total weight, computed once.
    total_weight: f64,
    /// For each concept, the index of its group.
    group_of: Vec<Option<usize>>,
    /// For each group, the concepts (by index) it lists.
    group_members: Vec<Vec<usize>>,
}

impl std::fmt::Debug for Grader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grader")
            .field("question", &self.question.id)
            .finish()
    }
}

impl Grader {
    /// Compiles `rubric` for `question`.
    pub fn new(question: &Question, rubric: Rubric, analyzer: &Analyzer) -> Grader {
        let mut vocabulary = Vocabulary::default();
        let mut phrases = Vec::new();
        let mut patterns = Vec::new();
        let targets = rubric
            .concepts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    Target::Concept(i),
                    &c.aliases,
                    &c.patterns,
                    c.any_order,
                    c.max_gap,
                )
            })
            .chain(rubric.misconceptions.iter().enumerate().map(|(i, m)| {
                (
                    Target::Misconception(i),
                    &m.aliases,
                    &m.patterns,
                    m.any_order,
                    m.max_gap,
                )
            }));
        for (target, aliases, pattern_list, any_order, max_gap) in targets {
            for alias in aliases {
                if let Some(m) = PhraseMatcher::new(
                    target,
                    &alias.text,
                    any_order,
                    max_gap,
                    analyzer,
                    &mut vocabulary,
                ) {
                    phrases.push(m);
                }
            }
            // One regex per concept: compiling has a fixed cost that a one-shot `grade` feels.
            if !pattern_list.is_empty() {
                patterns.push(PatternMatcher::new(target, pattern_list));
            }
        }
        vocabulary.seal();
        let group_members: Vec<Vec<usize>> = rubric
            .groups
            .iter()
            .map(|g| {
                (0..rubric.concepts.len())
                    .filter(|&i| g.concepts.contains(&rubric.concepts[i].id))
                    .collect()
            })
            .collect();
        // The first group that lists each concept.
        let group_of = (0..rubric.concepts.len())
            .map(|i| {
                group_members
                    .iter()
                    .position(|members| members.contains(&i))
            })
            .collect();
        let total_weight = rubric.total_weight();
        Grader {
            question: QuestionRef {
                id: Cow::Owned(question.id.clone()),
                section: Cow::Owned(question.section.clone()),
                prompt: Cow::Owned(question.prompt.clone()),
            },
            rubric,
            analyzer: *analyzer,
            vocabulary,
            phrases: PhraseSet::new(phrases),
            patterns: PatternSet::new(patterns),
            group_of,
            group_members,
            total_weight,
        }
    }

    /// The rubric this grader applies.
    pub fn rubric(&self) -> &Rubric {
        &self.rubric
    }

    /// The question this grader is for.
    pub fn question(&self) -> &QuestionRef<'static> {
        &self.question
    }

    /// Grades one answer. The same text always gives the same report. The report borrows the
    /// rubric's text from this grader ([`Report::into_owned`] for one that does not).
    pub fn grade(&self, text: &str) -> Report<'_> {
        // The thread's analysis from its last answer, for the room of its terms.
        let mut analysis = ANALYSIS.take();
        self.analyzer.analyze_into(text, &mut analysis);
        let report = self.grade_analysis(text, &analysis);
        // Kept without its terms, which share words with the thread's word cache, and without
        // the room a very long answer made.
        analysis.terms.clear();
        analysis.terms.shrink_to(KEPT_TERMS);
        ANALYSIS.set(analysis);
        report
    }

    /// Grades `text`, analysed as `analysis`.
    fn grade_analysis(&self, text: &str, analysis: &Analysis) -> Report<'_> {
        let index = AnswerIndex::new(text, analysis, &self.vocabulary, &self.analyzer);
        let mut matches = Vec::with_capacity(64);
        self.phrases.find(&index, &mut matches);
        self.patterns.find(&index, &mut matches);
        let lines = LineIndex::new(text);
        for m in &mut matches {
            if let Target::Concept(i) = m.target
                && self.rubric.concepts[i].ignore_negation
            {
                m.negated = false;
            }
        }
        // Grouped by target, concepts first, each in rubric order. The order within a target
        // does not matter: evidence sorts its matches completely.
        matches.sort_unstable_by_key(|m| m.target);
        let mut rest = matches.as_slice();
        let mut of_target = |target: Target| {
            let n = rest.iter().take_while(|m| m.target == target).count();
            let (found, after) = rest.split_at(n);
            rest = after;
            found
        };
        let mut scratch = Vec::new();

        let concepts: Vec<ConceptResult> = self
            .rubric
            .concepts
            .iter()
            .enumerate()
            .map(|(i, concept)| {
                let found = of_target(Target::Concept(i));
                let affirmed = found.iter().any(|m| !m.negated);
                let status = if affirmed || (self.rubric.count_negated && !found.is_empty()) {
                    Status::Found
                } else if found.is_empty() {
                    Status::Missed
                } else {
                    Status::Negated
                };
                ConceptResult {
                    id: Cow::Borrowed(&concept.id),
                    label: Cow::Borrowed(&concept.label),
                    weight: concept.weight,
                    required: concept.required,
                    group: self.group_of[i].map(|g| Cow::Borrowed(&*self.rubric.groups[g].id)),
                    status,
                    evidence: evidence(text, &lines, found, affirmed, &mut scratch),
                    hint: concept.hint.as_deref().map(Cow::Borrowed),
                }
            })
            .collect();

        let misconceptions: Vec<MisconceptionResult> = self
            .rubric
            .misconceptions
            .iter()
            .enumerate()
            .map(|(i, m)| (m, of_target(Target::Misconception(i))))
            .filter(|(_, found)| found.iter().any(|m| !m.negated))
            .map(|(m, found)| MisconceptionResult {
                id: Cow::Borrowed(&m.id),
                label: Cow::Borrowed(&m.label),
                penalty: m.penalty,
                explanation: Cow::Borrowed(&m.explanation),
                evidence: evidence(text, &lines, found, true, &mut scratch),
            })
            .collect();

        let groups: Vec<GroupResult> = self
            .rubric
            .groups
            .iter()
            .zip(&self.group_members)
            .map(|(g, members)| {
                let found = members
                    .iter()
                    .filter(|&&i| concepts[i].status == Status::Found)
                    .count();
                GroupResult {
                    id: Cow::Borrowed(&g.id),
                    label: Cow::Borrowed(&g.label),
                    need: g.need,
                    found,
                    weight: g.weight,
                    earned: g.weight * found.min(g.need) as f64 / g.need as f64,
                }
            })
            .collect();

        let earned: f64 = concepts
            .iter()
            .filter(|c| c.group.is_none() && c.status == Status::Found)
            .map(|c| c.weight)
            .sum::<f64>()
            + groups.iter().map(|g| g.earned).sum::<f64>();
        let total = self.total_weight;
        let relevant = index.distinct_words();
        let coverage = (earned / (self.rubric.full_marks_at * total)).min(1.0);
        let relevance = (relevant as f64 / RELEVANT_WORDS as f64).min(1.0);
        let mut score = (100.0 - RELEVANCE_POINTS) * coverage + RELEVANCE_POINTS * relevance;

        let mut warnings = Vec::new();
        let words = analysis.word_count;
        if words == 0 {
            warnings.push(Warning {
                code: WarningCode::EmptyAnswer,
                message: "the answer is empty".into(),
            });
        } else if words < self.rubric.short_answer_words {
            // Below the rubric's bar an answer is scaled down towards half its score.
            score *= 0.5 + 0.5 * words as f64 / self.rubric.short_answer_words as f64;
            warnings.push(Warning {
                code: WarningCode::ShortAnswer,
                message: format!(
                    "the answer is very short ({words} words); a full answer explains its reasoning"
                ),
            });
        }
        let keyword_list = shape::is_keyword_list(text);
        if keyword_list {
            score *= KEYWORD_LIST_FACTOR;
            warnings.push(Warning {
                code: WarningCode::KeywordList,
                message: "the answer is mostly a list of bare terms, not sentences; terms without explanation earn half".into(),
            });
        }
        let penalty: f64 = misconceptions.iter().map(|m| m.penalty).sum();
        score -= penalty;
        let missing_required: Vec<&str> = concepts
            .iter()
            .filter(|c| c.required && c.status != Status::Found)
            .map(|c| &*c.label)
            .collect();
        if !missing_required.is_empty() {
            warnings.push(Warning {
                code: WarningCode::MissingRequired,
                message: format!("missing required: {}", missing_required.join("; ")),
            });
        }
        if keyword_list || !missing_required.is_empty() {
            score = score.min(STRONG - 1.0);
        }
        let score = (score.clamp(0.0, 100.0) * 10.0).round() / 10.0;
        let found_count = concepts
            .iter()
            .filter(|c| c.status == Status::Found)
            .count();
        let points = self.rubric.scale.as_ref().map(|scale| Points {
            value: scale
                .levels
                .iter()
                .find(|level| match level.when {
                    LevelRule::Found(n) => found_count >= n,
                    LevelRule::Score(s) => score >= s,
                })
                .map_or(0, |level| level.points),
            max: scale.max,
        });

        Report {
            question: self.question.borrowed(),
            score,
            points,
            band: if score < crate::report::OFF_TOPIC_BELOW
                && (relevant >= ON_TOPIC_WORDS || found_count > 0)
            {
                Band::Weak
            } else {
                Band::of(score)
            },
            concepts,
            groups,
            misconceptions,
            warnings,
            stats: Stats {
                words,
                sentences: analysis.sentence_count,
            },
        }
    }
}

/// Turns matches into evidence: affirmative first (or only negated, when `affirmative` is false),
/// in text order, one per start position.
fn evidence<'m>(
    text: &str,
    lines: &LineIndex,
    found: &[Match<'m>],
    affirmative: bool,
    scratch: &mut Vec<Match<'m>>,
) -> Vec<Evidence<'m>> {
    scratch.clear();
    scratch.extend(found.iter().filter(|m| m.negated != affirmative).cloned());
    scratch.sort_by(|a, b| {
        (a.start, a.end, a.how)
            .cmp(&(b.start, b.end, b.how))
            .then_with(|| a.matched.cmp(b.matched))
    });
    scratch.dedup_by(|later, earlier| later.start < earlier.end);
    scratch
        .iter()
        .take(MAX_EVIDENCE)
        .map(|m| {
            let (line, column) = lines.position(text, m.start);
            let (end_line, end_column) = lines.position_after(text, (line, column), m.start, m.end);
            Evidence {
                line,
                column,
                end_line,
                end_column,
                start: m.start,
                end: m.end,
                text: quote(&text[m.start..m.end]),
                matched: Cow::Borrowed(m.matched),
                how: m.how,
                negated: m.negated,
            }
        })
        .collect()
}

/// The matched words with whitespace collapsed, at most 80 characters.
fn quote(s: &str) -> String {
    // Most matches are a few ASCII words with single spaces between them: nothing to collapse.
    let bytes = s.as_bytes();
    // ASCII, no whitespace but single spaces, none at either end: one pass over the bytes.
    let mut previous = b' ';
    let plain = bytes.len() <= 80
        && bytes.last().is_some_and(|&b| b != b' ')
        && bytes.iter().all(|&b| {
            let fine = b.is_ascii()
                && !(b == b' ' && previous == b' ')
                && (b == b' ' || !char::from(b).is_whitespace());
            previous = b;
            fine
        });
    if plain { s.to_string() } else { collapse(s) }
}

/// [`quote`] for any text.
fn collapse(s: &str) -> String {
    let mut collapsed = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    if collapsed.len() > 80 && collapsed.chars().count() > 80 {
        let cut: String = collapsed.chars().take(79).collect();
        format!("{cut}\u{2026}")
    } else {
        collapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_of_plain_matches_equal_the_collapsed_quotes() {
        let long = "word ".repeat(20);
        let cases = [
            "exponential backoff",
            "jitter",
            "",
            " ",
            " leading",
            "trailing ",
            "two  spaces",
            "a\ttab",
            "a\nnew line",
            "a\r\nCRLF",
            "vertical\x0btab",
            "form\x0cfeed",
            "unit\x1fseparator",
            "no\u{a0}break",
            "caf\u{e9} au lait",
            &long[..79],
            &long[..80],
            &long[..81],
            long.trim_end(),
        ];
        for case in cases {
            assert_eq!(quote(case), collapse(case), "{case:?}");
        }
        // The fast path is taken where it may be, and the slow one still collapses.
        assert_eq!(quote("a\ttab"), "a tab");
        assert_eq!(quote("vertical\x0btab"), "vertical tab");
        assert!(quote(long.trim_end()).ends_with('\u{2026}'));
    }

    /// Whether every text of a report is borrowed (`Some(true)`) or owned (`Some(false)`).
    fn all_borrowed(report: &Report<'_>) -> Option<bool> {
        let q = &report.question;
        let mut texts: Vec<&Cow<'_, str>> = vec![&q.id, &q.section, &q.prompt];
        for c in &report.concepts {
            texts.extend([&c.id, &c.label]);
            texts.extend(c.group.iter().chain(&c.hint));
            texts.extend(c.evidence.iter().map(|e| &e.matched));
        }
        for g in &report.groups {
            texts.extend([&g.id, &g.label]);
        }
        for m in &report.misconceptions {
            texts.extend([&m.id, &m.label, &m.explanation]);
            texts.extend(m.evidence.iter().map(|e| &e.matched));
        }
        let borrowed = |t: &&Cow<'_, str>| matches!(t, Cow::Borrowed(_));
        if texts.iter().all(borrowed) {
            Some(true)
        } else if !texts.iter().any(borrowed) {
            Some(false)
        } else {
            None
        }
    }

    #[test]
    fn reports_borrow_the_rubric_text_until_made_owned() {
        let bank = crate::Bank::builtin();
        // A rubric with groups and an answer that states a misconception, so that every kind of
        // text is there.
        let question = bank.question("22").unwrap();
        let grader = Grader::new(question, bank.rubric(question).unwrap(), &Analyzer::new());
        let report = grader.grade(
            "Retry forever with exponential backoff and jitter; keep the requests idempotent.",
        );
        assert!(!report.concepts.is_empty() && !report.groups.is_empty());
        assert!(!report.misconceptions.is_empty(), "{report:#?}");
        assert!(report.concepts.iter().any(|c| !c.evidence.is_empty()));
        assert_eq!(all_borrowed(&report), Some(true));
        let owned = report.clone().into_owned();
        assert_eq!(all_borrowed(&owned), Some(false));
        // The owned report outlives its grader.
        drop(grader);
        assert!(owned.concepts.iter().any(|c| c.status == Status::Found));
    }

    #[test]
    fn an_owned_report_equals_the_borrowed_one() {
        let bank = crate::Bank::builtin();
        let question = bank.question("13").unwrap();
        let rubric = bank.rubric(question).unwrap();
        let text = rubric.samples[0].text.clone();
        let grader = Grader::new(question, rubric, &Analyzer::new());
        let report = grader.grade(&text);
        assert_eq!(report.clone().into_owned(), report);
    }
}
