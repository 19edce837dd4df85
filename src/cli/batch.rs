//! `itdq batch`: grade folders of answers and take-homes.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;
use itdq::declaration::{Claim, Source};

use super::discover::{self, Inputs};
use super::grading::{self, Engine, Policy, Steps};
use super::output::Target;
use super::render::{self, BatchFormat, RunInfo};
use super::{BankArgs, ColorWhen, EXIT_BAD_INPUT, EXIT_BELOW, EXIT_OK};

#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// Answer files or folders (walked recursively for .md, .markdown, .txt and .text files,
    /// honouring .gitignore and .itdqignore), or `-` to read a list of paths from stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Grade every answer against this question (a take-home: only its section for it).
    #[arg(long = "q", short = 'q', value_name = "ID")]
    pub question: Option<String>,
    /// Output format [default: table on a terminal, else from the --output extension, else jsonl].
    #[arg(long, value_enum)]
    pub format: Option<BatchFormat>,
    /// Write the report to FILE (atomically: complete or not at all) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Grade on N threads [default: one per core].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Exit with 1 when an answer scores below SCORE.
    #[arg(long, value_name = "SCORE", value_parser = render::parse_score)]
    pub fail_under: Option<f64>,
    /// How many of the most often missed concepts the summary lists.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub most_missed: usize,
    /// No summary on stderr and no progress bar.
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    pub bank: BankArgs,
}

pub fn run(args: BatchArgs, color: ColorWhen) -> anyhow::Result<u8> {
    let bank = args.bank.load()?;
    let given = match &args.question {
        Some(id) => {
            let question = bank.question(id)?;
            Some(Claim {
                question: question.id.clone(),
                source: Source::Flag,
                line: 0,
            })
        }
        None => None,
    };
    let inputs = discover::expand(&args.paths)?;
    if let Inputs::Files(files) = &inputs
        && files.is_empty()
    {
        anyhow::bail!(
            "no answer files found in {} (folders are searched for {} files; .gitignore and {} are honoured)",
            shown_paths(&args.paths),
            discover::ANSWER_EXTENSIONS
                .iter()
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join(", "),
            discover::IGNORE_FILE
        );
    }
    let policy = Policy {
        min_score: args.fail_under,
        questions: Vec::new(),
    };
    let engine = Engine::new(&bank, policy, move |_| given.clone());
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(BatchFormat::from_extension))
        .unwrap_or(
            if args.output.is_none() && std::io::stdout().is_terminal() {
                BatchFormat::Table
            } else {
                BatchFormat::Jsonl
            },
        );
    let code = execute(Run {
        engine: &engine,
        inputs,
        format,
        output: args.output,
        jobs: args.jobs,
        quiet: args.quiet,
        color,
        min_score: args.fail_under,
        most_missed: args.most_missed,
    });
    // The process ends here: freeing every compiled grader one by one would only cost time
    // (about 15 M instructions for the 50 built-in rubrics).
    std::mem::forget(engine);
    code
}

fn shown_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One run of `batch` or `check`, ready to go.
pub struct Run<'a, 'b> {
    pub engine: &'a Engine<'b>,
    pub inputs: Inputs,
    pub format: BatchFormat,
    pub output: Option<PathBuf>,
    pub jobs: Option<u16>,
    pub quiet: bool,
    pub color: ColorWhen,
    /// The minimum score that applies to most answers, for headings.
    pub min_score: Option<f64>,
    pub most_missed: usize,
}

/// Grades, renders, writes the report and returns the exit code: 2 when some input could not be
/// graded, else 1 when some answer fell short, else 0.
pub fn execute(run: Run) -> anyhow::Result<u8> {
    let color = match run.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => run.output.is_none() && render::use_color(ColorWhen::Auto),
    };
    let file_width = match &run.inputs {
        Inputs::Files(files) => files
            .iter()
            .map(|f| discover::display(f).chars().count() + 4)
            .max()
            .unwrap_or(4),
        Inputs::Stdin => 40,
    };
    let info = RunInfo {
        min_score: run.min_score,
        color,
        file_width,
        most_missed: run.most_missed,
    };
    let progress = progress_bar(&run.inputs, run.quiet);
    let pool = {
        let mut builder = rayon::ThreadPoolBuilder::new();
        if let Some(jobs) = run.jobs {
            builder = builder.num_threads(usize::from(jobs));
        }
        builder
            .build()
            .context("cannot start the grading threads")?
    };
    let mut target = Target::open(run.output.as_deref())?;
    let summary = {
        let mut sink = render::sink(run.format, target.writer(), info)?;
        let summary = pool.install(|| match &run.inputs {
            Inputs::Files(files) => {
                grading::run(run.engine, Steps::files(files), sink.as_mut(), &progress)
            }
            Inputs::Stdin => {
                let stdin = std::io::BufReader::new(std::io::stdin());
                grading::run(
                    run.engine,
                    Steps::Stdin(Box::new(stdin)),
                    sink.as_mut(),
                    &progress,
                )
            }
        });
        progress.finish_and_clear();
        let summary = summary?;
        sink.finish(&summary)?;
        summary
    };
    target.commit()?;
    let report_has_summary =
        run.format == BatchFormat::Table || run.format == BatchFormat::Markdown;
    if !run.quiet && (!report_has_summary || run.output.is_some()) {
        let stderr_color = match run.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        };
        eprint!(
            "{}",
            render::summary::text(&summary, run.most_missed, stderr_color)
        );
    }
    let nothing_read = summary.graded() + summary.errors() + summary.ignored() == 0;
    if matches!(run.inputs, Inputs::Stdin) && nothing_read {
        eprintln!("itdq: error: no paths were read from stdin");
        return Ok(EXIT_BAD_INPUT);
    }
    Ok(if summary.errors() > 0 {
        EXIT_BAD_INPUT
    } else if summary.failed() > 0 {
        EXIT_BELOW
    } else {
        EXIT_OK
    })
}

fn progress_bar(inputs: &Inputs, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = match inputs {
        Inputs::Files(files) => indicatif::ProgressBar::new(files.len() as u64),
        Inputs::Stdin => indicatif::ProgressBar::new_spinner(),
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} files · {elapsed} · eta {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}
