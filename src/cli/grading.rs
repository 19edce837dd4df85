//! Grading many files: in parallel, one compiled grader per question, results handed to a
//! renderer in a deterministic order while the next chunk is graded.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use itdq::declaration::{Claim, Source};
use itdq::detect::{Detection, Detector};
use itdq::report::{Status, Warning, WarningCode};
use itdq::summary::Summary;
use itdq::{Analyzer, Bank, Grader, Question, Report};
use rayon::prelude::*;

use super::discover;
use super::input;
use super::render::{RowRenderer, Sink};

/// Files graded per parallel step: large enough to keep both cores busy, small enough that the
/// reports of one step are a few megabytes at most.
const FILES_PER_STEP: usize = 256;
/// Paths read from stdin per step: smaller, so that a slow producer sees results early.
const STDIN_PATHS_PER_STEP: usize = 64;

/// One graded answer, or one input that could not be graded.
#[derive(Debug)]
pub struct Row {
    /// The file, as shown (`answers/jane.md`).
    pub file: String,
    /// The take-home section this row grades, if any.
    pub section: Option<SectionRef>,
    /// The question id, when known.
    pub question: Option<String>,
    pub outcome: Outcome,
}

/// A section of a take-home: its heading and the line of it.
#[derive(Debug)]
pub struct SectionRef {
    pub heading: String,
    pub line: usize,
}

#[derive(Debug)]
pub enum Outcome {
    Graded(Box<Graded>),
    /// Why the input could not be graded.
    Error(String),
}

/// A report and the verdict on it.
#[derive(Debug)]
pub struct Graded {
    pub report: Report,
    pub source: Source,
    /// How the question was told from the text, when it was.
    pub detection: Option<Detection>,
    pub verdict: Verdict,
}

/// Whether an answer met the bar, and if not, why.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub passed: bool,
    /// The minimum score that applied, if any.
    pub min_score: Option<f64>,
    /// The score is below `min_score`.
    pub below: bool,
    /// Required concepts (by the rubric or by `itdq.toml`) the answer lacks: (id, label).
    pub missing_required: Vec<(String, String)>,
}

impl Verdict {
    /// Why the answer fell short, for people: `score 42 below 60; missing required: Jitter`.
    pub fn reasons(&self, score: f64) -> String {
        let mut reasons = Vec::new();
        if let (true, Some(min)) = (self.below, self.min_score) {
            reasons.push(format!("score {} below {}", fmt_num(score), fmt_num(min)));
        }
        if !self.missing_required.is_empty() {
            let labels: Vec<&str> = self
                .missing_required
                .iter()
                .map(|(_, label)| label.as_str())
                .collect();
            reasons.push(format!("missing required: {}", labels.join("; ")));
        }
        reasons.join("; ")
    }
}

/// 72 for 72.0, 72.5 for 72.5.
pub fn fmt_num(x: f64) -> String {
    super::render::human::fmt_num(x)
}

/// The bar answers must meet.
#[derive(Debug, Default)]
pub struct Policy {
    /// The minimum score for every question without its own.
    pub min_score: Option<f64>,
    /// Per question (by canonical id): its own minimum score and extra required concept ids.
    pub questions: Vec<(String, Option<f64>, Vec<String>)>,
}

impl Policy {
    fn verdict(&self, report: &Report) -> Verdict {
        let own = self
            .questions
            .iter()
            .find(|(id, _, _)| same_id(id, &report.question.id));
        let min_score = own.and_then(|(_, min, _)| *min).or(self.min_score);
        let below = min_score.is_some_and(|min| report.score < min);
        let extra: &[String] = own.map_or(&[], |(_, _, required)| required.as_slice());
        let missing_required: Vec<(String, String)> = report
            .concepts
            .iter()
            .filter(|c| (c.required || extra.contains(&c.id)) && c.status != Status::Found)
            .map(|c| (c.id.clone(), c.label.clone()))
            .collect();
        Verdict {
            passed: !below && missing_required.is_empty(),
            min_score,
            below,
            missing_required,
        }
    }
}

/// `07`, `q7` and `7` are one id.
pub fn same_id(a: &str, b: &str) -> bool {
    let canonical = |id: &str| {
        let id = id.trim();
        let digits = id.trim_start_matches(['q', 'Q']);
        digits
            .parse::<u64>()
            .map_or_else(|_| id.to_string(), |n| n.to_string())
    };
    canonical(a) == canonical(b)
}

/// The rule that names the question of a file from outside it, if any.
type GivenQuestion<'b> = Box<dyn Fn(&Path) -> Option<Claim> + Send + Sync + 'b>;

/// Everything needed to grade any file of a batch; shared by the worker threads.
pub struct Engine<'b> {
    bank: &'b Bank,
    analyzer: Analyzer,
    /// One lazily compiled grader per question of the bank, in bank order.
    graders: Vec<OnceLock<Result<Grader, String>>>,
    policy: Policy,
    /// The question a file answers by a rule from outside (`--q`, a glob of `itdq.toml`).
    given: GivenQuestion<'b>,
    /// Tells the question of an answer that names none; built when the first such answer comes.
    detector: OnceLock<Result<Detector<'b>, String>>,
}

impl std::fmt::Debug for Engine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("bank", &self.bank.origin)
            .field("policy", &self.policy)
            .finish()
    }
}

/// The rows of one file, or the note that it opted out.
#[derive(Debug)]
pub struct FileResult {
    pub rows: Vec<Row>,
    pub ignored: bool,
}

impl<'b> Engine<'b> {
    pub fn new(
        bank: &'b Bank,
        policy: Policy,
        given: impl Fn(&Path) -> Option<Claim> + Send + Sync + 'b,
    ) -> Engine<'b> {
        Engine {
            bank,
            analyzer: Analyzer::new(),
            graders: bank.questions().iter().map(|_| OnceLock::new()).collect(),
            policy,
            given: Box::new(given),
            detector: OnceLock::new(),
        }
    }

    /// The question of an answer that names none, told from its text, with the detection; or why
    /// it cannot be told.
    fn detect(&self, text: &str) -> Result<(&'b Question, Detection), String> {
        let detector = self
            .detector
            .get_or_init(|| Detector::new(self.bank).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(Clone::clone)?;
        let detection = detector.detect(text).map_err(|e| {
            format!(
                "{e}: add front matter `question: N`, a marker `<!-- itdq: question N -->`, or pass --q"
            )
        })?;
        let best = detection
            .best()
            .expect("a confident detection has a best candidate");
        Ok((&self.bank.questions()[best.position], detection))
    }

    fn grader(&self, index: usize) -> Result<&Grader, &str> {
        self.graders[index]
            .get_or_init(|| {
                let question = &self.bank.questions()[index];
                let rubric = self.bank.rubric(question).map_err(|e| e.to_string())?;
                Ok(Grader::new(question, rubric, &self.analyzer))
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// Grades one file into its rows.
    pub fn grade_file(&self, path: &Path) -> FileResult {
        let file = discover::display(path);
        let error = |question: Option<String>, section: Option<SectionRef>, message: String| Row {
            file: file.clone(),
            section,
            question,
            outcome: Outcome::Error(message),
        };
        let decoded = match input::read_batch_answer(path) {
            Ok(decoded) => decoded,
            Err(reason) => {
                return FileResult {
                    rows: vec![error(None, None, reason)],
                    ignored: false,
                };
            }
        };
        let plan = match itdq::plan::plan(&file, &decoded.text, (self.given)(path)) {
            Ok(plan) => plan,
            Err(conflict) => {
                return FileResult {
                    rows: vec![error(None, None, conflict.to_string())],
                    ignored: false,
                };
            }
        };
        if plan.ignored {
            return FileResult {
                rows: Vec::new(),
                ignored: true,
            };
        }
        let mut rows = Vec::with_capacity(plan.parts.len());
        for part in &plan.parts {
            let section = part.heading.as_ref().map(|heading| SectionRef {
                heading: heading.clone(),
                line: part.excerpt.first_line - 1,
            });
            let text = &plan.text[part.range.clone()];
            let mut detection = None;
            let (question, source) = match &part.claim {
                Some(claim) => match self.bank.question(&claim.question) {
                    Ok(q) => (q, claim.source),
                    Err(_) => {
                        let message = format!(
                            "{} names question {}, which the bank does not have (see `itdq questions`)",
                            claim.source.describe(),
                            claim.question
                        );
                        rows.push(error(Some(claim.question.clone()), section, message));
                        continue;
                    }
                },
                None => match self.detect(text) {
                    Ok((q, found)) => {
                        detection = Some(found);
                        (q, Source::Detected)
                    }
                    Err(message) => {
                        rows.push(error(None, section, message));
                        continue;
                    }
                },
            };
            let index = self
                .bank
                .questions()
                .iter()
                .position(|q| std::ptr::eq(q, question))
                .expect("a question of the bank");
            let grader = match self.grader(index) {
                Ok(grader) => grader,
                Err(message) => {
                    rows.push(error(
                        Some(question.id.clone()),
                        section,
                        message.to_string(),
                    ));
                    continue;
                }
            };
            let mut report = grader.grade(text);
            part.excerpt.relocate(&mut report);
            if let Some(note) = &decoded.note {
                report.warnings.insert(
                    0,
                    Warning {
                        code: WarningCode::Encoding,
                        message: note.clone(),
                    },
                );
            }
            let verdict = self.policy.verdict(&report);
            rows.push(Row {
                file: file.clone(),
                section,
                question: Some(question.id.clone()),
                outcome: Outcome::Graded(Box::new(Graded {
                    report,
                    source,
                    detection,
                    verdict,
                })),
            });
        }
        FileResult {
            rows,
            ignored: false,
        }
    }
}

/// Where the paths of a run come from, step by step.
pub enum Steps<'a> {
    Files(std::slice::Chunks<'a, PathBuf>),
    Stdin(Box<dyn std::io::BufRead + Send + 'a>),
}

impl Steps<'_> {
    fn next(&mut self) -> anyhow::Result<Option<Vec<PathBuf>>> {
        match self {
            Steps::Files(chunks) => Ok(chunks.next().map(<[PathBuf]>::to_vec)),
            Steps::Stdin(stdin) => {
                let chunk = discover::read_stdin_chunk(stdin, STDIN_PATHS_PER_STEP)?;
                Ok((!chunk.is_empty()).then_some(chunk))
            }
        }
    }
}

impl<'a> Steps<'a> {
    pub fn files(files: &'a [PathBuf]) -> Steps<'a> {
        Steps::Files(files.chunks(FILES_PER_STEP))
    }
}

/// Grades every file, handing rows to `sink` in input order, and returns the summary. Each step
/// grades in parallel while the previous step's rows are written, so memory holds two steps at
/// most however long the batch.
pub fn run(
    engine: &Engine,
    mut steps: Steps,
    sink: &mut (dyn Sink + Send),
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    let mut pending: Option<Step> = None;
    let renderer = sink.row_renderer();
    loop {
        let step = steps.next()?;
        let Some(paths) = step else { break };
        let (written, graded) = rayon::join(
            || emit(pending.take(), sink, &mut summary, progress),
            || match renderer {
                Some(render) => Step::Rendered(
                    paths
                        .par_iter()
                        .map(|p| Rendered::new(engine.grade_file(p), render))
                        .collect(),
                ),
                None => Step::Rows(paths.par_iter().map(|p| engine.grade_file(p)).collect()),
            },
        );
        written?;
        pending = Some(graded);
    }
    emit(pending, sink, &mut summary, progress)?;
    Ok(summary)
}

/// The results of one step: rows for the sink, or rows the workers already rendered.
enum Step {
    Rows(Vec<FileResult>),
    Rendered(Vec<Rendered>),
}

/// A file's rows, rendered by the worker that graded them, and what they add to the summary.
struct Rendered {
    bytes: anyhow::Result<Vec<u8>>,
    summary: Summary,
}

impl Rendered {
    fn new(result: FileResult, render: RowRenderer) -> Rendered {
        let mut summary = Summary::default();
        record(&result, &mut summary);
        // Room for a typical row: a growing buffer would copy it over and over.
        let mut bytes = Vec::with_capacity(16 * 1024);
        let rendered = result
            .rows
            .iter()
            .try_for_each(|row| render(row, &mut bytes));
        Rendered {
            bytes: rendered.map(|()| bytes),
            summary,
        }
    }
}

/// Counts a file's rows in `summary`.
fn record(result: &FileResult, summary: &mut Summary) {
    if result.ignored {
        summary.record_ignored();
    }
    for row in &result.rows {
        match &row.outcome {
            Outcome::Graded(g) => summary.record(&g.report, g.verdict.passed),
            Outcome::Error(_) => summary.record_error(),
        }
    }
}

fn emit(
    step: Option<Step>,
    sink: &mut (dyn Sink + Send),
    summary: &mut Summary,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<()> {
    match step {
        None => Ok(()),
        Some(Step::Rows(results)) => emit_rows(results, sink, summary, progress),
        Some(Step::Rendered(files)) => {
            let count = files.len() as u64;
            for file in files {
                summary.merge(file.summary);
                sink.rendered(&file.bytes?)?;
            }
            progress.inc(count);
            Ok(())
        }
    }
}

fn emit_rows(
    results: Vec<FileResult>,
    sink: &mut (dyn Sink + Send),
    summary: &mut Summary,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<()> {
    let files = results.len() as u64;
    for result in results {
        record(&result, summary);
        for row in &result.rows {
            sink.row(row)?;
        }
    }
    progress.inc(files);
    Ok(())
}
