//! `--format markdown`: a summary for a pull-request comment. The totals come first, then one
//! table row per answer, then the concepts missed most often. Rows are spooled to a scratch file
//! because the totals above them are known only at the end.

use std::fmt::Write as _;
use std::io::Write;

use itdq::summary::Summary;

use super::human::fmt_num;
use super::summary::plural;
use super::table::answer_name;
use super::{RunInfo, Sink, Spool};
use crate::cli::grading::{Outcome, Row};

/// More answer rows than this are folded away in a `<details>` block.
const FOLD_ROWS_OVER: usize = 30;

pub struct Markdown<'a> {
    out: &'a mut (dyn Write + Send),
    info: RunInfo,
    spool: Spool,
    rows: usize,
}

impl<'a> Markdown<'a> {
    pub fn new(out: &'a mut (dyn Write + Send), info: RunInfo) -> anyhow::Result<Self> {
        Ok(Markdown {
            out,
            info,
            spool: Spool::new()?,
            rows: 0,
        })
    }
}

/// Text made safe for a table cell: pipes escaped, line breaks flattened.
pub fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

fn code(text: &str) -> String {
    if text.contains('`') {
        cell(text)
    } else {
        format!("`{}`", cell(text))
    }
}

impl Sink for Markdown<'_> {
    fn row(&mut self, row: &Row) -> anyhow::Result<()> {
        self.rows += 1;
        let name = code(&answer_name(row));
        let question = row.question.as_deref().map_or("–".to_string(), cell);
        let line = match &row.outcome {
            Outcome::Graded(g) => {
                let r = &g.report;
                let verdict = if g.verdict.passed {
                    "✅ passed".to_string()
                } else {
                    format!("❌ {}", cell(&g.verdict.reasons(r.score)))
                };
                let missed: Vec<String> = r
                    .concepts
                    .iter()
                    .filter(|c| c.status != itdq::Status::Found)
                    .map(|c| code(&c.id))
                    .collect();
                format!(
                    "| {name} | {question} | {} | {} | {verdict} | {} |",
                    fmt_num(r.score),
                    r.band.as_str(),
                    missed.join(", ")
                )
            }
            Outcome::Error(message) => format!(
                "| {name} | {question} | – | – | ⚠️ not graded: {} | |",
                cell(message)
            ),
        };
        writeln!(self.spool.writer(), "{line}")?;
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> anyhow::Result<()> {
        let t = summary.totals(self.info.most_missed);
        let mut head = String::new();
        let verdict = if t.errors > 0 {
            "⚠️"
        } else if t.failed > 0 {
            "❌"
        } else {
            "✅"
        };
        let _ = writeln!(
            head,
            "## {verdict} itdq: {} graded\n",
            plural(t.graded, "answer")
        );
        let bar = self.info.min_score.map_or("–".to_string(), fmt_num);
        let num = |x: Option<f64>| x.map_or("–".to_string(), fmt_num);
        let _ = writeln!(
            head,
            "| graded | passed | fell short | not graded | opted out | minimum | mean | median |"
        );
        let _ = writeln!(
            head,
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        );
        let _ = writeln!(
            head,
            "| {} | {} | {} | {} | {} | {bar} | {} | {} |\n",
            t.graded,
            t.passed,
            t.failed,
            t.errors,
            t.ignored,
            num(t.mean),
            num(t.median)
        );
        let _ = writeln!(
            head,
            "Bands: **{}** strong · **{}** adequate · **{}** weak · **{}** off-topic\n",
            t.bands.strong, t.bands.adequate, t.bands.weak, t.bands.off_topic
        );
        self.out.write_all(head.as_bytes())?;
        if self.rows > 0 {
            let fold = self.rows > FOLD_ROWS_OVER;
            if fold {
                writeln!(
                    self.out,
                    "<details><summary>{}</summary>\n",
                    plural(self.rows, "row")
                )?;
            }
            writeln!(
                self.out,
                "| answer | question | score | band | result | missed |"
            )?;
            writeln!(self.out, "| --- | --- | ---: | --- | --- | --- |")?;
            self.spool.copy_to(self.out)?;
            if fold {
                writeln!(self.out, "\n</details>")?;
            }
            writeln!(self.out)?;
        }
        if !t.most_missed.is_empty() {
            writeln!(self.out, "### Most often missed\n")?;
            writeln!(self.out, "| concept | question | missed by |")?;
            writeln!(self.out, "| --- | --- | ---: |")?;
            for m in &t.most_missed {
                writeln!(
                    self.out,
                    "| {} ({}) | {} | {} of {} |",
                    cell(&m.label),
                    code(&m.concept),
                    cell(&m.question),
                    m.missed,
                    m.answers
                )?;
            }
        }
        self.out.flush()?;
        Ok(())
    }
}
