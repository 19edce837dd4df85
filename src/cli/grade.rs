//! `itdq grade`.

use std::path::PathBuf;

use anyhow::Context;
use itdq::report::{Warning, WarningCode};
use itdq::{Analyzer, Grader};

use super::{BankArgs, EXIT_BELOW, EXIT_OK, Format, input, print, render};

#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    /// The answer file, or `-` for stdin.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The question the answer addresses (an id of `itdq questions`).
    #[arg(long = "q", short = 'q', value_name = "ID")]
    pub question: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with 1 when the score is below SCORE.
    #[arg(long, value_name = "SCORE", value_parser = super::render::parse_score)]
    pub fail_under: Option<f64>,
    #[command(flatten)]
    pub bank: BankArgs,
}

pub fn run(args: GradeArgs, color: bool) -> anyhow::Result<u8> {
    let decoded = input::read_answer(&args.file)?;
    let bank = args.bank.load()?;
    let id = args
        .question
        .as_deref()
        .context("no question given: pass --q ID (see `itdq questions` for the ids)")?;
    let question = bank.question(id)?;
    let rubric = bank.rubric(question)?;
    let grader = Grader::new(question, rubric, &Analyzer::new());
    let mut report = grader.grade(&decoded.text);
    if let Some(note) = decoded.note {
        report.warnings.insert(
            0,
            Warning {
                code: WarningCode::Encoding,
                message: note,
            },
        );
    }
    let out = match args.format {
        Format::Human => render::human::report(&report, color),
        Format::Json => render::json::report(&report)?,
    };
    print(&out)?;
    // The process ends here: skip freeing the compiled rubric piece by piece.
    std::mem::forget(grader);
    Ok(match args.fail_under {
        Some(bar) if report.score < bar => EXIT_BELOW,
        _ => EXIT_OK,
    })
}
