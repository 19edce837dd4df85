//! Checks of rubrics and banks for authors: every format error at once, and the mistakes that load
//! fine but grade badly (an alias that can never match, one phrase credited to two concepts, a
//! misconception that also earns a concept).
//!
//! The format errors are the loader's own ([`Rubric::check`]); the warnings compile the rubric and
//! grade its own aliases with it, so they see exactly what grading sees: the same analyzer,
//! stemming, compounds and typo tolerance.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use serde::Serialize;

use crate::analyzer::Analyzer;
use crate::bank::{Bank, Question};
use crate::error::{LoadError, Location};
use crate::grade::Grader;
use crate::report::{Report, Status};
use crate::rubric::{Alias, Rubric};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The rubric or bank cannot be used as it is.
    Error,
    /// It loads, but some of it will not grade as its author meant.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What a finding is about. Each has a stable name, used in every output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// TOML syntax, an unknown field, or a rule of the format (ids, weights, regexes, groups).
    Format,
    /// A rubric file names another question than the one that points to it.
    WrongQuestion,
    /// An alias made only of stop words: it can never match.
    StopWordsOnly,
    /// The same alias (after analysis) in two concepts.
    DuplicateAlias,
    /// An alias of one concept that also matches another concept.
    OverlappingAlias,
    /// A misconception alias that earns a concept, or a concept alias that states a misconception.
    MisconceptionOverlap,
    /// A sample answer graded outside the score range its author gave it.
    SampleOutOfRange,
    /// A rubric file that no question points to.
    OrphanRubric,
    /// A question with neither a rubric nor a reference answer: it cannot be graded.
    NoRubric,
    /// A reference answer with no content words to derive a rubric from.
    EmptyReference,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Format => "format",
            Rule::WrongQuestion => "wrong-question",
            Rule::StopWordsOnly => "stop-words-only",
            Rule::DuplicateAlias => "duplicate-alias",
            Rule::OverlappingAlias => "overlapping-alias",
            Rule::MisconceptionOverlap => "misconception-overlap",
            Rule::SampleOutOfRange => "sample-out-of-range",
            Rule::OrphanRubric => "orphan-rubric",
            Rule::NoRubric => "no-rubric",
            Rule::EmptyReference => "empty-reference",
        }
    }
}

/// One finding, at a place in a file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub location: Location,
    pub severity: Severity,
    pub rule: Rule,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}",
            self.location,
            self.severity.as_str(),
            self.rule.as_str(),
            self.message
        )
    }
}

impl Diagnostic {
    fn warning(location: &Location, rule: Rule, message: String) -> Diagnostic {
        Diagnostic {
            location: location.clone(),
            severity: Severity::Warning,
            rule,
            message,
        }
    }

    /// A load error as a finding. Errors without a place (a file that cannot be read) are the
    /// caller's to report: they are not findings about the content.
    fn from_load_error(error: &LoadError, rule: Rule) -> Option<Diagnostic> {
        let LoadError::Invalid { location, message } = error else {
            return None;
        };
        Some(Diagnostic {
            location: location.clone(),
            severity: Severity::Error,
            rule,
            message: message.clone(),
        })
    }
}

/// Lints one rubric file: format errors, or, when it loads, the warnings.
pub fn lint_rubric(file: &str, source: &str, analyzer: &Analyzer) -> Vec<Diagnostic> {
    let mut out = match Rubric::check(file, source) {
        Ok(rubric) => lint_loaded(&rubric, analyzer),
        Err(errors) => errors
            .iter()
            .filter_map(|e| Diagnostic::from_load_error(e, Rule::Format))
            .collect(),
    };
    out.sort();
    out
}

/// Lints a whole bank: every rubric file, whether each question can be graded, and rubric files
/// nobody uses. The bank itself (its `questions.toml`) has already loaded.
pub fn lint_bank(bank: &Bank, analyzer: &Analyzer) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let questions_file = Location {
        file: bank.questions_path().to_string(),
        line: 1,
        column: 1,
    };
    for question in bank.questions() {
        if let Some((path, text)) = bank.rubric_source(question) {
            match bank.rubric(question) {
                Ok(rubric) => out.extend(lint_loaded(&rubric, analyzer)),
                Err(error) => {
                    // The loader stops at the first error: check the file again for all of them.
                    // When the file itself is sound, what failed is the question it names.
                    let found = lint_rubric(path, text, analyzer);
                    if !has_errors(&found) {
                        out.extend(Diagnostic::from_load_error(&error, Rule::WrongQuestion));
                    }
                    out.extend(found);
                }
            }
        } else if let Some(reference) = &question.reference {
            if analyzer.analyze(reference).terms.is_empty() {
                out.push(Diagnostic::warning(
                    &questions_file,
                    Rule::EmptyReference,
                    format!("the reference answer of question {} has no content words to derive a rubric from", question.id),
                ));
            }
        } else {
            out.push(Diagnostic::warning(
                &questions_file,
                Rule::NoRubric,
                format!(
                    "question {} has no rubric (expected rubrics/{}) and no reference answer: it cannot be graded",
                    question.id, question.rubric_file
                ),
            ));
        }
    }
    for (path, text) in bank.orphan_rubrics() {
        out.push(Diagnostic::warning(
            &Location {
                file: path.to_string(),
                line: 1,
                column: 1,
            },
            Rule::OrphanRubric,
            "no question points to this rubric file".to_string(),
        ));
        out.extend(lint_rubric(path, text, analyzer));
    }
    out.sort();
    out.dedup();
    out
}

/// The warnings of a rubric that loaded.
pub fn lint_loaded(rubric: &Rubric, analyzer: &Analyzer) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let grader = Grader::new(&placeholder_question(rubric), rubric.clone(), analyzer);

    // Aliases by what they reduce to: the stems a matcher would look for.
    let mut first_seen: HashMap<Vec<String>, (usize, &Alias)> = HashMap::new();
    // (alias owner, other concept) pairs already reported as duplicates.
    let mut duplicates = BTreeSet::new();
    for (i, concept) in rubric.concepts.iter().enumerate() {
        for alias in &concept.aliases {
            let stems: Vec<String> = analyzer
                .analyze(&alias.text)
                .terms
                .into_iter()
                .map(|t| t.stem.into())
                .collect();
            if stems.is_empty() {
                out.push(Diagnostic::warning(
                    &alias.location,
                    Rule::StopWordsOnly,
                    format!(
                        "alias {:?} of concept `{}` is only stop words: it can never match",
                        alias.text, concept.id
                    ),
                ));
                continue;
            }
            match first_seen.get(&stems) {
                // Twice in one concept is merely redundant: it credits nothing twice.
                Some(&(j, _)) if j == i => {}
                Some(&(j, earlier)) => {
                    duplicates.insert((i, j));
                    out.push(Diagnostic::warning(
                        &alias.location,
                        Rule::DuplicateAlias,
                        format!(
                            "alias {:?} of concept `{}` is also an alias of concept `{}` ({:?}, line {}): one phrase earns both",
                            alias.text, concept.id, rubric.concepts[j].id, earlier.text, earlier.location.line
                        ),
                    ));
                }
                None => {
                    first_seen.insert(stems, (i, alias));
                }
            }
        }
    }

    for (i, concept) in rubric.concepts.iter().enumerate() {
        for alias in &concept.aliases {
            let report = grader.grade(&alias.text);
            for (j, other) in found_concepts(&report) {
                if j != i && !duplicates.contains(&(i, j)) && !duplicates.contains(&(j, i)) {
                    out.push(Diagnostic::warning(
                        &alias.location,
                        Rule::OverlappingAlias,
                        format!(
                            "alias {:?} of concept `{}` also matches concept `{}` (through {:?}): an answer saying it earns both",
                            alias.text, concept.id, rubric.concepts[j].id, other
                        ),
                    ));
                }
            }
            for stated in &report.misconceptions {
                out.push(Diagnostic::warning(
                    &alias.location,
                    Rule::MisconceptionOverlap,
                    format!(
                        "alias {:?} of concept `{}` also states misconception `{}`: an answer earning the concept is penalised",
                        alias.text, concept.id, stated.id
                    ),
                ));
            }
        }
    }
    for misconception in &rubric.misconceptions {
        for alias in &misconception.aliases {
            let report = grader.grade(&alias.text);
            for (j, through) in found_concepts(&report) {
                out.push(Diagnostic::warning(
                    &alias.location,
                    Rule::MisconceptionOverlap,
                    format!(
                        "alias {:?} of misconception `{}` also earns concept `{}` (through {:?}): the wrong claim is credited",
                        alias.text, misconception.id, rubric.concepts[j].id, through
                    ),
                ));
            }
        }
    }

    for sample in &rubric.samples {
        let score = grader.grade(&sample.text).score;
        if score < sample.min || score > sample.max {
            out.push(Diagnostic::warning(
                &sample.location,
                Rule::SampleOutOfRange,
                format!(
                    "sample {:?} scores {score}, outside its expected {}..{}",
                    sample.name, sample.min, sample.max
                ),
            ));
        }
    }
    out.sort();
    out
}

/// Concepts a report found, by index, with the alias or pattern that first matched each.
fn found_concepts(report: &Report<'_>) -> Vec<(usize, String)> {
    report
        .concepts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.status == Status::Found)
        .map(|(j, c)| {
            (
                j,
                c.evidence
                    .first()
                    .map(|e| e.matched.to_string())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

/// Linting needs no real question: only the rubric is compiled.
fn placeholder_question(rubric: &Rubric) -> Question {
    Question {
        id: rubric.question.clone(),
        section: String::new(),
        prompt: String::new(),
        reference: None,
        rubric_file: rubric.file.clone(),
    }
}

/// Whether any finding is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const BASE: &str = r#"question = "1"

[[concept]]
id = "jitter"
label = "Jitter"
aliases = ["jitter", "random delay"]

[[concept]]
id = "cap"
label = "A cap on attempts"
aliases = ["max attempts"]
"#;

    fn lint(source: &str) -> Vec<Diagnostic> {
        lint_rubric("r.toml", source, &Analyzer::new())
    }

    fn rules(diagnostics: &[Diagnostic]) -> Vec<(Rule, usize)> {
        diagnostics
            .iter()
            .map(|d| (d.rule, d.location.line))
            .collect()
    }

    #[test]
    fn a_clean_rubric_has_no_findings() {
        assert_eq!(lint(BASE), vec![]);
    }

    #[test]
    fn format_errors_are_errors_with_places() {
        let cases = [
            (
                BASE.replace("label = \"Jitter\"", "label = \"Jitter\"\nwieght = 2"),
                6,
                "wieght",
            ),
            (
                BASE.replace("aliases = [\"max attempts\"]", "patterns = ['(a']"),
                11,
                "invalid regex",
            ),
            (
                BASE.replace("id = \"cap\"", "id = \"jitter\""),
                9,
                "duplicate id",
            ),
            (
                format!(
                    "{BASE}\n[[group]]\nid = \"g\"\nlabel = \"G\"\nconcepts = [\"cap\", \"nope\"]\n"
                ),
                16,
                "unknown concept",
            ),
            (
                BASE.replace("label = \"Jitter\"", "label = \"Jitter\"\nweight = 0"),
                6,
                "greater than zero",
            ),
            (
                BASE.replace("label = \"Jitter\"", "label = \"Jitter\"\nweight = -2"),
                6,
                "greater than zero",
            ),
        ];
        for (source, line, what) in cases {
            let found = lint(&source);
            assert_eq!(found.len(), 1, "{found:?}");
            let d = &found[0];
            assert_eq!(
                (d.severity, d.rule, d.location.line),
                (Severity::Error, Rule::Format, line),
                "{d}"
            );
            assert!(d.message.contains(what), "{d}");
        }
    }

    #[test]
    fn all_format_errors_are_listed() {
        let source = BASE
            .replace("label = \"Jitter\"", "label = \"Jitter\"\nweight = 0")
            .replace("aliases = [\"max attempts\"]", "patterns = ['(a']");
        assert_eq!(
            rules(&lint(&source)),
            [(Rule::Format, 6), (Rule::Format, 12)]
        );
    }

    #[test]
    fn an_alias_of_stop_words_only() {
        let found = lint(&BASE.replace("\"random delay\"", "\"random delay\", \"of the\""));
        assert_eq!(rules(&found), [(Rule::StopWordsOnly, 6)]);
        assert_eq!(found[0].location.column, 38);
    }

    #[test]
    fn the_same_alias_in_two_concepts() {
        // "max attempts" and "maximum attempt" differ; "random delays" is "random delay" after stemming
        let found = lint(&BASE.replace(
            "[\"max attempts\"]",
            "[\"max attempts\", \"random delays\"]",
        ));
        assert_eq!(rules(&found), [(Rule::DuplicateAlias, 11)]);
        assert!(
            found[0].message.contains("concept `jitter`"),
            "{}",
            found[0]
        );
        // twice in one concept is redundant, not wrong
        assert_eq!(
            lint(&BASE.replace("[\"jitter\", \"random delay\"]", "[\"jitter\", \"Jitter\"]")),
            vec![]
        );
    }

    #[test]
    fn an_alias_that_matches_another_concept() {
        let found = lint(&BASE.replace(
            "[\"max attempts\"]",
            "[\"max attempts\", \"jittered max attempts\"]",
        ));
        assert_eq!(rules(&found), [(Rule::OverlappingAlias, 11)]);
        assert!(
            found[0].message.contains("also matches concept `jitter`"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn a_misconception_that_earns_a_concept() {
        let source = format!(
            "{BASE}\n[[misconception]]\nid = \"forever\"\nlabel = \"Forever\"\naliases = [\"retry forever past the max attempts\", \"infinite loop\"]\npenalty = 10\nexplanation = \"x\"\n"
        );
        let found = lint(&source);
        assert_eq!(
            rules(&found),
            [(Rule::MisconceptionOverlap, 16)],
            "{found:?}"
        );
        assert!(
            found[0].message.contains("earns concept `cap`"),
            "{}",
            found[0]
        );
        // a concept alias that states the misconception
        let source = format!(
            "{BASE}\n[[misconception]]\nid = \"random\"\nlabel = \"Random\"\naliases = [\"random\"]\npenalty = 10\nexplanation = \"x\"\n"
        );
        let found = lint(&source);
        assert_eq!(
            rules(&found),
            [(Rule::MisconceptionOverlap, 6)],
            "{found:?}"
        );
        assert!(
            found[0].message.contains("states misconception `random`"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn a_sample_outside_its_range() {
        let source = format!(
            "{BASE}\n[[sample]]\nname = \"thin\"\nscore = [80, 100]\ntext = \"We add jitter.\"\n"
        );
        let found = lint(&source);
        assert_eq!(rules(&found), [(Rule::SampleOutOfRange, 13)], "{found:?}");
    }

    #[test]
    fn a_bank_lints_questions_without_rubrics_and_orphans() {
        let questions = "[[question]]\nid = \"1\"\nprompt = \"p\"\n\n[[question]]\nid = \"2\"\nprompt = \"p\"\n\n[[question]]\nid = \"3\"\nprompt = \"p\"\nreference = \"A node with no children.\"\n";
        let mut rubrics = BTreeMap::new();
        rubrics.insert(
            "q01.toml".to_string(),
            ("rubrics/q01.toml".to_string(), BASE.to_string()),
        );
        rubrics.insert(
            "q09.toml".to_string(),
            (
                "rubrics/q09.toml".to_string(),
                BASE.replace("\"1\"", "\"9\""),
            ),
        );
        let bank = Bank::from_sources("t", "questions.toml", questions, rubrics).unwrap();
        let found = lint_bank(&bank, &Analyzer::new());
        let summary: Vec<(&str, Rule)> = found
            .iter()
            .map(|d| (d.location.file.as_str(), d.rule))
            .collect();
        assert_eq!(
            summary,
            [
                ("questions.toml", Rule::NoRubric),
                ("rubrics/q09.toml", Rule::OrphanRubric)
            ]
        );
        assert!(found[0].message.contains("question 2"), "{}", found[0]);
    }

    #[test]
    fn a_rubric_for_another_question_is_an_error() {
        let questions = "[[question]]\nid = \"1\"\nprompt = \"p\"\n";
        let mut rubrics = BTreeMap::new();
        rubrics.insert(
            "q01.toml".to_string(),
            (
                "rubrics/q01.toml".to_string(),
                BASE.replace("\"1\"", "\"7\""),
            ),
        );
        let bank = Bank::from_sources("t", "questions.toml", questions, rubrics).unwrap();
        let found = lint_bank(&bank, &Analyzer::new());
        assert_eq!(rules(&found), [(Rule::WrongQuestion, 1)]);
        assert!(has_errors(&found));
    }

    #[test]
    fn the_builtin_bank_has_no_errors() {
        let found = lint_bank(&Bank::builtin(), &Analyzer::new());
        let errors: Vec<String> = found
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect();
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }

    #[test]
    fn diagnostics_print_as_file_line_column() {
        let found = lint(&BASE.replace("label = \"Jitter\"", "label = \"Jitter\"\nweight = 0"));
        assert_eq!(
            found[0].to_string(),
            "r.toml:6:10: error[format]: weight must be greater than zero, not 0"
        );
    }
}
