//! `itdq grade`.

use std::path::PathBuf;

use anyhow::{Context, bail};
use itdq::detect::Detector;
use itdq::reference::{Reference, derive_rubric};
use itdq::report::{Warning, WarningCode};
use itdq::{Analyzer, Bank, Corpus, Grader, Question};

use super::{BankArgs, EXIT_BELOW, EXIT_OK, Format, input, print, render};
use GraderSource::{Detected, Owned};

#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    /// The answer file, or `-` for stdin.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The question the answer addresses (an id of `itdq questions`). Without it, the question is
    /// detected from the text, and a text that does not clearly answer one is refused (exit 2).
    #[arg(long = "q", short = 'q', value_name = "ID")]
    pub question: Option<String>,
    /// Grade against a rubric derived from this reference answer instead of the question's rubric.
    #[arg(long, value_name = "REF")]
    pub reference: Option<PathBuf>,
    /// The question's text, with --reference: its words are demoted (default: the prompt of --q).
    #[arg(long, value_name = "TEXT", requires = "reference")]
    pub prompt: Option<String>,
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
    let analyzer = Analyzer::new();
    let mut detection = None;
    let source = match &args.reference {
        Some(path) => {
            let reference = input::read_answer(path)
                .context("cannot read the reference answer")?
                .text;
            let mut question = match args.question.as_deref() {
                Some(id) => bank.question(id)?.clone(),
                None => Question {
                    id: "reference".into(),
                    section: String::new(),
                    prompt: String::new(),
                    reference: None,
                    rubric_file: String::new(),
                },
            };
            if let Some(prompt) = &args.prompt {
                question.prompt = prompt.clone();
            }
            if analyzer.analyze(&reference).terms.is_empty() {
                bail!(
                    "{}: the reference answer has no content words to grade against",
                    path.display()
                );
            }
            let corpus = Corpus::build(
                &analyzer,
                bank.documents().chain([
                    reference.as_str(),
                    question.prompt.as_str(),
                    decoded.text.as_str(),
                ]),
            )?;
            let source = path.display().to_string();
            let derived = Reference {
                question: &question.id,
                prompt: &question.prompt,
                text: &reference,
                source: &source,
                cohort: &[],
            };
            Owned(Box::new(Grader::new(
                &question,
                derive_rubric(&derived, &corpus, &analyzer),
                &analyzer,
            )))
        }
        None => match args.question.as_deref() {
            Some(id) => Owned(Box::new(grader_for(
                &bank,
                bank.question(id)?,
                &decoded.text,
                &analyzer,
            )?)),
            None => {
                let detector = Detector::new(&bank)?;
                let found = detector
                    .detect(&decoded.text)
                    .map_err(|e| anyhow::anyhow!("{e}; pass --q ID (see `itdq questions`)"))?;
                let position = found.best().expect("a confident detection").position;
                let question = &bank.questions()[position];
                detection = Some(found);
                // A rubric file compiles to the same grader either way; a derived rubric is
                // weighted with the answer in its corpus, as with --q.
                match detector.grader(position) {
                    Some(_) if !bank.derives_rubric(question) => Detected(detector, position),
                    _ => Owned(Box::new(grader_for(
                        &bank,
                        question,
                        &decoded.text,
                        &analyzer,
                    )?)),
                }
            }
        },
    };
    let grader = match &source {
        Owned(grader) => grader,
        Detected(detector, position) => detector
            .grader(*position)
            .expect("the detector compiled this grader"),
    };
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
        Format::Human => {
            let mut out = detection
                .as_ref()
                .map(|d| render::human::detection(d, color))
                .unwrap_or_default();
            out.push_str(&render::human::report(&report, color));
            out
        }
        Format::Json => render::json::report(&report, detection.as_ref())?,
    };
    print(&out)?;
    let code = match args.fail_under {
        Some(bar) if report.score < bar => EXIT_BELOW,
        _ => EXIT_OK,
    };
    // The process ends here: skip freeing the report and the compiled rubric piece by piece.
    std::mem::forget(report);
    std::mem::forget(source);
    Ok(code)
}

/// The grader of one answer: compiled for it, or compiled by the detector that found its question.
enum GraderSource<'b> {
    Owned(Box<Grader>),
    Detected(Detector<'b>, usize),
}

/// The grader of `question` for `answer`: its rubric, or one derived from its reference answer
/// and weighted by the bank and the answer.
fn grader_for(
    bank: &Bank,
    question: &Question,
    answer: &str,
    analyzer: &Analyzer,
) -> anyhow::Result<Grader> {
    let corpus = if bank.derives_rubric(question) {
        Corpus::build(analyzer, bank.documents().chain([answer]))?
    } else {
        Corpus::empty()
    };
    Ok(Grader::new(
        question,
        bank.grading_rubric(question, &corpus, analyzer, &[])?,
        analyzer,
    ))
}
