//! Grading many files: in parallel, one compiled grader per question, results handed to a
//! renderer in a deterministic order while the next chunk is graded.

use std::borrow::Cow;
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
use super::render::Sink;

/// Files graded per parallel step: enough that a step holds runs of answers to each question (it
/// grades them sorted by question), few enough that a step's rows stay a few megabytes. On the
/// benchmark corpus, 256 files a step gained nothing from the sorting; 1,024 gained as much as
/// 2,048 and 4,096, which hold more memory.
const FILES_PER_STEP: usize = 1024;
/// Paths read from stdin per step: smaller, so that a slow producer sees results early.
const STDIN_PATHS_PER_STEP: usize = 64;

/// One graded answer, or one input that could not be graded. Its report borrows the rubric's
/// text from the grader (`'g`).
#[derive(Debug)]
pub struct Row<'g> {
    /// The file, as shown (`answers/jane.md`).
    pub file: String,
    /// The take-home section this row grades, if any.
    pub section: Option<SectionRef>,
    /// The question id, when known.
    pub question: Option<String>,
    pub outcome: Outcome<'g>,
}

/// A section of a take-home: its heading and the line of it.
#[derive(Clone, Debug)]
pub struct SectionRef {
    pub heading: String,
    pub line: usize,
}

#[derive(Debug)]
pub enum Outcome<'g> {
    Graded(Box<Graded<'g>>),
    /// Why the input could not be graded.
    Error(String),
}

/// A report and the verdict on it.
#[derive(Debug)]
pub struct Graded<'g> {
    pub report: Report<'g>,
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
    fn verdict(&self, report: &Report<'_>) -> Verdict {
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
            .filter(|c| {
                (c.required || extra.iter().any(|id| *id == c.id)) && c.status != Status::Found
            })
            .map(|c| (c.id.to_string(), c.label.to_string()))
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

    /// Reads and plans one file: the question of each part, or the row that says why a part
    /// cannot be graded. Grading the parts is left to [`Engine::grade_part`], so that a step can
    /// grade the answers to one question one after another.
    fn prepare(&self, path: &Path) -> Prepared {
        let file = discover::display(path);
        let error = |question: Option<String>, section: Option<SectionRef>, message: String| Row {
            file: file.clone(),
            section,
            question,
            outcome: Outcome::Error(message),
        };
        let refused = |message: String| Prepared {
            jobs: vec![Job::Done(error(None, None, message))],
            file: file.clone(),
            text: String::new(),
            note: None,
            ignored: false,
        };
        let decoded = match input::read_batch_answer(path) {
            Ok(decoded) => decoded,
            Err(reason) => return refused(reason),
        };
        let plan = match itdq::plan::plan(&file, &decoded.text, (self.given)(path)) {
            Ok(plan) => plan,
            Err(conflict) => return refused(conflict.to_string()),
        };
        let mut jobs = Vec::with_capacity(plan.parts.len());
        for part in plan.parts {
            let section = part.heading.as_ref().map(|heading| SectionRef {
                heading: heading.clone(),
                line: part.excerpt.first_line - 1,
            });
            let (question, source, detection) = match &part.claim {
                Some(claim) => match self.bank.question(&claim.question) {
                    Ok(q) => (q, claim.source, None),
                    Err(_) => {
                        let message = format!(
                            "{} names question {}, which the bank does not have (see `itdq questions`)",
                            claim.source.describe(),
                            claim.question
                        );
                        jobs.push(Job::Done(error(
                            Some(claim.question.clone()),
                            section,
                            message,
                        )));
                        continue;
                    }
                },
                None => match self.detect(&plan.text[part.range.clone()]) {
                    Ok((q, found)) => (q, Source::Detected, Some(found)),
                    Err(message) => {
                        jobs.push(Job::Done(error(None, section, message)));
                        continue;
                    }
                },
            };
            let question = self
                .bank
                .questions()
                .iter()
                .position(|q| std::ptr::eq(q, question))
                .expect("a question of the bank");
            jobs.push(Job::Grade(Box::new(Pending {
                question,
                source,
                detection,
                section,
                range: part.range,
                excerpt: part.excerpt,
            })));
        }
        let ignored = plan.ignored;
        let text = match plan.text {
            Cow::Owned(text) => text,
            // The plan changed nothing: its text is the file's.
            borrowed @ Cow::Borrowed(_) => {
                drop(borrowed);
                decoded.text
            }
        };
        Prepared {
            file,
            text,
            note: decoded.note,
            ignored,
            jobs,
        }
    }

    /// Grades part `job` of a prepared file (one that waits for its grader).
    fn grade_part(&self, prepared: &Prepared, job: usize) -> Row<'_> {
        let Job::Grade(pending) = &prepared.jobs[job] else {
            unreachable!("only parts waiting for a grader are graded");
        };
        let question = &self.bank.questions()[pending.question];
        let section = pending.section.clone();
        let grader = match self.grader(pending.question) {
            Ok(grader) => grader,
            Err(message) => {
                return Row {
                    file: prepared.file.clone(),
                    section,
                    question: Some(question.id.clone()),
                    outcome: Outcome::Error(message.to_string()),
                };
            }
        };
        let mut report = grader.grade(&prepared.text[pending.range.clone()]);
        pending.excerpt.relocate(&mut report);
        if let Some(note) = &prepared.note {
            report.warnings.insert(
                0,
                Warning {
                    code: WarningCode::Encoding,
                    message: note.clone(),
                },
            );
        }
        let verdict = self.policy.verdict(&report);
        Row {
            file: prepared.file.clone(),
            section,
            question: Some(question.id.clone()),
            outcome: Outcome::Graded(Box::new(Graded {
                report,
                source: pending.source,
                detection: pending.detection.clone(),
                verdict,
            })),
        }
    }

    /// Grades the files of one step; `each` turns every row into what the step keeps of it (the
    /// row itself, or its rendered bytes), counting it in the summary it is given. Returns each
    /// file's kept rows, in the order of `paths`, and the summary of the step.
    ///
    /// Files are read and planned in parallel first. Their answers are then graded sorted by
    /// question, so that each thread grades runs of answers to one question while the question's
    /// vocabulary and matchers are in its caches: answers come mixed (a take-home answers many
    /// questions, and folders are sorted by candidate), and grading them in that order cost about
    /// a fifth more time. Rows go back to file order at the end.
    fn grade_step<'s, T: Send>(
        &'s self,
        paths: &[PathBuf],
        each: impl Fn(Row<'s>, &mut Summary) -> T + Sync,
    ) -> (Vec<Vec<T>>, Summary) {
        let prepared: Vec<Prepared> = paths.par_iter().map(|p| self.prepare(p)).collect();
        // (question, file, part): deterministic, whatever the threads do.
        let mut order: Vec<(usize, u32, u32)> = Vec::with_capacity(prepared.len());
        for (f, file) in prepared.iter().enumerate() {
            for (j, job) in file.jobs.iter().enumerate() {
                if let Job::Grade(pending) = job {
                    order.push((pending.question, f as u32, j as u32));
                }
            }
        }
        order.sort_unstable();
        // Each piece is a run of `order` graded by one thread, with its own summary.
        let pieces: Vec<Piece<T>> = order
            .par_iter()
            .fold(
                || (Summary::default(), Vec::new()),
                |(mut summary, mut kept), &(_, f, j)| {
                    let row = self.grade_part(&prepared[f as usize], j as usize);
                    kept.push((f, j, each(row, &mut summary)));
                    (summary, kept)
                },
            )
            .collect();
        let mut summary = Summary::default();
        let mut slots: Vec<Vec<Option<T>>> = Vec::with_capacity(prepared.len());
        for file in prepared {
            if file.ignored {
                summary.record_ignored();
            }
            let rows = file
                .jobs
                .into_iter()
                .map(|job| match job {
                    Job::Done(row) => Some(each(row, &mut summary)),
                    Job::Grade(_) => None,
                })
                .collect();
            slots.push(rows);
        }
        for (piece, kept) in pieces {
            summary.merge(piece);
            for (f, j, kept) in kept {
                slots[f as usize][j as usize] = Some(kept);
            }
        }
        let files = slots
            .into_iter()
            .map(|rows| rows.into_iter().flatten().collect())
            .collect();
        (files, summary)
    }
}

/// A run of a step's grading order, graded by one thread: its summary, and what was kept of each
/// row with the row's file and part.
type Piece<T> = (Summary, Vec<(u32, u32, T)>);

/// A file read and planned, its parts waiting for their graders.
struct Prepared {
    /// The file, as shown.
    file: String,
    /// The text the parts' ranges index: the file with its itdq directives blanked out.
    text: String,
    /// How the file was decoded, when it was not UTF-8.
    note: Option<String>,
    /// The file opted out with `<!-- itdq: ignore -->`.
    ignored: bool,
    /// One per part, in file order.
    jobs: Vec<Job>,
}

/// A part of a prepared file: to be graded, or already a row (an error).
enum Job {
    Grade(Box<Pending>),
    /// A row without a report, so without a grader's lifetime.
    Done(Row<'static>),
}

/// A part to grade, and against what.
struct Pending {
    /// The question's position in the bank.
    question: usize,
    source: Source,
    detection: Option<Detection>,
    section: Option<SectionRef>,
    range: std::ops::Range<usize>,
    excerpt: itdq::takehome::Excerpt,
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
    engine: &Engine<'_>,
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
            || {
                let (files, summary) = match renderer {
                    // Rendered by the thread that graded the row, while its report is in cache
                    // (which also frees the report there).
                    Some(render) => {
                        let (files, summary) = engine.grade_step(&paths, |row, summary| {
                            record(&row, summary);
                            // Rendered into the thread's buffer, then kept at its exact size: a
                            // step keeps thousands of rows.
                            SCRATCH.with_borrow_mut(|buffer| {
                                buffer.clear();
                                render(&row, buffer).map(|()| buffer.as_slice().to_vec())
                            })
                        });
                        (Kept::Rendered(files), summary)
                    }
                    None => {
                        let (files, summary) = engine.grade_step(&paths, |row, summary| {
                            record(&row, summary);
                            row
                        });
                        (Kept::Rows(files), summary)
                    }
                };
                Step { files, summary }
            },
        );
        written?;
        pending = Some(graded);
    }
    emit(pending, sink, &mut summary, progress)?;
    Ok(summary)
}

thread_local! {
    /// A worker's buffer for rendering a row.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The results of one step, in file order, and their summary.
struct Step<'g> {
    files: Kept<'g>,
    summary: Summary,
}

/// Each file's rows: for the sink, or already rendered.
enum Kept<'g> {
    Rows(Vec<Vec<Row<'g>>>),
    Rendered(Vec<Vec<anyhow::Result<Vec<u8>>>>),
}

/// Counts a row in `summary`.
fn record(row: &Row<'_>, summary: &mut Summary) {
    match &row.outcome {
        Outcome::Graded(g) => summary.record(&g.report, g.verdict.passed),
        Outcome::Error(_) => summary.record_error(),
    }
}

fn emit(
    step: Option<Step<'_>>,
    sink: &mut (dyn Sink + Send),
    summary: &mut Summary,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<()> {
    let Some(step) = step else {
        return Ok(());
    };
    summary.merge(step.summary);
    let files = match step.files {
        Kept::Rows(files) => {
            let count = files.len();
            for rows in files {
                for row in &rows {
                    sink.row(row)?;
                }
            }
            count
        }
        Kept::Rendered(files) => {
            let count = files.len();
            for rows in files {
                for bytes in rows {
                    sink.rendered(&bytes?)?;
                }
            }
            count
        }
    };
    progress.inc(files as u64);
    Ok(())
}
