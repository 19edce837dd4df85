//! `--format sarif`: SARIF 2.1.0 for code-scanning UIs. Results are the things a reviewer can act
//! on in the file: a required concept the answer lacks (at the answer's first line), a
//! misconception it states (at its words), an answer below the minimum score, and an input that
//! could not be graded.
//!
//! Results are written as they come; the rules they refer to are few (bounded by the bank) and
//! are written after them, which JSON allows: members of an object have no order.

use std::collections::BTreeMap;
use std::io::Write;

use itdq::Report;
use itdq::report::Evidence;
use itdq::summary::Summary;
use serde::Serialize;
use serde_json::{Value, json};

use super::human::fmt_num;
use super::{RunInfo, Sink};
use crate::cli::grading::{Graded, Outcome, Row};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub struct Sarif<'a> {
    out: &'a mut (dyn Write + Send),
    first: bool,
    rules: BTreeMap<String, Rule>,
    errors: usize,
}

#[derive(Serialize)]
struct Rule {
    id: String,
    name: String,
    #[serde(rename = "shortDescription")]
    short: Text,
    #[serde(rename = "fullDescription", skip_serializing_if = "Option::is_none")]
    full: Option<Text>,
    #[serde(rename = "defaultConfiguration")]
    config: Level,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

impl<'a> Sarif<'a> {
    pub fn new(out: &'a mut (dyn Write + Send), _info: RunInfo) -> anyhow::Result<Self> {
        write!(
            out,
            "{{\"$schema\":\"{SCHEMA}\",\"version\":\"2.1.0\",\"runs\":[{{\"columnKind\":\"unicodeCodePoints\",\"results\":["
        )?;
        Ok(Sarif {
            out,
            first: true,
            rules: BTreeMap::new(),
            errors: 0,
        })
    }

    fn rule(&mut self, id: &str, name: &str, short: &str, full: Option<&str>, level: &'static str) {
        self.rules.entry(id.to_string()).or_insert_with(|| Rule {
            id: id.to_string(),
            name: name.to_string(),
            short: Text {
                text: short.to_string(),
            },
            full: full.map(|t| Text {
                text: t.to_string(),
            }),
            config: Level { level },
        });
    }

    fn emit(&mut self, result: Value) -> anyhow::Result<()> {
        self.out
            .write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        super::write_json(&mut *self.out, &result)?;
        Ok(())
    }

    fn graded(&mut self, row: &Row, g: &Graded) -> anyhow::Result<()> {
        let r: &Report = &g.report;
        let q = &r.question.id;
        let start_line = row.section.as_ref().map_or(1, |s| s.line);
        let at_start = vec![location(&row.file, start_line, None)];
        for (id, label) in &g.verdict.missing_required {
            let concept = r.concepts.iter().find(|c| &c.id == id);
            let hint = concept.and_then(|c| c.hint.as_deref());
            let rule_id = format!("q{q}/missing/{id}");
            self.rule(
                &rule_id,
                &format!("MissingRequiredConcept/{id}"),
                &format!("Question {q}: required concept \"{label}\""),
                hint,
                "error",
            );
            let mut text =
                format!("Question {q}: the answer lacks the required concept \"{label}\".");
            if let Some(hint) = hint {
                text = format!("{text} {hint}");
            }
            self.emit(json!({"ruleId": rule_id, "level": "error", "message": {"text": text}, "locations": at_start}))?;
        }
        for m in &r.misconceptions {
            let rule_id = format!("q{q}/misconception/{}", m.id);
            self.rule(
                &rule_id,
                &format!("Misconception/{}", m.id),
                &format!("Question {q}: {}", m.label),
                Some(&m.explanation),
                "error",
            );
            let text = format!(
                "Question {q}: {} (-{} points). {}",
                m.label,
                fmt_num(m.penalty),
                m.explanation
            );
            let locations: Vec<Value> = if m.evidence.is_empty() {
                at_start.clone()
            } else {
                m.evidence
                    .iter()
                    .map(|e| location(&row.file, e.line, Some(e)))
                    .collect()
            };
            self.emit(json!({"ruleId": rule_id, "level": "error", "message": {"text": text}, "locations": locations}))?;
        }
        if g.verdict.below {
            let rule_id = "itdq/below-min-score";
            self.rule(
                rule_id,
                "BelowMinScore",
                "The answer scores below the minimum score",
                None,
                "error",
            );
            let text = format!(
                "Question {q}: {} ({}).",
                g.verdict.reasons(r.score),
                r.band.as_str()
            );
            self.emit(json!({"ruleId": rule_id, "level": "error", "message": {"text": text}, "locations": at_start}))?;
        }
        Ok(())
    }
}

/// A relative path as a URI reference: `/` kept, everything outside the unreserved set and a few
/// safe characters percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(file: &str, line: usize, evidence: Option<&Evidence>) -> Value {
    let region = match evidence {
        Some(e) => {
            json!({"startLine": e.line, "startColumn": e.column, "endLine": e.end_line, "endColumn": e.end_column})
        }
        None => json!({"startLine": line}),
    };
    // A relative path is resolved against the checkout (%SRCROOT%); an absolute one is a file URI.
    let artifact = if file.starts_with('/') {
        json!({"uri": format!("file://{}", uri(file))})
    } else {
        json!({"uri": uri(file), "uriBaseId": "%SRCROOT%"})
    };
    json!({"physicalLocation": {"artifactLocation": artifact, "region": region}})
}

impl Sink for Sarif<'_> {
    fn row(&mut self, row: &Row) -> anyhow::Result<()> {
        match &row.outcome {
            Outcome::Graded(g) => self.graded(row, g),
            Outcome::Error(message) => {
                self.errors += 1;
                let rule_id = "itdq/not-graded";
                self.rule(
                    rule_id,
                    "NotGraded",
                    "The input could not be graded",
                    None,
                    "error",
                );
                let line = row.section.as_ref().map_or(1, |s| s.line);
                self.emit(json!({
                    "ruleId": rule_id,
                    "level": "error",
                    "message": {"text": message},
                    "locations": [location(&row.file, line, None)],
                }))
            }
        }
    }

    fn finish(&mut self, _summary: &Summary) -> anyhow::Result<()> {
        let rules: Vec<&Rule> = self.rules.values().collect();
        let driver = json!({
            "name": "itdq",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        });
        write!(self.out, "\n],\"tool\":{{\"driver\":")?;
        super::write_json(&mut *self.out, &driver)?;
        write!(
            self.out,
            "}},\"invocations\":[{{\"executionSuccessful\":{}}}]}}]}}",
            self.errors == 0
        )?;
        writeln!(self.out)?;
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            super::uri("answers/jane doe/q1.md"),
            "answers/jane%20doe/q1.md"
        );
        assert_eq!(super::uri("caf\u{e9}.md"), "caf%C3%A9.md");
    }
}
