//! Telling which question an answer addresses from its text alone: the last resort of
//! `itdq batch`, after `--q`, front matter, markers, section headings and file names.
//!
//! A wrong guess grades an answer against the wrong rubric and quietly gives a bad score, so a
//! detector must refuse rather than guess when it is unsure. Until the bank's search index lands
//! this one always refuses; callers already treat the refusal as an error row.

use crate::bank::{Bank, Question};

/// Why the question of an answer could not be told.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DetectError {
    /// Nothing in the text points clearly enough at one question.
    #[error(
        "cannot tell which question this answers: add front matter `question: N`, a marker \
         `<!-- itdq: question N -->`, or pass --q"
    )]
    Unsure,
}

/// The question `text` answers, when it can be told with confidence.
pub fn detect_question<'b>(bank: &'b Bank, text: &str) -> Result<&'b Question, DetectError> {
    let _ = (bank, text);
    Err(DetectError::Unsure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_detector_every_answer_is_refused() {
        let bank = Bank::builtin();
        let err =
            detect_question(&bank, "Retry with exponential back-off and jitter.").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot tell which question this answers")
        );
    }
}
