//! `itdq calibrate`: grade answers a human has marked, and measure how well the two agree.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use itdq::calibrate::{Agreement, Calibration, Observation, ScaleSource, calibrate};
use itdq::{Analyzer, Corpus, Grader};
use rayon::prelude::*;
use serde::Serialize;

use super::render::Paint;
use super::{BankArgs, EXIT_BAD_INPUT, EXIT_BELOW, EXIT_OK, Format, input, print};

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// CSV with a header row and columns `question`, `score` (the human mark) and `file` (a path
    /// relative to the CSV) or `text` (the answer itself).
    #[arg(value_name = "MARKS.csv")]
    pub marks: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with 1 when Pearson's correlation is below X.
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub min_pearson: Option<f64>,
    /// Exit with 1 when Spearman's correlation is below X.
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub min_spearman: Option<f64>,
    /// Exit with 1 when the quadratic weighted kappa is below X (needs integer marks and rubrics
    /// with a point scale).
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub min_qwk: Option<f64>,
    /// The top of the human marks' scale, for rubrics without a point scale (default: the highest
    /// mark in the file).
    #[arg(long, value_name = "MARK")]
    pub max_mark: Option<f64>,
    /// For questions graded from a reference answer, also credit the terms that many of the
    /// question's answers in this file share (never their marks).
    #[arg(long)]
    pub cohort: bool,
    #[command(flatten)]
    pub bank: BankArgs,
}

/// One row of the marks file.
struct Marked {
    /// Where the answer came from: its file, or the marks file and line.
    source: String,
    /// The CSV line, for messages.
    line: u64,
    question: String,
    human: f64,
    answer: String,
}

pub fn run(args: CalibrateArgs, color: bool) -> anyhow::Result<u8> {
    if let Some(max) = args.max_mark
        && !(max > 0.0 && max.is_finite())
    {
        bail!("--max-mark must be a number above 0, not {max}");
    }
    let marks_name = args.marks.display().to_string();
    let rows = read_marks(&args.marks)?;
    if rows.is_empty() {
        bail!("{marks_name}: no marked answers (a header row and at least one row are needed)");
    }
    let bank = args.bank.load()?;
    let analyzer = Analyzer::new();

    // Each question once, in the order of first appearance.
    let mut questions: Vec<&itdq::Question> = Vec::new();
    let mut question_of_row = Vec::with_capacity(rows.len());
    for row in &rows {
        let question = bank
            .question(&row.question)
            .with_context(|| format!("{marks_name}:{}: cannot grade this row", row.line))?;
        let slot = match questions.iter().position(|q| q.id == question.id) {
            Some(slot) => slot,
            None => {
                questions.push(question);
                questions.len() - 1
            }
        };
        question_of_row.push(slot);
    }
    // A rubric derived from a reference answer weights its terms over the bank and every
    // answer being graded: built once, and only when some question needs it.
    let corpus = if questions.iter().any(|q| bank.derives_rubric(q)) {
        Corpus::build(
            &analyzer,
            bank.documents()
                .chain(rows.iter().map(|r| r.answer.as_str())),
        )
        .context("cannot weight the reference answers' terms")?
    } else {
        Corpus::empty()
    };
    let graders = questions
        .iter()
        .enumerate()
        .map(|(slot, q)| {
            let cohort: Vec<&str> = if args.cohort {
                rows.iter()
                    .zip(&question_of_row)
                    .filter(|(_, s)| **s == slot)
                    .map(|(r, _)| r.answer.as_str())
                    .collect()
            } else {
                Vec::new()
            };
            Ok(Grader::new(
                q,
                bank.grading_rubric(q, &corpus, &analyzer, &cohort)?,
                &analyzer,
            ))
        })
        .collect::<anyhow::Result<Vec<Grader>>>()?;

    let observations: Vec<Observation> = rows
        .par_iter()
        .zip(question_of_row.par_iter())
        .map(|(row, &slot)| {
            let report = graders[slot].grade(&row.answer);
            Observation::new(&row.source, &row.answer, row.human, &report)
        })
        .collect();
    let calibration = calibrate(&observations, args.max_mark);

    let out = match args.format {
        Format::Human => human(&calibration, &marks_name, color),
        Format::Json => json(&calibration, &marks_name)?,
    };
    print(&out)?;
    thresholds(&args, &calibration.overall)
}

/// Checks the `--min-*` thresholds; a threshold on a figure that cannot be computed is a usage error.
fn thresholds(args: &CalibrateArgs, overall: &Agreement) -> anyhow::Result<u8> {
    let checks = [
        ("pearson", args.min_pearson, overall.pearson),
        ("spearman", args.min_spearman, overall.spearman),
        ("qwk", args.min_qwk, overall.qwk),
    ];
    let mut code = EXIT_OK;
    for (name, bar, value) in checks {
        let Some(bar) = bar else { continue };
        match value {
            None => {
                let why = if name == "qwk" {
                    "it needs integer marks and rubrics with a point scale ([scale])"
                } else {
                    "one side never varies"
                };
                eprintln!(
                    "itdq: error: --min-{name} given, but {name} cannot be computed here: {why}"
                );
                return Ok(EXIT_BAD_INPUT);
            }
            Some(v) if v < bar => {
                eprintln!("itdq: {name} {v:.3} is below --min-{name} {bar}");
                code = EXIT_BELOW;
            }
            Some(_) => {}
        }
    }
    Ok(code)
}

/// Reads the marks file: a header row naming `question`, `score`, and `file` or `text`.
fn read_marks(path: &Path) -> anyhow::Result<Vec<Marked>> {
    let name = path.display().to_string();
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read the marks file {name}"))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .with_context(|| format!("{name}: cannot read the header row"))?
        .clone();
    let column = |wanted: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(wanted))
    };
    let (Some(question_col), Some(score_col)) = (column("question"), column("score")) else {
        bail!(
            "{name}: the header row must name the columns `question` and `score`, and `file` or `text` (found: {})",
            headers.iter().collect::<Vec<_>>().join(", ")
        );
    };
    let (file_col, text_col) = (column("file"), column("text"));
    if file_col.is_none() && text_col.is_none() {
        bail!(
            "{name}: the header row names neither a `file` nor a `text` column: where are the answers?"
        );
    }
    let base = path.parent().unwrap_or(Path::new(""));
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("{name}: cannot read a row"))?;
        let line = record.position().map_or(0, |p| p.line());
        let field =
            |col: Option<usize>| col.and_then(|c| record.get(c)).map(str::trim).unwrap_or("");
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let question = field(Some(question_col));
        if question.is_empty() {
            bail!("{name}:{line}: the `question` column is empty");
        }
        let score_text = field(Some(score_col));
        let human: f64 = match score_text.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => bail!("{name}:{line}: score {score_text:?} is not a number"),
        };
        let file = field(file_col);
        let (source, answer) = if !file.is_empty() {
            if text_col.is_some_and(|c| record.get(c).is_some_and(|t| !t.trim().is_empty())) {
                bail!(
                    "{name}:{line}: both `file` and `text` are filled in; give the answer one way"
                );
            }
            let full = base.join(file);
            let decoded = input::read_answer(&full).with_context(|| format!("{name}:{line}"))?;
            (full.display().to_string(), decoded.text)
        } else {
            // The text column as written: its line breaks are the answer's.
            let text = text_col.and_then(|c| record.get(c)).unwrap_or("");
            (format!("{name}:{line}"), text.to_string())
        };
        rows.push(Marked {
            source,
            line,
            question: question.to_string(),
            human,
            answer,
        });
    }
    Ok(rows)
}

fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

fn human(c: &Calibration, marks: &str, color: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();
    let scale = match c.scale.source {
        ScaleSource::Rubric => format!("itdq's points on the rubrics' scale 0-{}", c.scale.max),
        ScaleSource::Given => format!(
            "itdq's 0-100 score put on the scale 0-{} (--max-mark)",
            c.scale.max
        ),
        ScaleSource::Marks => format!(
            "itdq's 0-100 score put on the scale 0-{} (the highest mark in the file)",
            c.scale.max
        ),
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "{}",
        p.bold(&format!(
            "Calibration against {marks}: {}, {}",
            plural(c.overall.n, "answer"),
            plural(c.questions.len(), "question")
        ))
    );
    let _ = writeln!(out, "{scale}\n");
    let header = format!(
        "{:<12} {:>6} {:>8} {:>8} {:>6} {:>6} {:>6} {:>6}",
        "", "n", "pearson", "spearman", "qwk", "mae", "human", "itdq"
    );
    let row = |name: &str, a: &Agreement| {
        format!(
            "{:<12} {:>6} {:>8} {:>8} {:>6} {:>6} {:>6} {:>6}",
            name,
            a.n,
            figure(a.pearson),
            figure(a.spearman),
            figure(a.qwk),
            figure(a.mae),
            a.human_mean.map_or("n/a".into(), |m| format!("{m:.2}")),
            a.itdq_mean.map_or("n/a".into(), |m| format!("{m:.2}")),
        )
    };
    let _ = writeln!(out, "{}", p.dim(&header));
    let _ = writeln!(out, "{}", p.bold(&row("overall", &c.overall)));

    let _ = writeln!(out, "\n{}", p.bold("Per question"));
    let _ = writeln!(
        out,
        "{}",
        p.dim(&header.replacen("            ", "question    ", 1))
    );
    for q in &c.questions {
        let _ = writeln!(out, "{}", row(&q.question, &q.agreement));
    }

    let _ = writeln!(
        out,
        "\n{}",
        p.bold("Concepts: how often found, and the human's mean mark with and without")
    );
    let _ = writeln!(
        out,
        "{}",
        p.dim(&format!(
            "{:<12} {:<32} {:>9} {:>6} {:>6} {:>6}",
            "question", "concept", "found", "rate", "with", "without"
        ))
    );
    for h in &c.concepts {
        let _ = writeln!(
            out,
            "{:<12} {:<32} {:>9} {:>5.0}% {:>6} {:>6}",
            h.question,
            h.concept,
            format!("{}/{}", h.found, h.answers),
            h.hit_rate * 100.0,
            h.human_mean_found.map_or("-".into(), |m| format!("{m:.2}")),
            h.human_mean_missed
                .map_or("-".into(), |m| format!("{m:.2}")),
        );
    }

    let _ = writeln!(out, "\n{}", p.bold("Largest disagreements"));
    if c.disagreements.is_empty() {
        let _ = writeln!(out, "none: itdq gave every answer the human's mark");
    }
    for (i, d) in c.disagreements.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>2}. question {}, {}: human {}, itdq {} (score {:.1}), {}",
            i + 1,
            d.question,
            d.source,
            trim_number(d.human),
            trim_number(d.itdq),
            d.score,
            if d.difference > 0.0 {
                p.yellow(&format!("+{:.2}", d.difference))
            } else {
                p.red(&format!("{:.2}", d.difference))
            },
        );
        let _ = writeln!(
            out,
            "    {}",
            p.dim(&format!("\u{201C}{}\u{201D}", d.excerpt))
        );
    }
    let _ = writeln!(
        out,
        "\nn={} pearson={} spearman={} qwk={} mae={}",
        c.overall.n,
        figure(c.overall.pearson),
        figure(c.overall.spearman),
        figure(c.overall.qwk),
        figure(c.overall.mae)
    );
    out
}

/// A mark as people write it: "4", "3.5", "2.67".
fn trim_number(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[derive(Serialize)]
struct JsonCalibration<'a> {
    schema_version: u32,
    marks: &'a str,
    #[serde(flatten)]
    calibration: &'a Calibration,
}

fn json(c: &Calibration, marks: &str) -> anyhow::Result<String> {
    let json = JsonCalibration {
        schema_version: itdq::wire::SCHEMA_VERSION,
        marks,
        calibration: c,
    };
    Ok(serde_json::to_string_pretty(&json)? + "\n")
}
