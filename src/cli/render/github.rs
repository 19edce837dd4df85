//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations on
//! the pull request's files: `::error file=...,line=...::...` for every misconception, missing
//! required concept, answer below the minimum score, and input that could not be graded; a
//! `::notice` with the summary at the end.

use std::io::Write;

use itdq::summary::Summary;

use super::human::fmt_num;
use super::{RunInfo, Sink};
use crate::cli::grading::{Outcome, Row};

pub struct Github<'a> {
    out: &'a mut (dyn Write + Send),
    info: RunInfo,
}

impl<'a> Github<'a> {
    pub fn new(out: &'a mut (dyn Write + Send), info: RunInfo) -> Self {
        Github { out, info }
    }
}

/// The message of a workflow command: `%`, CR and LF encoded.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property of a workflow command: also `:` and `,`, which delimit properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Where an annotation goes: a line, or the exact words of a piece of evidence.
#[derive(Clone, Copy)]
enum Place {
    Line(usize),
    /// Line, column, end line, end column (exclusive), as evidence gives them.
    Span(usize, usize, usize, usize),
}

/// One workflow command.
fn command(
    kind: &str,
    file: Option<&str>,
    place: Option<Place>,
    title: &str,
    message: &str,
) -> String {
    let mut props: Vec<String> = file
        .map(|f| format!("file={}", escape_property(f)))
        .into_iter()
        .collect();
    match place {
        Some(Place::Line(line)) => props.push(format!("line={line}")),
        Some(Place::Span(line, col, end_line, end_col)) => {
            props.push(format!("line={line}"));
            props.push(format!("col={col}"));
            props.push(format!("endLine={end_line}"));
            // GitHub's endColumn is inclusive; evidence ends are exclusive.
            props.push(format!("endColumn={}", end_col.saturating_sub(1).max(col)));
        }
        None => {}
    }
    props.push(format!("title={}", escape_property(title)));
    format!("::{kind} {}::{}\n", props.join(","), escape_data(message))
}

impl Sink for Github<'_> {
    fn row(&mut self, row: &Row) -> anyhow::Result<()> {
        let start = row.section.as_ref().map_or(1, |s| s.line);
        let mut out = String::new();
        match &row.outcome {
            Outcome::Graded(g) => {
                let r = &g.report;
                let q = &r.question.id;
                for (id, label) in &g.verdict.missing_required {
                    let hint = r
                        .concepts
                        .iter()
                        .find(|c| &c.id == id)
                        .and_then(|c| c.hint.clone())
                        .unwrap_or_default();
                    let title = format!("itdq q{q}: missing required concept");
                    out += &command(
                        "error",
                        Some(&row.file),
                        Some(Place::Line(start)),
                        &title,
                        format!("{label}. {hint}").trim(),
                    );
                }
                for m in &r.misconceptions {
                    let title = format!("itdq q{q}: misconception (-{})", fmt_num(m.penalty));
                    let message = format!("{}. {}", m.label, m.explanation);
                    let place = m.evidence.first().map_or(Place::Line(start), |e| {
                        Place::Span(e.line, e.column, e.end_line, e.end_column)
                    });
                    out += &command("error", Some(&row.file), Some(place), &title, &message);
                }
                if g.verdict.below {
                    let title = format!("itdq q{q}: below the minimum score");
                    let message = format!("{} ({})", g.verdict.reasons(r.score), r.band.as_str());
                    out += &command(
                        "error",
                        Some(&row.file),
                        Some(Place::Line(start)),
                        &title,
                        &message,
                    );
                }
            }
            Outcome::Error(message) => {
                out += &command(
                    "error",
                    Some(&row.file),
                    Some(Place::Line(start)),
                    "itdq: could not grade",
                    message,
                );
            }
        }
        self.out.write_all(out.as_bytes())?;
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> anyhow::Result<()> {
        let text = super::summary::text(summary, self.info.most_missed, false);
        write!(
            self.out,
            "{}",
            command("notice", None, None, "itdq summary", text.trim_end())
        )?;
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_escape_their_properties_and_message() {
        let c = command(
            "error",
            Some("a,b:c.md"),
            Some(Place::Span(3, 5, 3, 11)),
            "t: x",
            "50% done\nnext",
        );
        assert_eq!(
            c,
            "::error file=a%2Cb%3Ac.md,line=3,col=5,endLine=3,endColumn=10,title=t%3A x::50%25 done%0Anext\n"
        );
    }
}
