//! A search index over the bank: which questions a text is about, ranked by BM25.
//!
//! One document per question, with three fields: the prompt, the reference answer (if any), and
//! the rubric's concept labels and aliases. Misconception aliases are left out on purpose: an
//! answer that states a wrong claim about retries is still about retries, but the words of a
//! wrong claim are not what the question is about, and some are shared across topics ("security
//! at the end").
//!
//! Every field and every query goes through the one [`Analyzer`], registered with tantivy as a
//! tokenizer whose tokens are exactly the analyzer's stems, so "prioritise" in an answer and
//! "prioritizing" in a rubric meet on one term. The index is written by one thread into one
//! segment and ties rank in bank order, so the same text always gets the same ranking.
//!
//! Indexing the built-in bank means parsing 50 rubrics and analysing some 20,000 words, which
//! takes longer than a command should wait; the build script does it at compile time and embeds
//! the index files, so [`BankIndex::for_bank`] only opens them. A bank read from a folder is
//! indexed when it is first needed.

pub(crate) mod documents;

use std::collections::BTreeMap;
use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::directory::RamDirectory;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Directory, Index, Searcher, Term};

use crate::analyzer::Analyzer;
use crate::bank::Bank;
use crate::error::LoadError;
use documents::QuestionText;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_index.rs"));
}

/// Why the index could not be built.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// A rubric of the bank does not load.
    #[error(transparent)]
    Rubric(#[from] LoadError),
    /// tantivy failed; with an in-memory index this is a bug, but it is reported, not a panic.
    #[error("cannot build the search index of the bank: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// One question of a ranking.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    /// Position of the question in [`Bank::questions`].
    pub question: usize,
    /// BM25 relevance: larger is more relevant. Comparable only within one ranking.
    pub score: f32,
}

/// The bank's search index. Build it once; it is `Send + Sync`.
pub struct BankIndex {
    searcher: Searcher,
    /// The text fields, which count alike: weighing the prompt down or up ranked short queries
    /// and answers no better.
    fields: [Field; 3],
    /// Per segment, per document: the position of its question in the bank.
    ordinals: Vec<Vec<usize>>,
    questions: usize,
}

impl std::fmt::Debug for BankIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BankIndex")
            .field("questions", &self.questions)
            .finish()
    }
}

impl BankIndex {
    /// The index of `bank`: the one embedded at compile time for the built-in bank, otherwise
    /// built now.
    pub fn for_bank(bank: &Bank) -> Result<BankIndex, IndexError> {
        if bank.is_builtin() && !builtin::FILES.is_empty() {
            BankIndex::embedded(bank.questions().len())
        } else {
            BankIndex::build(bank)
        }
    }

    /// Indexes every question of `bank` now. A question without a rubric file is indexed by its
    /// prompt and reference answer alone.
    pub fn build(bank: &Bank) -> Result<BankIndex, IndexError> {
        let mut rubrics = Vec::with_capacity(bank.questions().len());
        for question in bank.questions() {
            rubrics.push(if bank.has_rubric(question) {
                Some(bank.rubric(question)?)
            } else {
                None
            });
        }
        let texts = bank
            .questions()
            .iter()
            .zip(&rubrics)
            .map(|(question, rubric)| QuestionText {
                prompt: &question.prompt,
                reference: question.reference.as_deref(),
                concepts: rubric
                    .iter()
                    .flat_map(|r| &r.concepts)
                    .flat_map(|c| {
                        std::iter::once(c.label.as_str())
                            .chain(c.aliases.iter().map(|a| a.text.as_str()))
                    })
                    .collect(),
            });
        let index = documents::write(RamDirectory::create(), texts)?;
        BankIndex::open(&index, bank.questions().len())
    }

    /// Opens the index of the built-in bank that the build script wrote.
    fn embedded(questions: usize) -> Result<BankIndex, IndexError> {
        let directory = RamDirectory::create();
        for (name, bytes) in builtin::FILES {
            directory
                .atomic_write(Path::new(name), bytes)
                .map_err(tantivy::TantivyError::from)?;
        }
        let index = Index::open(directory)?;
        documents::register_tokenizer(&index);
        BankIndex::open(&index, questions)
    }

    fn open(index: &Index, questions: usize) -> Result<BankIndex, IndexError> {
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let schema = index.schema();
        let fields = [
            schema.get_field(documents::PROMPT)?,
            schema.get_field(documents::REFERENCE)?,
            schema.get_field(documents::CONCEPTS)?,
        ];
        let mut ordinals = Vec::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64(documents::ORDINAL)?;
            ordinals.push(
                (0..segment.max_doc())
                    .map(|doc| column.first(doc).map_or(usize::MAX, |o| o as usize))
                    .collect(),
            );
        }
        Ok(BankIndex {
            searcher,
            fields,
            ordinals,
            questions,
        })
    }

    /// Questions ranked by relevance to `text`, most relevant first, ties in bank order; only
    /// questions sharing at least one word with it.
    pub fn search(&self, text: &str, analyzer: &Analyzer) -> Vec<Hit> {
        // A word the text repeats is more likely its subject; its weight grows slowly with the
        // count, so one word said ten times cannot outweigh ten different words.
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for term in analyzer.analyze(text).terms {
            *counts.entry(term.stem.into()).or_default() += 1;
        }
        if counts.is_empty() {
            return Vec::new();
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(counts.len() * 3);
        for (stem, count) in &counts {
            let weight = 1.0 + (*count as f32).ln();
            for field in self.fields {
                let term = TermQuery::new(
                    Term::from_field_text(field, stem),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term), weight)),
                ));
            }
        }
        self.run(&BooleanQuery::new(clauses))
    }

    fn run(&self, query: &dyn Query) -> Vec<Hit> {
        let collector = TopDocs::with_limit(self.questions.max(1)).order_by_score();
        // An in-memory search over a finished segment has nothing left to fail on.
        let Ok(docs) = self.searcher.search(query, &collector) else {
            return Vec::new();
        };
        let mut hits: Vec<Hit> = docs
            .into_iter()
            .filter_map(|(score, address)| {
                let question = *self
                    .ordinals
                    .get(address.segment_ord as usize)?
                    .get(address.doc_id as usize)?;
                (question < self.questions).then_some(Hit { question, score })
            })
            .collect();
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.question.cmp(&b.question))
        });
        hits
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn small_bank() -> Bank {
        let questions = r#"
[[question]]
id = "1"
prompt = "How do you retry a failed HTTP request?"

[[question]]
id = "2"
prompt = "How do you prioritise projects against the budget?"
reference = "Score each initiative on value, risk and cost, then fund the portfolio in tiers."

[[question]]
id = "3"
prompt = "How do you retry a failed HTTP request?"
"#;
        let rubric = r#"
question = "1"

[[concept]]
id = "backoff"
label = "Exponential backoff"
aliases = ["exponential backoff", "double the delay"]
hint = "Wait longer after each failure."

[[concept]]
id = "jitter"
label = "Jitter"
aliases = ["jitter", "random offset"]
hint = "Randomise the waits."

[[misconception]]
id = "forever"
label = "Retrying forever"
aliases = ["zanzibar forever"]
penalty = 10
explanation = "Unbounded retries overload a struggling server."
"#;
        let mut rubrics = BTreeMap::new();
        rubrics.insert(
            "q01.toml".to_string(),
            ("rubrics/q01.toml".to_string(), rubric.to_string()),
        );
        Bank::from_sources("test", "questions.toml", questions, rubrics).unwrap()
    }

    fn ranked(index: &BankIndex, text: &str) -> Vec<usize> {
        index
            .search(text, &Analyzer::new())
            .iter()
            .map(|h| h.question)
            .collect()
    }

    #[test]
    fn concepts_prompts_and_references_are_all_searchable() {
        let index = BankIndex::build(&small_bank()).unwrap();
        // Concept aliases: only question 1 has a rubric.
        assert_eq!(ranked(&index, "a random offset"), [0]);
        // A reference answer.
        assert_eq!(ranked(&index, "fund the portfolio in tiers"), [1]);
        // Words of no question.
        assert!(ranked(&index, "sourdough starter").is_empty());
        assert!(ranked(&index, "").is_empty());
    }

    #[test]
    fn query_and_index_meet_on_stems_and_american_spelling() {
        let index = BankIndex::build(&small_bank()).unwrap();
        let analyzer = Analyzer::new();
        let british = index.search("prioritising budgets", &analyzer);
        let american = index.search("prioritize the budget", &analyzer);
        assert_eq!(british[0].question, 1);
        assert_eq!(british, american);
    }

    #[test]
    fn misconception_aliases_are_not_indexed() {
        let index = BankIndex::build(&small_bank()).unwrap();
        assert!(ranked(&index, "zanzibar").is_empty());
    }

    #[test]
    fn equal_scores_rank_in_bank_order() {
        let index = BankIndex::build(&small_bank()).unwrap();
        // Questions 1 and 3 share their prompt, and these words are in no other field.
        let hits = index.search("failed request", &Analyzer::new());
        let order: Vec<usize> = hits.iter().map(|h| h.question).collect();
        assert_eq!(order, [0, 2]);
        assert_eq!(hits[0].score, hits[1].score);
    }

    #[test]
    fn the_embedded_index_ranks_exactly_like_one_built_at_run_time() {
        // The build script indexes the built-in bank with its own reading of the TOML files; any
        // drift from `BankIndex::build` would show as a different ranking or score here.
        let bank = Bank::builtin();
        assert!(
            !builtin::FILES.is_empty(),
            "the build script embedded no index"
        );
        let embedded = BankIndex::for_bank(&bank).unwrap();
        let built = BankIndex::build(&bank).unwrap();
        let analyzer = Analyzer::new();
        let mut texts: Vec<String> = bank.questions().iter().map(|q| q.prompt.clone()).collect();
        for question in bank.questions() {
            texts.extend(
                bank.rubric(question)
                    .unwrap()
                    .samples
                    .into_iter()
                    .map(|s| s.text),
            );
        }
        for text in &texts {
            assert_eq!(
                embedded.search(text, &analyzer),
                built.search(text, &analyzer),
                "{text}"
            );
        }
    }

    #[test]
    fn every_prompt_finds_its_own_question_first() {
        let bank = Bank::builtin();
        let index = BankIndex::for_bank(&bank).unwrap();
        let analyzer = Analyzer::new();
        for (i, question) in bank.questions().iter().enumerate() {
            let hits = index.search(&question.prompt, &analyzer);
            assert_eq!(hits[0].question, i, "question {}", question.id);
        }
    }

    #[test]
    fn index_files_are_listed_with_their_metadata() {
        let directory = RamDirectory::create();
        documents::write(directory.clone(), [QuestionText::default()]).unwrap();
        let names: Vec<String> = documents::files(&directory)
            .unwrap()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert!(names.contains(&"meta.json".to_string()), "{names:?}");
        assert!(names.contains(&".managed.json".to_string()), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with(".term")), "{names:?}");
    }
}
