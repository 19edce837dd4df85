//! Errors of loading a bank or a rubric.

use std::fmt;

use crate::text::LineIndex;

/// A place in a source file: file name, line and column (from 1).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `source`, a file called `file`.
    pub fn at(file: &str, source: &str, offset: usize) -> Self {
        let (line, column) = LineIndex::new(source).position(source, offset.min(source.len()));
        Location {
            file: file.to_string(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Why a bank or a rubric could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file is not valid TOML, has an unknown field, or breaks a rule of the format.
    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A folder given as a bank holds neither `questions.toml` nor `bank/questions.toml`.
    #[error(
        "{path}: not a bank folder (expected {path}/questions.toml or {path}/bank/questions.toml)"
    )]
    NotABank { path: String },
    /// No question has this id.
    #[error("unknown question {id:?}; valid ids: {}", known.join(", "))]
    UnknownQuestion { id: String, known: Vec<String> },
    /// The question exists but has no rubric file ([`crate::Bank::grading_rubric`] falls back to
    /// its reference answer, when it has one).
    #[error("question {id} has no rubric (expected {expected})")]
    NoRubric { id: String, expected: String },
}

impl LoadError {
    /// Where in a file the problem lies, for errors that have a place.
    pub fn location(&self) -> Option<&Location> {
        match self {
            LoadError::Invalid { location, .. } => Some(location),
            _ => None,
        }
    }

    pub(crate) fn invalid(
        file: &str,
        source: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        LoadError::Invalid {
            location: Location::at(file, source, offset),
            message: message.into(),
        }
    }

    /// A TOML syntax or schema error, placed at the span the parser reports.
    pub(crate) fn from_toml(file: &str, source: &str, err: &toml::de::Error) -> Self {
        let offset = err.span().map_or(0, |span| span.start);
        // The message alone: the location is ours to print.
        let message = err.message().trim().replace('\n', " ");
        LoadError::invalid(file, source, offset, message)
    }
}
