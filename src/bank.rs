//! The question bank: questions and their rubrics, built in or read from a folder.
//!
//! Rubrics are parsed on demand, one question at a time, so grading one answer never pays for
//! the whole bank.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::analyzer::Analyzer;
use crate::corpus::Corpus;
use crate::error::LoadError;
use crate::reference::{Reference, derive_rubric};
use crate::rubric::Rubric;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_bank.rs"));
}

/// An interview question.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Question {
    pub id: String,
    pub section: String,
    pub prompt: String,
    /// A model answer in our own words, if the bank has one.
    pub reference: Option<String>,
    /// File name of its rubric inside the bank's `rubrics/` folder.
    pub rubric_file: String,
}

/// A set of questions with their rubrics.
#[derive(Clone, Debug)]
pub struct Bank {
    /// Where the bank came from: "built-in" or a folder.
    pub origin: String,
    /// The questions file, for messages.
    questions_path: String,
    questions: Vec<Question>,
    /// Rubric file name -> (path for messages, TOML text). The built-in bank's texts are
    /// borrowed from the binary.
    rubrics: BTreeMap<String, (String, Cow<'static, str>)>,
    /// Compiled in: its search index was built at compile time too.
    builtin: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestions {
    #[serde(default, rename = "question")]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    #[serde(default)]
    section: String,
    prompt: String,
    reference: Option<String>,
    rubric: Option<String>,
}

impl Bank {
    /// The bank compiled into itdq (this repository's `bank/` and `rubrics/`).
    pub fn builtin() -> Bank {
        let rubrics = builtin::RUBRICS
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (format!("rubrics/{name}"), Cow::Borrowed(*text)),
                )
            })
            .collect();
        // The build script turned the questions file into a table; should that table not load
        // cleanly, the file is parsed, which reports the problem.
        let questions = builtin::QUESTION_TABLE.and_then(|table| {
            let entries = table
                .iter()
                .map(|&(id, section, prompt, reference, rubric)| Entry {
                    id,
                    section,
                    prompt,
                    reference,
                    rubric,
                    offset: 0,
                });
            questions_from(entries).ok()
        });
        let mut bank = match questions {
            Some(questions) => Bank {
                origin: "built-in".to_string(),
                questions_path: "bank/questions.toml".to_string(),
                questions,
                rubrics,
                builtin: false,
            },
            None => Bank::from_parts(
                "built-in",
                "bank/questions.toml",
                builtin::QUESTIONS,
                rubrics,
            )
            .expect("the built-in bank is checked by the test suite"),
        };
        bank.builtin = true;
        bank
    }

    /// Whether this is the bank compiled into itdq.
    pub fn is_builtin(&self) -> bool {
        self.builtin
    }

    /// Reads a bank folder: `DIR/questions.toml` or `DIR/bank/questions.toml`, and rubrics from
    /// `DIR/rubrics/`.
    pub fn from_dir(dir: &Path) -> Result<Bank, LoadError> {
        let questions_path = [
            dir.join("questions.toml"),
            dir.join("bank").join("questions.toml"),
        ]
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| LoadError::NotABank {
            path: dir.display().to_string(),
        })?;
        let questions = read(&questions_path)?;
        let mut rubrics = BTreeMap::new();
        let rubric_dir = dir.join("rubrics");
        if rubric_dir.is_dir() {
            let entries = std::fs::read_dir(&rubric_dir).map_err(|source| LoadError::Io {
                path: rubric_dir.display().to_string(),
                source,
            })?;
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "toml") {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    rubrics.insert(name, (path.display().to_string(), read(&path)?));
                }
            }
        }
        Bank::from_sources(
            &dir.display().to_string(),
            &questions_path.display().to_string(),
            &questions,
            rubrics,
        )
    }

    /// Builds a bank from in-memory sources: the questions file and rubric files by name.
    pub fn from_sources(
        origin: &str,
        questions_path: &str,
        questions_toml: &str,
        rubrics: BTreeMap<String, (String, String)>,
    ) -> Result<Bank, LoadError> {
        let rubrics = rubrics
            .into_iter()
            .map(|(name, (path, text))| (name, (path, Cow::Owned(text))))
            .collect();
        Bank::from_parts(origin, questions_path, questions_toml, rubrics)
    }

    fn from_parts(
        origin: &str,
        questions_path: &str,
        questions_toml: &str,
        rubrics: BTreeMap<String, (String, Cow<'static, str>)>,
    ) -> Result<Bank, LoadError> {
        let raw: RawQuestions = toml::from_str(questions_toml)
            .map_err(|e| LoadError::from_toml(questions_path, questions_toml, &e))?;
        let entries = raw.questions.iter().map(|q| Entry {
            id: q.id.get_ref(),
            section: &q.section,
            prompt: &q.prompt,
            reference: q.reference.as_deref(),
            rubric: q.rubric.as_deref(),
            offset: q.id.span().start,
        });
        let questions = questions_from(entries).map_err(|(offset, why)| {
            LoadError::invalid(questions_path, questions_toml, offset, why)
        })?;
        Ok(Bank {
            origin: origin.to_string(),
            questions_path: questions_path.to_string(),
            questions,
            rubrics,
            builtin: false,
        })
    }

    /// All questions, in the bank's order.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The question with this id. `07`, `q7` and `Q07` all name question `7`.
    pub fn question(&self, id: &str) -> Result<&Question, LoadError> {
        // The id as written first: a batch looks up every answer's question, and canonical ids
        // cost an allocation per question compared.
        let exact = self.questions.iter().find(|q| q.id == id);
        exact
            .or_else(|| {
                let wanted = canonical_id(id);
                self.questions
                    .iter()
                    .find(|q| canonical_id(&q.id) == wanted)
            })
            .ok_or_else(|| LoadError::UnknownQuestion {
                id: id.to_string(),
                known: self.questions.iter().map(|q| q.id.clone()).collect(),
            })
    }

    /// The questions file, as named in messages.
    pub fn questions_path(&self) -> &str {
        &self.questions_path
    }

    /// The path (for messages) and TOML text of the question's rubric file, if it has one.
    pub fn rubric_source(&self, question: &Question) -> Option<(&str, &str)> {
        self.rubrics
            .get(&question.rubric_file)
            .map(|(path, text)| (path.as_str(), text.as_ref()))
    }

    /// Whether the question has a rubric file.
    pub fn has_rubric(&self, question: &Question) -> bool {
        self.rubrics.contains_key(&question.rubric_file)
    }

    /// The texts that describe the bank's subject matter: every prompt and reference answer. A
    /// [`Corpus`] built from them (and the answers being graded) weights derived rubrics.
    pub fn documents(&self) -> impl Iterator<Item = &str> {
        self.questions
            .iter()
            .flat_map(|q| std::iter::once(q.prompt.as_str()).chain(q.reference.as_deref()))
    }

    /// Whether grading the question needs a rubric derived from its reference answer.
    pub fn derives_rubric(&self, question: &Question) -> bool {
        !self.has_rubric(question) && question.reference.is_some()
    }

    /// The rubric a question is graded with: its rubric file, or else one derived from its
    /// reference answer, weighted by `corpus`, with the shared terms of `cohort` (answers to the
    /// question graded together; empty for none).
    pub fn grading_rubric(
        &self,
        question: &Question,
        corpus: &Corpus,
        analyzer: &Analyzer,
        cohort: &[&str],
    ) -> Result<Rubric, LoadError> {
        match &question.reference {
            Some(text) if !self.has_rubric(question) => {
                let source = format!("reference answer of question {}", question.id);
                let reference = Reference {
                    question: &question.id,
                    prompt: &question.prompt,
                    text,
                    source: &source,
                    cohort,
                };
                Ok(derive_rubric(&reference, corpus, analyzer))
            }
            _ => self.rubric(question),
        }
    }

    /// Reads and validates the rubric of a question.
    pub fn rubric(&self, question: &Question) -> Result<Rubric, LoadError> {
        let (path, text) =
            self.rubrics
                .get(&question.rubric_file)
                .ok_or_else(|| LoadError::NoRubric {
                    id: question.id.clone(),
                    expected: format!("rubrics/{}", question.rubric_file),
                })?;
        let rubric = Rubric::from_toml(path, text)?;
        if canonical_id(&rubric.question) != canonical_id(&question.id) {
            let offset = text.find("question").unwrap_or(0);
            return Err(LoadError::invalid(
                path,
                text,
                offset,
                format!(
                    "this rubric is for question {:?}, but question {:?} points to it",
                    rubric.question, question.id
                ),
            ));
        }
        Ok(rubric)
    }

    /// Rubric files no question points to (path for messages, TOML text).
    pub fn orphan_rubrics(&self) -> Vec<(&str, &str)> {
        let used: HashSet<&str> = self
            .questions
            .iter()
            .map(|q| q.rubric_file.as_str())
            .collect();
        self.rubrics
            .iter()
            .filter(|(name, _)| !used.contains(name.as_str()))
            .map(|(_, (path, text))| (path.as_str(), text.as_ref()))
            .collect()
    }
}

/// An entry of a questions file, as written.
struct Entry<'a> {
    id: &'a str,
    section: &'a str,
    prompt: &'a str,
    reference: Option<&'a str>,
    rubric: Option<&'a str>,
    /// Where the id is written, for messages.
    offset: usize,
}

/// The questions of a questions file's entries. An empty or repeated id is an error at its offset.
fn questions_from<'a>(
    entries: impl Iterator<Item = Entry<'a>>,
) -> Result<Vec<Question>, (usize, String)> {
    let mut seen = HashSet::new();
    let mut questions = Vec::new();
    for Entry {
        id,
        section,
        prompt,
        reference,
        rubric,
        offset,
    } in entries
    {
        let id = id.trim().to_string();
        if id.is_empty() {
            return Err((offset, "empty question id".to_string()));
        }
        if !seen.insert(id.clone()) {
            return Err((offset, format!("duplicate question id {id:?}")));
        }
        let rubric_file = rubric.map_or_else(|| default_rubric_file(&id), str::to_string);
        questions.push(Question {
            id,
            section: section.to_string(),
            prompt: prompt.trim().to_string(),
            reference: reference
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string),
            rubric_file,
        });
    }
    Ok(questions)
}

fn read(path: &Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// `q07.toml` for id `7`; `qabc.toml` for id `abc`.
fn default_rubric_file(id: &str) -> String {
    match id.parse::<u32>() {
        Ok(n) => format!("q{n:02}.toml"),
        Err(_) => format!("q{id}.toml"),
    }
}

/// `Q07`, `q7`, `07` and `7` are one id.
fn canonical_id(id: &str) -> String {
    let id = id.trim();
    let id = id
        .strip_prefix(['q', 'Q'])
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(id);
    match id.parse::<u64>() {
        Ok(n) => n.to_string(),
        Err(_) => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_matched_loosely() {
        assert_eq!(canonical_id("Q07"), "7");
        assert_eq!(canonical_id("13"), "13");
        assert_eq!(canonical_id("quality"), "quality");
        assert_eq!(default_rubric_file("7"), "q07.toml");
        assert_eq!(default_rubric_file("42"), "q42.toml");
    }

    #[test]
    fn the_builtin_bank_has_fifty_questions() {
        let bank = Bank::builtin();
        assert_eq!(bank.questions().len(), 50);
        assert_eq!(bank.question("q13").unwrap().id, "13");
        let err = bank.question("51").unwrap_err().to_string();
        assert!(
            err.contains("unknown question \"51\"") && err.contains("1, 2, 3"),
            "{err}"
        );
    }

    #[test]
    fn the_builtin_question_table_loads_as_the_questions_file_does() {
        assert!(
            builtin::QUESTION_TABLE.is_some(),
            "the build script made the table"
        );
        let parsed = Bank::from_sources(
            "built-in",
            "bank/questions.toml",
            builtin::QUESTIONS,
            BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(Bank::builtin().questions(), parsed.questions());
    }

    #[test]
    fn duplicate_question_ids_are_errors() {
        let toml =
            "[[question]]\nid = \"1\"\nprompt = \"a\"\n[[question]]\nid = \"1\"\nprompt = \"b\"\n";
        let err = Bank::from_sources("t", "questions.toml", toml, BTreeMap::new()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("questions.toml:5:6: duplicate question id"),
            "{err}"
        );
    }
}
