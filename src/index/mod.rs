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

/// How much a query word found in each field counts. The rubric's concepts weigh most: they are
/// what answers talk about. The prompt weighs less, because answers rarely restate the question.
const PROMPT_BOOST: f32 = 0.6;
const REFERENCE_BOOST: f32 = 1.0;
const CONCEPTS_BOOST: f32 = 1.0;

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
    /// (field, boost) of every text field.
    fields: [(Field, f32); 3],
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
            (schema.get_field(documents::PROMPT)?, PROMPT_BOOST),
            (schema.get_field(documents::REFERENCE)?, REFERENCE_BOOST),
            (schema.get_field(documents::CONCEPTS)?, CONCEPTS_BOOST),
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
            *counts.entry(term.stem).or_default() += 1;
        }
        if counts.is_empty() {
            return Vec::new();
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(counts.len() * 3);
        for (stem, count) in &counts {
            let weight = 1.0 + (*count as f32).ln();
            for (field, boost) in self.fields {
                let term = TermQuery::new(
                    Term::from_field_text(field, stem),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term), boost * weight)),
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
