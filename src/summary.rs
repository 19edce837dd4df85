//! What a panel wants to know about a whole batch of answers: how many, how good (mean, median,
//! bands), how many fell short, and which concepts the candidate pool missed most often.
//!
//! A summary keeps counters and one score per answer, never the reports themselves, so that it
//! stays small however many answers stream past it.

// Fx hashing: every answer of a batch is counted here (the order never shows: lists are sorted).
use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

use crate::report::{Band, Report, Status};

/// Running totals over a batch.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    graded: usize,
    passed: usize,
    errors: usize,
    ignored: usize,
    /// One score per graded answer; a median needs them all.
    scores: Vec<f32>,
    bands: [usize; 4],
    /// Graded answers per question id.
    answers_per_question: HashMap<String, usize>,
    /// Question id -> concept id -> (label, answers that missed it).
    missed: HashMap<String, HashMap<String, (String, usize)>>,
}

/// A concept that answers in the batch missed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MissedConcept {
    pub question: String,
    pub concept: String,
    pub label: String,
    /// Answers to the question that missed it (or only named it to reject it).
    pub missed: usize,
    /// Graded answers to the question.
    pub answers: usize,
}

/// Graded answers per band, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct BandCounts {
    pub strong: usize,
    pub adequate: usize,
    pub weak: usize,
    pub off_topic: usize,
}

/// The summary as plain numbers, for renderers and for `--format json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Totals {
    /// Answers graded.
    pub graded: usize,
    /// Graded answers that met the bar.
    pub passed: usize,
    /// Graded answers that did not (below the minimum score, or missing a required concept).
    pub failed: usize,
    /// Inputs that could not be graded.
    pub errors: usize,
    /// Files that opted out with `<!-- itdq: ignore -->`.
    pub ignored: usize,
    /// Mean score of the graded answers, one decimal; `None` when nothing was graded.
    pub mean: Option<f64>,
    /// Median score, one decimal.
    pub median: Option<f64>,
    /// Graded answers per band.
    pub bands: BandCounts,
    /// The concepts missed most often, most missed first.
    pub most_missed: Vec<MissedConcept>,
}

impl Summary {
    /// Counts a graded answer and whether it met the bar.
    pub fn record(&mut self, report: &Report<'_>, passed: bool) {
        self.graded += 1;
        if passed {
            self.passed += 1;
        }
        self.scores.push(report.score as f32);
        self.bands[report.band as usize] += 1;
        // Looked up by reference first: a batch repeats the same few ids thousands of times.
        let question = &*report.question.id;
        match self.answers_per_question.get_mut(question) {
            Some(answers) => *answers += 1,
            None => {
                self.answers_per_question.insert(question.to_string(), 1);
            }
        }
        if !self.missed.contains_key(question) {
            self.missed.insert(question.to_string(), HashMap::default());
        }
        let Some(missed) = self.missed.get_mut(question) else {
            return;
        };
        for concept in report.concepts.iter().filter(|c| c.status != Status::Found) {
            match missed.get_mut(&*concept.id) {
                Some((_, count)) => *count += 1,
                None => {
                    missed.insert(concept.id.to_string(), (concept.label.to_string(), 1));
                }
            }
        }
    }

    /// Adds the counts of `other`, a summary of other answers of the batch. Totals do not depend
    /// on the order in which answers were counted or summaries merged.
    pub fn merge(&mut self, other: Summary) {
        self.graded += other.graded;
        self.passed += other.passed;
        self.errors += other.errors;
        self.ignored += other.ignored;
        self.scores.extend(other.scores);
        for (mine, theirs) in self.bands.iter_mut().zip(other.bands) {
            *mine += theirs;
        }
        for (question, answers) in other.answers_per_question {
            *self.answers_per_question.entry(question).or_default() += answers;
        }
        for (question, concepts) in other.missed {
            let mine = self.missed.entry(question).or_default();
            for (concept, (label, count)) in concepts {
                mine.entry(concept).or_insert((label, 0)).1 += count;
            }
        }
    }

    /// Counts an input that could not be graded.
    pub fn record_error(&mut self) {
        self.errors += 1;
    }

    /// Counts a file that opted out.
    pub fn record_ignored(&mut self) {
        self.ignored += 1;
    }

    /// Answers graded so far.
    pub fn graded(&self) -> usize {
        self.graded
    }

    /// Graded answers that fell short.
    pub fn failed(&self) -> usize {
        self.graded - self.passed
    }

    /// Inputs that could not be graded.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// Files that opted out.
    pub fn ignored(&self) -> usize {
        self.ignored
    }

    /// Mean score, one decimal.
    pub fn mean(&self) -> Option<f64> {
        mean_of(&self.sorted_scores())
    }

    /// Median score, one decimal: the middle score, or the mean of the two middle ones.
    pub fn median(&self) -> Option<f64> {
        median_of(&self.sorted_scores())
    }

    /// Every score, lowest first.
    fn sorted_scores(&self) -> Vec<f32> {
        let mut scores = self.scores.clone();
        scores.sort_by(f32::total_cmp);
        scores
    }

    /// Graded answers in a band.
    pub fn in_band(&self, band: Band) -> usize {
        self.bands[band as usize]
    }

    /// The `limit` concepts missed by the most answers; ties go to the higher share of the
    /// question's answers, then to question and concept id.
    pub fn most_missed(&self, limit: usize) -> Vec<MissedConcept> {
        let mut all: Vec<MissedConcept> = self
            .missed
            .iter()
            .flat_map(|(question, concepts)| {
                concepts
                    .iter()
                    .map(move |(concept, (label, missed))| (question, concept, label, missed))
            })
            .map(|(question, concept, label, missed)| MissedConcept {
                question: question.clone(),
                concept: concept.clone(),
                label: label.clone(),
                missed: *missed,
                answers: self
                    .answers_per_question
                    .get(question)
                    .copied()
                    .unwrap_or(0),
            })
            .collect();
        all.sort_by(|a, b| {
            b.missed
                .cmp(&a.missed)
                .then_with(|| (b.missed * a.answers).cmp(&(a.missed * b.answers)))
                .then_with(|| id_order(&a.question).cmp(&id_order(&b.question)))
                .then_with(|| a.concept.cmp(&b.concept))
        });
        all.truncate(limit);
        all
    }

    /// Everything as plain numbers, with the `limit` most missed concepts.
    pub fn totals(&self, limit: usize) -> Totals {
        // Sorted once for both the mean and the median.
        let scores = self.sorted_scores();
        Totals {
            graded: self.graded,
            passed: self.passed,
            failed: self.failed(),
            errors: self.errors,
            ignored: self.ignored,
            mean: mean_of(&scores),
            median: median_of(&scores),
            bands: BandCounts {
                strong: self.in_band(Band::Strong),
                adequate: self.in_band(Band::Adequate),
                weak: self.in_band(Band::Weak),
                off_topic: self.in_band(Band::OffTopic),
            },
            most_missed: self.most_missed(limit),
        }
    }
}

/// Numeric ids in numeric order (2 before 13), others after them in text order.
fn id_order(id: &str) -> (u64, &str) {
    (id.parse().unwrap_or(u64::MAX), id)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The mean of `sorted` (lowest first), one decimal. Summed in score order: a float sum depends
/// on its order, and the batch counts answers in the order it grades them (by question), not in
/// file order.
fn mean_of(sorted: &[f32]) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let sum: f64 = sorted.iter().map(|&s| f64::from(s)).sum();
    Some(round1(sum / sorted.len() as f64))
}

/// The median of `sorted` (lowest first), one decimal.
fn median_of(sorted: &[f32]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let middle = if n % 2 == 1 {
        f64::from(sorted[n / 2])
    } else {
        (f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0
    };
    Some(round1(middle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{ConceptResult, QuestionRef, Stats};

    fn report(question: &str, score: f64, missed: &[&str]) -> Report<'static> {
        let concepts = ["jitter", "cap", "idempotent"]
            .into_iter()
            .map(|id| ConceptResult {
                id: id.into(),
                label: format!("label of {id}").into(),
                weight: 1.0,
                required: false,
                group: None,
                status: if missed.contains(&id) {
                    Status::Missed
                } else {
                    Status::Found
                },
                evidence: Vec::new(),
                hint: None,
            })
            .collect();
        Report {
            question: QuestionRef {
                id: question.to_string().into(),
                section: "".into(),
                prompt: "".into(),
            },
            score,
            points: None,
            band: Band::of(score),
            concepts,
            groups: Vec::new(),
            misconceptions: Vec::new(),
            warnings: Vec::new(),
            stats: Stats {
                words: 100,
                sentences: 5,
            },
        }
    }

    #[test]
    fn an_empty_batch_has_no_mean_or_median() {
        let s = Summary::default();
        assert_eq!((s.mean(), s.median()), (None, None));
        assert!(s.most_missed(5).is_empty());
    }

    #[test]
    fn counts_mean_median_and_bands() {
        let mut s = Summary::default();
        for (score, passed) in [(80.0, true), (40.0, false), (55.5, true), (5.0, false)] {
            s.record(&report("22", score, &[]), passed);
        }
        s.record_error();
        s.record_ignored();
        let t = s.totals(3);
        assert_eq!(
            (t.graded, t.passed, t.failed, t.errors, t.ignored),
            (4, 2, 2, 1, 1)
        );
        assert_eq!(t.mean, Some(45.1));
        assert_eq!(t.median, Some(47.8));
        assert_eq!(
            t.bands,
            BandCounts {
                strong: 1,
                adequate: 1,
                weak: 1,
                off_topic: 1
            }
        );
        s.record(&report("22", 60.0, &[]), true);
        assert_eq!(s.median(), Some(55.5));
    }

    #[test]
    fn merged_summaries_equal_one_summary_of_all_answers() {
        let reports = [
            (report("22", 80.0, &["jitter", "cap"]), true),
            (report("22", 40.0, &["jitter"]), false),
            (report("13", 95.0, &[]), true),
            (report("13", 10.0, &["cap"]), false),
        ];
        let mut whole = Summary::default();
        for (r, passed) in &reports {
            whole.record(r, *passed);
        }
        whole.record_error();
        let mut merged = Summary::default();
        for (r, passed) in &reports {
            let mut part = Summary::default();
            part.record(r, *passed);
            merged.merge(part);
        }
        let mut errors = Summary::default();
        errors.record_error();
        merged.merge(errors);
        assert_eq!(merged.totals(10), whole.totals(10));
        assert_eq!(merged.totals(10).most_missed.len(), 3);
        assert_eq!(merged.totals(10).median, whole.totals(10).median);
    }

    #[test]
    fn most_missed_counts_per_question_and_breaks_ties_by_share() {
        let mut s = Summary::default();
        s.record(&report("22", 50.0, &["jitter", "cap"]), true);
        s.record(&report("22", 50.0, &["jitter"]), true);
        s.record(&report("22", 50.0, &[]), true);
        s.record(&report("13", 50.0, &["cap"]), true);
        let missed = s.most_missed(3);
        let got: Vec<(&str, &str, usize, usize)> = missed
            .iter()
            .map(|m| (m.question.as_str(), m.concept.as_str(), m.missed, m.answers))
            .collect();
        // Two misses of jitter first; then one miss each, and 1 of 1 answers beats 1 of 3.
        assert_eq!(
            got,
            [
                ("22", "jitter", 2, 3),
                ("13", "cap", 1, 1),
                ("22", "cap", 1, 3)
            ]
        );
        assert_eq!(missed[0].label, "label of jitter");
    }
}
