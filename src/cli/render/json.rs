//! `--format json`: the versioned wire type of `itdq::wire`, for one answer (`grade`) or a whole
//! batch (`batch`, `check`).

use std::io::Write;

use itdq::Report;
use itdq::detect::Detection;
use itdq::summary::Summary;
use itdq::wire::{JsonReport, SCHEMA_VERSION};

use super::jsonl::JsonRow;
use super::{RunInfo, Sink};
use crate::cli::grading::Row;

/// One report as pretty JSON, with a trailing newline; with how its question was detected, if it
/// was.
pub fn report(report: &Report, detection: Option<&Detection>) -> anyhow::Result<String> {
    let wire = JsonReport::from(report).with_detection(detection);
    Ok(serde_json::to_string_pretty(&wire)? + "\n")
}

/// A batch as one JSON document, `{"schema_version", "results": [...], "summary": {...}}`. The
/// results are written as they come, so the document is never held in memory.
pub struct Batch<'a> {
    out: &'a mut (dyn Write + Send),
    info: RunInfo,
    first: bool,
}

impl<'a> Batch<'a> {
    pub fn new(out: &'a mut (dyn Write + Send), info: RunInfo) -> anyhow::Result<Self> {
        write!(out, "{{\"schema_version\":{SCHEMA_VERSION},\"results\":[")?;
        Ok(Batch {
            out,
            info,
            first: true,
        })
    }
}

impl Sink for Batch<'_> {
    fn row(&mut self, row: &Row) -> anyhow::Result<()> {
        self.out
            .write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        super::write_json(&mut *self.out, &JsonRow::from(row))?;
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> anyhow::Result<()> {
        write!(self.out, "\n],\"summary\":")?;
        super::write_json(&mut *self.out, &summary.totals(self.info.most_missed))?;
        writeln!(self.out, "}}")?;
        self.out.flush()?;
        Ok(())
    }
}
