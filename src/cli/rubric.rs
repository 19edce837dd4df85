//! `itdq rubric lint` and `itdq rubric draft`.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, bail};
use itdq::lint::{Diagnostic, Severity, has_errors, lint_bank, lint_rubric};
use itdq::reference::{Reference, derive_rubric};
use itdq::{Analyzer, Bank, Corpus, LoadError};
use serde::Serialize;

use super::render::Paint;
use super::{BankArgs, EXIT_BAD_INPUT, EXIT_BELOW, EXIT_OK, Format, input, print};

#[derive(Debug, clap::Args)]
pub struct RubricArgs {
    #[command(subcommand)]
    pub command: RubricCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum RubricCommand {
    /// Check rubric files or bank folders: errors (exit 1) and warnings, with file:line:column.
    Lint(LintArgs),
    /// Derive a rubric from a reference answer and print it as TOML, for an author to edit.
    Draft(DraftArgs),
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Rubric files (.toml) or bank folders; default: the bank in use (--bank, or the built-in one).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub bank: BankArgs,
}

#[derive(Debug, clap::Args)]
pub struct DraftArgs {
    /// The reference answer (a text file, or `-` for stdin); default: the reference of --q.
    #[arg(long, value_name = "REF")]
    pub from: Option<PathBuf>,
    /// The question's text: its words are demoted, since restating the question earns nothing.
    #[arg(long, value_name = "TEXT")]
    pub prompt: Option<String>,
    /// The question the rubric is for: its id goes into the draft, and its prompt and reference
    /// answer are used when --prompt and --from are not given.
    #[arg(long = "q", short = 'q', value_name = "ID")]
    pub question: Option<String>,
    #[command(flatten)]
    pub bank: BankArgs,
}

pub fn run(args: RubricArgs, color: bool) -> anyhow::Result<u8> {
    match args.command {
        RubricCommand::Lint(args) => run_lint(args, color),
        RubricCommand::Draft(args) => run_draft(args),
    }
}

/// What was linted, and what could not be read at all.
#[derive(Default)]
struct LintRun {
    diagnostics: Vec<Diagnostic>,
    files: usize,
    unreadable: Vec<String>,
}

fn run_lint(args: LintArgs, color: bool) -> anyhow::Result<u8> {
    let analyzer = Analyzer::new();
    let mut run = LintRun::default();
    if args.paths.is_empty() {
        let bank = args.bank.load()?;
        lint_loaded_bank(&bank, &analyzer, &mut run);
    }
    for path in &args.paths {
        if path.is_dir() {
            match Bank::from_dir(path) {
                Ok(bank) => lint_loaded_bank(&bank, &analyzer, &mut run),
                Err(error @ LoadError::Invalid { .. }) => {
                    run.files += 1;
                    run.diagnostics.extend(format_error(&error));
                }
                Err(error) => run.unreadable.push(error.to_string()),
            }
        } else {
            let name = path.display().to_string();
            match std::fs::read(path) {
                Err(error) => run.unreadable.push(format!("{name}: {error}")),
                Ok(bytes) => match String::from_utf8(bytes) {
                    Err(_) => run.unreadable.push(format!(
                        "{name}: not UTF-8 text; a rubric file is TOML, which is UTF-8"
                    )),
                    Ok(text) => {
                        run.files += 1;
                        run.diagnostics.extend(lint_rubric(&name, &text, &analyzer));
                    }
                },
            }
        }
    }
    let out = match args.format {
        Format::Human => human_lint(&run, color),
        Format::Json => json_lint(&run)?,
    };
    print(&out)?;
    for problem in &run.unreadable {
        eprintln!("itdq: error: {problem}");
    }
    Ok(if !run.unreadable.is_empty() {
        EXIT_BAD_INPUT
    } else if has_errors(&run.diagnostics) {
        EXIT_BELOW
    } else {
        EXIT_OK
    })
}

fn lint_loaded_bank(bank: &Bank, analyzer: &Analyzer, run: &mut LintRun) {
    run.files += 1
        + bank
            .questions()
            .iter()
            .filter(|q| bank.has_rubric(q))
            .count()
        + bank.orphan_rubrics().len();
    run.diagnostics.extend(lint_bank(bank, analyzer));
}

fn format_error(error: &LoadError) -> Option<Diagnostic> {
    let LoadError::Invalid { location, message } = error else {
        return None;
    };
    Some(Diagnostic {
        location: location.clone(),
        severity: Severity::Error,
        rule: itdq::lint::Rule::Format,
        message: message.clone(),
    })
}

fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diagnostics.len() - errors)
}

fn human_lint(run: &LintRun, color: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();
    for d in &run.diagnostics {
        let severity = match d.severity {
            Severity::Error => p.red("error"),
            Severity::Warning => p.yellow("warning"),
        };
        let _ = writeln!(
            out,
            "{}: {severity}[{}]: {}",
            p.bold(&d.location.to_string()),
            d.rule.as_str(),
            d.message
        );
    }
    let (errors, warnings) = counts(&run.diagnostics);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "{}: {}, {} in {}",
        if errors > 0 {
            p.red("failed")
        } else {
            p.green("ok")
        },
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(run.files, "file")
    );
    out
}

#[derive(Serialize)]
struct JsonLint<'a> {
    schema_version: u32,
    errors: usize,
    warnings: usize,
    files: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    unreadable: &'a [String],
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    severity: &'static str,
    rule: &'static str,
    message: &'a str,
}

fn json_lint(run: &LintRun) -> anyhow::Result<String> {
    let (errors, warnings) = counts(&run.diagnostics);
    let json = JsonLint {
        schema_version: itdq::wire::SCHEMA_VERSION,
        errors,
        warnings,
        files: run.files,
        diagnostics: run
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                file: &d.location.file,
                line: d.location.line,
                column: d.location.column,
                severity: d.severity.as_str(),
                rule: d.rule.as_str(),
                message: &d.message,
            })
            .collect(),
        unreadable: &run.unreadable,
    };
    Ok(serde_json::to_string_pretty(&json)? + "\n")
}

fn run_draft(args: DraftArgs) -> anyhow::Result<u8> {
    let bank = args.bank.load()?;
    let question = args
        .question
        .as_deref()
        .map(|id| bank.question(id))
        .transpose()?;
    let (text, source) = match (&args.from, question) {
        (Some(path), _) => (input::read_answer(path)?.text, path.display().to_string()),
        (None, Some(q)) => match &q.reference {
            Some(text) => (
                text.clone(),
                format!("the reference answer of question {}", q.id),
            ),
            None => bail!(
                "question {} has no reference answer in the bank; pass one with --from REF.txt",
                q.id
            ),
        },
        (None, None) => {
            bail!("nothing to draft from: pass --from REF.txt (a reference answer) or --q ID")
        }
    };
    let prompt = args
        .prompt
        .clone()
        .or_else(|| question.map(|q| q.prompt.clone()))
        .unwrap_or_default();
    let id = question.map_or("reference", |q| q.id.as_str());
    let analyzer = Analyzer::new();
    if analyzer.analyze(&text).terms.is_empty() {
        bail!("{source}: the reference answer has no content words to derive concepts from");
    }
    let corpus = Corpus::build(
        &analyzer,
        bank.documents().chain([text.as_str(), prompt.as_str()]),
    )
    .context("cannot weight the reference's terms")?;
    let reference = Reference {
        question: id,
        prompt: &prompt,
        text: &text,
        source: &source,
        cohort: &[],
    };
    let rubric = derive_rubric(&reference, &corpus, &analyzer);
    let comment = format!(
        "Drafted by `itdq rubric draft` from {source}.\n\
         Each weight is the term's idf over {} texts (the prompts and reference answers of the\n\
         bank in use, and this reference), lowered for words of the question. Merge phrases into\n\
         concepts, add the other ways people say each one as aliases, and check the result with\n\
         `itdq rubric lint`.",
        corpus.documents()
    );
    print(&itdq::draft::rubric_to_toml(&rubric, &comment))?;
    Ok(EXIT_OK)
}
