//! `--format json`: the versioned wire type of `itdq::wire`.

use itdq::Report;
use itdq::wire::JsonReport;

/// One report as pretty JSON, with a trailing newline.
pub fn report(report: &Report) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(&JsonReport::from(report))? + "\n")
}
