//! `--format junit`: JUnit XML as CI systems read it. One test case per answer, failed when the
//! answer falls short, in error when it could not be graded; the class name names the question
//! (`itdq.q13`), so CI reports group answers by question.
//!
//! The counts in the `<testsuites>` element come first in the file but are known only at the
//! end, so test cases are spooled to a scratch file and copied after the header.

use std::io::Write;

use itdq::summary::Summary;

use super::human::fmt_num;
use super::table::answer_name;
use super::{Sink, Spool};
use crate::cli::grading::{Outcome, Row};

pub struct Junit<'a> {
    out: &'a mut (dyn Write + Send),
    spool: Spool,
    tests: usize,
    failures: usize,
    errors: usize,
}

impl<'a> Junit<'a> {
    pub fn new(out: &'a mut (dyn Write + Send)) -> anyhow::Result<Self> {
        Ok(Junit {
            out,
            spool: Spool::new()?,
            tests: 0,
            failures: 0,
            errors: 0,
        })
    }
}

/// Text escaped for XML attributes and content; characters XML 1.0 forbids are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

impl Sink for Junit<'_> {
    fn row(&mut self, row: &Row) -> anyhow::Result<()> {
        self.tests += 1;
        let question = row.question.clone().unwrap_or_default();
        let classname = if question.is_empty() {
            "itdq".to_string()
        } else {
            format!("itdq.q{question}")
        };
        let name = answer_name(row);
        let w = self.spool.writer();
        write!(
            w,
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
            escape(&classname),
            escape(&name),
            escape(&row.file)
        )?;
        match &row.outcome {
            Outcome::Graded(g) => {
                let r = &g.report;
                let summary = format!("score {} ({})", fmt_num(r.score), r.band.as_str());
                if g.verdict.passed {
                    writeln!(w, ">")?;
                    writeln!(w, "      <system-out>{}</system-out>", escape(&summary))?;
                } else {
                    self.failures += 1;
                    let message = g.verdict.reasons(r.score);
                    writeln!(w, ">")?;
                    let missed: Vec<String> = r
                        .concepts
                        .iter()
                        .filter(|c| c.status != itdq::Status::Found)
                        .map(|c| {
                            format!(
                                "missed: {}{}",
                                c.label,
                                if c.required { " (required)" } else { "" }
                            )
                        })
                        .chain(r.misconceptions.iter().map(|m| {
                            format!("misconception: {} (-{})", m.label, fmt_num(m.penalty))
                        }))
                        .collect();
                    writeln!(
                        w,
                        "      <failure type=\"below-bar\" message=\"{}\">{}</failure>",
                        escape(&message),
                        escape(&format!("{summary}\n{}", missed.join("\n")))
                    )?;
                }
            }
            Outcome::Error(message) => {
                self.errors += 1;
                writeln!(w, ">")?;
                writeln!(
                    w,
                    "      <error type=\"not-graded\" message=\"{}\"/>",
                    escape(message)
                )?;
            }
        }
        writeln!(w, "    </testcase>")?;
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> anyhow::Result<()> {
        writeln!(self.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            self.out,
            "<testsuites name=\"itdq\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            self.tests, self.failures, self.errors
        )?;
        writeln!(
            self.out,
            "  <testsuite name=\"itdq\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
            self.tests, self.failures, self.errors
        )?;
        self.spool.copy_to(self.out)?;
        writeln!(self.out, "  </testsuite>")?;
        writeln!(self.out, "</testsuites>")?;
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_escaping() {
        assert_eq!(
            super::escape("a<b & \"c\"\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot;&#10;"
        );
    }
}
