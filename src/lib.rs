//! itdq grades written answers to interview questions against rubrics of expected concepts.
//!
//! A [`Bank`] holds questions and their [`Rubric`]s. A [`Grader`] compiles one rubric and grades
//! answers into a [`Report`]: every concept found (with [`Evidence`]: line, column, the words that
//! matched and how), missed or negated, the misconceptions stated, and a 0-100 score.
//!
//! ```
//! use itdq::{Analyzer, Bank, Grader, Status};
//!
//! let bank = Bank::builtin();
//! let question = bank.question("22").unwrap();
//! let rubric = bank.rubric(question).unwrap();
//! let grader = Grader::new(question, rubric, &Analyzer::new());
//! let report = grader.grade(
//!     "Retry with exponential backoff plus random jitter, cap the number of attempts, \
//!      and only retry idempotent requests; give each attempt a timeout.",
//! );
//! assert!(report.score > 0.0);
//! assert!(report.concepts.iter().any(|c| c.status == Status::Found));
//! ```
//!
//! A report borrows the rubric's text (concept ids, labels, hints, the aliases that matched) from
//! its grader instead of copying it for every answer; [`Report::into_owned`] gives one that
//! outlives the grader.
//!
//! Without a question to grade against, a [`detect::Detector`] tells it from the answer's text,
//! ranking the bank with its search index ([`index::BankIndex`]) and confirming with the rubrics,
//! or refuses when unsure.
//!
//! The library does no printing and no I/O beyond reading a bank folder; rendering and exit codes
//! belong to the `itdq` binary.

#![warn(
    clippy::print_stdout,
    clippy::print_stderr,
    missing_debug_implementations
)]

pub mod agreement;
pub mod analyzer;
pub mod bank;
/// Built-in patterns checked at compile time (see build.rs and `pattern_syntax`).
mod builtin_patterns {
    include!(concat!(env!("OUT_DIR"), "/builtin_patterns.rs"));
}
/// Words of the built-in bank analysed at compile time (see build.rs and the analyzer).
mod builtin_words {
    include!(concat!(env!("OUT_DIR"), "/builtin_words.rs"));
}
pub mod calibrate;
pub mod config;
pub mod corpus;
pub mod declaration;
pub mod decode;
pub mod detect;
mod dictionary;
pub mod draft;
pub mod error;
pub mod grade;
pub mod index;
pub mod lint;
pub mod matcher;
mod negation;
mod pattern_syntax;
pub mod plan;
pub mod reference;
pub mod report;
pub mod rubric;
pub mod shape;
pub mod spelling;
pub mod summary;
mod swar;
pub mod takehome;
pub mod text;
pub mod wire;

pub use analyzer::Analyzer;
pub use bank::{Bank, Question};
pub use corpus::Corpus;
pub use decode::{Decoded, decode};
pub use error::{LoadError, Location};
pub use grade::Grader;
pub use report::{Band, Evidence, MatchKind, Report, Status};
pub use rubric::Rubric;
