//! What the bank's search index holds and how it is written: one document per question, its
//! fields tokenized by the one [`Analyzer`].
//!
//! This file is compiled twice: into the library, which indexes a bank read from a folder, and
//! into the build script, which indexes the built-in bank at compile time. So it uses nothing of
//! the crate but the analyzer.

use std::path::Path;

use tantivy::directory::RamDirectory;
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::{FAST, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Directory, Index, IndexWriter, TantivyDocument};

use crate::analyzer::Analyzer;

/// The name the analyzer is registered under in tantivy.
pub const TOKENIZER: &str = "itdq";
/// The question's prompt.
pub const PROMPT: &str = "prompt";
/// The question's reference answer, when the bank has one.
pub const REFERENCE: &str = "reference";
/// The labels and aliases of the rubric's concepts.
pub const CONCEPTS: &str = "concepts";
/// The position of the question in the bank, so that a hit names its question whatever number
/// tantivy gave the document.
pub const ORDINAL: &str = "ordinal";

/// tantivy's smallest writer budget; the bank is a few hundred kilobytes of text.
const WRITER_BUDGET: usize = 15_000_000;

/// The indexed text of one question.
#[derive(Clone, Debug, Default)]
pub struct QuestionText<'a> {
    pub prompt: &'a str,
    pub reference: Option<&'a str>,
    /// Concept labels and aliases, each a separate value.
    pub concepts: Vec<&'a str>,
}

/// The index's schema: three text fields through the analyzer, and the question's position.
pub fn schema() -> Schema {
    let mut schema = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            // Positions would only serve phrase queries, which ranking does not use.
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    schema.add_text_field(PROMPT, text.clone());
    schema.add_text_field(REFERENCE, text.clone());
    schema.add_text_field(CONCEPTS, text);
    schema.add_u64_field(ORDINAL, FAST);
    schema.build()
}

/// Makes the analyzer known to `index` under [`TOKENIZER`].
pub fn register_tokenizer(index: &Index) {
    index
        .tokenizers()
        .register(TOKENIZER, StemTokenizer::default());
}

/// Indexes `questions`, in order, into `directory`: one writer thread, one segment, no merges.
pub fn write<'a>(
    directory: RamDirectory,
    questions: impl IntoIterator<Item = QuestionText<'a>>,
) -> tantivy::Result<Index> {
    let index = Index::create(directory, schema(), Default::default())?;
    register_tokenizer(&index);
    let schema = index.schema();
    let field = |name: &str| schema.get_field(name);
    let (prompt, reference, concepts, ordinal) = (
        field(PROMPT)?,
        field(REFERENCE)?,
        field(CONCEPTS)?,
        field(ORDINAL)?,
    );
    let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_BUDGET)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for (i, question) in questions.into_iter().enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_u64(ordinal, i as u64);
        doc.add_text(prompt, question.prompt);
        if let Some(text) = question.reference {
            doc.add_text(reference, text);
        }
        for text in question.concepts {
            doc.add_text(concepts, text);
        }
        writer.add_document(doc)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(index)
}

/// The files of an index written by [`write`], by name, to embed or copy elsewhere.
// The build script embeds these; the library only checks them in tests.
#[allow(dead_code)]
pub fn files(directory: &RamDirectory) -> tantivy::Result<Vec<(String, Vec<u8>)>> {
    let managed = directory.atomic_read(Path::new(".managed.json"))?;
    let mut names: Vec<String> = serde_json::from_slice(&managed)
        .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
    if !names.iter().any(|n| n == "meta.json") {
        names.push("meta.json".to_string());
    }
    let mut files = vec![(".managed.json".to_string(), managed)];
    for name in names {
        let path = Path::new(&name);
        if directory.exists(path)? {
            files.push((name.clone(), directory.atomic_read(path)?));
        }
    }
    files.sort();
    Ok(files)
}

/// The analyzer as a tantivy tokenizer: one token per content word, its text the stem.
#[derive(Clone, Default)]
pub struct StemTokenizer {
    analyzer: Analyzer,
}

impl Tokenizer for StemTokenizer {
    type TokenStream<'a> = StemStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> StemStream {
        let tokens: Vec<Token> = self
            .analyzer
            .analyze(text)
            .terms
            .into_iter()
            .enumerate()
            .map(|(position, term)| Token {
                offset_from: term.start,
                offset_to: term.end,
                position,
                text: term.stem.into(),
                position_length: 1,
            })
            .collect();
        StemStream {
            tokens: tokens.into_iter(),
            current: Token::default(),
        }
    }
}

/// The tokens of one text, analysed up front.
pub struct StemStream {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl TokenStream for StemStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}
