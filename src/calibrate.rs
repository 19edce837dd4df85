//! Calibration: how well itdq's grades agree with marks a human gave the same answers.
//!
//! The caller grades each marked answer and hands over one [`Observation`] per answer; [`calibrate`]
//! compares the two sides overall and per question, counts how often each concept was found (and
//! what the human gave when it was, and when it was not), and picks the answers on which the two
//! disagree most. No I/O here: reading the marks file and grading belong to the caller.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::agreement::{mean, mean_absolute_error, pearson, quadratic_weighted_kappa, spearman};
use crate::report::{Report, Status};

/// How many disagreements a calibration lists.
pub const DISAGREEMENTS: usize = 10;
/// Characters of an answer quoted beside a disagreement.
const EXCERPT_CHARS: usize = 100;

/// One marked answer and how itdq graded it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Observation {
    pub question: String,
    /// Where the answer came from: a file, or the marks file and its line.
    pub source: String,
    /// The start of the answer, on one line.
    pub excerpt: String,
    /// The human's mark.
    pub human: f64,
    /// itdq's 0-100 score.
    pub score: f64,
    /// itdq's points on the rubric's scale, with the scale's maximum, when the rubric has one.
    pub points: Option<(u32, u32)>,
    /// Every concept of the rubric, with whether the answer earned it.
    pub concepts: Vec<(String, bool)>,
}

impl Observation {
    /// The observation of `report`, itdq's grade of `answer`, which a human marked `human`.
    pub fn new(source: &str, answer: &str, human: f64, report: &Report<'_>) -> Observation {
        Observation {
            question: report.question.id.to_string(),
            source: source.to_string(),
            excerpt: excerpt(answer),
            human,
            score: report.score,
            points: report.points.map(|p| (p.value, p.max)),
            concepts: report
                .concepts
                .iter()
                .map(|c| (c.id.to_string(), c.status == Status::Found))
                .collect(),
        }
    }
}

/// Where the scale that itdq's grades are put on comes from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScaleSource {
    /// The rubrics' point scales (`[scale]`): itdq's mark is its points.
    Rubric,
    /// Given by the caller: itdq's mark is score / 100 * max.
    Given,
    /// The highest human mark: itdq's mark is score / 100 * max.
    Marks,
}

/// The scale both sides are compared on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MarkScale {
    pub max: f64,
    pub source: ScaleSource,
}

/// Agreement of one set of answers (all of them, or one question's).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    pub n: usize,
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
    /// Quadratic weighted kappa, when every human mark is an integer on the rubric's point scale.
    pub qwk: Option<f64>,
    /// Mean absolute error on the mark scale.
    pub mae: Option<f64>,
    pub human_mean: Option<f64>,
    pub itdq_mean: Option<f64>,
}

/// One question's agreement.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuestionAgreement {
    pub question: String,
    #[serde(flatten)]
    pub agreement: Agreement,
}

/// How often a concept was found, and what the human gave with and without it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConceptHits {
    pub question: String,
    pub concept: String,
    pub answers: usize,
    pub found: usize,
    pub hit_rate: f64,
    /// The human's mean mark for the answers where itdq found the concept.
    pub human_mean_found: Option<f64>,
    /// The human's mean mark for the answers where it did not.
    pub human_mean_missed: Option<f64>,
}

/// An answer on which itdq and the human disagree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Disagreement {
    pub question: String,
    pub source: String,
    pub excerpt: String,
    pub human: f64,
    /// itdq's mark on the scale.
    pub itdq: f64,
    /// itdq's 0-100 score.
    pub score: f64,
    /// itdq's mark minus the human's: positive where itdq is the more generous.
    pub difference: f64,
}

/// The outcome of a calibration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Calibration {
    pub scale: MarkScale,
    pub overall: Agreement,
    pub questions: Vec<QuestionAgreement>,
    pub concepts: Vec<ConceptHits>,
    /// The answers with the largest difference, largest first; answers given the human's very
    /// mark are no disagreement.
    pub disagreements: Vec<Disagreement>,
}

/// Compares itdq's grades with the human marks. `scale_max` puts 0-100 scores on the human scale
/// for rubrics without a point scale; without it the highest human mark is taken as the top.
pub fn calibrate(observations: &[Observation], scale_max: Option<f64>) -> Calibration {
    let scale = if !observations.is_empty() && observations.iter().all(|o| o.points.is_some()) {
        let max = observations
            .iter()
            .filter_map(|o| o.points.map(|(_, max)| max))
            .max()
            .unwrap_or(0);
        MarkScale {
            max: f64::from(max),
            source: ScaleSource::Rubric,
        }
    } else if let Some(max) = scale_max {
        MarkScale {
            max,
            source: ScaleSource::Given,
        }
    } else {
        let max = observations.iter().map(|o| o.human).fold(0.0, f64::max);
        MarkScale {
            max,
            source: ScaleSource::Marks,
        }
    };
    let mark = |o: &Observation| match (scale.source, o.points) {
        (ScaleSource::Rubric, Some((points, _))) => f64::from(points),
        _ => o.score / 100.0 * scale.max,
    };
    let all: Vec<&Observation> = observations.iter().collect();
    let overall = agreement(&all, &mark, scale);

    let mut by_question: BTreeMap<&str, Vec<&Observation>> = BTreeMap::new();
    for o in observations {
        by_question.entry(o.question.as_str()).or_default().push(o);
    }
    let mut order: Vec<&str> = by_question.keys().copied().collect();
    order.sort_by(|a, b| question_order(a, b));
    let questions = order
        .iter()
        .map(|q| QuestionAgreement {
            question: q.to_string(),
            agreement: agreement(&by_question[q], &mark, scale),
        })
        .collect();
    let concepts = order
        .iter()
        .flat_map(|q| concept_hits(q, &by_question[q]))
        .collect();

    let mut disagreements: Vec<Disagreement> = observations
        .iter()
        .filter(|o| mark(o) != o.human)
        .map(|o| {
            let itdq = mark(o);
            Disagreement {
                question: o.question.clone(),
                source: o.source.clone(),
                excerpt: o.excerpt.clone(),
                human: o.human,
                itdq,
                score: o.score,
                difference: itdq - o.human,
            }
        })
        .collect();
    // Stable: equal differences keep the order of the marks file.
    disagreements.sort_by(|a, b| b.difference.abs().total_cmp(&a.difference.abs()));
    disagreements.truncate(DISAGREEMENTS);

    Calibration {
        scale,
        overall,
        questions,
        concepts,
        disagreements,
    }
}

fn agreement(
    observations: &[&Observation],
    mark: &dyn Fn(&Observation) -> f64,
    scale: MarkScale,
) -> Agreement {
    let human: Vec<f64> = observations.iter().map(|o| o.human).collect();
    let itdq: Vec<f64> = observations.iter().map(|o| mark(o)).collect();
    let qwk = if scale.source == ScaleSource::Rubric && human.iter().all(|h| h.fract() == 0.0) {
        let a: Vec<i64> = human.iter().map(|&h| h as i64).collect();
        let b: Vec<i64> = itdq.iter().map(|&m| m as i64).collect();
        quadratic_weighted_kappa(&a, &b, 0, scale.max as i64)
    } else {
        None
    };
    Agreement {
        n: observations.len(),
        pearson: pearson(&itdq, &human),
        spearman: spearman(&itdq, &human),
        qwk,
        mae: mean_absolute_error(&itdq, &human),
        human_mean: mean(&human),
        itdq_mean: mean(&itdq),
    }
}

fn concept_hits(question: &str, observations: &[&Observation]) -> Vec<ConceptHits> {
    // Rubric order, as the first answer's report lists the concepts.
    let Some(first) = observations.first() else {
        return Vec::new();
    };
    first
        .concepts
        .iter()
        .enumerate()
        .map(|(i, (id, _))| {
            let mut found = Vec::new();
            let mut missed = Vec::new();
            for o in observations {
                match o.concepts.get(i) {
                    Some((_, true)) => found.push(o.human),
                    _ => missed.push(o.human),
                }
            }
            ConceptHits {
                question: question.to_string(),
                concept: id.clone(),
                answers: observations.len(),
                found: found.len(),
                hit_rate: found.len() as f64 / observations.len() as f64,
                human_mean_found: mean(&found),
                human_mean_missed: mean(&missed),
            }
        })
        .collect()
}

/// Question ids in natural order: "2" before "10", "1.2" before "1.10".
fn question_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn parts(id: &str) -> Vec<Result<u64, &str>> {
        id.split(['.', '-', '_'])
            .map(|p| p.parse::<u64>().map_err(|_| p))
            .collect()
    }
    parts(a).cmp(&parts(b)).then_with(|| a.cmp(b))
}

fn excerpt(answer: &str) -> String {
    let one_line: String = answer.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > EXCERPT_CHARS {
        let cut: String = one_line.chars().take(EXCERPT_CHARS - 1).collect();
        format!("{cut}\u{2026}")
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observation(
        question: &str,
        human: f64,
        score: f64,
        points: Option<(u32, u32)>,
        found: &[bool],
    ) -> Observation {
        Observation {
            question: question.into(),
            source: format!("marks.csv:{}", (human * 10.0) as u32),
            excerpt: String::new(),
            human,
            score,
            points,
            concepts: found
                .iter()
                .enumerate()
                .map(|(i, &f)| (format!("c{i}"), f))
                .collect(),
        }
    }

    #[test]
    fn scores_are_put_on_the_highest_human_mark() {
        let obs = [
            observation("1", 0.0, 0.0, None, &[false]),
            observation("1", 5.0, 100.0, None, &[true]),
            observation("1", 2.5, 40.0, None, &[true]),
        ];
        let c = calibrate(&obs, None);
        assert_eq!(
            c.scale,
            MarkScale {
                max: 5.0,
                source: ScaleSource::Marks
            }
        );
        // itdq gives 0, 5 and 2: off by 0.5 on one answer of three
        assert!((c.overall.mae.unwrap() - 0.5 / 3.0).abs() < 1e-9);
        assert_eq!(c.overall.qwk, None, "no point scale, no kappa");
        assert_eq!(c.disagreements[0].difference, -0.5);
        let given = calibrate(&obs, Some(10.0));
        assert_eq!(given.scale.source, ScaleSource::Given);
        assert_eq!(given.disagreements[0].itdq, 10.0);
    }

    #[test]
    fn points_give_kappa_when_marks_are_integers() {
        let obs = [
            observation("5", 0.0, 5.0, Some((0, 3)), &[false]),
            observation("5", 1.0, 30.0, Some((1, 3)), &[true]),
            observation("5", 3.0, 90.0, Some((3, 3)), &[true]),
            observation("5", 2.0, 60.0, Some((3, 3)), &[true]),
        ];
        let c = calibrate(&obs, None);
        assert_eq!(c.scale.source, ScaleSource::Rubric);
        assert!(
            c.overall.qwk.is_some_and(|k| k > 0.8 && k < 1.0),
            "{:?}",
            c.overall.qwk
        );
        assert_eq!(c.disagreements[0].human, 2.0);
        // halves are not on the integer scale
        let mut halves = obs.clone();
        halves[0].human = 0.5;
        assert_eq!(calibrate(&halves, None).overall.qwk, None);
    }

    #[test]
    fn per_question_and_per_concept() {
        let obs = [
            observation("10", 4.0, 80.0, None, &[true, false]),
            observation("2", 1.0, 10.0, None, &[false]),
            observation("10", 2.0, 20.0, None, &[false, false]),
            observation("2", 3.0, 70.0, None, &[true]),
        ];
        let c = calibrate(&obs, Some(5.0));
        assert_eq!(
            c.disagreements.len(),
            3,
            "the first answer got its very mark"
        );
        let exact = calibrate(&[observation("2", 5.0, 100.0, None, &[])], Some(5.0));
        assert!(
            exact.disagreements.is_empty(),
            "the same mark is no disagreement"
        );
        let ids: Vec<&str> = c.questions.iter().map(|q| q.question.as_str()).collect();
        assert_eq!(ids, ["2", "10"], "natural order");
        assert_eq!(c.questions[1].agreement.n, 2);
        let first = &c
            .concepts
            .iter()
            .find(|h| h.question == "10" && h.concept == "c0")
            .unwrap();
        assert_eq!((first.found, first.answers), (1, 2));
        assert_eq!(first.human_mean_found, Some(4.0));
        assert_eq!(first.human_mean_missed, Some(2.0));
        let never = &c
            .concepts
            .iter()
            .find(|h| h.question == "10" && h.concept == "c1")
            .unwrap();
        assert_eq!(never.hit_rate, 0.0);
        assert_eq!(never.human_mean_found, None);
    }

    #[test]
    fn at_most_ten_disagreements_largest_first() {
        let obs: Vec<Observation> = (0..15)
            .map(|i| observation("1", 5.0, f64::from(i) * 5.0, None, &[]))
            .collect();
        let c = calibrate(&obs, None);
        assert_eq!(c.disagreements.len(), DISAGREEMENTS);
        assert_eq!(c.disagreements[0].score, 0.0);
        assert!(
            c.disagreements
                .windows(2)
                .all(|w| w[0].difference.abs() >= w[1].difference.abs())
        );
    }

    #[test]
    fn natural_question_order() {
        let mut ids = vec!["1.10", "10", "1.2", "2", "abc"];
        ids.sort_by(|a, b| question_order(a, b));
        assert_eq!(ids, ["1.2", "1.10", "2", "10", "abc"]);
    }

    #[test]
    fn excerpts_are_one_line_and_short() {
        assert_eq!(excerpt("a\n  b\tc"), "a b c");
        assert_eq!(excerpt(&"x".repeat(300)).chars().count(), EXCERPT_CHARS);
    }
}
