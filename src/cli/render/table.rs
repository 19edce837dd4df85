//! `--format table`: aligned columns for a person at a terminal, then the summary.

use std::io::Write;

use itdq::report::Band;
use itdq::summary::Summary;

use super::human::fmt_num;
use super::{Paint, RunInfo, Sink};
use crate::cli::grading::{Outcome, Row};

/// Longer file names push the columns after them right rather than being cut.
const MAX_FILE_WIDTH: usize = 48;

pub struct Table<'a> {
    out: &'a mut (dyn Write + Send),
    info: RunInfo,
    header_written: bool,
}

impl<'a> Table<'a> {
    pub fn new(out: &'a mut (dyn Write + Send), info: RunInfo) -> Self {
        Table {
            out,
            info,
            header_written: false,
        }
    }

    fn width(&self) -> usize {
        self.info.file_width.clamp(4, MAX_FILE_WIDTH)
    }
}

/// `answers/jane.md` or `answers/jane.md:12` for the section whose heading is on line 12.
pub fn answer_name(row: &Row) -> String {
    match &row.section {
        Some(s) => format!("{}:{}", row.file, s.line),
        None => row.file.clone(),
    }
}

/// Missed concepts shown per row; the rest are counted.
const MISSED_SHOWN: usize = 6;

impl Sink for Table<'_> {
    fn row(&mut self, row: &Row) -> anyhow::Result<()> {
        let p = Paint(self.info.color);
        let width = self.width();
        if !self.header_written {
            self.header_written = true;
            let header = format!(
                "{:<width$}  {:<4}  {:>5}  {:<9}  {:<6}  MISSED",
                "FILE", "Q", "SCORE", "BAND", "RESULT"
            );
            writeln!(self.out, "{}", p.bold(&header))?;
        }
        let name = answer_name(row);
        let question = row.question.as_deref().unwrap_or("-");
        match &row.outcome {
            Outcome::Graded(g) => {
                let r = &g.report;
                let band = format!("{:<9}", r.band.as_str());
                let band = match r.band {
                    Band::Strong => p.green(&band),
                    Band::Adequate => p.yellow(&band),
                    Band::Weak | Band::OffTopic => p.red(&band),
                };
                let result = if g.verdict.passed {
                    p.green("pass  ")
                } else {
                    p.red("FAIL  ")
                };
                let missed: Vec<&str> = r
                    .concepts
                    .iter()
                    .filter(|c| c.status != itdq::Status::Found)
                    .map(|c| &*c.id)
                    .collect();
                let mut shown = missed
                    .iter()
                    .take(MISSED_SHOWN)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
                if missed.len() > MISSED_SHOWN {
                    shown += &format!(" +{} more", missed.len() - MISSED_SHOWN);
                }
                let score = fmt_num(r.score);
                writeln!(
                    self.out,
                    "{name:<width$}  {question:<4}  {score:>5}  {band}  {result}  {shown}"
                )?;
                if !g.verdict.passed {
                    writeln!(
                        self.out,
                        "    {}",
                        p.red(&format!("✗ {}", g.verdict.reasons(r.score)))
                    )?;
                }
            }
            Outcome::Error(message) => {
                let band = p.red(&format!("{:<9}", "-"));
                let result = p.red("ERROR ");
                writeln!(
                    self.out,
                    "{name:<width$}  {question:<4}  {:>5}  {band}  {result}",
                    "-"
                )?;
                writeln!(self.out, "    {}", p.red(&format!("✗ {message}")))?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> anyhow::Result<()> {
        if self.header_written {
            writeln!(self.out)?;
        }
        write!(
            self.out,
            "{}",
            super::summary::text(summary, self.info.most_missed, self.info.color)
        )?;
        self.out.flush()?;
        Ok(())
    }
}
