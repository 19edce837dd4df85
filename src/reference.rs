//! Rubrics derived from a reference answer, for questions that have a model answer and no rubric.
//!
//! A reference answer says what a full answer contains; its informative words and phrases become
//! the concepts of a rubric, weighted by how informative they are ([`Corpus::idf`]). Words that the
//! question itself uses are demoted: an answer that restates the question has not answered it. The
//! result is an ordinary [`Rubric`], so answers are matched with the same stemming, compound and
//! typo tolerance, and negation handling as a hand-written one, and `itdq rubric draft` can print
//! it for an author to refine.

use std::collections::{HashMap, HashSet};

use crate::analyzer::{Analyzer, Term};
use crate::corpus::Corpus;
use crate::error::Location;
use crate::negation;
use crate::rubric::{Alias, Concept, DEFAULT_MAX_GAP, Rubric};

/// The cues a denied word of the reference is also matched with.
const DENIALS: [&str; 3] = ["no", "not", "without"];

/// How a rubric is derived from a reference answer.
#[derive(Clone, Debug, PartialEq)]
pub struct DeriveSettings {
    /// Weight factor of a term that the question itself uses.
    pub prompt_factor: f64,
    /// Weight of a two-word phrase, relative to the lighter of its words.
    pub phrase_factor: f64,
    /// Share of the total weight that earns full marks.
    pub full_marks_at: f64,
    /// Answers shorter than this share of the reference's length count as short.
    pub short_answer_share: f64,
    /// Terms are weighted by idf raised to this power.
    pub idf_power: f64,
}

impl Default for DeriveSettings {
    fn default() -> Self {
        DeriveSettings {
            prompt_factor: 0.25,
            phrase_factor: 0.5,
            full_marks_at: 0.8,
            short_answer_share: 0.0,
            idf_power: 1.0,
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
    /// Where the reference came from, for locations ("ref.txt", "bank/questions.toml").
    pub source: &'a str,
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
    let prompt_stems: HashSet<String> = analyzer.analyze(reference.prompt).terms.into_iter().map(|t| t.stem).collect();
    let terms: Vec<&Term> = analysis.terms.iter().filter(|t| !negation::is_cue_word(&t.norm)).collect();
    let locate = |offset: usize| Location::at(reference.source, text, offset);

    let mut term_weight: HashMap<&str, f64> = HashMap::new();
    for term in &terms {
        term_weight.entry(term.stem.as_str()).or_insert_with(|| {
            let demote = if prompt_stems.contains(&term.stem) { settings.prompt_factor } else { 1.0 };
            corpus.idf(&term.stem).max(f64::MIN_POSITIVE).powf(settings.idf_power) * demote
        });
    }

    let mut ids = IdMaker::default();
    let mut concepts = Vec::new();
    let mut seen = HashSet::new();
    for term in &terms {
        if !seen.insert(term.stem.clone()) {
            continue;
        }
        // A word the reference denies ("a node with no children") is matched with a cue, so that
        // an answer saying the same in its own words ("without children") is not taken for a denial.
        let from = term.negation.unwrap_or(term.start);
        let alias = &text[from..term.end];
        let mut aliases = vec![Alias { text: alias.to_string(), location: locate(from) }];
        if term.negation.is_some() {
            for cue in DENIALS {
                let other = format!("{cue} {}", &text[term.start..term.end]);
                if !aliases.iter().any(|a| a.text.eq_ignore_ascii_case(&other)) {
                    aliases.push(Alias { text: other, location: locate(from) });
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
            let weight = term_weight[a.stem.as_str()].min(term_weight[b.stem.as_str()]) * settings.phrase_factor;
            let from = a.negation.unwrap_or(a.start);
            let alias = &text[from..b.end];
            concepts.push(Concept {
                id: ids.make(&format!("{}-{}", a.norm, b.norm)),
                label: alias.to_string(),
                weight: round(weight),
                required: false,
                aliases: vec![Alias { text: alias.to_string(), location: locate(from) }],
                patterns: Vec::new(),
                any_order: false,
                max_gap: DEFAULT_MAX_GAP,
                hint: None,
                location: locate(a.start),
            });
        }
    }

    let short_answer_words = (analysis.word_count as f64 * settings.short_answer_share).round() as usize;
    Rubric {
        question: reference.question.to_string(),
        file: reference.source.to_string(),
        full_marks_at: settings.full_marks_at,
        short_answer_words,
        scale: None,
        concepts,
        groups: Vec::new(),
        misconceptions: Vec::new(),
        samples: Vec::new(),
    }
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
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .collect();
        base = base.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
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
    const REFERENCE: &str = "Push adds an element to the top of the stack; pop removes the top element.";

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
        let reference = Reference { question: "8.2", prompt, text, source: "ref.txt" };
        derive_rubric(&reference, &corpus(), &Analyzer::new())
    }

    fn weight(rubric: &Rubric, id: &str) -> f64 {
        rubric.concepts.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no concept {id}")).weight
    }

    #[test]
    fn informative_terms_weigh_more() {
        let rubric = derive(PROMPT, REFERENCE);
        assert!(weight(&rubric, "push") > weight(&rubric, "element"), "a word of many documents weighs less");
        assert!(weight(&rubric, "pop") > weight(&rubric, "removes"), "in one document, not two");
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
        let phrase = rubric.concepts.iter().find(|c| c.id == "top-stack").unwrap();
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
            grader.grade(answer).concepts.iter().any(|c| c.id == "children" && c.status == crate::Status::Found)
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
        let good = grader.grade("push puts an item on top of the stack and pop takes the top item off");
        let restated = grader.grade("the two main operations of a stack are the stack operations");
        assert!(good.score > restated.score + 30.0, "{} vs {}", good.score, restated.score);
    }

    #[test]
    fn ids_are_valid_and_unique() {
        let mut ids = IdMaker::default();
        assert_eq!(ids.make("O(n)"), "o-n");
        assert_eq!(ids.make("o n"), "o-n-2");
        assert_eq!(ids.make("é"), "term");
    }
}
