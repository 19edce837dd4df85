//! Telling which question an answer addresses from its text alone: what `itdq grade` does
//! without `--q`, and the last resort of `itdq batch`, after `--q`, front matter, markers, section
//! headings and file names.
//!
//! Two signals, each weak alone, are combined:
//!
//! 1. **Retrieval.** The bank's search index ([`BankIndex`]) ranks the questions by BM25 over
//!    prompts and rubric vocabulary. It finds the right question first for nearly every answer
//!    of substance, but its scores only compare questions within one answer, and a generic answer
//!    ("communicate with stakeholders, measure, iterate") ranks some question first anyway.
//! 2. **Confirmation.** The few best-ranked questions grade the answer with their rubrics. How
//!    much of a rubric's concept weight the answer mentions (its *topicality*, negated mentions
//!    included: "we would not add jitter" is about retries) is an absolute measure of being on
//!    topic that does not depend on the answer's length.
//!
//! Each candidate's evidence is its relevance relative to the best-ranked question plus its
//! topicality. A softmax over the candidates turns the evidence into shares that sum to one, and
//! each share is scaled down when the candidate's rubric recognises too little of the answer. The
//! result is the confidence: high when one question clearly stands out *and* its rubric finds the
//! answer on topic. Below [`CONFIDENCE_THRESHOLD`] the detector refuses, because a wrong guess
//! grades an answer against the wrong rubric and quietly gives a bad score.

use std::sync::OnceLock;

use crate::analyzer::Analyzer;
use crate::bank::{Bank, Question};
use crate::corpus::Corpus;
use crate::grade::Grader;
use crate::index::{BankIndex, IndexError};
use crate::report::{Report, Status};

/// The confidence below which detection refuses to name a question.
pub const CONFIDENCE_THRESHOLD: f64 = 0.5;
/// How detection works, as named in the JSON output.
pub const METHOD: &str = "index+rubric";

/// How many of the best-ranked questions grade the answer. The right question ranks first for
/// every answer of substance we have; the others are there to be ruled out.
const CANDIDATES: usize = 5;
/// The weight of retrieval relevance (0-1, relative to the best-ranked question) against
/// topicality (0-1) in a candidate's evidence.
const RELEVANCE_WEIGHT: f64 = 0.5;
/// The softmax temperature: how much more evidence than the runner-up makes a clear winner. At
/// 0.1, a lead of 0.1 in evidence (a tenth of a rubric's concept weight) is a factor e.
const TEMPERATURE: f64 = 0.1;
/// The topicality at which a rubric fully recognises an answer as its own: a partial answer to a
/// question mentions about a third of the concept weight; a generic answer, well under a tenth.
const ON_TOPIC: f64 = 0.3;

/// A question detection considered, with its confidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Position of the question in [`Bank::questions`].
    pub position: usize,
    /// The question's id.
    pub question: String,
    /// 0-1, rounded to two decimals; the confidences of all candidates sum to at most 1 (before
    /// rounding).
    pub confidence: f64,
    /// BM25 relevance relative to the best-ranked question, 0-1.
    pub relevance: f64,
    /// Share of the rubric's concept weight the answer mentions, 0-1.
    pub topicality: f64,
}

/// The questions an answer may address, most likely first.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    /// The candidates, by confidence (ties by evidence, then bank order); empty when the answer
    /// shares no word with any question.
    pub candidates: Vec<Candidate>,
}

impl Detection {
    /// The most likely question.
    pub fn best(&self) -> Option<&Candidate> {
        self.candidates.first()
    }

    /// The second most likely question.
    pub fn runner_up(&self) -> Option<&Candidate> {
        self.candidates.get(1)
    }

    /// Whether the best candidate is likely enough to grade against.
    pub fn is_confident(&self) -> bool {
        self.best()
            .is_some_and(|c| c.confidence >= CONFIDENCE_THRESHOLD)
    }
}

/// A question named with its confidence, for messages.
#[derive(Clone, Debug, PartialEq)]
pub struct Guess {
    pub question: String,
    pub confidence: f64,
}

impl From<&Candidate> for Guess {
    fn from(c: &Candidate) -> Self {
        Guess {
            question: c.question.clone(),
            confidence: c.confidence,
        }
    }
}

/// Why the question of an answer could not be told.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    /// Nothing in the text points clearly enough at one question.
    #[error("cannot tell which question this answers ({})", describe_guesses(.best, .runner_up))]
    Unsure {
        best: Option<Guess>,
        runner_up: Option<Guess>,
    },
    /// The bank could not be indexed.
    #[error(transparent)]
    Index(#[from] IndexError),
}

fn describe_guesses(best: &Option<Guess>, runner_up: &Option<Guess>) -> String {
    match (best, runner_up) {
        (None, _) => "it shares no words with any question".to_string(),
        (Some(b), None) => format!("best guess {} at {:.2}", b.question, b.confidence),
        (Some(b), Some(r)) => format!(
            "best guess {} at {:.2}, then {} at {:.2}",
            b.question, b.confidence, r.question, r.confidence
        ),
    }
}

/// Detects the questions of answers to one bank. Build it once: it holds the bank's index and
/// compiles the rubrics it needs as it goes. `Send + Sync`.
pub struct Detector<'b> {
    bank: &'b Bank,
    index: BankIndex,
    analyzer: Analyzer,
    /// One lazily compiled grader per question, in bank order; `None` for a question that has
    /// neither a rubric that loads nor a reference answer.
    graders: Vec<OnceLock<Option<Grader>>>,
    /// Weights rubrics derived from reference answers; built on first need.
    corpus: OnceLock<Corpus>,
}

impl std::fmt::Debug for Detector<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detector")
            .field("bank", &self.bank.origin)
            .finish()
    }
}

impl<'b> Detector<'b> {
    /// A detector for `bank`, with its index (embedded for the built-in bank, built otherwise).
    pub fn new(bank: &'b Bank) -> Result<Detector<'b>, IndexError> {
        Ok(Detector {
            bank,
            index: BankIndex::for_bank(bank)?,
            analyzer: Analyzer::new(),
            graders: bank.questions().iter().map(|_| OnceLock::new()).collect(),
            corpus: OnceLock::new(),
        })
    }

    /// The bank's index.
    pub fn index(&self) -> &BankIndex {
        &self.index
    }

    /// The compiled grader of the question at `position`, if it has a rubric or a reference.
    pub fn grader(&self, position: usize) -> Option<&Grader> {
        self.graders[position]
            .get_or_init(|| {
                let question = &self.bank.questions()[position];
                let rubric = if self.bank.derives_rubric(question) {
                    // The corpus only weights the derived rubric's terms: should the in-memory
                    // index fail, an unweighted rubric still tells the topic.
                    let corpus = self.corpus.get_or_init(|| {
                        Corpus::build(&self.analyzer, self.bank.documents())
                            .unwrap_or_else(|_| Corpus::empty())
                    });
                    self.bank
                        .grading_rubric(question, corpus, &self.analyzer, &[])
                        .ok()?
                } else {
                    self.bank.rubric(question).ok()?
                };
                Some(Grader::new(question, rubric, &self.analyzer))
            })
            .as_ref()
    }

    /// Every candidate question of `text` with its confidence, whether or not one is likely
    /// enough.
    pub fn rank(&self, text: &str) -> Detection {
        let hits = self.index.search(text, &self.analyzer);
        let Some(top) = hits
            .first()
            .map(|h| f64::from(h.score))
            .filter(|top| *top > 0.0)
        else {
            return Detection {
                candidates: Vec::new(),
            };
        };
        let mut candidates: Vec<(Candidate, f64)> = hits
            .iter()
            .take(CANDIDATES)
            .map(|hit| {
                let relevance = f64::from(hit.score) / top;
                let topicality = self
                    .grader(hit.question)
                    .map_or(0.0, |g| topicality(&g.grade(text)));
                let candidate = Candidate {
                    position: hit.question,
                    question: self.bank.questions()[hit.question].id.clone(),
                    confidence: 0.0,
                    relevance,
                    topicality,
                };
                (candidate, RELEVANCE_WEIGHT * relevance + topicality)
            })
            .collect();
        let strongest = candidates
            .iter()
            .map(|(_, evidence)| *evidence)
            .fold(f64::MIN, f64::max);
        let shares: Vec<f64> = candidates
            .iter()
            .map(|(_, evidence)| ((evidence - strongest) / TEMPERATURE).exp())
            .collect();
        let total: f64 = shares.iter().sum();
        for ((candidate, _), share) in candidates.iter_mut().zip(&shares) {
            let recognised = (candidate.topicality / ON_TOPIC).min(1.0);
            candidate.confidence = round2(share / total * recognised);
        }
        candidates.sort_by(|(a, ea), (b, eb)| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(eb.total_cmp(ea))
                .then(a.position.cmp(&b.position))
        });
        Detection {
            candidates: candidates.into_iter().map(|(c, _)| c).collect(),
        }
    }

    /// The candidates of `text`, when the best is likely enough to grade against; otherwise the
    /// refusal, naming the best two guesses.
    pub fn detect(&self, text: &str) -> Result<Detection, DetectError> {
        let detection = self.rank(text);
        if detection.is_confident() {
            Ok(detection)
        } else {
            Err(DetectError::Unsure {
                best: detection.best().map(Guess::from),
                runner_up: detection.runner_up().map(Guess::from),
            })
        }
    }

    /// The question `text` answers, when it can be told with confidence.
    pub fn detect_question(&self, text: &str) -> Result<&'b Question, DetectError> {
        let detection = self.detect(text)?;
        let best = detection
            .best()
            .expect("a confident detection has a best candidate");
        Ok(&self.bank.questions()[best.position])
    }
}

/// The question `text` answers, when it can be told with confidence. Builds a [`Detector`] for
/// one answer; to detect many, build one and keep it.
pub fn detect_question<'b>(bank: &'b Bank, text: &str) -> Result<&'b Question, DetectError> {
    Detector::new(bank)?.detect_question(text)
}

/// The share of a rubric's concept weight that an answer mentions, affirmed or negated.
fn topicality(report: &Report) -> f64 {
    let total: f64 = report.concepts.iter().map(|c| c.weight).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let mentioned: f64 = report
        .concepts
        .iter()
        .filter(|c| c.status != Status::Missed)
        .map(|c| c.weight)
        .sum();
    mentioned / total + 0.0
}

/// Two decimals; adding zero turns the -0.0 of an empty float sum into 0.0.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const RETRIES: &str = "When a call to the payment service fails with a timeout or a 503, I \
        try it again, but each wait doubles (200 ms, 400 ms, 800 ms) up to a ceiling, and I add \
        a random amount to every wait so that a thousand clients do not all come back at the \
        same instant. After five attempts I give up and surface the error. Only idempotent \
        requests are retried, or ones carrying an idempotency key, and a 400 is never retried.";

    const HOLIDAY: &str = "Last summer we drove along the coast, stayed in small guest houses, \
        swam every morning and ate far too much ice cream. The children loved the beaches.";

    #[test]
    fn a_clear_answer_is_detected_with_its_runner_up() {
        let bank = Bank::builtin();
        let detector = Detector::new(&bank).unwrap();
        let detection = detector.detect(RETRIES).unwrap();
        let best = detection.best().unwrap();
        assert_eq!(best.question, "22");
        assert!(best.confidence >= CONFIDENCE_THRESHOLD);
        let runner_up = detection.runner_up().unwrap();
        assert_ne!(runner_up.question, "22");
        assert!(runner_up.confidence <= best.confidence);
        assert_eq!(detect_question(&bank, RETRIES).unwrap().id, "22");
    }

    #[test]
    fn confidences_are_shares_that_sum_to_at_most_one() {
        let bank = Bank::builtin();
        let detector = Detector::new(&bank).unwrap();
        for text in [RETRIES, HOLIDAY] {
            let detection = detector.rank(text);
            assert!(detection.candidates.len() <= CANDIDATES);
            let sum: f64 = detection.candidates.iter().map(|c| c.confidence).sum();
            // Each share is rounded to two decimals on its own.
            assert!(sum <= 1.0 + 0.005 * CANDIDATES as f64, "{sum}");
            assert!(
                detection
                    .candidates
                    .windows(2)
                    .all(|w| w[0].confidence >= w[1].confidence)
            );
            for c in &detection.candidates {
                assert!((0.0..=1.0).contains(&c.confidence), "{c:?}");
                assert!((0.0..=1.0).contains(&c.relevance), "{c:?}");
                assert!((0.0..=1.0).contains(&c.topicality), "{c:?}");
            }
        }
    }

    #[test]
    fn a_text_about_something_else_is_refused_with_the_best_guesses() {
        let bank = Bank::builtin();
        let detector = Detector::new(&bank).unwrap();
        let err = detector.detect(HOLIDAY).unwrap_err();
        let DetectError::Unsure { best, runner_up } = &err else {
            panic!("{err}");
        };
        let best = best.as_ref().expect("some question shares a word");
        assert!(best.confidence < CONFIDENCE_THRESHOLD);
        let message = err.to_string();
        assert!(
            message.starts_with(&format!(
                "cannot tell which question this answers (best guess {} at {:.2}",
                best.question, best.confidence
            )),
            "{message}"
        );
        if let Some(r) = runner_up {
            assert!(
                message.contains(&format!(", then {} at", r.question)),
                "{message}"
            );
        }
    }

    #[test]
    fn a_text_without_words_is_refused() {
        let bank = Bank::builtin();
        let err = detect_question(&bank, "  \n the of and ... ").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot tell which question this answers (it shares no words with any question)"
        );
    }

    #[test]
    fn naming_the_key_terms_only_to_reject_them_is_still_on_topic() {
        // Negated mentions earn no credit when grading, but they say what the answer is about.
        let bank = Bank::builtin();
        let detector = Detector::new(&bank).unwrap();
        let text = "I would not bother with exponential backoff or jitter when retrying an \
            HTTP request, and I see no need for a retry limit or idempotency keys: just call \
            the endpoint again in a loop until it answers, with no timeout.";
        assert_eq!(detector.detect_question(text).unwrap().id, "22");
    }

    #[test]
    fn the_topicality_of_a_report_counts_mentions_by_weight() {
        let bank = Bank::builtin();
        let question = bank.question("22").unwrap();
        let grader = Grader::new(question, bank.rubric(question).unwrap(), &Analyzer::new());
        assert_eq!(topicality(&grader.grade(HOLIDAY)), 0.0);
        let t = topicality(&grader.grade(RETRIES));
        assert!(t > ON_TOPIC && t <= 1.0, "{t}");
    }
}
