//! Rubrics derived from a reference answer, for questions that have a model answer and no rubric.
//!
//! A reference answer says what a full answer contains; its informative words, and its two-word
//! phrases, become the concepts of a rubric, weighted by how informative they are
//! ([`Corpus::idf`]). Words that the question itself uses are demoted: an answer that restates the
//! question has not answered it. The result is an ordinary [`Rubric`], so answers are matched with
//! the same stemming, compound and typo tolerance as a hand-written one, and `itdq rubric draft`
//! can print it for an author to refine.
//!
//! When many answers to the question are graded together, the vocabulary they share can be added
//! as a *cohort*: the few terms that a good share of the answers use and the rest of the corpus
//! does not. Students who say "unlimited" where the reference says "any number" then still earn
//! something. The cohort never sees a mark; it is off unless the caller passes answers.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::analyzer::{Analyzer, Term, Word};
use crate::corpus::Corpus;
use crate::error::Location;
use crate::negation;
use crate::rubric::{Alias, Concept, DEFAULT_MAX_GAP, Rubric};

/// The cues a denied word of the reference is also matched with.
const DENIALS: [&str; 3] = ["no", "not", "without"];

/// How a rubric is derived from a reference answer.
///
/// The defaults were chosen on the Mohler/UNT data (`examples/mohler/`), on one half of its
/// questions, and checked on the other half; see the README for the figures.
#[derive(Clone, Debug, PartialEq)]
pub struct DeriveSettings {
    /// Weight factor of a term that the question itself uses.
    pub prompt_factor: f64,
    /// Weight of a two-word phrase, relative to the lighter of its words: a small bonus for
    /// keeping the reference's words together.
    pub phrase_factor: f64,
    /// Share of the total weight that earns full marks. Reference answers are terse and students
    /// say the same thing in other words, so this is well below a hand-written rubric's 0.8.
    pub full_marks_at: f64,
    /// A cohort term must be used by at least this share of the answers.
    pub cohort_min_share: f64,
    /// Weight of a cohort term: its idf times the share of answers using it times this factor.
    pub cohort_factor: f64,
    /// At most this many cohort terms, the heaviest first.
    pub cohort_terms: usize,
    /// Fewer answers than this are no cohort: their shared words say little.
    pub cohort_min_answers: usize,
}

impl Default for DeriveSettings {
    fn default() -> Self {
        DeriveSettings {
            prompt_factor: 0.25,
            phrase_factor: 0.15,
            full_marks_at: 0.4,
            cohort_min_share: 0.15,
            cohort_factor: 0.5,
            cohort_terms: 10,
            cohort_min_answers: 10,
        }
    }
}

/// A reference answer to derive a rubric from.
#[derive(Clone, Copy, Debug)]
pub struct Reference<'a> {
    /// The id of the question it answers.
    pub question: &'a str,
    /// The question's text; its words are demoted.
    pub prompt: &'a str,
    /// The model answer.
    pub text: &'a str,
    /// Where the reference came from, for locations ("ref.txt", "reference answer of question 3").
    pub source: &'a str,
    /// Answers to the same question graded together, whose shared terms join the rubric; empty
    /// for none.
    pub cohort: &'a [&'a str],
}

/// Derives a rubric from `reference`, weighting its terms by their idf in `corpus`.
pub fn derive_rubric(reference: &Reference<'_>, corpus: &Corpus, analyzer: &Analyzer) -> Rubric {
    derive_rubric_with(reference, corpus, analyzer, &DeriveSettings::default())
}

/// [`derive_rubric`] with explicit settings.
pub fn derive_rubric_with(
    reference: &Reference<'_>,
    corpus: &Corpus,
    analyzer: &Analyzer,
    settings: &DeriveSettings,
) -> Rubric {
    let text = reference.text;
    let analysis = analyzer.analyze(text);
    let prompt_stems: HashSet<String> = analyzer
        .analyze(reference.prompt)
        .terms
        .into_iter()
        .map(|t| t.stem.into())
        .collect();
    // "no", "not", "without" are content words to the analyzer, but no concept by themselves.
    let terms: Vec<&Term> = analysis
        .terms
        .iter()
        .filter(|t| !negation::is_cue_word(&t.norm))
        .collect();
    let locate = |offset: usize| Location::at(reference.source, text, offset);
    let weigh = |stem: &str| {
        let demote = if prompt_stems.contains(stem) {
            settings.prompt_factor
        } else {
            1.0
        };
        corpus.idf(stem) * demote
    };

    let mut term_weight: HashMap<&str, f64> = HashMap::new();
    for term in &terms {
        term_weight
            .entry(term.stem.as_str())
            .or_insert_with(|| weigh(&term.stem));
    }

    let mut ids = IdMaker::default();
    let mut concepts = Vec::new();
    let mut seen = HashSet::new();
    for term in &terms {
        if !seen.insert(term.stem.clone()) {
            continue;
        }
        // A word the reference denies ("a node with no children") keeps a cue, so that an answer
        // naming the word the other way round ("a node with two children") does not earn it, and
        // one saying the same in its own words ("without children") does.
        let from = term
            .negation
            .filter(|cue| cue.strong)
            .map_or(term.start, |cue| cue.offset);
        let alias = &text[from..term.end];
        let mut aliases = vec![Alias {
            text: alias.to_string(),
            location: locate(from),
        }];
        if term.negation.is_some_and(|cue| cue.strong) {
            for cue in DENIALS {
                let other = format!("{cue} {}", &text[term.start..term.end]);
                if !aliases.iter().any(|a| a.text.eq_ignore_ascii_case(&other)) {
                    aliases.push(Alias {
                        text: other,
                        location: locate(from),
                    });
                }
            }
        }
        concepts.push(Concept {
            id: ids.make(&term.norm),
            label: alias.to_string(),
            weight: round(term_weight[term.stem.as_str()]),
            required: false,
            aliases,
            patterns: Vec::new(),
            any_order: false,
            max_gap: DEFAULT_MAX_GAP,
            hint: None,
            ignore_negation: false,
            location: locate(term.start),
        });
    }

    if settings.phrase_factor > 0.0 {
        let mut seen_pairs = HashSet::new();
        for pair in terms.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.sentence != b.sentence || a.stem == b.stem || !phrase_gap(&text[a.end..b.start]) {
                continue;
            }
            if !seen_pairs.insert((a.stem.clone(), b.stem.clone())) {
                continue;
            }
            let weight = term_weight[a.stem.as_str()].min(term_weight[b.stem.as_str()])
                * settings.phrase_factor;
            let from = a
                .negation
                .filter(|cue| cue.strong)
                .map_or(a.start, |cue| cue.offset);
            let alias = &text[from..b.end];
            concepts.push(Concept {
                id: ids.make(&format!("{}-{}", a.norm, b.norm)),
                label: alias.to_string(),
                weight: round(weight),
                required: false,
                aliases: vec![Alias {
                    text: alias.to_string(),
                    location: locate(from),
                }],
                patterns: Vec::new(),
                any_order: false,
                max_gap: DEFAULT_MAX_GAP,
                hint: None,
                ignore_negation: false,
                location: locate(a.start),
            });
        }
    }

    if reference.cohort.len() >= settings.cohort_min_answers.max(1) && settings.cohort_factor > 0.0
    {
        let mut shared: Vec<(f64, CohortTerm)> =
            cohort_terms(reference.cohort, analyzer, &seen, settings.cohort_min_share)
                .into_iter()
                .map(|term| {
                    (
                        weigh(&term.stem) * term.share * settings.cohort_factor,
                        term,
                    )
                })
                .collect();
        // The heaviest few: a long tail of shared small words would only dilute the reference.
        shared.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.stem.cmp(&b.1.stem)));
        for (weight, term) in shared.into_iter().take(settings.cohort_terms) {
            concepts.push(Concept {
                id: ids.make(&format!("cohort-{}", term.form)),
                label: format!(
                    "{} (used by {:.0}% of the answers)",
                    term.form,
                    term.share * 100.0
                ),
                weight: round(weight),
                required: false,
                aliases: vec![Alias {
                    text: term.form.clone(),
                    location: locate(0),
                }],
                patterns: Vec::new(),
                any_order: false,
                max_gap: DEFAULT_MAX_GAP,
                hint: None,
                ignore_negation: false,
                location: locate(0),
            });
        }
    }

    Rubric {
        question: reference.question.to_string(),
        file: reference.source.to_string(),
        full_marks_at: settings.full_marks_at,
        // The interview rule "under 30 words is short" would judge a terse reference short
        // itself: a derived rubric leaves length alone.
        short_answer_words: 0,
        // A reference is usually stated positively, and in short factual answers a negation is
        // mostly part of the answer ("no base case"), not a rejection of the concept.
        count_negated: true,
        scale: None,
        concepts,
        groups: Vec::new(),
        misconceptions: Vec::new(),
        samples: Vec::new(),
    }
}

/// A term that many answers of a cohort share.
struct CohortTerm {
    stem: String,
    /// The form most answers write it in.
    form: String,
    /// Share of the answers that use it.
    share: f64,
}

/// The terms that at least `min_share` of the answers use, other than those in `taken` (the
/// reference's own) and numbers.
fn cohort_terms(
    answers: &[&str],
    analyzer: &Analyzer,
    taken: &HashSet<Word>,
    min_share: f64,
) -> Vec<CohortTerm> {
    let n = answers.len() as f64;
    // stem -> (answers using it, form -> count); BTreeMaps keep the order deterministic.
    let mut usage: BTreeMap<String, (usize, BTreeMap<String, usize>)> = BTreeMap::new();
    for answer in answers {
        let mut here = HashSet::new();
        for t in analyzer.analyze(answer).terms {
            if negation::is_cue_word(&t.norm)
                || t.number
                || taken.contains(&t.stem)
                || !here.insert(t.stem.clone())
            {
                continue;
            }
            let entry = usage.entry(t.stem.into()).or_default();
            entry.0 += 1;
            *entry.1.entry(t.norm.into()).or_default() += 1;
        }
    }
    usage
        .into_iter()
        .filter(|(_, (count, _))| *count as f64 / n >= min_share)
        .map(|(stem, (count, forms))| {
            let form = forms
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(f, _)| f)
                .unwrap_or_default();
            CohortTerm {
                stem,
                form,
                share: count as f64 / n,
            }
        })
        .collect()
}

/// Whether two neighbouring words of the reference form a phrase: nothing but spaces, hyphens,
/// slashes or stop words between them, no comma or full stop.
fn phrase_gap(gap: &str) -> bool {
    !gap.contains([',', ';', ':', '.', '(', ')', '!', '?', '\n'])
}

/// Weights are written to a rubric file: two decimals are plenty and read well.
fn round(weight: f64) -> f64 {
    ((weight * 100.0).round() / 100.0).max(0.01)
}

/// Concept ids from words: lowercase ASCII letters, digits and '-', unique within the rubric.
#[derive(Default)]
struct IdMaker {
    used: HashSet<String>,
}

impl IdMaker {
    fn make(&mut self, words: &str) -> String {
        let mut base: String = words
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        base = base
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        if base.is_empty() {
            base = "term".into();
        }
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Question;
    use crate::grade::Grader;

    const PROMPT: &str = "What are the two main operations of a stack?";
    const REFERENCE: &str =
        "Push adds an element to the top of the stack; pop removes the top element.";

    fn corpus() -> Corpus {
        Corpus::build(
            &Analyzer::new(),
            [
                PROMPT,
                REFERENCE,
                "A queue adds elements at the back and removes them at the front.",
                "An element of an array is reached by its index.",
                "Every element of a list has a value.",
                "A tree has a root and leaves.",
            ],
        )
        .unwrap()
    }

    fn derive(prompt: &str, text: &str) -> Rubric {
        let reference = Reference {
            question: "8.2",
            prompt,
            text,
            source: "ref.txt",
            cohort: &[],
        };
        derive_rubric(&reference, &corpus(), &Analyzer::new())
    }

    fn weight(rubric: &Rubric, id: &str) -> f64 {
        rubric
            .concepts
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no concept {id}"))
            .weight
    }

    #[test]
    fn informative_terms_weigh_more() {
        let rubric = derive(PROMPT, REFERENCE);
        assert!(
            weight(&rubric, "push") > weight(&rubric, "element"),
            "a word of many documents weighs less"
        );
        assert!(
            weight(&rubric, "pop") > weight(&rubric, "removes"),
            "in one document, not two"
        );
    }

    #[test]
    fn words_of_the_question_are_demoted() {
        let with_prompt = derive(PROMPT, REFERENCE);
        let without = derive("", REFERENCE);
        assert!(weight(&with_prompt, "stack") < weight(&without, "stack") / 2.0);
        assert_eq!(weight(&with_prompt, "push"), weight(&without, "push"));
    }

    #[test]
    fn terms_are_unique_and_phrases_stay_within_a_clause() {
        let rubric = derive(PROMPT, REFERENCE);
        let ids: Vec<&str> = rubric.concepts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.iter().filter(|id| **id == "top").count(), 1);
        assert!(ids.contains(&"push-adds"), "{ids:?}");
        assert!(ids.contains(&"top-stack"), "{ids:?}");
        // "stack; pop" crosses a semicolon
        assert!(!ids.contains(&"stack-pop"), "{ids:?}");
        let phrase = rubric
            .concepts
            .iter()
            .find(|c| c.id == "top-stack")
            .unwrap();
        assert_eq!(phrase.aliases[0].text, "top of the stack");
        assert_eq!((phrase.location.line, phrase.location.column), (1, 29));
    }

    #[test]
    fn a_denied_word_keeps_its_cue() {
        let rubric = derive("What is a leaf?", "A node that has no children.");
        let children = rubric.concepts.iter().find(|c| c.id == "children").unwrap();
        assert_eq!(children.aliases[0].text, "no children");
        assert!(!rubric.concepts.iter().any(|c| c.id == "no"));
        let question = Question {
            id: "10.3".into(),
            section: String::new(),
            prompt: "What is a leaf?".into(),
            reference: None,
            rubric_file: String::new(),
        };
        let grader = Grader::new(&question, rubric, &Analyzer::new());
        let found = |answer: &str| {
            grader
                .grade(answer)
                .concepts
                .iter()
                .any(|c| c.id == "children" && c.status == crate::Status::Found)
        };
        assert!(found("a leaf is a node without any children"));
        assert!(found("It has no children."));
        assert!(!found("a node with two children"));
    }

    #[test]
    fn a_matching_answer_outscores_a_restatement() {
        let rubric = derive(PROMPT, REFERENCE);
        let question = Question {
            id: "8.2".into(),
            section: String::new(),
            prompt: PROMPT.into(),
            reference: None,
            rubric_file: String::new(),
        };
        let grader = Grader::new(&question, rubric, &Analyzer::new());
        let good =
            grader.grade("push puts an item on top of the stack and pop takes the top item off");
        let restated = grader.grade("the two main operations of a stack are the stack operations");
        assert!(
            good.score > restated.score + 30.0,
            "{} vs {}",
            good.score,
            restated.score
        );
    }

    #[test]
    fn a_cohort_adds_the_terms_many_answers_share() {
        let answers: Vec<String> = (0..12)
            .map(|i| {
                if i % 3 == 0 {
                    format!("answer {i}: a LIFO structure")
                } else {
                    format!("answer {i}: LIFO, push on top")
                }
            })
            .collect();
        let cohort: Vec<&str> = answers.iter().map(String::as_str).collect();
        let reference = Reference {
            question: "8.2",
            prompt: PROMPT,
            text: REFERENCE,
            source: "ref.txt",
            cohort: &cohort,
        };
        let rubric = derive_rubric(&reference, &corpus(), &Analyzer::new());
        let ids: Vec<&str> = rubric.concepts.iter().map(|c| c.id.as_str()).collect();
        assert!(
            ids.contains(&"cohort-lifo"),
            "used by every answer: {ids:?}"
        );
        assert!(
            ids.contains(&"cohort-structure"),
            "used by a third: {ids:?}"
        );
        assert!(
            !ids.iter()
                .any(|id| *id == "cohort-push" || *id == "cohort-top"),
            "already the reference's: {ids:?}"
        );
        assert!(
            !ids.iter()
                .any(|id| id.starts_with("cohort-0") || id.starts_with("cohort-3")),
            "numbers are no terms: {ids:?}"
        );
        let lifo = rubric
            .concepts
            .iter()
            .find(|c| c.id == "cohort-lifo")
            .unwrap();
        let structure = rubric
            .concepts
            .iter()
            .find(|c| c.id == "cohort-structure")
            .unwrap();
        assert!(lifo.weight > structure.weight, "shared by more answers");
        assert!(lifo.label.contains("100% of the answers"), "{}", lifo.label);
        // too few answers are no cohort
        let few = Reference {
            cohort: &cohort[..3],
            ..reference
        };
        assert!(
            !derive_rubric(&few, &corpus(), &Analyzer::new())
                .concepts
                .iter()
                .any(|c| c.id.starts_with("cohort-"))
        );
    }

    #[test]
    fn a_negated_mention_of_a_reference_term_still_counts() {
        let rubric = derive("What causes infinite recursion?", "A missing base case.");
        assert!(rubric.count_negated);
        let question = Question {
            id: "3.6".into(),
            section: String::new(),
            prompt: "What causes infinite recursion?".into(),
            reference: None,
            rubric_file: String::new(),
        };
        let grader = Grader::new(&question, rubric, &Analyzer::new());
        let report = grader.grade("There is no base case.");
        let base = report.concepts.iter().find(|c| c.id == "base").unwrap();
        assert_eq!(base.status, crate::Status::Found);
    }

    #[test]
    fn ids_are_valid_and_unique() {
        let mut ids = IdMaker::default();
        assert_eq!(ids.make("O(n)"), "o-n");
        assert_eq!(ids.make("o n"), "o-n-2");
        assert_eq!(ids.make("é"), "term");
    }
}
