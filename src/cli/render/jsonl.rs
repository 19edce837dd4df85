//! `--format jsonl`: one JSON object per answer and line, written as each answer is graded.
//!
//! A graded answer is the object of `itdq grade --format json` with `file` (and `section` for a
//! take-home section, `question_from`, `verdict`) added; an input that could not be graded is
//! `{"file": ..., "error": ...}`. Documented in docs/batch-formats.md.

use std::io::Write;

use itdq::report::Report;
use itdq::summary::Summary;
use itdq::wire::JsonReport;
use serde::Serialize;

use super::Sink;
use crate::cli::grading::{Outcome, Row};

/// One answer of a batch on the wire.
#[derive(Serialize)]
pub struct JsonRow<'a> {
    pub file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<JsonSection<'a>>,
    /// Where the question came from: flag, config, front-matter, marker, section, file-name,
    /// detected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question_from: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<JsonVerdict<'a>>,
    #[serde(flatten)]
    pub report: Option<JsonReport<'a>>,
    /// For an input that could not be graded: the question, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
}

#[derive(Serialize)]
pub struct JsonSection<'a> {
    pub heading: &'a str,
    pub line: usize,
}

#[derive(Serialize)]
pub struct JsonVerdict<'a> {
    pub passed: bool,
    pub min_score: Option<f64>,
    pub below_min_score: bool,
    pub missing_required: Vec<&'a str>,
}

impl<'a> From<&'a crate::cli::grading::Verdict> for JsonVerdict<'a> {
    fn from(verdict: &'a crate::cli::grading::Verdict) -> Self {
        JsonVerdict {
            passed: verdict.passed,
            min_score: verdict.min_score,
            below_min_score: verdict.below,
            missing_required: verdict
                .missing_required
                .iter()
                .map(|(id, _)| id.as_str())
                .collect(),
        }
    }
}

impl<'a> From<&'a Row<'a>> for JsonRow<'a> {
    fn from(row: &'a Row<'a>) -> Self {
        let section = row.section.as_ref().map(|s| JsonSection {
            heading: &s.heading,
            line: s.line,
        });
        match &row.outcome {
            Outcome::Graded(g) => JsonRow {
                file: &row.file,
                section,
                question_from: Some(g.source.as_str()),
                verdict: Some(JsonVerdict::from(&g.verdict)),
                report: Some(JsonReport::from(&g.report).with_detection(g.detection.as_ref())),
                question_id: None,
                error: None,
            },
            Outcome::Error(message) => JsonRow {
                file: &row.file,
                section,
                question_from: None,
                verdict: None,
                report: None,
                question_id: row.question.as_deref(),
                error: Some(message),
            },
        }
    }
}

pub struct Jsonl<'a> {
    out: &'a mut (dyn Write + Send),
}

impl<'a> Jsonl<'a> {
    pub fn new(out: &'a mut (dyn Write + Send)) -> Self {
        Jsonl { out }
    }
}

/// One row as a line of JSON.
fn render(row: &Row, out: &mut Vec<u8>) -> anyhow::Result<()> {
    match &row.outcome {
        Outcome::Graded(graded) => {
            TEMPLATES.with_borrow_mut(|templates| write_graded(row, graded, templates, out))?
        }
        Outcome::Error(_) => super::write_json_row(out, &JsonRow::from(row))?,
    }
    out.push(b'\n');
    Ok(())
}

thread_local! {
    /// The rubric text of the questions this thread has written rows for, as JSON.
    static TEMPLATES: std::cell::RefCell<rustc_hash::FxHashMap<String, Template>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// Questions a thread keeps templates for; more (a very large bank) clears them.
const MAX_TEMPLATES: usize = 1024;

/// The parts of a report that come from its rubric (question, and each concept's id, label,
/// weight, group and hint: most of a row's bytes), already escaped. Built from the first report
/// of a question and checked against every later one: a report that differs in any of them (a
/// rubric changed under the same question id) gets a new template.
struct Template {
    /// The question's id, section and prompt.
    question: [String; 3],
    /// `"schema_version":1,"question":{...}`.
    head: Vec<u8>,
    concepts: Vec<ConceptTemplate>,
}

struct ConceptTemplate {
    id: String,
    label: String,
    weight: u64,
    required: bool,
    group: Option<String>,
    hint: Option<String>,
    /// `{"id":...,"label":...,"weight":...,"required":...,"group":...,"status":"`.
    head: Vec<u8>,
    /// `,"hint":...}`.
    tail: Vec<u8>,
}

impl Template {
    fn new(report: &Report<'_>) -> anyhow::Result<Template> {
        #[derive(Serialize)]
        struct Head<'a> {
            schema_version: u32,
            question: itdq::wire::JsonQuestion<'a>,
        }
        #[derive(Serialize)]
        struct ConceptHead<'a> {
            id: &'a str,
            label: &'a str,
            weight: f64,
            required: bool,
            group: Option<&'a str>,
        }
        #[derive(Serialize)]
        struct ConceptTail<'a> {
            hint: Option<&'a str>,
        }
        let question = &report.question;
        let mut head = Vec::new();
        super::write_json_row(
            &mut head,
            &Head {
                schema_version: itdq::wire::SCHEMA_VERSION,
                question: itdq::wire::JsonQuestion {
                    id: &question.id,
                    section: &question.section,
                    prompt: &question.prompt,
                },
            },
        )?;
        // Without the braces: the fields go inside the row's object.
        head.pop();
        head.remove(0);
        let concepts = report
            .concepts
            .iter()
            .map(|c| {
                let mut head = Vec::new();
                super::write_json_row(
                    &mut head,
                    &ConceptHead {
                        id: &c.id,
                        label: &c.label,
                        weight: c.weight,
                        required: c.required,
                        group: c.group.as_deref(),
                    },
                )?;
                head.pop();
                head.extend_from_slice(b",\"status\":\"");
                let mut tail = b",".to_vec();
                super::write_json_row(
                    &mut tail,
                    &ConceptTail {
                        hint: c.hint.as_deref(),
                    },
                )?;
                tail.remove(1);
                Ok(ConceptTemplate {
                    id: c.id.to_string(),
                    label: c.label.to_string(),
                    weight: c.weight.to_bits(),
                    required: c.required,
                    group: c.group.as_deref().map(str::to_string),
                    hint: c.hint.as_deref().map(str::to_string),
                    head,
                    tail,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Template {
            question: [
                question.id.to_string(),
                question.section.to_string(),
                question.prompt.to_string(),
            ],
            head,
            concepts,
        })
    }

    /// Whether `report` has exactly the rubric text this template was made from.
    fn fits(&self, report: &Report<'_>) -> bool {
        let q = &report.question;
        self.question[0] == q.id
            && self.question[1] == q.section
            && self.question[2] == q.prompt
            && self.concepts.len() == report.concepts.len()
            && self.concepts.iter().zip(&report.concepts).all(|(t, c)| {
                t.id == c.id
                    && t.label == c.label
                    && t.weight == c.weight.to_bits()
                    && t.required == c.required
                    && t.group.as_deref() == c.group.as_deref()
                    && t.hint.as_deref() == c.hint.as_deref()
            })
    }
}

/// A graded row, written as [`JsonRow`] writes it, with the rubric's text copied from the
/// question's template instead of escaped again (about a fifth of a batch's work per answer was
/// writing rows, most of it rubric text). A test checks the bytes against [`JsonRow`]'s.
fn write_graded(
    row: &Row,
    graded: &crate::cli::grading::Graded<'_>,
    templates: &mut rustc_hash::FxHashMap<String, Template>,
    out: &mut Vec<u8>,
) -> anyhow::Result<()> {
    #[derive(Serialize)]
    struct RowHead<'a> {
        file: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        section: Option<JsonSection<'a>>,
        question_from: &'static str,
        verdict: JsonVerdict<'a>,
    }
    let report = &graded.report;
    let fits = templates
        .get(&*report.question.id)
        .is_some_and(|t| t.fits(report));
    if !fits {
        if templates.len() >= MAX_TEMPLATES {
            templates.clear();
        }
        templates.insert(report.question.id.to_string(), Template::new(report)?);
    }
    let Some(template) = templates.get(&*report.question.id) else {
        return Ok(super::write_json_row(out, &JsonRow::from(row))?);
    };
    // Whole objects written by sonic-rs, then opened up: the braces come off so that their
    // fields join the row's object.
    fn fields<T: Serialize>(out: &mut Vec<u8>, value: &T) -> std::io::Result<()> {
        let at = out.len();
        super::write_json_row(out, value)?;
        out.remove(at);
        out.pop();
        Ok(())
    }
    #[derive(Serialize)]
    struct Middle<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        detection: Option<itdq::wire::JsonDetection<'a>>,
        score: f64,
        points: Option<itdq::report::Points>,
        band: &'static str,
    }
    #[derive(Serialize)]
    struct Tail<'a> {
        groups: &'a [itdq::report::GroupResult<'a>],
        misconceptions: Vec<itdq::wire::JsonMisconception<'a>>,
        warnings: Vec<itdq::wire::JsonWarning<'a>>,
        stats: itdq::report::Stats,
    }
    out.push(b'{');
    fields(
        out,
        &RowHead {
            file: &row.file,
            section: row.section.as_ref().map(|s| JsonSection {
                heading: &s.heading,
                line: s.line,
            }),
            question_from: graded.source.as_str(),
            verdict: JsonVerdict::from(&graded.verdict),
        },
    )?;
    out.push(b',');
    out.extend_from_slice(&template.head);
    out.push(b',');
    fields(
        out,
        &Middle {
            detection: graded
                .detection
                .as_ref()
                .and_then(itdq::wire::JsonDetection::new),
            score: report.score,
            points: report.points,
            band: report.band.as_str(),
        },
    )?;
    out.extend_from_slice(b",\"concepts\":[");
    for (i, (concept, t)) in report.concepts.iter().zip(&template.concepts).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&t.head);
        out.extend_from_slice(concept.status.as_str().as_bytes());
        out.extend_from_slice(b"\",\"evidence\":[");
        for (j, e) in concept.evidence.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            write_evidence(out, e)?;
        }
        out.push(b']');
        out.extend_from_slice(&t.tail);
    }
    out.extend_from_slice(b"],");
    fields(
        out,
        &Tail {
            groups: &report.groups,
            misconceptions: itdq::wire::misconceptions(report),
            warnings: itdq::wire::warnings(report),
            stats: report.stats,
        },
    )?;
    out.push(b'}');
    Ok(())
}

/// One piece of evidence as [`itdq::wire::JsonEvidence`] serialises it, written field by field
/// with serde_json's own number and string formatting: rows carry a dozen of them, and a
/// sonic-rs serializer per piece cost more than the piece.
fn write_evidence(out: &mut Vec<u8>, e: &itdq::report::Evidence) -> std::io::Result<()> {
    use itdq::report::MatchKind;
    use serde_json::ser::{CompactFormatter, Formatter};
    let mut f = CompactFormatter;
    out.extend_from_slice(b"{\"line\":");
    f.write_u64(out, e.line as u64)?;
    out.extend_from_slice(b",\"column\":");
    f.write_u64(out, e.column as u64)?;
    out.extend_from_slice(b",\"end_line\":");
    f.write_u64(out, e.end_line as u64)?;
    out.extend_from_slice(b",\"end_column\":");
    f.write_u64(out, e.end_column as u64)?;
    out.extend_from_slice(b",\"text\":");
    serde_json::to_writer(&mut *out, &e.text)?;
    out.extend_from_slice(b",\"matched\":");
    serde_json::to_writer(&mut *out, &e.matched)?;
    out.extend_from_slice(b",\"match\":{\"kind\":");
    match e.how {
        MatchKind::Exact => out.extend_from_slice(b"\"exact\"}}"),
        MatchKind::Stem => out.extend_from_slice(b"\"stem\"}}"),
        MatchKind::Pattern => out.extend_from_slice(b"\"pattern\"}}"),
        MatchKind::Fuzzy { distance } => {
            out.extend_from_slice(b"\"fuzzy\",\"distance\":");
            f.write_u8(out, distance)?;
            out.extend_from_slice(b"}}");
        }
    }
    Ok(())
}

impl Sink for Jsonl<'_> {
    fn row(&mut self, row: &Row) -> anyhow::Result<()> {
        let mut line = Vec::new();
        render(row, &mut line)?;
        self.out.write_all(&line)?;
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> anyhow::Result<()> {
        self.out.flush()?;
        Ok(())
    }

    fn row_renderer(&self) -> Option<super::RowRenderer> {
        Some(render)
    }

    fn rendered(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.out.write_all(bytes)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::grading::{Graded, Verdict};
    use itdq::declaration::Source;
    use itdq::{Analyzer, Bank, Grader};

    fn row(
        report: Report<'_>,
        detection: Option<itdq::detect::Detection>,
        section: bool,
    ) -> Row<'_> {
        let missing = report
            .concepts
            .iter()
            .filter(|c| c.required && c.status != itdq::report::Status::Found)
            .map(|c| (c.id.to_string(), c.label.to_string()))
            .collect::<Vec<_>>();
        Row {
            file: "answers/jane \"j\" \u{e9}.md".into(),
            section: section.then(|| crate::cli::grading::SectionRef {
                heading: "Q13 \u{2014} metrics".into(),
                line: 7,
            }),
            question: Some(report.question.id.to_string()),
            outcome: Outcome::Graded(Box::new(Graded {
                verdict: Verdict {
                    passed: missing.is_empty(),
                    min_score: section.then_some(60.5),
                    below: section,
                    missing_required: missing,
                },
                report,
                source: if section {
                    Source::Section
                } else {
                    Source::FileName
                },
                detection,
            })),
        }
    }

    /// The row written by the fast path and by [`JsonRow`].
    fn both(row: &Row) -> (String, String) {
        let mut fast = Vec::new();
        render(row, &mut fast).unwrap();
        let mut slow = Vec::new();
        super::super::write_json_row(&mut slow, &JsonRow::from(row)).unwrap();
        slow.push(b'\n');
        (
            String::from_utf8(fast).unwrap(),
            String::from_utf8(slow).unwrap(),
        )
    }

    #[test]
    fn graded_rows_are_written_as_json_row_writes_them() {
        let analyzer = Analyzer::new();
        let calibrate = Bank::from_dir(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/calibrate/bank"),
        )
        .unwrap();
        let builtin = Bank::builtin();
        let detector = itdq::detect::Detector::new(&builtin).unwrap();
        let mut rows = 0;
        let mut with_points = 0;
        for bank in [&builtin, &calibrate] {
            for question in bank.questions().iter().filter(|q| bank.has_rubric(q)) {
                let rubric = bank.rubric(question).unwrap();
                let samples: Vec<String> = rubric.samples.iter().map(|s| s.text.clone()).collect();
                let grader = Grader::new(question, rubric, &analyzer);
                for (i, text) in samples.iter().chain([&String::new()]).enumerate() {
                    let report = grader.grade(text);
                    with_points += usize::from(report.points.is_some());
                    let detection = (i % 2 == 0).then(|| detector.rank(text));
                    for section in [false, true] {
                        let (fast, slow) = both(&row(report.clone(), detection.clone(), section));
                        assert_eq!(fast, slow, "question {}", question.id);
                        rows += 1;
                    }
                }
            }
        }
        assert!(
            rows > 200 && with_points > 0,
            "{rows} rows, {with_points} with points"
        );
    }

    /// The report on the first sample of a built-in question.
    fn first_sample_graded(id: &str) -> Report<'static> {
        let bank = Bank::builtin();
        let question = bank.question(id).unwrap();
        let rubric = bank.rubric(question).unwrap();
        let text = rubric.samples[0].text.clone();
        Grader::new(question, rubric, &Analyzer::new())
            .grade(&text)
            .into_owned()
    }

    #[test]
    fn every_kind_of_evidence_is_written_as_json_row_writes_it() {
        use itdq::report::{Evidence, MatchKind};
        let mut report = first_sample_graded("13");
        let kinds = [
            MatchKind::Exact,
            MatchKind::Stem,
            MatchKind::Fuzzy { distance: 2 },
            MatchKind::Pattern,
        ];
        let texts = [
            "plain",
            "\"quoted\" back\\slash",
            "tab\tnew\nline\u{1}\u{7f}",
            "caf\u{e9} \u{2014} \u{1F600} \u{2028}",
        ];
        report.concepts[0].evidence = kinds
            .iter()
            .zip(texts)
            .enumerate()
            .map(|(i, (&how, text))| Evidence {
                line: i + 1,
                column: 10 * i,
                end_line: i + 2,
                end_column: usize::MAX - i,
                start: i,
                end: i + 1,
                text: text.into(),
                matched: text.chars().rev().collect::<String>().into(),
                how,
                negated: false,
            })
            .collect();
        let (fast, slow) = both(&row(report, None, true));
        assert_eq!(fast, slow);
        assert!(fast.contains("\"distance\":2"), "{fast}");
    }

    #[test]
    fn a_rubric_changed_under_the_same_id_gets_a_new_template() {
        let report = first_sample_graded("22");
        let mut changed = report.clone();
        changed.concepts[0].label.to_mut().push_str(" (revised)");
        changed.concepts[1].hint = None;
        changed.question.prompt.to_mut().push('?');
        for report in [report, changed.clone(), changed] {
            let (fast, slow) = both(&row(report, None, false));
            assert_eq!(fast, slow);
        }
    }
}
