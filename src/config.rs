//! `itdq.toml`: the settings of `itdq check` for answer documents kept in a repository.
//!
//! ```toml
//! paths = ["answers"]                 # what `itdq check` with no PATH checks
//! exclude = ["answers/drafts/**"]     # globs left out
//! min_score = 60                      # the bar for every answer
//! format = "github"                   # the default output format
//! bank = "my-bank"                    # a bank folder instead of the built-in one
//!
//! [[map]]                             # files matching a glob answer a question
//! glob = "answers/retries/*.md"
//! question = "22"
//!
//! [question.22]                       # rules for one question
//! min_score = 70
//! required = ["jitter"]               # concepts an answer must contain, beyond the rubric's own
//! ```
//!
//! Paths and globs are relative to the folder of `itdq.toml`. Every value keeps its place in the
//! file, so that a mistake found later (an unknown question, a concept the rubric lacks, a bad glob)
//! is still reported at its file, line and column.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{LoadError, Location};

/// The name looked for in the current folder and its parents.
pub const FILE_NAME: &str = "itdq.toml";

/// A value and where the config file gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed<T> {
    pub value: T,
    pub location: Location,
}

/// A parsed `itdq.toml`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckConfig {
    /// The file, for messages.
    pub file: String,
    pub paths: Vec<Placed<String>>,
    pub exclude: Vec<Placed<String>>,
    pub min_score: Option<f64>,
    pub format: Option<Placed<String>>,
    pub bank: Option<Placed<String>>,
    /// Glob to question, first match wins.
    pub map: Vec<Mapping>,
    /// Per-question rules by question id as written.
    pub questions: BTreeMap<String, QuestionRules>,
}

/// Files matching `glob` answer `question`.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapping {
    pub glob: Placed<String>,
    pub question: Placed<String>,
}

/// Rules for the answers to one question.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuestionRules {
    /// Where the question's table starts.
    pub location: Option<Location>,
    pub min_score: Option<f64>,
    /// Concept ids an answer must contain.
    pub required: Vec<Placed<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    min_score: Option<Spanned<f64>>,
    format: Option<Spanned<String>>,
    bank: Option<Spanned<String>>,
    #[serde(default)]
    map: Vec<RawMapping>,
    #[serde(default)]
    question: BTreeMap<String, Spanned<RawQuestionRules>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    glob: Spanned<String>,
    question: Spanned<QuestionId>,
}

/// A question id written as a string or a number (`question = 22`).
#[derive(Deserialize)]
#[serde(untagged)]
enum QuestionId {
    Text(String),
    Number(u64),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestionRules {
    min_score: Option<Spanned<f64>>,
    #[serde(default)]
    required: Vec<Spanned<String>>,
}

impl CheckConfig {
    /// Parses the text of a config file called `file`.
    pub fn from_toml(file: &str, text: &str) -> Result<CheckConfig, LoadError> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| LoadError::from_toml(file, text, &e))?;
        let place = |s: Spanned<String>| Placed {
            location: Location::at(file, text, s.span().start),
            value: s.into_inner(),
        };
        let score = |s: Spanned<f64>| -> Result<f64, LoadError> {
            let value = *s.get_ref();
            if (0.0..=100.0).contains(&value) {
                Ok(value)
            } else {
                Err(LoadError::invalid(
                    file,
                    text,
                    s.span().start,
                    format!("min_score {value} is outside 0-100"),
                ))
            }
        };
        let mut questions = BTreeMap::new();
        for (id, rules) in raw.question {
            let location = Location::at(file, text, rules.span().start);
            let rules = rules.into_inner();
            questions.insert(
                id,
                QuestionRules {
                    location: Some(location),
                    min_score: rules.min_score.map(score).transpose()?,
                    required: rules.required.into_iter().map(place).collect(),
                },
            );
        }
        let mut map = Vec::new();
        for m in raw.map {
            let location = Location::at(file, text, m.question.span().start);
            let value = match m.question.into_inner() {
                QuestionId::Text(s) => s,
                QuestionId::Number(n) => n.to_string(),
            };
            map.push(Mapping {
                glob: place(m.glob),
                question: Placed { value, location },
            });
        }
        Ok(CheckConfig {
            file: file.to_string(),
            paths: raw.paths.into_iter().map(place).collect(),
            exclude: raw.exclude.into_iter().map(place).collect(),
            min_score: raw.min_score.map(score).transpose()?,
            format: raw.format.map(place),
            bank: raw.bank.map(place),
            map,
            questions,
        })
    }

    /// The rules for a question id (`07` and `7` are one id).
    pub fn rules_for(&self, question: &str) -> Option<&QuestionRules> {
        let wanted = crate::declaration::canonical(question);
        self.questions
            .iter()
            .find(|(id, _)| crate::declaration::canonical(id) == wanted)
            .map(|(_, r)| r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"paths = ["answers"]
min_score = 60
format = "github"

[[map]]
glob = "answers/retries/*.md"
question = 22

[question.22]
min_score = 70
required = ["jitter"]
"#;

    #[test]
    fn a_full_config_parses_with_places() {
        let c = CheckConfig::from_toml("itdq.toml", CONFIG).unwrap();
        assert_eq!(c.paths[0].value, "answers");
        assert_eq!(c.min_score, Some(60.0));
        assert_eq!(c.format.as_ref().unwrap().value, "github");
        assert_eq!(c.map[0].question.value, "22");
        assert_eq!(c.map[0].glob.location.to_string(), "itdq.toml:6:8");
        let rules = c.rules_for("Q22").unwrap();
        assert_eq!(rules.min_score, Some(70.0));
        assert_eq!(rules.required[0].value, "jitter");
        assert_eq!(rules.required[0].location.to_string(), "itdq.toml:11:13");
        assert!(c.rules_for("13").is_none());
    }

    #[test]
    fn mistakes_name_file_line_and_column() {
        let err =
            CheckConfig::from_toml("itdq.toml", "paths = [\"a\"]\nmin_scor = 60\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("itdq.toml:2:1: unknown field `min_scor`"),
            "{err}"
        );
        let err =
            CheckConfig::from_toml("itdq.toml", "[question.3]\nmin_score = 120\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "itdq.toml:2:13: min_score 120 is outside 0-100"
        );
        let err = CheckConfig::from_toml("cfg/itdq.toml", "paths = [\"a\"\n").unwrap_err();
        assert!(err.to_string().starts_with("cfg/itdq.toml:"), "{err}");
    }

    #[test]
    fn an_empty_config_is_valid() {
        assert_eq!(
            CheckConfig::from_toml("itdq.toml", "").unwrap().file,
            "itdq.toml"
        );
    }
}
