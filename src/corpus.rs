//! How informative a word is: document frequencies from a tantivy index held in memory.
//!
//! A rubric derived from a reference answer weights each of its terms by inverse document
//! frequency: a word that nearly every text uses ("use", "value") tells little about whether an
//! answer has the substance, a word that only texts on this topic use ("dequeue", "pointer") tells a
//! lot. The documents are whatever the caller has: the bank's prompts and references, and the
//! answers being graded. Every document goes through the same [`Analyzer`] as rubrics and answers,
//! and the index stores its stems (and pairs of neighbouring stems, for phrases), so that a
//! document frequency is asked for in exactly the form a rubric term has.

use std::collections::HashSet;

use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, IndexWriter, Searcher, TantivyDocument, Term};

use crate::analyzer::{Analysis, Analyzer};

/// Memory the index writer may use while the corpus is built.
const WRITER_BUDGET: usize = 32 << 20;

/// Why a corpus could not be built (the in-memory index refused a document or a commit).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the term index: {0}")]
pub struct CorpusError(#[from] tantivy::TantivyError);

/// Document frequencies of stems and stem pairs over a set of texts.
pub struct Corpus {
    searcher: Option<Searcher>,
    stems: Field,
    pairs: Field,
    documents: u64,
}

impl std::fmt::Debug for Corpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corpus")
            .field("documents", &self.documents)
            .finish()
    }
}

impl Corpus {
    /// A corpus of no documents: every term is equally (and maximally) informative.
    pub fn empty() -> Corpus {
        let (_, stems, pairs) = schema();
        Corpus {
            searcher: None,
            stems,
            pairs,
            documents: 0,
        }
    }

    /// Indexes `documents`. Empty texts are skipped: they would only dilute the frequencies.
    pub fn build<'a>(
        analyzer: &Analyzer,
        documents: impl IntoIterator<Item = &'a str>,
    ) -> Result<Corpus, CorpusError> {
        let (schema, stems, pairs) = schema();
        let index = Index::create_in_ram(schema);
        // One worker: the index is small, and its document order must not depend on scheduling.
        let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_BUDGET)?;
        let mut count = 0u64;
        for text in documents {
            let analysis = analyzer.analyze(text);
            if analysis.terms.is_empty() {
                continue;
            }
            let mut doc = TantivyDocument::default();
            doc.add_text(stems, stem_line(&analysis));
            doc.add_text(pairs, pair_line(&analysis));
            writer.add_document(doc)?;
            count += 1;
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        Ok(Corpus {
            searcher: Some(searcher),
            stems,
            pairs,
            documents: count,
        })
    }

    /// How many documents were indexed.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// In how many documents the stem occurs.
    pub fn frequency(&self, stem: &str) -> u64 {
        self.doc_freq(self.stems, stem)
    }

    /// In how many documents the two stems stand next to each other (stop words aside).
    pub fn pair_frequency(&self, first: &str, second: &str) -> u64 {
        self.doc_freq(self.pairs, &pair_token(first, second))
    }

    /// Inverse document frequency of a stem: `ln(1 + (N - n + 0.5) / (n + 0.5))`, the smoothed form
    /// that stays positive for a word found in every document and finite for one found in none.
    pub fn idf(&self, stem: &str) -> f64 {
        idf(self.documents, self.frequency(stem))
    }

    /// Inverse document frequency of two neighbouring stems.
    pub fn pair_idf(&self, first: &str, second: &str) -> f64 {
        idf(self.documents, self.pair_frequency(first, second))
    }

    fn doc_freq(&self, field: Field, token: &str) -> u64 {
        match &self.searcher {
            // A term the index cannot count is treated as unseen: the most informative reading.
            Some(searcher) => searcher
                .doc_freq(&Term::from_field_text(field, token))
                .unwrap_or(0),
            None => 0,
        }
    }
}

/// The smoothed inverse document frequency of a term found in `n` of `total` documents.
pub fn idf(total: u64, n: u64) -> f64 {
    let (total, n) = (total as f64, n.min(total) as f64);
    (1.0 + (total - n + 0.5) / (n + 0.5)).ln()
}

fn schema() -> (Schema, Field, Field) {
    // Stems are already analysed by itdq's own pipeline: the index only splits at spaces and
    // counts documents, so neither positions nor frequencies are stored.
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("whitespace")
            .set_index_option(IndexRecordOption::Basic),
    );
    let mut builder = Schema::builder();
    let stems = builder.add_text_field("stems", options.clone());
    let pairs = builder.add_text_field("pairs", options);
    (builder.build(), stems, pairs)
}

fn stem_line(analysis: &Analysis) -> String {
    let unique: HashSet<&str> = analysis.terms.iter().map(|t| t.stem.as_str()).collect();
    let mut stems: Vec<&str> = unique.into_iter().collect();
    stems.sort_unstable();
    stems.join(" ")
}

fn pair_line(analysis: &Analysis) -> String {
    let pairs: Vec<String> = analysis
        .terms
        .windows(2)
        .filter(|w| w[0].sentence == w[1].sentence)
        .map(|w| pair_token(&w[0].stem, &w[1].stem))
        .collect();
    pairs.join(" ")
}

/// Stems are alphanumeric, so `_` cannot occur inside one.
fn pair_token(first: &str, second: &str) -> String {
    format!("{first}_{second}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(texts: &[&str]) -> Corpus {
        Corpus::build(&Analyzer::new(), texts.iter().copied()).unwrap()
    }

    #[test]
    fn counts_documents_by_stem() {
        let c = corpus(&[
            "A stack pushes and pops.",
            "Stacks are LIFO.",
            "A queue is FIFO.",
            "",
        ]);
        assert_eq!(c.documents(), 3);
        assert_eq!(c.frequency("stack"), 2);
        assert_eq!(c.frequency("queue"), 1);
        assert_eq!(c.frequency("tree"), 0);
        // counted once per document, however often it occurs there
        assert_eq!(corpus(&["stack stack stack"]).frequency("stack"), 1);
    }

    #[test]
    fn rarer_terms_are_more_informative() {
        let c = corpus(&[
            "a stack of plates",
            "a stack of books",
            "the queue of people",
            "a stack frame",
        ]);
        assert!(c.idf("queue") > c.idf("stack"));
        assert!(c.idf("tree") > c.idf("queue"));
        assert!(c.idf("stack") > 0.0);
    }

    #[test]
    fn pairs_are_neighbours_within_a_sentence() {
        let c = corpus(&[
            "Binary search tree. Search trees balance.",
            "binary search",
            "tree binary",
        ]);
        assert_eq!(c.pair_frequency("binari", "search"), 2);
        // counted once in the document that has it twice
        assert_eq!(c.pair_frequency("search", "tree"), 1);
        assert_eq!(c.pair_frequency("tree", "search"), 0);
        // "tree." and "Search" stand in two sentences
        assert_eq!(c.pair_frequency("tree", "binari"), 1);
    }

    #[test]
    fn an_empty_corpus_rates_every_term_alike() {
        let c = Corpus::empty();
        assert_eq!(c.documents(), 0);
        assert_eq!(c.idf("stack"), c.idf("queue"));
    }
}
