//! `--format csv`: one row per answer, for spreadsheets.
//!
//! Columns: `file,section,question,score,band,passed,missed,error`. `missed` lists the ids of the
//! concepts not found, separated by `; `. An input that could not be graded has only `file`,
//! `section`, `question` (when known) and `error`.

use std::io::Write;

use itdq::summary::Summary;

use super::Sink;
use crate::cli::grading::{Outcome, Row};

pub struct Csv<'a> {
    out: &'a mut (dyn Write + Send),
}

impl<'a> Csv<'a> {
    pub fn new(out: &'a mut (dyn Write + Send)) -> anyhow::Result<Self> {
        writeln!(out, "file,section,question,score,band,passed,missed,error")?;
        Ok(Csv { out })
    }
}

/// A field quoted when it holds a comma, a quote or a line break (RFC 4180). A leading `=`, `+`,
/// `-` or `@` is prefixed with `'` so that a spreadsheet never runs an answer file's name as a
/// formula.
pub fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

impl Sink for Csv<'_> {
    fn row(&mut self, row: &Row) -> anyhow::Result<()> {
        let section = row
            .section
            .as_ref()
            .map_or(String::new(), |s| s.heading.clone());
        let question = row.question.clone().unwrap_or_default();
        let (score, band, passed, missed, error) = match &row.outcome {
            Outcome::Graded(g) => {
                let missed: Vec<&str> = g
                    .report
                    .concepts
                    .iter()
                    .filter(|c| c.status != itdq::Status::Found)
                    .map(|c| &*c.id)
                    .collect();
                (
                    super::human::fmt_num(g.report.score),
                    g.report.band.as_str().to_string(),
                    g.verdict.passed.to_string(),
                    missed.join("; "),
                    String::new(),
                )
            }
            Outcome::Error(message) => (
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                message.clone(),
            ),
        };
        let fields = [
            &row.file, &section, &question, &score, &band, &passed, &missed, &error,
        ];
        let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
        writeln!(self.out, "{}", line.join(","))?;
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> anyhow::Result<()> {
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK()"), "'=HYPERLINK()");
    }
}
