//! Command-line interface: argument parsing and the commands.

mod batch;
mod calibrate;
mod check;
mod discover;
mod grade;
mod grading;
mod input;
mod output;
mod questions;
mod render;
mod rubric;
mod search;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use itdq::Bank;

/// Exit code: graded, at or above `--fail-under`.
pub const EXIT_OK: u8 = 0;
/// Exit code: graded, below `--fail-under` (or a required concept missing where that counts).
pub const EXIT_BELOW: u8 = 1;
/// Exit code: bad usage or input.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Grades written answers to interview questions against rubrics of expected concepts.
#[derive(Debug, Parser)]
#[command(name = "itdq", version, about, max_term_width = 100)]
pub struct Cli {
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Grade one answer against a question's rubric.
    Grade(grade::GradeArgs),
    /// Grade many answers: files, folders, take-homes with a section per question.
    Batch(batch::BatchArgs),
    /// Check the answer documents of a repository against the bar set in itdq.toml (for CI).
    Check(check::CheckArgs),
    /// List the questions of the bank.
    Questions(questions::QuestionsArgs),
    /// Show a question and its rubric.
    Show(questions::ShowArgs),
    /// Rank the questions of the bank by relevance to some words.
    Search(search::SearchArgs),
    /// Check rubrics (`lint`), or draft one from a reference answer (`draft`).
    Rubric(rubric::RubricArgs),
    /// Grade answers a human has marked and measure how well itdq agrees.
    Calibrate(calibrate::CalibrateArgs),
}

/// Output formats of single-answer commands.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// `--bank DIR`, shared by the commands that read a bank.
#[derive(Debug, Clone, clap::Args)]
pub struct BankArgs {
    /// Read the bank from DIR (DIR/questions.toml or DIR/bank/questions.toml, and DIR/rubrics/)
    /// instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    pub bank: Option<PathBuf>,
}

impl BankArgs {
    pub fn load(&self) -> anyhow::Result<Bank> {
        match &self.bank {
            None => Ok(Bank::builtin()),
            Some(dir) => Bank::from_dir(dir).context("cannot load the bank"),
        }
    }
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let color = render::use_color(cli.color);
    let code = match cli.command {
        Command::Grade(args) => grade::run(args, color)?,
        Command::Batch(args) => batch::run(args, cli.color)?,
        Command::Check(args) => check::run(args, cli.color)?,
        Command::Questions(args) => questions::run_list(args)?,
        Command::Show(args) => questions::run_show(args, color)?,
        Command::Search(args) => search::run(args, color)?,
        Command::Rubric(args) => rubric::run(args, color)?,
        Command::Calibrate(args) => calibrate::run(args, color)?,
    };
    Ok(ExitCode::from(code))
}

/// Writes `text` to stdout, flushing, so that a closed pipe surfaces as an error here.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Whether an error is a closed pipe (`itdq ... | head`), which ends the program quietly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
