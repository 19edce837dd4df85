//! Every rubric of the built-in bank: loads, has the shape the bank promises, and grades its own
//! sample answers inside the ranges an expert would give them, in the right order.

use itdq::{Analyzer, Bank, Grader};

#[test]
fn every_question_has_a_rubric_of_eight_to_sixteen_concepts() {
    let bank = Bank::builtin();
    assert_eq!(bank.questions().len(), 50);
    for question in bank.questions() {
        let rubric = bank.rubric(question).unwrap_or_else(|e| panic!("{e}"));
        let n = rubric.concepts.len();
        assert!(
            (8..=16).contains(&n),
            "question {} has {n} concepts",
            question.id
        );
        assert!(
            rubric.concepts.iter().all(|c| c.hint.is_some()),
            "question {}: a concept without a hint",
            question.id
        );
    }
    assert!(
        bank.orphan_rubrics().is_empty(),
        "rubric files no question uses: {:?}",
        bank.orphan_rubrics()
            .iter()
            .map(|r| r.0)
            .collect::<Vec<_>>()
    );
}

#[test]
fn samples_score_inside_their_ranges_and_in_order() {
    let bank = Bank::builtin();
    let analyzer = Analyzer::new();
    let mut failures = Vec::new();
    for question in bank.questions() {
        let rubric = bank.rubric(question).unwrap();
        let samples = rubric.samples.clone();
        assert!(
            samples.len() >= 3,
            "question {} has {} samples; it needs a strong, a weak and an off-topic one",
            question.id,
            samples.len()
        );
        let grader = Grader::new(question, rubric, &analyzer);
        let scores: Vec<f64> = samples
            .iter()
            .map(|s| grader.grade(&s.text).score)
            .collect();
        for (sample, score) in samples.iter().zip(&scores) {
            if *score < sample.min || *score > sample.max {
                failures.push(format!(
                    "{}: sample {:?} scored {score}, expected {}-{}",
                    sample.location, sample.name, sample.min, sample.max
                ));
            }
        }
        // A sample whose whole range lies above another's must outscore it.
        for (a, score_a) in samples.iter().zip(&scores) {
            for (b, score_b) in samples.iter().zip(&scores) {
                if a.min > b.max && score_a <= score_b {
                    failures.push(format!(
                        "question {}: {:?} ({score_a}) should outscore {:?} ({score_b})",
                        question.id, a.name, b.name
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} sample failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn grading_is_deterministic() {
    let bank = Bank::builtin();
    let question = bank.question("22").unwrap();
    let text = std::fs::read_to_string("fixtures/answers/q22-strong.md").unwrap();
    // Two graders compiled separately; the reports outlive them.
    let grade = || {
        Grader::new(question, bank.rubric(question).unwrap(), &Analyzer::new())
            .grade(&text)
            .into_owned()
    };
    let (a, b) = (grade(), grade());
    assert_eq!(a, b);
}
